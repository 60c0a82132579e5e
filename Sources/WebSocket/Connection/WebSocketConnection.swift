import Reactor

/// The protocol state machine of one WebSocket connection (RFC 6455 §5.4–§5.5, §7): a value
/// type whose methods take bytes, messages or the current time and return `WebSocketAction`s
/// for the transport to carry out. It owns a `WebSocketFrameParser` and never does I/O;
/// time is the loop clock's `MonotonicInstant`, passed in, so tests move it by hand. (The type
/// is concrete on purpose: a machine generic over its instant is not specialized across the
/// module boundary, and the unspecialized code cost the echo path a fifth of its user time.)
///
/// Rules enforced here:
/// - Reassembly (§5.4): control frames may interleave with a fragmented message; a
///   continuation without a message, or a new text/binary frame during one, fails with 1002.
/// - Text is validated incrementally (§8.1): the first invalid byte fails the connection with
///   1007 as soon as it has been received — across fragment boundaries, and even inside a
///   frame whose remaining payload has not arrived yet.
/// - Ping is answered with a pong echoing its payload (§5.5.2); pongs are ignored (§5.5.3).
/// - Close (§5.5.1, §7.4): a received close is validated (no 1-byte payload, a code valid on
///   the wire, a UTF-8 reason), answered by echoing the code, then the transport is closed.
///   After sending our close we discard data until the peer's close or `closeTimeout`.
/// - Heartbeat: a ping after `pingInterval` of silence; close after `idleTimeout` of silence.
/// - Slow readers: see `Configuration.maxOutboundBufferedBytes`.
///
/// In client mode the transport is closed as soon as the close handshake completes, instead of
/// waiting for the server to close first (§7.1.1 prefers the latter; the only cost is a
/// TIME_WAIT socket on the client).
public struct WebSocketConnection: Sendable {
    /// A point in time on the event loop's monotonic clock.
    public typealias Instant = MonotonicInstant

    /// Where the connection is in its lifetime.
    enum State: Sendable {
        /// Messages flow both ways.
        case open
        /// We sent close (with this code and reason) and wait for the peer's until `deadline`.
        case closing(deadline: Instant, code: WebSocketCloseCode, reason: String)
        /// Finished; nothing more is accepted.
        case closed(WebSocketClosure)
    }

    /// A fragmented message in progress.
    struct Fragment: Sendable {
        var opcode: WebSocketOpcode
        var payload: [UInt8]
    }

    // Declared in the order a message touches them, so the hot part of a transport object
    // that embeds the machine spans as few cache lines as possible.

    /// Our role.
    public let role: WebSocketRole
    private var state: State = .open
    private var parser: WebSocketFrameParser
    private var lastReceived: Instant
    private var fragment: Fragment?
    /// Payload bytes of the text frame still arriving that `validator` has already seen.
    private var validatedInFrame = 0
    private var validator = UTF8Validator()
    private var maskingKeys: (any RandomNumberGenerator & Sendable)?
    /// Limits and timers.
    public let configuration: Configuration
    private var lastPing: Instant?
    private var pingCounter: UInt64 = 0
    /// The shared budget large inbound messages are charged to (server side), if any.
    private let memoryBudget: WebSocketMemoryBudget?
    /// Bytes charged for the message still arriving.
    private var chargedInProgress = 0
    /// Bytes charged for delivered messages whose answers may still be queued.
    private var chargedDelivered = 0
    /// A last message sent before the close frame when the connection is failed, so an
    /// application protocol can say why in its own words (the chat endpoint sends its
    /// `message_too_large` error before 1009).
    private let failureNotice: (@Sendable (WebSocketProtocolError) -> WebSocketMessage?)?

    private init(
        role: WebSocketRole, configuration: Configuration,
        maskingKeys: (any RandomNumberGenerator & Sendable)?, now: Instant,
        memoryBudget: WebSocketMemoryBudget? = nil,
        failureNotice: (@Sendable (WebSocketProtocolError) -> WebSocketMessage?)? = nil
    ) {
        self.role = role
        self.configuration = configuration
        self.parser = WebSocketFrameParser(role: role, configuration: configuration.frameLimits)
        self.maskingKeys = maskingKeys
        self.lastReceived = now
        self.memoryBudget = memoryBudget
        self.failureNotice = failureNotice
    }

