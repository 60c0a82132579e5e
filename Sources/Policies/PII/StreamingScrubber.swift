/// Scrubs a reply that arrives as a stream of tokens, so an entity split across tokens
/// ("4111 1111" + " 1111 1111") is still caught.
///
/// Text is released only when at least ``ScrubberConfiguration/holdBackBytes`` (default 128)
/// bytes follow it, and only right after ASCII whitespace that lies outside every finding;
/// ``finish()`` releases the rest. A cut never falls between a keyword and the value it
/// flags ("password: x"). Findings without whitespace (e-mail, URL, key, JWT) are
/// therefore never cut, findings with whitespace are shorter than the window, and an
/// unterminated PEM block extends to the end of the buffer and so is held until its END
/// line. The last 128 released bytes stay as look-back context, so the output equals
/// ``Scrubber/scrub(_:)`` of the whole reply. If more than
/// ``ScrubberConfiguration/maxHeldBytes`` accumulate without a safe cut, ``feed(_:)`` throws
/// and the caller must end the reply: nothing unscrubbed is ever released.
public struct StreamingScrubber: Sendable {
    /// The scrubber whose rules apply; its ``Scrubber/counters`` count this stream's redactions.
    public private(set) var scrubber: Scrubber
    private var context: [UInt8] = []
    private var pending: [UInt8] = []
    private var session = ScrubSession()

    /// Bytes of already-released text kept as look-back context.
    static let contextBytes = 128

    /// Creates a stream scrubber with `configuration`.
    public init(configuration: ScrubberConfiguration = ScrubberConfiguration()) {
        scrubber = Scrubber(configuration: configuration)
    }

    /// Redactions so far in this stream.
    public var counters: RedactionCounters { scrubber.counters }

    /// Bytes currently held back.
    public var heldBytes: Int { pending.count }

    /// Adds a token; returns the text that is now safe to send (possibly empty).
    public mutating func feed(_ token: String) throws(ScrubError) -> String {
        var own = session
        defer { session = own }
        return try feed(token, session: &own)
    }

    /// Adds a token, taking placeholders from `session`.
    public mutating func feed(_ token: String, session: inout ScrubSession) throws(ScrubError) -> String {
        pending.append(contentsOf: token.utf8)
        let limit = scrubber.configuration.maxHeldBytes
        let released = release(final: false, session: &session)
        if pending.count > limit {
            let held = pending.count
            pending.removeAll()
            context.removeAll()
            throw .holdBackOverflow(bytes: held, limit: limit)
        }
        return released
    }

    /// Releases everything still held, scrubbed, and resets for the next reply.
    public mutating func finish() -> String {
        var own = session
        defer { session = own }
        return finish(session: &own)
    }

    /// Releases everything still held, taking placeholders from `session`.
    public mutating func finish(session: inout ScrubSession) -> String {
        let released = release(final: true, session: &session)
        context.removeAll()
        pending.removeAll()
        return released
    }

    private mutating func release(final: Bool, session: inout ScrubSession) -> String {
        if pending.isEmpty { return "" }
        let buffer = context + pending
        let from = context.count
        let holdBack = scrubber.configuration.holdBackBytes
        if !final && buffer.count - holdBack <= from { return "" }
        return buffer.withUnsafeBufferPointer { bytes -> String in
            let findings = scrubber.findings(in: bytes, from: from)
            var cut = bytes.count
            if !final {
                cut = bytes.count - holdBack
                while cut > from {
                    if isSpace(bytes[cut - 1])
                        && !findings.contains(where: { $0.anchor < cut && cut < $0.end })
                    {
                        break
                    }
                    cut -= 1
                }
                if cut <= from { return "" }
            }
            let released = findings.filter { $0.end <= cut }
            let text = scrubber.render(bytes, released, range: from..<cut, session: &session)
            var contextStart = max(0, cut - StreamingScrubber.contextBytes)
            while contextStart < cut && bytes[contextStart] & 0xC0 == 0x80 { contextStart += 1 }
            context = Array(bytes[contextStart..<cut])
            pending = Array(bytes[cut...])
            return text
        }
    }
}
