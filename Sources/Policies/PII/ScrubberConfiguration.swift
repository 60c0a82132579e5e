/// Settings for a ``Scrubber`` and its ``StreamingScrubber``s.
public struct ScrubberConfiguration: Hashable, Sendable {
    /// What found spans become. Default `[{type}]`.
    public var replacement: PIIReplacement
    /// Types to report; default all of ``PIIType``.
    public var types: Set<PIIType>
    /// Largest message scrubbed, in UTF-8 bytes. Default 65,536 (well above any chat
    /// message limit; larger inputs are refused with ``ScrubError/inputTooLarge(bytes:limit:)``).
    public var maxInputBytes: Int
    /// Streaming: text is released only once at least this many bytes follow it, and only at
    /// whitespace outside any finding. Default 256: longer than the longest finding that can
    /// contain spaces (a spaced IBAN is 42, a phone capped at 40) plus the look-back context
    /// detectors use (32), with room to spare. Findings without spaces (URLs, JWTs, keys)
    /// are never cut because cuts only happen at whitespace.
    public var holdBackBytes: Int
    /// Streaming: most bytes held before the stream is refused. Default 65,536.
    public var maxHeldBytes: Int

    /// Creates a configuration; defaults as documented on each property.
    public init(replacement: PIIReplacement = .defaultLabel, types: Set<PIIType> = Set(PIIType.allCases),
                maxInputBytes: Int = 65_536, holdBackBytes: Int = 256, maxHeldBytes: Int = 65_536) {
        self.replacement = replacement
        self.types = types
        self.maxInputBytes = maxInputBytes
        self.holdBackBytes = holdBackBytes
        self.maxHeldBytes = maxHeldBytes
    }
}
