import Dispatch
import HTTP1
import Reactor
import Synchronization

/// A small HTTP/1.1 client on the Reactor, for the admin CLI: one request per connection
/// (`Connection: close`), loopback only (see ``HTTPClientURL``), the whole answer buffered.
///
/// The response head is read with `HTTP1ResponseHeadParser` (RFC 9112 §4); the body is framed
/// by `Content-Length`, `Transfer-Encoding: chunked` (§7.1) or the connection's close (§6.3).
public final class HTTPClient: ConnectionHandler {
    /// A complete answer.
    public struct Response: Sendable {
        /// The status.
        public var status: HTTPStatus
        /// The header fields.
        public var headers: HTTPHeaders
        /// The decoded body.
        public var body: [UInt8]
        /// The body as UTF-8 text.
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Limits.
    public struct Configuration: Sendable {
        /// Whole-request timeout. Default 30 s (a reload with author tests can take a while).
        public var timeout: Duration
        /// Largest body accepted. Default 16 MiB.
        public var maxBodyBytes: Int

        /// Creates limits.
        public init(timeout: Duration = .seconds(30), maxBodyBytes: Int = 16 << 20) {
            self.timeout = timeout
            self.maxBodyBytes = maxBodyBytes
        }
    }

    private let loop: EventLoop
    private let configuration: Configuration
    private let isHead: Bool
    private var completion: ((Result<Response, HTTPClientError>) -> Void)?
    private var parser = HTTP1ResponseHeadParser()
    private var head: HTTP1ResponseHead?
    private var buffer: [UInt8] = []
    private var tcp: TCPConnection?
    private var timer: TimerID?

    private init(
        loop: EventLoop, configuration: Configuration, isHead: Bool,
        completion: @escaping (Result<Response, HTTPClientError>) -> Void
    ) {
        self.loop = loop
        self.configuration = configuration
        self.isHead = isHead
        self.completion = completion
    }

    /// Sends one request from `loop` (loop thread only); `completion` runs once on the loop.
    public static func send(
        method: HTTPMethod, url: HTTPClientURL, path: String, headers: HTTPHeaders = [:], body: [UInt8] = [],
        on loop: EventLoop, configuration: Configuration = Configuration(),
        _ completion: @escaping (Result<Response, HTTPClientError>) -> Void
    ) {
        let client = HTTPClient(
            loop: loop, configuration: configuration, isHead: method == .head, completion: completion)
        var fields = headers
        fields.replaceOrAdd(name: "Host", value: url.host)
        fields.replaceOrAdd(name: "Connection", value: "close")
        if !body.isEmpty || method == .post || method == .put {
            fields.replaceOrAdd(name: "Content-Length", value: String(body.count))
        }
        var request: [UInt8] = []
        HTTP1RequestEncoder.encodeHead(
            HTTP1RequestHead(method: method, target: url.basePath + path, headers: fields), into: &request)
        request += body
        client.timer = loop.scheduleTimer(after: configuration.timeout) { client.finish(.failure(.timedOut)) }
        TCPConnection.connect(to: url.address, on: loop, timeout: configuration.timeout) { result in
            switch result {
            case .success(let connection):
                guard client.completion != nil else {
                    connection.close()
                    return
                }
                client.tcp = connection
                connection.handler = client
                connection.write(request)
            case .failure(let error):
                client.finish(.failure(.connect("\(url): \(error)")))
            }
        }
    }

    /// Sends one request and waits for the answer, on a private one-loop group. For the CLI;
    /// never call it on an event loop.
    public static func perform(
        method: HTTPMethod, url: HTTPClientURL, path: String, headers: HTTPHeaders = [:], body: [UInt8] = [],
        configuration: Configuration = Configuration()
    ) throws(HTTPClientError) -> Response {
        let group: EventLoopGroup
        do {
            group = try EventLoopGroup(loops: 1)
        } catch {
            throw .connect("cannot start an event loop: \(error)")
        }
        defer { group.shutdown() }
        let outcome = Mutex<Result<Response, HTTPClientError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let loop = group.loops[0]
        loop.execute {
            send(
                method: method, url: url, path: path, headers: headers, body: body, on: loop,
                configuration: configuration
            ) { result in
                outcome.withLock { $0 = result }
                done.signal()
            }
        }
        done.wait()
        return try outcome.withLock { $0 ?? .failure(.closedEarly) }.get()
    }

