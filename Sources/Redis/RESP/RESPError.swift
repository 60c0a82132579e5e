/// Why bytes from a Redis server are not valid RESP. After one of these the stream is out of
/// step and the connection must be closed.
public enum RESPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The first byte of a value is not a RESP type marker.
    case unknownType(UInt8)
    /// A line (type marker to CRLF) is longer than ``RESPParser/Configuration/maxLineBytes``.
    case lineTooLong(limit: Int)
    /// A bulk value announces more bytes than ``RESPParser/Configuration/maxBulkBytes``.
    case bulkTooLong(length: Int, limit: Int)
    /// An aggregate announces more elements than ``RESPParser/Configuration/maxAggregateCount``.
    case aggregateTooLong(count: Int, limit: Int)
    /// Aggregates nest deeper than ``RESPParser/Configuration/maxDepth``.
    case tooDeep(limit: Int)
    /// A length, integer, boolean, double or big number is malformed, a line holds a bare CR
    /// or LF, or a bulk value is not followed by CRLF.
    case malformed(String)
    /// RESP3 streamed strings and aggregates (`$?`, `*?`): no Redis command sends them, so the
    /// client does not accept them.
    case streamedUnsupported

    /// A sentence for logs.
    public var description: String {
        switch self {
        case .unknownType(let byte): "RESP: unknown type byte 0x\(String(byte, radix: 16))"
        case .lineTooLong(let limit): "RESP: a line is longer than \(limit) bytes"
        case .bulkTooLong(let length, let limit): "RESP: a bulk value of \(length) bytes exceeds \(limit)"
        case .aggregateTooLong(let count, let limit): "RESP: an aggregate of \(count) elements exceeds \(limit)"
        case .tooDeep(let limit): "RESP: aggregates nest deeper than \(limit)"
        case .malformed(let what): "RESP: malformed \(what)"
        case .streamedUnsupported: "RESP: streamed values are not supported"
        }
    }
}
