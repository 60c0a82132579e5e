/// An incremental RESP2/RESP3 parser: bytes go in with ``append(_:)`` in whatever pieces the
/// network delivers, complete values come out of ``next()``.
///
/// Nothing is parsed twice: a partly received line is remembered by how far it was scanned, a
/// bulk value by its announced length, and aggregates being filled sit on an explicit stack
/// (never the call stack), so a million-element reply arriving one byte at a time costs the same
/// as arriving whole. Every limit is checked as soon as the length that could exceed it is
/// known, before the bytes are buffered or an array is reserved.
///
/// After a ``RESPError`` the parser stays failed: the stream is out of step, and the only safe
/// thing is to close the connection.
///
/// Deliberately not supported: RESP3 streamed strings and aggregates (`$?`, `*?`, no command
/// sends them) and inline commands (a server never sends them).
public struct RESPParser: Sendable {
    /// The parser's limits.
    public struct Configuration: Hashable, Sendable {
        /// Longest bulk string, bulk error or verbatim string. Default 512 MiB, Redis's own
        /// `proto-max-bulk-len`.
        public var maxBulkBytes: Int
        /// Most elements in one array, set, push, or pairs in one map or attribute. Default
        /// 16,777,216 (2^24).
        public var maxAggregateCount: Int
        /// Deepest nesting of aggregates. Default 64.
        public var maxDepth: Int
        /// Longest line: a simple string, error, number or length, type byte and CRLF excluded.
        /// Default 64 KiB.
        public var maxLineBytes: Int

        /// Creates limits.
        public init(
            maxBulkBytes: Int = 512 * 1024 * 1024, maxAggregateCount: Int = 1 << 24, maxDepth: Int = 64,
            maxLineBytes: Int = 64 * 1024
        ) {
            self.maxBulkBytes = maxBulkBytes
            self.maxAggregateCount = maxAggregateCount
            self.maxDepth = maxDepth
            self.maxLineBytes = maxLineBytes
        }
    }

    private enum AggregateKind { case array, set, push, map, attribute }

    /// An aggregate still receiving elements.
    private struct Frame {
        let kind: AggregateKind
        /// Elements still to come (maps and attributes count keys and values; an attribute one
        /// more, for the value it describes).
        var remaining: Int
        var items: [RESPValue]
    }

    private enum BulkKind { case string, error, verbatim }

    /// The configured limits.
    public let configuration: Configuration
    private var buffer: [UInt8] = []
    /// Start of the unparsed bytes.
    private var start = 0
    /// How far past `start` the current line has been scanned for CRLF.
    private var scanned = 0
    private var pendingBulk: (kind: BulkKind, length: Int)?
    private var stack: [Frame] = []
    private var failure: RESPError?

    /// Creates a parser with `configuration`.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Bytes received and not yet returned as values.
    public var bufferedByteCount: Int { buffer.count - start }

    /// Whether a value has begun but not completed.
    public var isMidValue: Bool { bufferedByteCount > 0 || !stack.isEmpty || pendingBulk != nil }

    /// Adds bytes from the network.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Adds bytes from the network.
    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// The next complete value, or nil until more bytes arrive.
    public mutating func next() throws(RESPError) -> RESPValue? {
        if let failure { throw failure }
        do {
            return try parseNext()
        } catch {
            failure = error
            throw error
        }
    }

    /// Parses every complete value in `bytes` (which must end on a value boundary). For tests
    /// and one-shot decoding.
    public static func parseAll(_ bytes: [UInt8], configuration: Configuration = Configuration()) throws(RESPError)
        -> [RESPValue]
    {
        var parser = RESPParser(configuration: configuration)
        parser.append(bytes)
        var values: [RESPValue] = []
        while let value = try parser.next() { values.append(value) }
        guard !parser.isMidValue else { throw .malformed("input: it ends inside a value") }
        return values
    }

    private mutating func compact() {
        // Drop consumed bytes once they are most of the buffer, so appends stay amortised O(1).
        if start > 0, start >= buffer.count - start || start >= 64 * 1024 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
    }

