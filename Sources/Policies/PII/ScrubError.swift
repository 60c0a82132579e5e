/// Why a message could not be scrubbed. A message that cannot be scrubbed is refused,
/// never passed through.
public enum ScrubError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The input exceeded ``ScrubberConfiguration/maxInputBytes`` (UTF-8 bytes).
    case inputTooLarge(bytes: Int, limit: Int)
    /// A streaming reply held back more than ``ScrubberConfiguration/maxHeldBytes`` without a
    /// safe place to cut (one unbroken run of non-space text, or an unterminated PEM block).
    case holdBackOverflow(bytes: Int, limit: Int)

    /// A message for logs and the client-facing error.
    public var description: String {
        switch self {
        case .inputTooLarge(let bytes, let limit):
            "message of \(bytes) bytes exceeds the scrubber's limit of \(limit) bytes"
        case .holdBackOverflow(let bytes, let limit):
            "reply held \(bytes) bytes without a safe cut point (limit \(limit))"
        }
    }
}
