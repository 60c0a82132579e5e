/// Why an admin client request failed.
public enum HTTPClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URL could not be used.
    case invalidURL(String)
    /// The URL is not on this machine's loopback interface.
    case notLoopback(String)
    /// The connection could not be made (the server is not running, or the port is wrong).
    case connect(String)
    /// The answer was not valid HTTP/1.1.
    case protocolError(String)
    /// The answer's body was larger than allowed.
    case bodyTooLarge(limit: Int)
    /// No complete answer within the timeout.
    case timedOut
    /// The server closed the connection before a complete answer.
    case closedEarly

    /// A one-line explanation for the CLI.
    public var description: String {
        switch self {
        case .invalidURL(let text): "invalid URL \(text)"
        case .notLoopback(let text):
            "\(text) is not a loopback address; the admin client only talks to this machine"
        case .connect(let reason): "cannot connect: \(reason)"
        case .protocolError(let reason): "bad HTTP answer: \(reason)"
        case .bodyTooLarge(let limit): "answer larger than \(limit) bytes"
        case .timedOut: "no answer in time"
        case .closedEarly: "the server closed the connection before answering"
        }
    }
}
