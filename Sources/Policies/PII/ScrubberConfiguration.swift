/// Settings for a ``Scrubber`` and its ``StreamingScrubber``s.
public struct ScrubberConfiguration: Hashable, Sendable {
    /// What found spans become. Default `[{type}]`.
    public var replacement: PIIReplacement
    /// Types to report; default ``PIIType/defaultTypes`` (every type but plain ``PIIType/url``).
    public var types: Set<PIIType>
    /// Largest message scrubbed, in UTF-8 bytes. Default 65,536 (well above any chat
    /// message limit; larger inputs are refused with ``ScrubError/inputTooLarge(bytes:limit:)``).
    public var maxInputBytes: Int
    /// Streaming: text is released only once at least this many bytes follow it, and only at
    /// whitespace outside any finding. Default 128: longer than every finding that can contain
    /// spaces (a spaced IBAN is at most 42 bytes, a phone candidate is capped at 40) and than
    /// the longest keyword-to-value prefix a detector accepts (64, "password for the wifi
    /// is …"), so no such finding can straddle a cut. Findings without spaces (URLs, JWTs,
    /// keys, e-mail) are never cut because cuts only happen at whitespace, and look-back
    /// context is kept separately. The cost is latency: the visible stream starts this many
    /// bytes (about 30 tokens) behind the engine, then keeps its cadence.
    public var holdBackBytes: Int
    /// Streaming: most bytes held before the stream is refused. Default 65,536.
    public var maxHeldBytes: Int

    /// Creates a configuration; defaults as documented on each property.
    public init(
        replacement: PIIReplacement = .defaultLabel, types: Set<PIIType> = PIIType.defaultTypes,
        maxInputBytes: Int = 65_536, holdBackBytes: Int = 128, maxHeldBytes: Int = 65_536
    ) {
        self.replacement = replacement
        self.types = types
        self.maxInputBytes = maxInputBytes
        self.holdBackBytes = holdBackBytes
        self.maxHeldBytes = maxHeldBytes
    }
}