    /// A server-side connection, open from `now` (the moment the 101 response was written).
    /// Large inbound messages are charged to `memoryBudget` (see ``WebSocketMemoryBudget``);
    /// `failureNotice` may give a last message to send before a failure's close frame.
    public static func server(
        configuration: Configuration = .init(), memoryBudget: WebSocketMemoryBudget? = nil,
        failureNotice: (@Sendable (WebSocketProtocolError) -> WebSocketMessage?)? = nil, now: Instant
    ) -> Self {
        Self(
            role: .server, configuration: configuration, maskingKeys: nil, now: now, memoryBudget: memoryBudget,
            failureNotice: failureNotice)
    }

    /// Bytes this connection has charged to its memory budget.
    public var chargedMemory: Int { chargedInProgress + chargedDelivered }

    /// The application has handled the messages delivered so far, and `queuedBytes` are waiting
    /// to be sent: their charge shrinks to what is still queued (a handler's answer), so the
    /// budget keeps counting an echo until it has left, and nothing once it has.
    public mutating func deliveredMessagesHandled(queuedBytes: Int) {
        guard chargedDelivered > 0 else { return }
        let keep = min(chargedDelivered, max(0, queuedBytes))
        memoryBudget?.release(chargedDelivered - keep)
        chargedDelivered = keep
    }

    /// The transport has sent everything queued: what delivered messages charged is returned.
    public mutating func releaseDeliveredMemory() {
        deliveredMessagesHandled(queuedBytes: 0)
    }

    /// The transport closed: everything this connection charged is returned.
    public mutating func releaseAllMemory() {
        memoryBudget?.release(chargedInProgress + chargedDelivered)
        chargedInProgress = 0
        chargedDelivered = 0
    }

    /// Charges the message in progress, now known to reach `messageBytes`, when it is large:
    /// twice its size — once for the message as it is buffered, once for the answer a handler
    /// may build from it while the message is still held (an echo holds both for a moment).
    /// False, charging nothing more, when the budget cannot take it.
    private mutating func charge(messageBytes: Int) -> Bool {
        guard let budget = memoryBudget, messageBytes >= budget.threshold else { return true }
        let needed = 2 * messageBytes
        guard needed > chargedInProgress else { return true }
        guard budget.reserve(needed - chargedInProgress) else { return false }
        chargedInProgress = needed
        return true
    }

    /// A client-side connection whose frames are masked with keys drawn from `maskingKeys`
    /// (RFC 6455 §5.3 wants them unpredictable: pass `SystemRandomNumberGenerator()` in
    /// production, a seeded generator in tests).
    public static func client(
        configuration: Configuration = .init(), maskingKeys: some RandomNumberGenerator & Sendable,
        now: Instant
    ) -> Self {
        Self(role: .client, configuration: configuration, maskingKeys: maskingKeys, now: now)
    }

    /// Whether messages can still be sent.
    public var isOpen: Bool {
        if case .open = state { return true }
        return false
    }

    /// How the connection ended, once it has.
    public var closure: WebSocketClosure? {
        if case .closed(let closure) = state { return closure }
        return nil
    }

    /// When `tick(now:)` must next be called (ping, idle or close timeout), or nil if no timer
    /// is needed. The transport arms one timer for it.
    public var nextDeadline: Instant? {
        switch state {
        case .closed:
            return nil
        case .closing(let deadline, _, _):
            return deadline
        case .open:
            var deadline: Instant?
            if let idle = configuration.idleTimeout {
                deadline = lastReceived.advanced(by: idle)
            }
            if let interval = configuration.pingInterval {
                let ping = max(lastReceived, lastPing ?? lastReceived).advanced(by: interval)
                deadline = deadline.map { min($0, ping) } ?? ping
            }
            return deadline
        }
    }

    // MARK: - Input

