import ChatProtocol
import PersonaRuntime

/// A session the REST door holds between and during requests: the virtual connection it is
/// attached to in its hub, the hash of its resume token (the same hex SHA-256 the hub and the
/// store keep), and the listener of the request in progress (REST takes one request per session
/// at a time; the hub would queue, but an HTTP client waiting for its own reply should not wait
/// behind another's).
///
/// The door holds a session while it is attached to its virtual connection: created over REST,
/// or resumed onto REST by a call with its token. A `/v1/ws` client that resumes it takes it
/// away (`session_detached`), and the next REST call resumes it back.
///
/// Loop-confined, like its hub.
final class RESTSession {
    let id: String
    let personality: String
    let connection: VirtualConnection
    let tokenHash: String
    /// The tenant of the API key that holds it (another tenant's key finds no such session).
    var tenant: String?
    /// The request being answered; frames for the session go here.
    var listener: ((ServerMessage) -> Void)?
    /// Messages sent so far, for default message ids.
    var messagesSent = 0
    /// The session talks to a human partner (a random session resumed onto REST): a message is
    /// answered at its `ack` (202), as no bot reply will come; the partner's turns are read
    /// with `GET …/messages`.
    var withHuman = false

    init(id: String, personality: String, connection: VirtualConnection, tokenHash: String) {
        self.id = id
        self.personality = personality
        self.connection = connection
        self.tokenHash = tokenHash
    }
}

/// What stays of a REST session after it ended: enough to answer `GET` and `DELETE` with its
/// token, and to say why it ended (history is read from the store).
struct EndedRESTSession {
    let id: String
    let personality: String
    let tokenHash: String
    /// The tenant of the key that held it: another tenant's key finds no such session.
    let tenant: String?
    let reason: EndReason
    let farewell: String?
}
