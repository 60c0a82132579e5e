/// A streaming UTF-8 validator (RFC 3629 §4) for WebSocket text messages (RFC 6455 §8.1):
/// feed a message's bytes in any number of pieces; it fails at the first byte that cannot
/// continue a valid sequence — even when a multi-byte character straddles two fragments —
/// so an invalid message is refused (1007) without waiting for its end.
///
/// The state is a small DFA over the "expecting" situations of RFC 3629's table, which also
/// excludes overlong forms, surrogates (U+D800–DFFF) and code points above U+10FFFF. It runs
/// as a shift DFA (one row look-up, shift and mask per byte; the table is generated from the
/// readable `transition` function). While in the accepting state, eight bytes at a time are
/// checked for ASCII with one mask.
public struct UTF8Validator: Sendable, Hashable {
    /// What the next byte must be.
    enum State: UInt8, Sendable {
        /// Between characters.
        case accept
        /// One, two or three continuation bytes (80–BF) still needed.
        case need1, need2, need3
        /// After E0: A0–BF (no overlong 3-byte forms), then one more.
        case afterE0
        /// After ED: 80–9F (no surrogates), then one more.
        case afterED
        /// After F0: 90–BF (no overlong 4-byte forms), then two more.
        case afterF0
        /// After F4: 80–8F (nothing above U+10FFFF), then two more.
        case afterF4
        /// An invalid byte was seen; sticky.
        case reject
    }

    private var state: State = .accept

    /// A validator at the start of a message.
    public init() {}

    /// Whether every byte so far was valid and no character is left unfinished: a message may
    /// end here.
    public var isComplete: Bool { state == .accept }

    /// Whether an invalid byte was seen.
    public var hasFailed: Bool { state == .reject }

    /// Forgets everything; ready for a new message.
    public mutating func reset() { state = .accept }

    /// Validates the next bytes of the message. Returns false as soon as one is invalid (and on
    /// every later call). A true result does not mean the message may end — see `isComplete`.
    @discardableResult
    public mutating func consume(_ bytes: some Collection<UInt8>) -> Bool {
        if let result = bytes.withContiguousStorageIfAvailable({ consume(buffer: $0) }) {
            return result
        }
        let copy = Array(bytes)
        return copy.withUnsafeBufferPointer { consume(buffer: $0) }
    }

    /// Validates bytes in contiguous memory.
    public mutating func consume(buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard state != .reject else { return false }
        guard let base = buffer.baseAddress, buffer.count > 0 else { return true }
        let final = UTF8Validator.rows.withUnsafeBufferPointer { rows in
            UTF8Validator.run(from: UInt64(state.rawValue) * 6, base, buffer.count, rows.baseAddress!)
        }
        state = State(rawValue: UInt8(final / 6)) ?? .reject
        return state != .reject
    }

    /// The DFA loop. A "shift DFA": each byte has a 64-bit row holding, in 6-bit slots, the
    /// next state for every current state (states are stored pre-multiplied by 6). The row
    /// load does not depend on the state, so the serial chain per byte is one shift and one
    /// mask instead of a dependent table load — about three times faster on non-ASCII text.
    private static func run(
        from start: UInt64, _ bytes: UnsafePointer<UInt8>, _ count: Int, _ rows: UnsafePointer<UInt64>
    ) -> UInt64 {
        let accept = UInt64(State.accept.rawValue) * 6
        let reject = UInt64(State.reject.rawValue) * 6
        var current = start
        var index = 0
        while index < count {
            if current == accept {
                // ASCII fast path: eight bytes whose high bits are all clear.
                while index + 8 <= count {
                    let word = UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt64.self)
                    if word & 0x8080_8080_8080_8080 != 0 { break }
                    index += 8
                }
                if index == count { break }
            }
            current = (rows[Int(bytes[index])] &>> current) & 63
            if current == reject { return reject }
            index += 1
        }
        return current
    }

    /// One row per byte value, generated from the readable `transition` function so the table
    /// and the specification cannot drift apart.
    static let rows: [UInt64] = (0...255).map { byte in
        var row: UInt64 = 0
        for raw in 0...State.reject.rawValue {
            let next = transition(State(rawValue: raw)!, UInt8(byte))
            row |= (UInt64(next.rawValue) * 6) << (UInt64(raw) * 6)
        }
        return row
    }

    @inline(__always)
    static func transition(_ state: State, _ byte: UInt8) -> State {
        switch state {
        case .accept:
            switch byte {
            case 0x00...0x7F: return .accept
            case 0xC2...0xDF: return .need1
            case 0xE0: return .afterE0
            case 0xE1...0xEC, 0xEE...0xEF: return .need2
            case 0xED: return .afterED
            case 0xF0: return .afterF0
            case 0xF1...0xF3: return .need3
            case 0xF4: return .afterF4
            default: return .reject  // 80–C1 (stray continuation, overlong lead), F5–FF
            }
        case .need1: return byte & 0xC0 == 0x80 ? .accept : .reject
        case .need2: return byte & 0xC0 == 0x80 ? .need1 : .reject
        case .need3: return byte & 0xC0 == 0x80 ? .need2 : .reject
        case .afterE0: return (0xA0...0xBF).contains(byte) ? .need1 : .reject
        case .afterED: return (0x80...0x9F).contains(byte) ? .need1 : .reject
        case .afterF0: return (0x90...0xBF).contains(byte) ? .need2 : .reject
        case .afterF4: return (0x80...0x8F).contains(byte) ? .need2 : .reject
        case .reject: return .reject
        }
    }
}