    /// Handles bytes received from the peer, straight from the transport's read buffer. (The
    /// concrete overload is the transport's hot path: the generic one below is not specialized
    /// for callers in other modules.)
    public mutating func receive(_ bytes: UnsafeRawBufferPointer, now: Instant) -> [WebSocketAction] {
        var actions: [WebSocketAction] = []
        receive(bytes, now: now, into: &actions)
        return actions
    }

    /// Handles bytes received from the peer, appending the resulting actions to `actions` —
    /// the transport's hot path, which reuses one array instead of allocating one per read.
    ///
    /// With `sharingText`, a text message that arrives as one frame ending the read (the common
    /// case) is delivered as ``WebSocketAction/deliverText(_:)``: its validated UTF-8 as a slice
    /// of the parser's buffer, with no copy, no allocation and no `String`. Carry the actions
    /// out and drop them before the next call. Every other message is delivered as `.deliver`.
    public mutating func receive(
        _ bytes: UnsafeRawBufferPointer, now: Instant, into actions: inout [WebSocketAction],
        sharingText: Bool = false
    ) {
        if case .closed = state { return }
        lastReceived = now
        parser.append(bytes)
        takeFrames(into: &actions, sharingText: sharingText)
    }

    /// Handles bytes received from the peer (tests and the bytes that arrived with the
    /// handshake; transports use the raw-buffer overloads).
    public mutating func receive(_ bytes: some Collection<UInt8>, now: Instant) -> [WebSocketAction] {
        Array(bytes).withUnsafeBytes { receive($0, now: now) }
    }

    /// Handles every frame the parser holds complete, then checks the one still arriving.
    private mutating func takeFrames(into actions: inout [WebSocketAction], sharingText: Bool = false) {
        while true {
            if case .closed = state { break }
            let frame: WebSocketFrame
            do {
                if sharingText, fragment == nil, case .open = state,
                    let text = try parser.nextFinalTextEndingBuffer()
                {
                    handleSharedText(text, into: &actions)
                    continue
                }
                guard let next = try parser.next() else {
                    // A header announced a frame still arriving: charge it before its payload
                    // is buffered (the parser has at most one read of it so far).
                    if let arriving = parser.arrivingPayloadLength,
                        !charge(messageBytes: (fragment?.payload.count ?? 0) + arriving)
                    {
                        fail(.memoryBudgetExhausted, into: &actions)
                        return
                    }
                    break
                }
                frame = next
            } catch {
                fail(error, into: &actions)
                break
            }
            handle(frame, into: &actions)
        }
        validateArrivingText(into: &actions)
    }

    /// Validates the received part of a text frame that is still arriving (fail fast, §8.1).
    /// Frames that will fail for another reason (a text frame inside a fragmented message, a
    /// continuation without one) are left to that check at completion.
    private mutating func validateArrivingText(into actions: inout [WebSocketAction]) {
        guard case .open = state, let partial = parser.partialFrame() else { return }
        switch (partial.opcode, fragment?.opcode) {
        case (.text, nil), (.continuation, .text?):
            guard partial.received.count > validatedInFrame else { return }
            if partial.opcode == .text && validatedInFrame == 0 { validator.reset() }
            let fresh = partial.received.dropFirst(validatedInFrame)
            validatedInFrame = partial.received.count
            if !validator.consume(fresh) { fail(.invalidUTF8, into: &actions) }
        default:
            return
        }
    }

    /// Feeds a completed text frame's payload to the validator, skipping what it already saw.
    private mutating func validateCompletedText(
        _ payload: some Collection<UInt8>, startsMessage: Bool
    ) -> Bool {
        if startsMessage && validatedInFrame == 0 { validator.reset() }
        let fresh = payload.dropFirst(validatedInFrame)
        validatedInFrame = 0
        return validator.consume(fresh)
    }

