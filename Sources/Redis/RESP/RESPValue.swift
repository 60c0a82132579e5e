/// One value of the Redis serialization protocol, RESP2 and RESP3
/// (https://redis.io/docs/reference/protocol-spec/).
///
/// RESP2 has five types (simple string, error, integer, bulk string, array, with `$-1`/`*-1` as
/// null); RESP3 adds null, boolean, double, big number, bulk error, verbatim string, map, set,
/// attribute and push. Both null spellings decode to ``null``; the encoder writes the spelling of
/// the protocol version it is asked for.
public indirect enum RESPValue: Hashable, Sendable {
    /// `+OK`: a line of text without CR or LF.
    case simpleString(String)
    /// `-ERR message`: an error reply on one line.
    case error(String)
    /// `:42`: a signed 64-bit integer.
    case integer(Int64)
    /// `$5\r\nhello`: binary-safe bytes.
    case bulkString([UInt8])
    /// `_` (RESP3), `$-1` or `*-1` (RESP2): nothing.
    case null
    /// `*2\r\n…`: an ordered list.
    case array([RESPValue])
    /// `#t` / `#f` (RESP3).
    case boolean(Bool)
    /// `,3.14`, `,inf`, `,-inf`, `,nan` (RESP3).
    case double(Double)
    /// `(3492890328409238509324850943850943825024385`: an integer of any size, kept as its
    /// decimal text (RESP3).
    case bigNumber(String)
    /// `!21\r\nSYNTAX invalid syntax`: a binary-safe error (RESP3).
    case bulkError([UInt8])
    /// `=15\r\ntxt:Some string`: text with a three-letter format (RESP3).
    case verbatimString(format: String, text: [UInt8])
    /// `%2\r\n…`: key/value pairs in the order sent (RESP3).
    case map([RESPPair])
    /// `~3\r\n…`: an unordered collection, kept in the order sent (RESP3).
    case set([RESPValue])
    /// `|1\r\n…` followed by a value: auxiliary pairs describing the value (RESP3).
    case attributed([RESPPair], RESPValue)
    /// `>3\r\n…`: out-of-band data (pub/sub messages, invalidations), never a command's reply
    /// (RESP3).
    case push([RESPValue])
}

/// One key/value pair of a RESP3 map or attribute.
public struct RESPPair: Hashable, Sendable {
    /// The key.
    public var key: RESPValue
    /// The value.
    public var value: RESPValue

    /// Creates a pair.
    public init(_ key: RESPValue, _ value: RESPValue) {
        self.key = key
        self.value = value
    }
}

extension RESPValue {
    /// The bytes of a bulk, simple or verbatim string (nil for other types).
    public var bytes: [UInt8]? {
        switch self {
        case .bulkString(let bytes): bytes
        case .simpleString(let text): Array(text.utf8)
        case .verbatimString(_, let text): text
        default: nil
        }
    }

    /// The UTF-8 text of a bulk, simple or verbatim string (invalid bytes replaced).
    public var string: String? {
        bytes.map { String(decoding: $0, as: UTF8.self) }
    }

    /// The integer of an integer reply (or of a bulk string holding decimal digits, which is how
    /// RESP2 returns Lua numbers turned into strings).
    public var int: Int64? {
        switch self {
        case .integer(let value): value
        case .bulkString(let bytes): Int64(String(decoding: bytes, as: UTF8.self))
        default: nil
        }
    }

    /// The elements of an array, set or push (nil for other types).
    public var elements: [RESPValue]? {
        switch self {
        case .array(let values), .set(let values), .push(let values): values
        case .attributed(_, let value): value.elements
        default: nil
        }
    }

    /// The error text of an error or bulk error reply.
    public var errorMessage: String? {
        switch self {
        case .error(let text): text
        case .bulkError(let bytes): String(decoding: bytes, as: UTF8.self)
        default: nil
        }
    }
}
