import ChatProtocol
import PersonaRuntime

/// A session created over REST, between and during requests: the virtual connection that holds
/// it in its hub, the digest of its token, and the listener of the request in progress (REST
/// takes one request per session at a time; the hub would queue, but an HTTP client waiting
/// for its own reply should not wait behind another's).
///
/// Loop-confined, like its hub.
final class RESTSession {
    let id: String
    let personality: String
    let connection: VirtualConnection
    let tokenDigest: [UInt8]
    /// The request being answered; frames for the session go here.
    var listener: ((ServerMessage) -> Void)?
    /// Messages sent so far, for default message ids.
    var messagesSent = 0

    init(id: String, personality: String, connection: VirtualConnection, tokenDigest: [UInt8]) {
        self.id = id
        self.personality = personality
        self.connection = connection
        self.tokenDigest = tokenDigest
    }
}

/// What stays of a REST session after it ended: enough to answer `GET` and history with its
/// token, and to say why it ended.
struct EndedRESTSession {
    let id: String
    let personality: String
    let tokenDigest: [UInt8]
    let reason: EndReason
    let farewell: String?
}