    /// Handles the passage of time: sends a heartbeat ping, or closes an idle peer or an
    /// unanswered close. Call at `nextDeadline` (calling early is harmless).
    public mutating func tick(now: Instant) -> [WebSocketAction] {
        switch state {
        case .closed:
            return []
        case .closing(let deadline, let code, let reason):
            guard now >= deadline else { return [] }
            let closure = WebSocketClosure(code: code, reason: reason, cause: .closeTimeout)
            state = .closed(closure)
            return [.closeTransport(closure)]
        case .open:
            var actions: [WebSocketAction] = []
            if let idle = configuration.idleTimeout, now >= lastReceived.advanced(by: idle) {
                // Best effort: a silent peer is probably gone, so we do not wait for its close.
                let reason = "idle timeout"
                actions.append(.write(encodeClose(code: .goingAway, reason: reason)))
                let closure = WebSocketClosure(code: .goingAway, reason: reason, cause: .idleTimeout)
                state = .closed(closure)
                actions.append(.closeTransport(closure))
                return actions
            }
            if let interval = configuration.pingInterval,
                now >= max(lastReceived, lastPing ?? lastReceived).advanced(by: interval)
            {
                lastPing = now
                pingCounter &+= 1
                let payload = withUnsafeBytes(of: pingCounter.bigEndian) { Array($0) }
                actions.append(.write(encode(WebSocketFrame(opcode: .ping, payload: payload))))
            }
            return actions
        }
    }

    /// The transport saw EOF or an error. Returns how the connection ended (1006 unless a
    /// close handshake had already finished).
    @discardableResult
    public mutating func transportClosed() -> WebSocketClosure {
        if case .closed(let closure) = state { return closure }
        let closure = WebSocketClosure(code: .abnormalClosure, reason: "", cause: .transportClosed)
        state = .closed(closure)
        return closure
    }

    /// The transport reports how many bytes it holds unsent. Above
    /// `maxOutboundBufferedBytes` the connection is closed with 1008 and the backlog dropped.
    public mutating func outboundBufferedBytesChanged(_ count: Int, now: Instant) -> [WebSocketAction] {
        guard count > configuration.maxOutboundBufferedBytes else { return [] }
        if case .closed = state { return [] }
        let closure = WebSocketClosure(
            code: .policyViolation, reason: "outbound buffer overflow", cause: .outboundBufferOverflow)
        state = .closed(closure)
        return [.closeTransport(closure)]
    }

    // MARK: - Output

    /// Sends a message as one frame. Returns nothing once we started closing: §5.5.1 forbids
    /// data after our close frame.
    public mutating func send(_ message: WebSocketMessage) -> [WebSocketAction] {
        var bytes: [UInt8] = []
        guard send(message, appendingTo: &bytes) else { return [] }
        return [.write(bytes)]
    }

    /// Sends a message as one frame appended to `bytes`, for a transport that writes them
    /// itself (the hot path: no action array, no intermediate frame). Returns false, appending
    /// nothing, once we started closing.
    public mutating func send(_ message: WebSocketMessage, appendingTo bytes: inout [UInt8]) -> Bool {
        guard isOpen else { return false }
        switch message {
        case .text(var text):
            text.withUTF8 { appendFrame(.text, payload: UnsafeRawBufferPointer($0), to: &bytes) }
        case .binary(let payload):
            payload.withUnsafeBytes { appendFrame(.binary, payload: $0, to: &bytes) }
        }
        return true
    }

    /// Sends a binary message as one frame whose payload the transport queues itself after
    /// the header appended to `bytes` (a server's frames are unmasked, so the payload goes out
    /// as it is: a large one need not be copied). Returns false, appending nothing, once we
    /// started closing or in the client role (whose frames must be masked).
    public mutating func sendHeader(ofBinary payloadLength: Int, appendingTo bytes: inout [UInt8]) -> Bool {
        guard isOpen, role == .server else { return false }
        WebSocketFrameEncoder.encodeHeader(opcode: .binary, payloadLength: payloadLength, into: &bytes)
        return true
    }

    /// Sends a text message whose UTF-8 bytes the caller already has (one frame), skipping the
    /// round trip through `String` on hot paths such as streamed token frames.
    ///
    /// Not checked: `utf8` must be valid UTF-8 (RFC 6455 §5.6), as text built from a Swift
    /// `String` always is.
    public mutating func send(textUTF8 utf8: [UInt8]) -> [WebSocketAction] {
        var bytes: [UInt8] = []
        guard send(textUTF8: utf8, appendingTo: &bytes) else { return [] }
        return [.write(bytes)]
    }

