/// What the chaos checker holds every run to, each readable as a sentence.
public enum ChaosInvariant: String, CaseIterable, Sendable {
    case wireFormat = "every server frame decodes as a protocol message"
    case welcomeFirst = "every connection is greeted with one welcome before anything else"
    case uniqueConnectionIDs = "no two open connections share a connection id"
    case oneAnswerPerMessage = "every client message gets exactly one ack or one error carrying its ref"
    case replyFraming = "a reply's tokens are followed by exactly one reply_end whose count matches"
    case seqIncreases =
        "seq strictly increases per session (acks among themselves, since an ack waits for the store) and is never reused"
    case silenceAfterEnd = "no frame for a session arrives after its session_ended"
    case partnerFromPartner =
        "partner messages arrive only in human sessions and always from the matched partner"
    case noCrossTalk = "nothing from another user's session ever arrives"
    case shutdownRule =
        "on shutdown every human session ends with shutdown (both sides of a pair) and every connection is closed with 1001"
    case rest =
        "after all clients leave, connection and session gauges return to zero and no session is listed"
}

/// A broken invariant: which, where, and the frames that show it.
public struct ChaosViolation: Sendable, CustomStringConvertible {
    /// The invariant broken.
    public var invariant: ChaosInvariant
    /// What was seen.
    public var detail: String
    /// The frames of the connection (or session) concerned, oldest first (`>` sent, `<` received).
    public var frames: [String]

    /// Creates a violation.
    public init(_ invariant: ChaosInvariant, _ detail: String, frames: [String] = []) {
        self.invariant = invariant
        self.detail = detail
        self.frames = frames
    }

    /// "violated: <sentence>: <detail>".
    public var description: String { "violated: \(invariant.rawValue): \(detail)" }
}
