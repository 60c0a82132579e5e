/// A close status code (RFC 6455 §7.4, IANA "WebSocket Close Code Number Registry").
public struct WebSocketCloseCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The 16-bit code.
    public var rawValue: UInt16

    /// Creates a code.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The number.
    public var description: String { String(rawValue) }

    /// 1000: the purpose of the connection was fulfilled.
    public static let normalClosure = WebSocketCloseCode(rawValue: 1000)
    /// 1001: server shutting down, peer going away, or (here) a peer silent past the idle timeout.
    public static let goingAway = WebSocketCloseCode(rawValue: 1001)
    /// 1002: protocol error.
    public static let protocolError = WebSocketCloseCode(rawValue: 1002)
    /// 1003: a data type the endpoint cannot accept.
    public static let unsupportedData = WebSocketCloseCode(rawValue: 1003)
    /// 1005: no status code was present (reporting only, never sent).
    public static let noStatusReceived = WebSocketCloseCode(rawValue: 1005)
    /// 1006: closed without a close frame (reporting only, never sent).
    public static let abnormalClosure = WebSocketCloseCode(rawValue: 1006)
    /// 1007: a text message (or close reason) that is not valid UTF-8.
    public static let invalidPayloadData = WebSocketCloseCode(rawValue: 1007)
    /// 1008: policy violation (here also: a reader too slow for its outbound buffer).
    public static let policyViolation = WebSocketCloseCode(rawValue: 1008)
    /// 1009: a frame or message above the configured size limit.
    public static let messageTooBig = WebSocketCloseCode(rawValue: 1009)
    /// 1010: the client expected an extension the server did not negotiate.
    public static let mandatoryExtension = WebSocketCloseCode(rawValue: 1010)
    /// 1011: unexpected server condition.
    public static let internalError = WebSocketCloseCode(rawValue: 1011)
    /// 1012: service restart (IANA).
    public static let serviceRestart = WebSocketCloseCode(rawValue: 1012)
    /// 1013: try again later (IANA).
    public static let tryAgainLater = WebSocketCloseCode(rawValue: 1013)
    /// 1015: TLS handshake failure (reporting only, never sent).
    public static let tlsHandshakeFailure = WebSocketCloseCode(rawValue: 1015)

    /// Whether the code may appear in a close frame on the wire (§7.4.1, §7.4.2): 1000–1003,
    /// 1007–1014 (1012–1014 registered with IANA after the RFC) and 3000–4999 (libraries and
    /// applications). 1004 is reserved; 1005, 1006 and 1015 are for reporting only; 1016–2999
    /// are unassigned; below 1000 and from 5000 are undefined.
    public var isValidOnTheWire: Bool {
        switch rawValue {
        case 1000...1003, 1007...1014, 3000...4999: true
        default: false
        }
    }
}