    /// Feeds the response head parser, then buffers the body until its framing says it is whole.
    public func connectionDidRead(_ connection: TCPConnection, _ bytes: UnsafeRawBufferPointer) {
        guard completion != nil else { return }
        if head == nil {
            do {
                guard let (parsed, remainder) = try parser.feed(bytes) else { return }
                head = parsed
                buffer = remainder
            } catch {
                finish(.failure(.protocolError("\(error)")))
                return
            }
        } else {
            buffer.append(contentsOf: bytes)
        }
        if buffer.count > configuration.maxBodyBytes + 64 * 1024 {
            finish(.failure(.bodyTooLarge(limit: configuration.maxBodyBytes)))
            return
        }
        tryComplete(atEOF: false)
    }

    /// The server closed: a close-delimited body is complete; anything else ended early.
    public func connectionDidReadEOF(_ connection: TCPConnection) {
        tryComplete(atEOF: true)
        if completion != nil { finish(.failure(.closedEarly)) }
    }

    /// Reports a close before a complete answer as a failure.
    public func connectionDidClose(_ connection: TCPConnection, error: SystemError?) {
        tcp = nil
        if completion != nil { finish(.failure(error.map { .connect("\($0)") } ?? .closedEarly)) }
    }

    /// Completes the answer if its body is whole.
    private func tryComplete(atEOF: Bool) {
        guard let head else { return }
        let code = head.status.code
        if isHead || code == 204 || code == 304 {
            finish(.success(Response(status: head.status, headers: head.headers, body: [])))
            return
        }
        if head.headers.containsToken("chunked", in: "Transfer-Encoding") {
            do {
                guard let body = try Self.decodeChunked(buffer) else { return }
                finish(.success(Response(status: head.status, headers: head.headers, body: body)))
            } catch {
                finish(.failure(error))
            }
            return
        }
        if let lengthText = head.headers["Content-Length"] {
            guard let length = Int(lengthText), length >= 0 else {
                finish(.failure(.protocolError("invalid Content-Length '\(lengthText)'")))
                return
            }
            guard length <= configuration.maxBodyBytes else {
                finish(.failure(.bodyTooLarge(limit: configuration.maxBodyBytes)))
                return
            }
            if buffer.count >= length {
                finish(
                    .success(
                        Response(
                            status: head.status, headers: head.headers, body: Array(buffer.prefix(length)))))
            }
            return
        }
        if atEOF { finish(.success(Response(status: head.status, headers: head.headers, body: buffer))) }
    }

    /// Decodes a whole chunked body (RFC 9112 §7.1); `nil` while incomplete. Chunk extensions
    /// and trailer fields are read and ignored.
    package static func decodeChunked(_ bytes: [UInt8]) throws(HTTPClientError) -> [UInt8]? {
        var body: [UInt8] = []
        var index = 0
        func line() -> ArraySlice<UInt8>? {
            var scan = index
            while scan + 1 < bytes.count {
                if bytes[scan] == 0x0D && bytes[scan + 1] == 0x0A {
                    let found = bytes[index..<scan]
                    index = scan + 2
                    return found
                }
                scan += 1
            }
            return nil
        }
        while true {
            guard let sizeLine = line() else { return nil }
            let sizeText = sizeLine.prefix { $0 != UInt8(ascii: ";") }
            guard !sizeText.isEmpty, sizeText.count <= 16,
                let size = Int(
                    String(decoding: sizeText, as: UTF8.self).trimmingCharacters(in: " \t"), radix: 16)
            else { throw .protocolError("bad chunk size") }
            if size == 0 {
                while true {
                    guard let trailer = line() else { return nil }
                    if trailer.isEmpty { return body }
                }
            }
            guard bytes.count - index >= size + 2 else { return nil }
            body += bytes[index..<(index + size)]
            index += size
            guard bytes[index] == 0x0D, bytes[index + 1] == 0x0A else {
                throw .protocolError("chunk not followed by CRLF")
            }
            index += 2
        }
    }

    private func finish(_ result: Result<Response, HTTPClientError>) {
        guard let completion else { return }
        self.completion = nil
        if let timer { loop.cancelTimer(timer) }
        timer = nil
        tcp?.close()
        completion(result)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        let trimmed = drop { set.contains($0) }
        return String(trimmed.reversed().drop { set.contains($0) }.reversed())
    }
}