    /// `send(textUTF8:)` appending the frame to `bytes`; see `send(_:appendingTo:)`.
    public mutating func send(textUTF8 utf8: [UInt8], appendingTo bytes: inout [UInt8]) -> Bool {
        guard isOpen else { return false }
        utf8.withUnsafeBytes { appendFrame(.text, payload: $0, to: &bytes) }
        return true
    }

    /// Sends a ping with an application payload (at most 125 bytes; longer is truncated).
    public mutating func sendPing(_ payload: [UInt8] = []) -> [WebSocketAction] {
        guard isOpen else { return [] }
        return [.write(encode(WebSocketFrame(opcode: .ping, payload: Array(payload.prefix(125)))))]
    }

    /// Starts the close handshake: sends close and waits up to `closeTimeout` for the peer's.
    /// `code` must be valid on the wire (otherwise 1000 is sent).
    public mutating func close(
        code: WebSocketCloseCode = .normalClosure, reason: String = "", now: Instant
    ) -> [WebSocketAction] {
        guard isOpen else { return [] }
        let code = code.isValidOnTheWire ? code : .normalClosure
        state = .closing(deadline: now.advanced(by: configuration.closeTimeout), code: code, reason: reason)
        return [.write(encodeClose(code: code, reason: reason))]
    }

    // MARK: - Frames

    private mutating func handle(_ frame: WebSocketFrame, into actions: inout [WebSocketAction]) {
        switch state {
        case .closed:
            return
        case .closing(_, let code, let reason):
            // §5.5.1: after our close, data may still arrive; it is discarded. Their close ends it.
            guard frame.opcode == .close else { return }
            let closure = WebSocketClosure(code: code, reason: reason, cause: .closeHandshake)
            state = .closed(closure)
            actions.append(.closeTransport(closure))
        case .open:
            handleOpen(frame, into: &actions)
        }
    }

    private mutating func handleOpen(_ frame: WebSocketFrame, into actions: inout [WebSocketAction]) {
        switch frame.opcode {
        case .text, .binary:
            if fragment != nil { return fail(.expectedContinuation, into: &actions) }
            if !charge(messageBytes: frame.payload.count) { return fail(.memoryBudgetExhausted, into: &actions) }
            if frame.opcode == .text && !validateCompletedText(frame.payload, startsMessage: true) {
                return fail(.invalidUTF8, into: &actions)
            }
            if frame.fin {
                deliver(opcode: frame.opcode, payload: frame.payload, into: &actions)
            } else {
                fragment = Fragment(opcode: frame.opcode, payload: frame.payload)
            }
        case .continuation:
            guard let opcode = fragment?.opcode else { return fail(.unexpectedContinuation, into: &actions) }
            if !charge(messageBytes: (fragment?.payload.count ?? 0) + frame.payload.count) {
                return fail(.memoryBudgetExhausted, into: &actions)
            }
            if opcode == .text && !validateCompletedText(frame.payload, startsMessage: false) {
                return fail(.invalidUTF8, into: &actions)
            }
            fragment?.payload.append(contentsOf: frame.payload)
            if frame.fin, let done = fragment {
                fragment = nil
                deliver(opcode: done.opcode, payload: done.payload, into: &actions)
            }
        case .ping:
            actions.append(.write(encode(WebSocketFrame(opcode: .pong, payload: frame.payload))))
        case .pong:
            break  // unsolicited or answering our heartbeat; either way it proves liveness
        case .close:
            handleClose(frame.payload, into: &actions)
        }
    }

    /// A whole text message in one frame, sharing the parser's buffer: the checks of a final
    /// text frame outside a fragmented message (`handleOpen`), then delivery without a copy.
    private mutating func handleSharedText(
        _ payload: ArraySlice<UInt8>, into actions: inout [WebSocketAction]
    ) {
        if !charge(messageBytes: payload.count) { return fail(.memoryBudgetExhausted, into: &actions) }
        if !validateCompletedText(payload, startsMessage: true) { return fail(.invalidUTF8, into: &actions) }
        chargedDelivered += chargedInProgress
        chargedInProgress = 0
        guard validator.isComplete else { return fail(.invalidUTF8, into: &actions) }
        actions.append(.deliverText(payload))
    }

