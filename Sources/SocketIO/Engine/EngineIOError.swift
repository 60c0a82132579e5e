/// Why an Engine.IO request, packet or session was refused. The HTTP edge renders each as
/// ``httpStatus`` with the protocol's JSON body (`{"code":…,"message":…}`); a WebSocket
/// transport is closed instead.
public enum EngineIOError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `EIO` missing or not `4`.
    case unsupportedProtocolVersion
    /// `transport` missing or neither `polling` nor `websocket`.
    case unknownTransport
    /// `sid` names no live session.
    case unknownSession
    /// The request's transport is not the session's (a poll after the upgrade, …).
    case badRequest(String)
    /// A second GET while one is pending (the session is closed).
    case duplicatePoll
    /// A packet or payload that does not parse.
    case badPacket(String)
    /// A payload larger than `maxPayload` bytes.
    case payloadTooLarge(limit: Int)
    /// Only GET and POST are Engine.IO methods.
    case methodNotAllowed
    /// The peer has too many open sessions.
    case tooManySessions(limit: Int)
    /// The `Origin` is not on the CORS allow-list.
    case originNotAllowed

    /// The numeric code of the reference protocol's error body.
    public var code: Int {
        switch self {
        case .unknownTransport: return 0
        case .unknownSession: return 1
        case .badRequest, .duplicatePoll, .badPacket, .methodNotAllowed: return 3
        case .unsupportedProtocolVersion: return 5
        case .payloadTooLarge: return 3
        case .tooManySessions: return 4
        case .originNotAllowed: return 4
        }
    }

    /// The HTTP status this error is answered with.
    public var httpStatus: Int {
        switch self {
        case .payloadTooLarge: return 413
        case .tooManySessions: return 429
        case .originNotAllowed: return 403
        default: return 400
        }
    }

    /// A human-readable reason.
    public var description: String {
        switch self {
        case .unsupportedProtocolVersion: return "Unsupported protocol version (EIO=4 required)"
        case .unknownTransport: return "Transport unknown"
        case .unknownSession: return "Session ID unknown"
        case .badRequest(let reason): return "Bad request: \(reason)"
        case .duplicatePoll: return "Bad request: a poll is already pending for this session"
        case .badPacket(let reason): return "Bad request: \(reason)"
        case .payloadTooLarge(let limit): return "Payload larger than \(limit) bytes"
        case .methodNotAllowed: return "Bad request: only GET and POST"
        case .tooManySessions(let limit): return "Too many sessions from this address (limit \(limit))"
        case .originNotAllowed: return "Forbidden: origin not allowed"
        }
    }
}
