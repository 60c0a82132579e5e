/// Parses JSON text into a ``JSONValue``, strictly per RFC 8259, within configured limits.
///
/// Strict means: exactly one value with optional surrounding whitespace (§2); no comments,
/// trailing commas, single quotes, `NaN`/`Infinity`, leading zeros or `+` signs (§6); strings
/// free of raw control characters and invalid escapes (§7); `\u` surrogates must pair (§8.2);
/// the input must be well-formed UTF-8 (§8.1; a byte order mark is refused as an unexpected
/// byte). Duplicate object keys are refused (§4 leaves their meaning open, and two readers that
/// disagree on which value wins is a classic smuggling bug).
///
/// Numbers: an integer literal that fits in `Int64` becomes ``JSONValue/integer(_:)``; a larger
/// integer, or any literal with a fraction or exponent, becomes ``JSONValue/double(_:)`` (so
/// integers beyond 2^63 lose precision, as in most JSON implementations; `-0` is the double
/// `-0.0`, keeping its sign); a literal beyond the double range is refused rather than turned
/// into infinity.
///
/// The parser is recursive descent over the bytes; ``Configuration/maxDepth`` bounds the
/// recursion, so keep it modest (thousands of levels would risk the thread's stack).
public struct JSONParser: Sendable {
    /// The limits a parse enforces. Every limit is checked before the work it bounds.
    public struct Configuration: Sendable, Hashable {
        /// Deepest nesting of arrays and objects accepted; `[[1]]` is depth 2. Default 64.
        public var maxDepth: Int
        /// Longest input accepted, in bytes. Default 1 MiB.
        public var maxInputBytes: Int
        /// Longest string (keys included) accepted, in bytes of UTF-8 after unescaping.
        /// Default 256 KiB.
        public var maxStringBytes: Int

        /// Creates a configuration; every parameter defaults to the documented default.
        public init(maxDepth: Int = 64, maxInputBytes: Int = 1 << 20, maxStringBytes: Int = 256 << 10) {
            self.maxDepth = maxDepth
            self.maxInputBytes = maxInputBytes
            self.maxStringBytes = maxStringBytes
        }

        /// The documented defaults.
        public static let `default` = Configuration()
    }

    /// The limits in force.
    public var configuration: Configuration

    /// Creates a parser.
    public init(configuration: Configuration = .default) {
        self.configuration = configuration
    }

    /// Parses UTF-8 JSON text.
    public func parse(_ bytes: [UInt8]) throws(JSONError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONError) in try parse(buffer) }
    }

    /// Parses UTF-8 JSON text.
    public func parse(_ bytes: ArraySlice<UInt8>) throws(JSONError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONError) in try parse(buffer) }
    }

    /// Parses JSON text.
    public func parse(_ text: String) throws(JSONError) -> JSONValue {
        var text = text
        // `withUTF8` rethrows untyped errors; carry the typed one out in a Result.
        let result = text.withUTF8 { buffer in Result { () throws(JSONError) in try parse(buffer) } }
        return try result.get()
    }

    /// Parses UTF-8 JSON text held in memory the caller owns for the duration of the call.
    public func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONError) -> JSONValue {
        guard buffer.count <= configuration.maxInputBytes else {
            throw JSONError(.inputTooLarge(configuration.maxInputBytes), at: configuration.maxInputBytes)
        }
        var scanner = JSONScanner(buffer: buffer, configuration: configuration)
        let value = try scanner.parseValue()
        scanner.skipWhitespace()
        guard scanner.isAtEnd else { throw JSONError(.trailingContent, at: scanner.index) }
        return value
    }
}

extension JSONValue {
    /// Parses JSON text with the default limits.
    public init(parsing text: String) throws(JSONError) {
        self = try JSONParser().parse(text)
    }

    /// Parses UTF-8 JSON text with the default limits.
    public init(parsing bytes: [UInt8]) throws(JSONError) {
        self = try JSONParser().parse(bytes)
    }
}