    private mutating func parseNext() throws(RESPError) -> RESPValue? {
        while true {
            let scalar: RESPValue
            if let bulk = pendingBulk {
                guard buffer.count - start >= bulk.length + 2 else { return nil }
                let end = start + bulk.length
                guard buffer[end] == 13, buffer[end + 1] == 10 else { throw .malformed("bulk value: no CRLF after it") }
                let body = Array(buffer[start..<end])
                start = end + 2
                pendingBulk = nil
                scalar = try Self.bulkValue(bulk.kind, body)
            } else {
                guard let line = try takeLine() else { return nil }
                guard let parsed = try beginValue(type: line.type, line.text) else { continue }
                scalar = parsed
            }
            if let complete = deliver(scalar) { return complete }
        }
    }

    /// Finds the next CRLF-terminated line; returns its type byte and the bytes after it.
    private mutating func takeLine() throws(RESPError) -> (type: UInt8, text: ArraySlice<UInt8>)? {
        var index = start + scanned
        while index < buffer.count, buffer[index] != 10 { index += 1 }
        guard index < buffer.count else {
            scanned = buffer.count - start
            if scanned > configuration.maxLineBytes + 2 { throw .lineTooLong(limit: configuration.maxLineBytes) }
            return nil
        }
        // buffer[index] is LF.
        guard index - start >= 2, buffer[index - 1] == 13 else { throw .malformed("line: LF without CR") }
        let type = buffer[start]
        let text = buffer[(start + 1)..<(index - 1)]
        if text.count > configuration.maxLineBytes { throw .lineTooLong(limit: configuration.maxLineBytes) }
        if text.contains(13) { throw .malformed("line: a bare CR") }
        start = index + 1
        scanned = 0
        return (type, text)
    }

    /// Starts the value a line introduces: a scalar is returned, a bulk or aggregate header
    /// records what comes next and returns nil.
    private mutating func beginValue(type: UInt8, _ text: ArraySlice<UInt8>) throws(RESPError) -> RESPValue? {
        switch type {
        case UInt8(ascii: "+"): return .simpleString(String(decoding: text, as: UTF8.self))
        case UInt8(ascii: "-"): return .error(String(decoding: text, as: UTF8.self))
        case UInt8(ascii: ":"): return .integer(try Self.integer(text, "integer"))
        case UInt8(ascii: "_"):
            guard text.isEmpty else { throw .malformed("null") }
            return .null
        case UInt8(ascii: "#"):
            guard text.count == 1 else { throw .malformed("boolean") }
            switch text.first {
            case UInt8(ascii: "t"): return .boolean(true)
            case UInt8(ascii: "f"): return .boolean(false)
            default: throw .malformed("boolean")
            }
        case UInt8(ascii: ","): return .double(try Self.double(text))
        case UInt8(ascii: "("): return .bigNumber(try Self.bigNumber(text))
        case UInt8(ascii: "$"): return try beginBulk(.string, text, nullable: true)
        case UInt8(ascii: "!"): return try beginBulk(.error, text, nullable: false)
        case UInt8(ascii: "="): return try beginBulk(.verbatim, text, nullable: false)
        case UInt8(ascii: "*"): return try beginAggregate(.array, text, nullable: true)
        case UInt8(ascii: "~"): return try beginAggregate(.set, text, nullable: false)
        case UInt8(ascii: ">"): return try beginAggregate(.push, text, nullable: false)
        case UInt8(ascii: "%"): return try beginAggregate(.map, text, nullable: false)
        case UInt8(ascii: "|"): return try beginAggregate(.attribute, text, nullable: false)
        default: throw .unknownType(type)
        }
    }

    private mutating func beginBulk(_ kind: BulkKind, _ text: ArraySlice<UInt8>, nullable: Bool) throws(RESPError)
        -> RESPValue?
    {
        if text.first == UInt8(ascii: "?") { throw .streamedUnsupported }
        let length = try Self.integer(text, "bulk length")
        if length == -1, nullable { return .null }
        guard length >= 0 else { throw .malformed("bulk length \(length)") }
        guard length <= configuration.maxBulkBytes else {
            throw .bulkTooLong(length: Int(clamping: length), limit: configuration.maxBulkBytes)
        }
        pendingBulk = (kind, Int(length))
        return nil
    }

