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
    /// Socket.IO mode: the echo expected back (`42["message-back","…"]`).
    private let expectedEcho: WebSocketMessage
    private var plan: [SocketAddress?] = []  // source address per connection
    /// One connection's bookkeeping, kept together so an echo touches one small record
    /// (with 10,000 connections, separate arrays cost a cache miss each per message).
    private struct Link {
        var client: WebSocketClient?
        var connectStarted: UInt64 = 0
        /// The ring slot (in `sendTimes`) of the oldest message in flight.
        var ringHead = 0
        var outstanding = 0
        /// Socket.IO mode: handshake steps still to come (open packet, CONNECT answer, `auth`).
        var handshakeSteps = 0
    }

    private var links: [Link] = []
    private var sendTimes: [UInt64] = []  // ring per connection, inFlight slots each
    private var totalOutstanding = 0  // the sum of the links' `outstanding`, so finishing needs no scan
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
        if options.socketIO {
            let text = String(repeating: "x", count: options.size)
            message = .text("42[\"message\",\"\(text)\"]")
            expectedEcho = .text("42[\"message-back\",\"\(text)\"]")
        } else {
            message = options.text ? .text(String(decoding: payload, as: UTF8.self)) : .binary(payload)
            expectedEcho = message
        }
    }

    private var now: UInt64 { loop.now().nanoseconds }

    // MARK: Connecting

    /// Opens one connection per entry of `sources` (nil: default source address).
    func connect(sources: [SocketAddress?], then done: @escaping @Sendable () -> Void) {
        plan = sources
        links = Array(repeating: Link(), count: sources.count)
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
        links[index].connectStarted = now
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
        links[index].client = client
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
        for index in links.indices {
            guard let client = links[index].client, client.isOpen else { continue }
            for _ in 0..<options.inFlight where canSend(at: now) { send(on: index, client: client, at: now) }
        }
        finishIfQuiet()
    }

    /// Whether another message may go out at `time` (loop-clock nanoseconds).
    private func canSend(at time: UInt64) -> Bool {
        phase == .measuring && budget > 0 && time < deadline.nanoseconds
    }

    /// Sends the next message on connection `index` through `client`, stamped `time` (the
    /// caller's clock reading, shared with the receive it answers: one clock read per round trip).
    private func send(on index: Int, client: WebSocketClient, at time: UInt64) {
        budget -= 1
        let slot = (links[index].ringHead + links[index].outstanding) % options.inFlight
        sendTimes[index * options.inFlight + slot] = time
        links[index].outstanding += 1
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
        if ended == links.count {
            finish()
            return
        }
        for link in links { link.client?.close() }
        loop.scheduleTimer(after: .seconds(5)) { [self] in
            // Peers that did not answer the close handshake: drop them.
            for link in links { link.client?.abort() }
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
        if options.socketIO {
            // Connected once the Engine.IO open packet, the CONNECT answer and `auth` are in.
            links[client.tag].handshakeSteps = 3
            return
        }
        connected(client)
    }

    private func connected(_ client: WebSocketClient) {
        connectTimes.record(now - links[client.tag].connectStarted)
        openConnections += 1
        counters.connected.add(1, ordering: .relaxed)
        connectResolved()
    }

    func webSocketClient(_ client: WebSocketClient, didReceive message: WebSocketMessage) {
        let index = client.tag
        let at = now
        if options.socketIO, case .text(let text) = message {
            if text == "2" {
                client.send(.text("3"))  // Engine.IO heartbeat
                return
            }
            if links[index].handshakeSteps > 0 {
                links[index].handshakeSteps -= 1
                // The CONNECT answer and `auth` may come in either order (a server may emit from
                // its connect handler before it answers).
                let step = links[index].handshakeSteps
                let expected =
                    step == 2 ? text.hasPrefix("0{") : text.hasPrefix("40{") || text.hasPrefix("42[\"auth\"")
                if !expected {
                    recordError("unexpected Socket.IO handshake frame on connection \(index): \(text.prefix(40))")
                    client.close()
                } else if step == 2 {
                    client.send(.text("40"))
                } else if step == 0 {
                    connected(client)
                }
                return
            }
        }
        guard links[index].outstanding > 0 else {
            recordError("unsolicited message on connection \(index)")
            return
        }
        let head = links[index].ringHead
        let sentAt = sendTimes[index * options.inFlight + head]
        links[index].ringHead = (head + 1) % options.inFlight
        links[index].outstanding -= 1
        totalOutstanding -= 1
        roundTrips.record(at - sentAt)
        receivedCount += 1
        lastReceive = at
        counters.received.add(1, ordering: .relaxed)
        if message != expectedEcho { recordError("echo differs from what was sent on connection \(index)") }
        if canSend(at: at) {
            send(on: index, client: client, at: at)
        } else {
            finishIfQuiet()
        }
    }

    func webSocketClient(
        _ client: WebSocketClient, didEnd closure: WebSocketClosure?, failure: WebSocketClientError?
    ) {
        let index = client.tag
        ended += 1
        links[index].client = nil
        if let failure {
            recordError("\(failure)")
            connectResolved()
        } else {
            openConnections -= 1
            if phase != .closing, phase != .done {
                recordError(
                    "connection \(index) closed during the run: \(closure.map { "\($0.code) \($0.reason)" } ?? "")"
                )
                totalOutstanding -= links[index].outstanding
                links[index].outstanding = 0
            }
        }
        if phase == .measuring { finishIfQuiet() }
        if phase == .closing, ended == links.count { finish() }
    }
}
