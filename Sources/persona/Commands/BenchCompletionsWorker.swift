import Reactor

/// Finds a fixed byte pattern in a stream that arrives in pieces (Knuth–Morris–Pratt), so a
/// match split across reads still counts.
struct StreamingMatcher: Sendable {
    private let pattern: [UInt8]
    private let failure: [Int]
    private var matched = 0

    init(_ text: String) {
        pattern = Array(text.utf8)
        var failure = [Int](repeating: 0, count: pattern.count)
        var k = 0
        for index in 1..<pattern.count {
            while k > 0, pattern[index] != pattern[k] { k = failure[k - 1] }
            if pattern[index] == pattern[k] { k += 1 }
            failure[index] = k
        }
        self.failure = failure
    }

    /// Feeds one byte; true when it completes a match.
    mutating func feed(_ byte: UInt8) -> Bool {
        while matched > 0, byte != pattern[matched] { matched = failure[matched - 1] }
        if byte == pattern[matched] { matched += 1 }
        if matched == pattern.count {
            matched = failure[matched - 1]
            return true
        }
        return false
    }

    mutating func reset() { matched = 0 }
}

/// The streams of `persona bench completions` that live on one loop: one keep-alive HTTP
/// connection each, sending `stream: true` chat completions back to back and reading the
/// Server-Sent Events as they come, timing the first content chunk and the whole completion.
/// Loop-confined.
final class BenchCompletionsWorker: ConnectionHandler {
    struct Stream {
        var connection: TCPConnection?
        var sentAt: UInt64 = 0
        var firstToken = false
        var contentChunks = 0
        var content = StreamingMatcher(#""content":""#)
        var end = StreamingMatcher("\r\n0\r\n\r\n")
        var status = StreamingMatcher("HTTP/1.1 200 ")
        var ok = false
    }

    let loop: EventLoop
    let address: SocketAddress
    let request: [UInt8]
    private var streams: [Stream] = []
    private var byConnection: [ObjectIdentifier: Int] = [:]
    private var deadline: UInt64 = .max
    private var measuring = false
    private var connected = 0
    private var active = 0
    private var onConnected: (@Sendable () -> Void)?
    private var onFinished: (@Sendable () -> Void)?

    private(set) var firstToken = BenchLatencyHistogram()
    private(set) var fullCompletion = BenchLatencyHistogram()
    private(set) var completions = 0
    private(set) var tokens = 0
    private(set) var errorsByCode: [String: Int] = [:]

    init(loop: EventLoop, address: SocketAddress, request: [UInt8]) {
        self.loop = loop
        self.address = address
        self.request = request
    }

    private var now: UInt64 { loop.now().nanoseconds }

    /// Opens `count` connections, then calls `done`.
    func connect(count: Int, then done: @escaping @Sendable () -> Void) {
        streams = Array(repeating: Stream(), count: count)
        onConnected = done
        if count == 0 { return done() }
        for index in 0..<count {
            TCPConnection.connect(to: address, on: loop) { [self] result in
                switch result {
                case .success(let connection):
                    connection.handler = self
                    streams[index].connection = connection
                    byConnection[ObjectIdentifier(connection)] = index
                case .failure:
                    errorsByCode["connect", default: 0] += 1
                }
                connected += 1
                if connected == count { onConnected?() }
            }
        }
    }

    /// Sends completions back to back on every stream until `deadline`, then calls `done` once
    /// every completion in flight has ended.
    func measure(until deadline: UInt64, then done: @escaping @Sendable () -> Void) {
        self.deadline = deadline
        onFinished = done
        measuring = true
        for index in streams.indices where streams[index].connection != nil { send(index) }
        if active == 0 { finish() }
    }

    private func send(_ index: Int) {
        guard let connection = streams[index].connection else { return }
        streams[index].sentAt = now
        streams[index].firstToken = false
        streams[index].contentChunks = 0
        streams[index].ok = false
        streams[index].content.reset()
        streams[index].end.reset()
        streams[index].status.reset()
        active += 1
        connection.write(request)
    }

    func connectionDidRead(_ connection: TCPConnection, _ bytes: UnsafeRawBufferPointer) {
        guard let index = byConnection[ObjectIdentifier(connection)] else { return }
        var stream = streams[index]
        var ended = false
        for byte in bytes {
            if stream.status.feed(byte) { stream.ok = true }
            if stream.content.feed(byte) {
                stream.contentChunks += 1
                // The first `"content":""` is the role chunk's; the next is the first token.
                if stream.contentChunks == 2, !stream.firstToken {
                    stream.firstToken = true
                    firstToken.record(now - stream.sentAt)
                }
            }
            if stream.end.feed(byte) { ended = true }
        }
        streams[index] = stream
        guard ended else { return }
        active -= 1
        if stream.ok {
            completions += 1
            tokens += max(0, stream.contentChunks - 1)
            fullCompletion.record(now - stream.sentAt)
        } else {
            errorsByCode["http_error", default: 0] += 1
        }
        if measuring, now < deadline { send(index) } else if active == 0 { finish() }
    }

    func connectionDidClose(_ connection: TCPConnection, error: SystemError?) {
        guard let index = byConnection.removeValue(forKey: ObjectIdentifier(connection)) else { return }
        streams[index].connection = nil
        if measuring {
            errorsByCode["closed", default: 0] += 1
            active -= 1
            if active == 0 { finish() }
        }
    }

    private func finish() {
        measuring = false
        let done = onFinished
        onFinished = nil
        done?()
    }

    /// Closes every connection.
    func closeAll() {
        measuring = false
        for stream in streams { stream.connection?.close() }
    }
}
