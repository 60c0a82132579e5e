import HTTPServer
import Reactor
import Synchronization
import WebSocket

/// Counters every worker bumps and the progress line reads.
final class BenchCounters: Sendable {
    let connected = Atomic<Int>(0)
    let received = Atomic<Int>(0)
    let errors = Atomic<Int>(0)
}

/// The connections of `persona bench echo` that live on one loop: opens them (a bounded number
/// of connects at a time), keeps `inFlight` messages outstanding on each, records round trips,
/// and closes them at the end. Loop-confined.
final class BenchEchoWorker: WebSocketClientDelegate {
    enum Phase { case idle, connecting, connected, measuring, closing, done }

    let loop: EventLoop
    let options: BenchEchoOptions
    let counters: BenchCounters
    private let message: WebSocketMessage
    private let payload: [UInt8]
    private var plan: [SocketAddress?] = []  // source address per connection
    private var clients: [WebSocketClient?] = []
    private var connectStarted: [UInt64] = []
    private var sendTimes: [UInt64] = []  // ring per connection, inFlight slots each
    private var ringHead: [Int] = []
    private var outstanding: [Int] = []
    private var totalOutstanding = 0  // the sum of `outstanding`, so finishing needs no scan
    private var nextToConnect = 0
    private var connectsInFlight = 0
    private var resolved = 0
    private var ended = 0
    private var phase = Phase.idle
    private var deadline = MonotonicInstant(nanoseconds: .max)
    private var budget = Int.max

    private(set) var roundTrips = BenchLatencyHistogram()
    private(set) var connectTimes = BenchLatencyHistogram()
    private(set) var errorSamples: [String] = []
    private(set) var errorCount = 0
    private(set) var receivedCount = 0
    private(set) var lastReceive: UInt64 = 0
    private(set) var openConnections = 0

    private var onConnected: (@Sendable () -> Void)?
    private var onFinished: (@Sendable () -> Void)?

    init(loop: EventLoop, options: BenchEchoOptions, counters: BenchCounters) {
        self.loop = loop
        self.options = options
        self.counters = counters
        let byte = options.text ? UInt8(ascii: "x") : 0xA5
        payload = (0..<options.size).map { options.text ? byte : UInt8(truncatingIfNeeded: $0 &* 7) ^ byte }
        message = options.text ? .text(String(decoding: payload, as: UTF8.self)) : .binary(payload)
    }

    private var now: UInt64 { loop.now().nanoseconds }

    // MARK: Connecting

    /// Opens one connection per entry of `sources` (nil: default source address).
    func connect(sources: [SocketAddress?], then done: @escaping @Sendable () -> Void) {
        plan = sources
        clients = Array(repeating: nil, count: sources.count)
        connectStarted = Array(repeating: 0, count: sources.count)
        ringHead = Array(repeating: 0, count: sources.count)
        outstanding = Array(repeating: 0, count: sources.count)
        sendTimes = Array(repeating: 0, count: sources.count * options.inFlight)
        onConnected = done
        phase = .connecting
        if plan.isEmpty {
            phase = .connected
            done()
            return
        }
        while connectsInFlight < options.connectConcurrency, nextToConnect < plan.count { startNextConnect() }
    }

    private func startNextConnect() {
        let index = nextToConnect
        nextToConnect += 1
        connectsInFlight += 1
        connectStarted[index] = now
        var configuration = WebSocketConnection.Configuration()
        configuration.frameLimits = .init(
            maxFrameSize: max(1 << 20, options.size + 1024), maxMessageSize: max(1 << 20, options.size + 1024)
        )
        configuration.pingInterval = nil
        configuration.idleTimeout = nil
        let client = WebSocketClient(
            to: options.address, host: options.host, path: options.path, from: plan[index], on: loop,
            configuration: configuration, delegate: self)
        client.tag = index
        clients[index] = client
    }

    private func connectResolved() {
        connectsInFlight -= 1
        resolved += 1
        if nextToConnect < plan.count, phase == .connecting {
            startNextConnect()
        } else if resolved == plan.count, phase == .connecting {
            phase = .connected
            onConnected?()
            onConnected = nil
        }
    }