    private mutating func beginAggregate(_ kind: AggregateKind, _ text: ArraySlice<UInt8>, nullable: Bool)
        throws(RESPError) -> RESPValue?
    {
        if text.first == UInt8(ascii: "?") { throw .streamedUnsupported }
        let count = try Self.integer(text, "aggregate length")
        if count == -1, nullable { return .null }
        guard count >= 0 else { throw .malformed("aggregate length \(count)") }
        guard count <= configuration.maxAggregateCount else {
            throw .aggregateTooLong(count: Int(clamping: count), limit: configuration.maxAggregateCount)
        }
        guard stack.count < configuration.maxDepth else { throw .tooDeep(limit: configuration.maxDepth) }
        let elements = Int(count) * (kind == .map || kind == .attribute ? 2 : 1) + (kind == .attribute ? 1 : 0)
        if elements == 0 { return Self.build(kind, []) }
        var items: [RESPValue] = []
        items.reserveCapacity(min(elements, 1024))
        stack.append(Frame(kind: kind, remaining: elements, items: items))
        return nil
    }

    /// Hands a finished value to the aggregate being filled; returns a top-level value once one
    /// is complete.
    private mutating func deliver(_ value: RESPValue) -> RESPValue? {
        var value = value
        while !stack.isEmpty {
            stack[stack.count - 1].items.append(value)
            stack[stack.count - 1].remaining -= 1
            guard stack[stack.count - 1].remaining == 0 else { return nil }
            let frame = stack.removeLast()
            value = Self.build(frame.kind, frame.items)
        }
        return value
    }

    private static func build(_ kind: AggregateKind, _ items: [RESPValue]) -> RESPValue {
        switch kind {
        case .array: return .array(items)
        case .set: return .set(items)
        case .push: return .push(items)
        case .map: return .map(pairs(items[...]))
        case .attribute: return .attributed(pairs(items.dropLast()), items[items.count - 1])
        }
    }

    private static func pairs(_ items: ArraySlice<RESPValue>) -> [RESPPair] {
        stride(from: items.startIndex, to: items.endIndex, by: 2).map { RESPPair(items[$0], items[$0 + 1]) }
    }

    private static func bulkValue(_ kind: BulkKind, _ body: [UInt8]) throws(RESPError) -> RESPValue {
        switch kind {
        case .string: return .bulkString(body)
        case .error: return .bulkError(body)
        case .verbatim:
            // The format is three ASCII letters (`txt`, `mkd`); anything else could not be
            // written back as the same three bytes.
            guard body.count >= 4, body[3] == UInt8(ascii: ":"), body[0..<3].allSatisfy({ $0 > 32 && $0 < 127 })
            else { throw .malformed("verbatim string format") }
            return .verbatimString(format: String(decoding: body[0..<3], as: UTF8.self), text: Array(body[4...]))
        }
    }

    /// A decimal `Int64`: optional sign, then 1 to 19 digits, nothing else.
    static func integer(_ text: ArraySlice<UInt8>, _ what: String) throws(RESPError) -> Int64 {
        var digits = text[...]
        var negative = false
        if let sign = digits.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.count <= 19 else { throw .malformed(what) }
        var value: Int64 = 0
        for byte in digits {
            guard byte >= 48, byte <= 57 else { throw .malformed(what) }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = shifted.addingReportingOverflow(Int64(byte - 48))
            guard !overflow1, !overflow2 else { throw .malformed(what) }
            value = added
        }
        return negative ? -value : value
    }

    private static func double(_ text: ArraySlice<UInt8>) throws(RESPError) -> Double {
        let string = String(decoding: text, as: UTF8.self)
        switch string {
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        case "nan", "-nan": return .nan
        default: break
        }
        // Digits, sign, point and exponent only (Swift's parser also takes hex and "infinity").
        guard !text.isEmpty,
            text.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 43 || $0 == 45 || $0 == 46 || $0 == 101 || $0 == 69 }),
            let value = Double(string), value.isFinite
        else { throw .malformed("double") }
        return value
    }

    private static func bigNumber(_ text: ArraySlice<UInt8>) throws(RESPError) -> String {
        var digits = text[...]
        if let sign = digits.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { throw .malformed("big number") }
        return String(decoding: text, as: UTF8.self)
    }
}
