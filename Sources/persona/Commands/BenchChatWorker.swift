import ChatProtocol
import HTTPServer
import Reactor
import Synchronization
import WebSocket

/// Counters the progress line reads while `persona bench chat` runs.
final class BenchChatCounters: Sendable {
    let sessions = Atomic<Int>(0)
    let replies = Atomic<Int>(0)
    let tokens = Atomic<Int>(0)
    let errors = Atomic<Int>(0)
}

/// The sessions of `persona bench chat` that live on one loop, one connection each: connects
/// (a bounded number at a time), starts a session on each, then sends messages at the asked
/// rate, timing the first token and the whole reply. Loop-confined.
final class BenchChatWorker: WebSocketClientDelegate {
    /// One connection's session.
    struct Slot {
        var client: WebSocketClient?
        var source: SocketAddress?
        var session: String?
        var human = false
        var random = false
        var resolved = false
        var closed = false
        var sentAt: UInt64 = 0
        var nextSend: UInt64 = 0
        var awaiting = false
        var firstToken = false
        var timer: TimerID?
    }

    enum Phase { case idle, connecting, ready, measuring, finishing, closing, done }

    let loop: EventLoop
    let options: BenchChatOptions
    let counters: BenchChatCounters
    private var slots: [Slot] = []
    private var phase = Phase.idle
    private var nextToConnect = 0
    private var inFlight = 0
    private var resolvedCount = 0
    private var endedCount = 0
    private var deadline: UInt64 = .max
    private var budget = Int.max
    private var interval: UInt64 = 0
    private var random = SplitMix(seed: 0x5EED)
    private var onReady: (@Sendable () -> Void)?
    private var onFinished: (@Sendable () -> Void)?
    private var graceTimer: TimerID?
    private static let tokenPrefix = Array(#"{"type":"token""#.utf8)

    private(set) var firstToken = BenchLatencyHistogram()
    private(set) var fullReply = BenchLatencyHistogram()
    private(set) var sessionStart = BenchLatencyHistogram()
    private(set) var errorsByCode: [String: Int] = [:]
    private(set) var sent = 0
    private(set) var replies = 0
    private(set) var tokens = 0
    private(set) var relayed = 0
    private(set) var sessionsStarted = 0
    private(set) var humanSessions = 0
    private(set) var connectionsOpened = 0
    private(set) var measureStart: UInt64 = 0
    private(set) var lastReply: UInt64 = 0

    init(loop: EventLoop, options: BenchChatOptions, counters: BenchChatCounters) {
        self.loop = loop
        self.options = options
        self.counters = counters
        interval = options.rate > 0 ? UInt64(1e9 / options.rate) : 0
        random = SplitMix(seed: 0x5EED &+ UInt64(loop.index))
    }

    private var now: UInt64 { loop.now().nanoseconds }

    private func error(_ code: String) {
        errorsByCode[code, default: 0] += 1
        counters.errors.add(1, ordering: .relaxed)
    }

    // MARK: Connect and start

    /// Opens one session per entry of `sources`, then calls `done`.
    func connect(sources: [SocketAddress?], firstIndex: Int, then done: @escaping @Sendable () -> Void) {
        slots = sources.enumerated().map { offset, source in
            var slot = Slot(source: source)
            switch options.mode {
            case .direct: slot.random = false
            case .random: slot.random = true
            case .mix: slot.random = (firstIndex + offset) % 2 == 1
            }
            return slot
        }
        onReady = done
        phase = .connecting
        pumpConnects()
        checkReady()
    }

    private func pumpConnects() {
        while inFlight < options.connectConcurrency, nextToConnect < slots.count {
            let index = nextToConnect
            nextToConnect += 1
            inFlight += 1
            slots[index].sentAt = now
            let client = WebSocketClient(
                to: options.address, host: options.host, path: options.path, from: slots[index].source,
                on: loop,
                delegate: self)
            client.tag = index
            slots[index].client = client
        }
    }

    private func resolve(_ index: Int) {
        guard !slots[index].resolved else { return }
        slots[index].resolved = true
        resolvedCount += 1
        inFlight -= 1
        if phase == .connecting { pumpConnects() }
        checkReady()
    }

    private func checkReady() {
        guard phase == .connecting, resolvedCount == slots.count else { return }
        phase = .ready
        onReady?()
        onReady = nil
    }

    // MARK: Measure

    /// Sends until `deadline` (loop nanoseconds) or `budget` messages, then waits (5 s at most)
    /// for replies in flight and calls `done`.
    func measure(until deadline: UInt64, budget: Int, then done: @escaping @Sendable () -> Void) {
        self.deadline = deadline
        self.budget = budget
        onFinished = done
        phase = .measuring
        measureStart = now
        if deadline != .max {
            _ = loop.scheduleTimer(at: MonotonicInstant(nanoseconds: deadline)) { [weak self] in
                self?.checkFinished()
            }
        }
        for index in slots.indices where slots[index].session != nil && !slots[index].closed {
            // Spread the first sends over one interval so sessions do not fire in lockstep.
            let offset = interval > 0 ? random.next() % interval : 0
            schedule(index, at: measureStart + offset)
        }
        checkFinished()
    }

    private func schedule(_ index: Int, at instant: UInt64) {
        slots[index].nextSend = instant
        if instant <= now {
            send(index)
            return
        }
        slots[index].timer = loop.scheduleTimer(at: MonotonicInstant(nanoseconds: instant)) { [weak self] in
            guard let self else { return }
            slots[index].timer = nil
            send(index)
        }
    }

    private func send(_ index: Int) {
        guard phase == .measuring, let session = slots[index].session, !slots[index].closed,
            !slots[index].awaiting
        else { return checkFinished() }
        guard now < deadline, budget > 0 else { return checkFinished() }
        budget -= 1
        sent += 1
        slots[index].awaiting = true
        slots[index].firstToken = false
        slots[index].sentAt = now
        let message = ClientMessage.message(session: session, text: options.text, id: "m\(sent)")
        slots[index].client?.send(.text(message.encodedText))
    }

    private func turnDone(_ index: Int) {
        slots[index].awaiting = false
        guard phase == .measuring else { return checkFinished() }
        let next = max(now, slots[index].sentAt + interval)
        if next < deadline, budget > 0 {
            schedule(index, at: next)
        } else {
            checkFinished()
        }
    }

    private func checkFinished() {
        guard phase == .measuring || phase == .finishing else { return }
        let quiet = now >= deadline || budget == 0
        guard quiet else { return }
        if phase == .measuring {
            phase = .finishing
            // Replies in flight get 5 s; then we stop waiting.
            graceTimer = loop.scheduleTimer(after: .seconds(5)) { [weak self] in self?.finish() }
        }
        if !slots.contains(where: { $0.awaiting && !$0.closed }) { finish() }
    }

    private func finish() {
        guard phase == .finishing else { return }
        phase = .ready
        if let graceTimer { _ = loop.cancelTimer(graceTimer) }
        graceTimer = nil
        for index in slots.indices where slots[index].awaiting && !slots[index].closed {
            error("no_reply_in_time")
        }
        onFinished?()
        onFinished = nil
    }

    /// Closes every connection (1000) and calls `done` once all are gone (5 s at most).
    func closeAll(then done: @escaping @Sendable () -> Void) {
        phase = .closing
        onFinished = done
        for index in slots.indices {
            if let timer = slots[index].timer { _ = loop.cancelTimer(timer) }
            if slots[index].closed { continue }
            slots[index].client?.close()
        }
        graceTimer = loop.scheduleTimer(after: .seconds(5)) { [weak self] in
            guard let self else { return }
            for index in slots.indices where !slots[index].closed { slots[index].client?.abort() }
            closedAll()
        }
        if endedCount == slots.count { closedAll() }
    }

    private func closedAll() {
        guard phase == .closing else { return }
        phase = .done
        if let graceTimer { _ = loop.cancelTimer(graceTimer) }
        onFinished?()
        onFinished = nil
    }

    // MARK: Frames

    func webSocketClientDidConnect(_ client: WebSocketClient) {
        connectionsOpened += 1
    }

    func webSocketClient(_ client: WebSocketClient, didReceive message: WebSocketMessage) {
        let index = client.tag
        guard case .text(let text) = message else { return error("binary_frame") }
        if text.utf8.starts(with: Self.tokenPrefix) {
            tokens += 1
            counters.tokens.add(1, ordering: .relaxed)
            if !slots[index].firstToken, slots[index].awaiting {
                slots[index].firstToken = true
                firstToken.record(now - slots[index].sentAt)
            }
            return
        }
        guard let frame = try? ServerMessage(decoding: text) else { return error("undecodable_frame") }
        switch frame {
        case .welcome:
            let start: StartRequest =
                slots[index].random
                ? StartRequest(mode: .random(RandomFilters()))
                : StartRequest(mode: .direct(personality: options.personality))
            client.send(.text(ClientMessage.start(start).encodedText))
        case .sessionStarted(let started):
            slots[index].session = started.session
            slots[index].human = started.kind == .human
            sessionsStarted += 1
            if started.kind == .human { humanSessions += 1 }
            sessionStart.record(now - slots[index].sentAt)
            counters.sessions.add(1, ordering: .relaxed)
            resolve(index)
        case .replyEnd:
            replies += 1
            lastReply = now
            counters.replies.add(1, ordering: .relaxed)
            fullReply.record(now - slots[index].sentAt)
            turnDone(index)
        case .ack:
            // A human pair: the ack is the whole turn (the partner gets partner_message).
            if slots[index].human { turnDone(index) }
        case .partnerMessage:
            relayed += 1
        case .error(let report):
            error(report.code.rawValue)
            if slots[index].session == nil {
                resolve(index)
            } else if report.ref != nil {
                turnDone(index)
            }
        case .sessionEnded(_, let reason, _):
            if phase != .closing {
                error("ended_\(reason.rawValue)")
                slots[index].session = nil
                slots[index].awaiting = false
                resolve(index)
                checkFinished()
            }
        case .matching, .replyStart, .token, .partnerTyping, .pong, .sessionResumed, .sessionDetached:
            break
        }
    }

    func webSocketClient(
        _ client: WebSocketClient, didEnd closure: WebSocketClosure?, failure: WebSocketClientError?
    ) {
        let index = client.tag
        slots[index].closed = true
        slots[index].awaiting = false
        endedCount += 1
        if phase != .closing {
            if failure != nil {
                error("connect")
            } else {
                error("closed_\(closure.map { "\($0.code)" } ?? "none")")
            }
        }
        resolve(index)
        slots[index].client = nil
        if phase == .closing, endedCount == slots.count { closedAll() }
        checkFinished()
    }
}

/// A small fast generator for spreading first sends (SplitMix64).
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
