/// Writes RESP: commands (an array of bulk strings, the only form a client sends) and any
/// ``RESPValue`` (for tests, fuzzing and test servers).
public enum RESPEncoder {
    /// Which protocol's spelling to use where RESP2 and RESP3 differ (only ``RESPValue/null``:
    /// `_` in RESP3, `$-1` in RESP2). RESP3-only types are written as RESP3 either way.
    public enum Version: Int, Hashable, Sendable {
        /// RESP2.
        case resp2 = 2
        /// RESP3.
        case resp3 = 3
    }

    /// Appends `arguments` as one command: `*N` then a bulk string per argument.
    public static func appendCommand(_ arguments: [[UInt8]], to output: inout [UInt8]) {
        appendHeader(UInt8(ascii: "*"), arguments.count, to: &output)
        for argument in arguments {
            appendHeader(UInt8(ascii: "$"), argument.count, to: &output)
            output.append(contentsOf: argument)
            output.append(13)
            output.append(10)
        }
    }

    /// One command's bytes.
    public static func command(_ arguments: [[UInt8]]) -> [UInt8] {
        var output: [UInt8] = []
        appendCommand(arguments, to: &output)
        return output
    }

    /// Appends `value`. Simple strings and errors must not contain CR or LF (the parser never
    /// produces such values; a caller building one by hand is told by a precondition).
    public static func append(_ value: RESPValue, version: Version = .resp3, to output: inout [UInt8]) {
        switch value {
        case .simpleString(let text): appendLine(UInt8(ascii: "+"), text, to: &output)
        case .error(let text): appendLine(UInt8(ascii: "-"), text, to: &output)
        case .integer(let number): appendLine(UInt8(ascii: ":"), String(number), to: &output)
        case .bulkString(let bytes): appendBulk(UInt8(ascii: "$"), bytes, to: &output)
        case .null:
            if version == .resp3 { appendLine(UInt8(ascii: "_"), "", to: &output) } else { appendHeader(UInt8(ascii: "$"), -1, to: &output) }
        case .array(let values): appendAggregate(UInt8(ascii: "*"), values, version, to: &output)
        case .boolean(let flag): appendLine(UInt8(ascii: "#"), flag ? "t" : "f", to: &output)
        case .double(let number):
            let text = number.isNaN ? "nan" : number == .infinity ? "inf" : number == -.infinity ? "-inf" : "\(number)"
            appendLine(UInt8(ascii: ","), text, to: &output)
        case .bigNumber(let digits): appendLine(UInt8(ascii: "("), digits, to: &output)
        case .bulkError(let bytes): appendBulk(UInt8(ascii: "!"), bytes, to: &output)
        case .verbatimString(let format, let text):
            precondition(format.utf8.count == 3, "a verbatim string's format has three bytes")
            appendBulk(UInt8(ascii: "="), Array(format.utf8) + [UInt8(ascii: ":")] + text, to: &output)
        case .map(let pairs):
            appendHeader(UInt8(ascii: "%"), pairs.count, to: &output)
            for pair in pairs {
                append(pair.key, version: version, to: &output)
                append(pair.value, version: version, to: &output)
            }
        case .set(let values): appendAggregate(UInt8(ascii: "~"), values, version, to: &output)
        case .attributed(let pairs, let value):
            appendHeader(UInt8(ascii: "|"), pairs.count, to: &output)
            for pair in pairs {
                append(pair.key, version: version, to: &output)
                append(pair.value, version: version, to: &output)
            }
            append(value, version: version, to: &output)
        case .push(let values): appendAggregate(UInt8(ascii: ">"), values, version, to: &output)
        }
    }

    /// One value's bytes.
    public static func encode(_ value: RESPValue, version: Version = .resp3) -> [UInt8] {
        var output: [UInt8] = []
        append(value, version: version, to: &output)
        return output
    }

    private static func appendAggregate(_ type: UInt8, _ values: [RESPValue], _ version: Version, to output: inout [UInt8]) {
        appendHeader(type, values.count, to: &output)
        for value in values { append(value, version: version, to: &output) }
    }

    private static func appendBulk(_ type: UInt8, _ bytes: [UInt8], to output: inout [UInt8]) {
        appendHeader(type, bytes.count, to: &output)
        output.append(contentsOf: bytes)
        output.append(13)
        output.append(10)
    }

    private static func appendHeader(_ type: UInt8, _ count: Int, to output: inout [UInt8]) {
        output.append(type)
        output.append(contentsOf: String(count).utf8)
        output.append(13)
        output.append(10)
    }

    private static func appendLine(_ type: UInt8, _ text: String, to output: inout [UInt8]) {
        precondition(!text.utf8.contains(13) && !text.utf8.contains(10), "a RESP line cannot hold CR or LF")
        output.append(type)
        output.append(contentsOf: text.utf8)
        output.append(13)
        output.append(10)
    }
}
