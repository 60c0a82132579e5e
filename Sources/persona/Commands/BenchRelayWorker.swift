import ChatProtocol
import HTTPServer
import Reactor
import WebSocket

/// One phase of `persona bench relay` on one loop: `pairs` clients wait on the first node,
/// `pairs` more start on the second node (or the first again) and each takes one of them, then
/// every pair ping-pongs messages whose text is the send instant, so the receiver measures the
/// relay latency on the same clock. Loop-confined.
final class BenchRelayWorker: WebSocketClientDelegate {
    struct Slot {
        var client: WebSocketClient?
        var session: String?
        var waiting = false
        var closed = false
    }

    let loop: EventLoop
    let pairs: Int
    let waitingSide: WebSocketTarget
    let claimingSide: WebSocketTarget
    private var slots: [Slot] = []
    private var waitingCount = 0
    private var startedCount = 0
    private var endedCount = 0
    private var onStep: (() -> Void)?
    private var measuring = false
    private var deadline: UInt64 = .max
    private var sent = 0
    private var rate = 0.0
    private var toOpen: [Int] = []
    private var opening = 0
    static let connectConcurrency = 128
    private let nonce = UInt32.random(in: 0...UInt32.max)
    private(set) var latency = BenchLatencyHistogram()
    private(set) var received = 0
    private(set) var errors: [String: Int] = [:]
    private(set) var claimStarted: UInt64 = 0
    private(set) var lastStarted: UInt64 = 0

    init(loop: EventLoop, pairs: Int, waitingSide: WebSocketTarget, claimingSide: WebSocketTarget) {
        self.loop = loop
        self.pairs = pairs
        self.waitingSide = waitingSide
        self.claimingSide = claimingSide
    }

    private var now: UInt64 { loop.now().nanoseconds }

    /// Where the phase stands, for a failure message.
    var progress: String {
        "\(waitingCount) waiting, \(startedCount) of \(2 * pairs) started, \(endedCount) closed, errors \(errors.sorted { $0.key < $1.key })"
    }

    /// Opens the waiting side and calls `done` once every client is `matching`.
    func openWaiting(then done: @escaping () -> Void) {
        onStep = done
        slots = Array(repeating: Slot(), count: 2 * pairs)
        toOpen = Array((0..<pairs).reversed())
        pump()
    }

    /// Opens the claiming side and calls `done` once all `2 × pairs` sessions started.
    func openClaiming(then done: @escaping () -> Void) {
        onStep = done
        claimStarted = now
        toOpen = Array((pairs..<(2 * pairs)).reversed())
        pump()
    }

    /// Opens clients while fewer than ``connectConcurrency`` handshakes are in flight (a
    /// thousand SYNs at once would overflow the listen backlog and stall on retransmits).
    private func pump() {
        while opening < Self.connectConcurrency, let index = toOpen.popLast() {
            opening += 1
            open(index, index < pairs ? waitingSide : claimingSide)
        }
    }

    private func opened() {
        opening -= 1
        pump()
    }

    private func open(_ index: Int, _ target: WebSocketTarget) {
        let client = WebSocketClient(to: target.address, host: target.host, path: target.path, on: loop, delegate: self)
        client.tag = index
        slots[index].client = client
    }

    /// Every waiting-side client sends its first message; each received one is answered at
    /// once, until `deadline`; `done` runs at the deadline.
    /// With `rate` > 0, every client sends `rate` messages per second instead (open loop, no
    /// answers), first sends spread over one interval.
    func measure(until deadline: UInt64, rate: Double = 0, then done: @escaping () -> Void) {
        self.deadline = deadline
        self.rate = rate
        measuring = true
        if rate > 0 {
            let interval = UInt64(1e9 / rate)
            for index in slots.indices {
                let offset = interval * UInt64(index) / UInt64(slots.count)
                _ = loop.scheduleTimer(after: .nanoseconds(Int64(offset))) { [self] in tick(index, every: interval) }
            }
        } else {
            for index in 0..<pairs { send(index) }
        }
        _ = loop.scheduleTimer(at: MonotonicInstant(nanoseconds: deadline)) { [self] in
            measuring = false
            done()
        }
    }