    private mutating func deliver(
        opcode: WebSocketOpcode, payload: [UInt8], into actions: inout [WebSocketAction]
    ) {
        chargedDelivered += chargedInProgress
        chargedInProgress = 0
        if opcode == .text {
            // A message may only end between characters.
            guard validator.isComplete else { return fail(.invalidUTF8, into: &actions) }
            actions.append(.deliver(.text(String(decoding: payload, as: UTF8.self))))
        } else {
            actions.append(.deliver(.binary(payload)))
        }
    }

    private mutating func handleClose(_ payload: [UInt8], into actions: inout [WebSocketAction]) {
        let code: WebSocketCloseCode
        var reason = ""
        switch payload.count {
        case 0:
            code = .noStatusReceived
        case 1:
            return fail(.invalidClosePayload, into: &actions)
        default:
            code = WebSocketCloseCode(rawValue: UInt16(payload[0]) << 8 | UInt16(payload[1]))
            guard code.isValidOnTheWire else { return fail(.invalidCloseCode, into: &actions) }
            var reasonValidator = UTF8Validator()
            let reasonBytes = payload[2...]
            guard reasonValidator.consume(reasonBytes), reasonValidator.isComplete else {
                return fail(.invalidUTF8, into: &actions)
            }
            reason = String(decoding: reasonBytes, as: UTF8.self)
        }
        // Echo the code (an empty close is answered with an empty close).
        let reply =
            code == .noStatusReceived ? [] : WebSocketFrameEncoder.closePayload(code: code, reason: "")
        actions.append(.write(encode(WebSocketFrame(opcode: .close, payload: reply))))
        let closure = WebSocketClosure(code: code, reason: reason, cause: .closeHandshake)
        state = .closed(closure)
        actions.append(.closeTransport(closure))
    }

    /// Fails the connection (§7.1.7): close frame with the error's code if we have not sent
    /// one yet, then close the transport.
    private mutating func fail(_ error: WebSocketProtocolError, into actions: inout [WebSocketAction]) {
        if case .open = state {
            if let notice = failureNotice?(error) {
                var bytes: [UInt8] = []
                _ = send(notice, appendingTo: &bytes)
                actions.append(.write(bytes))
            }
            actions.append(.write(encodeClose(code: error.closeCode, reason: error.reason)))
        }
        fragment = nil
        let closure = WebSocketClosure(
            code: error.closeCode, reason: error.reason, cause: .protocolError(error))
        state = .closed(closure)
        actions.append(.closeTransport(closure))
    }

    private mutating func encodeClose(code: WebSocketCloseCode, reason: String) -> [UInt8] {
        encode(
            WebSocketFrame(
                opcode: .close, payload: WebSocketFrameEncoder.closePayload(code: code, reason: reason)))
    }

    /// Encodes a frame, masked with a fresh key in client mode.
    private mutating func encode(_ frame: WebSocketFrame) -> [UInt8] {
        var frame = frame
        frame.maskingKey = nextMaskingKey()
        return WebSocketFrameEncoder.encode(frame)
    }

    /// Appends one final data frame, masked with a fresh key in client mode.
    private mutating func appendFrame(
        _ opcode: WebSocketOpcode, payload: UnsafeRawBufferPointer, to bytes: inout [UInt8]
    ) {
        WebSocketFrameEncoder.encode(
            opcode: opcode, maskingKey: nextMaskingKey(), payload: payload, into: &bytes)
    }

    /// A fresh key in client mode (drawn in place from the generator, which is not copied);
    /// nil in server mode, whose frames go unmasked.
    private mutating func nextMaskingKey() -> WebSocketMaskingKey? {
        guard role == .client, maskingKeys != nil else { return nil }
        return .random(using: &maskingKeys!)
    }
}