    // MARK: Measuring

    /// Starts the exchange: each open connection sends `inFlight` messages and answers every
    /// echo with the next, until `deadline` or until `budget` messages have been sent.
    func measure(until deadline: MonotonicInstant, budget: Int, then done: @escaping @Sendable () -> Void) {
        self.deadline = deadline
        self.budget = budget
        onFinished = done
        phase = .measuring
        for index in clients.indices where clients[index]?.isOpen == true {
            for _ in 0..<options.inFlight where canSend(at: now) { send(on: index, at: now) }
        }
        finishIfQuiet()
    }

    /// Whether another message may go out at `time` (loop-clock nanoseconds).
    private func canSend(at time: UInt64) -> Bool {
        phase == .measuring && budget > 0 && time < deadline.nanoseconds
    }

    /// Sends the next message on connection `index`, stamped `time` (the caller's clock
    /// reading, shared with the receive it answers: one clock read per round trip).
    private func send(on index: Int, at time: UInt64) {
        guard let client = clients[index] else { return }
        budget -= 1
        let slot = (ringHead[index] + outstanding[index]) % options.inFlight
        sendTimes[index * options.inFlight + slot] = time
        outstanding[index] += 1
        totalOutstanding += 1
        client.send(message)
    }

    private func finishIfQuiet() {
        guard phase == .measuring, !canSend(at: now) || openConnections == 0 else { return }
        guard totalOutstanding == 0 else { return }
        closeAll()
    }

    /// Closes everything without measuring (the connect phase ran out of time).
    func stop(then done: @escaping @Sendable () -> Void) {
        onFinished = done
        closeAll()
    }

    /// Stops sending and closes every connection (also the hard-deadline path).
    func closeAll() {
        guard phase != .closing, phase != .done else { return }
        phase = .closing
        if ended == clients.count {
            finish()
            return
        }
        for client in clients { client?.close() }
        loop.scheduleTimer(after: .seconds(5)) { [self] in
            // Peers that did not answer the close handshake: drop them.
            for client in clients { client?.abort() }
        }
    }

    private func finish() {
        guard phase != .done else { return }
        phase = .done
        onFinished?()
        onFinished = nil
    }

    private func recordError(_ text: String) {
        errorCount += 1
        counters.errors.add(1, ordering: .relaxed)
        if errorSamples.count < 5 { errorSamples.append(text) }
    }

    // MARK: WebSocketClientDelegate

    func webSocketClientDidConnect(_ client: WebSocketClient) {
        connectTimes.record(now - connectStarted[client.tag])
        openConnections += 1
        counters.connected.add(1, ordering: .relaxed)
        connectResolved()
    }

    func webSocketClient(_ client: WebSocketClient, didReceive message: WebSocketMessage) {
        let index = client.tag
        let at = now
        guard outstanding[index] > 0 else {
            recordError("unsolicited message on connection \(index)")
            return
        }
        let sentAt = sendTimes[index * options.inFlight + ringHead[index]]
        ringHead[index] = (ringHead[index] + 1) % options.inFlight
        outstanding[index] -= 1
        totalOutstanding -= 1
        roundTrips.record(at - sentAt)
        receivedCount += 1
        lastReceive = at
        counters.received.add(1, ordering: .relaxed)
        if message != self.message { recordError("echo differs from what was sent on connection \(index)") }
        if canSend(at: at) {
            send(on: index, at: at)
        } else {
            finishIfQuiet()
        }
    }

    func webSocketClient(
        _ client: WebSocketClient, didEnd closure: WebSocketClosure?, failure: WebSocketClientError?
    ) {
        let index = client.tag
        ended += 1
        clients[index] = nil
        if let failure {
            recordError("\(failure)")
            connectResolved()
        } else {
            openConnections -= 1
            if phase != .closing, phase != .done {
                recordError(
                    "connection \(index) closed during the run: \(closure.map { "\($0.code) \($0.reason)" } ?? "")"
                )
                totalOutstanding -= outstanding[index]
                outstanding[index] = 0
            }
        }
        if phase == .measuring { finishIfQuiet() }
        if phase == .closing, ended == clients.count { finish() }
    }
}