    /// Closes everything; `done` once all are gone (5 s at most).
    func closeAll(then done: @escaping () -> Void) {
        onStep = done
        for slot in slots where !slot.closed { slot.client?.close() }
        _ = loop.scheduleTimer(after: .seconds(5)) { [self] in
            for slot in slots where !slot.closed { slot.client?.abort() }
            step()
        }
        if endedCount == slots.count { step() }
    }

    private func step() {
        let callback = onStep
        onStep = nil
        callback?()
    }

    private func tick(_ index: Int, every interval: UInt64) {
        guard measuring, now < deadline else { return }
        send(index)
        _ = loop.scheduleTimer(after: .nanoseconds(Int64(interval))) { [self] in tick(index, every: interval) }
    }

    private func send(_ index: Int) {
        guard measuring, now < deadline, let session = slots[index].session, !slots[index].closed else { return }
        sent += 1
        let message = ClientMessage.message(session: session, text: Self.stamp(now), id: "r\(sent)")
        slots[index].client?.send(.text(message.encodedText))
    }

    /// The send instant as a message text the inbound PII scrubber leaves as it is: each
    /// decimal digit as a letter (`a` for 0 … `j` for 9). As digits, an instant such as
    /// 50846821274425 (14 digits, Maestro's `50`, Luhn-valid) reads as a card number and
    /// arrives as `[CREDIT_CARD]` — about one in ten, which stopped a ping-pong pair for good
    /// and dropped that share of the open-loop samples.
    static func stamp(_ instant: UInt64) -> String {
        String(String(instant).unicodeScalars.map { Character(Unicode.Scalar($0.value - 48 + 97)!) })
    }

    /// The instant of a ``stamp(_:)`` (nil for any other text).
    static func instant(_ text: String) -> UInt64? {
        var value: UInt64 = 0
        for scalar in text.unicodeScalars {
            guard (97...106).contains(scalar.value) else { return nil }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = shifted.addingReportingOverflow(UInt64(scalar.value - 97))
            guard !overflow, !carry else { return nil }
            value = sum
        }
        return text.isEmpty ? nil : value
    }

    func webSocketClientDidConnect(_ client: WebSocketClient) {}

    func webSocketClient(_ client: WebSocketClient, didReceive message: WebSocketMessage) {
        let index = client.tag
        guard case .text(let text) = message, let frame = try? ServerMessage(decoding: text) else {
            errors["undecodable", default: 0] += 1
            return
        }
        switch frame {
        case .welcome:
            opened()
            // Pair i has a tenant of its own (so its own queue list): the waiting side never
            // pairs with itself and claimer i finds waiting client i at once. The run's nonce
            // keeps a ticket an earlier phase left behind out of this one.
            let filters = RandomFilters(tenant: "bench-\(nonce)-\(index % pairs)")
            client.send(.text(ClientMessage.start(StartRequest(mode: .random(filters))).encodedText))
        case .matching:
            slots[index].waiting = true
            waitingCount += 1
            if waitingCount == pairs { step() }
        case .sessionStarted(let started):
            guard started.kind == .human else {
                errors["bot_fallback", default: 0] += 1
                return
            }
            slots[index].session = started.session
            startedCount += 1
            lastStarted = now
            if startedCount == 2 * pairs { step() }
        case .partnerMessage(_, _, let body):
            guard measuring, let sentAt = Self.instant(body) else {
                if measuring { errors["unreadable_relay", default: 0] += 1 }
                return
            }
            let arrived = now
            if arrived < deadline {
                received += 1
                latency.record(arrived - sentAt)
            }
            if rate == 0 { send(index) }
        case .error(let report):
            errors[report.code.rawValue, default: 0] += 1
        case .sessionEnded(_, let reason, _):
            if measuring { errors["ended_\(reason.rawValue)", default: 0] += 1 }
        default:
            break
        }
    }

    func webSocketClient(_ client: WebSocketClient, didEnd closure: WebSocketClosure?, failure: WebSocketClientError?) {
        let index = client.tag
        slots[index].closed = true
        endedCount += 1
        if failure != nil {
            errors["connect", default: 0] += 1
            opened()
        }
        if endedCount == slots.count { step() }
    }
}
