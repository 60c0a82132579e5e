import ChatProtocol

/// Where the hub appends conversation turns (DESIGN §5: after the scrub, before the ack, and
/// the bot's reply when it is complete). Called on the hub's thread; an implementation that
/// writes to disk must hand the work off the loop (and, for "an acknowledged message survives
/// kill -9", the shell must delay the ack until the store confirms — a later step).
public protocol TranscriptStore: AnyObject {
    /// Records one turn.
    func append(_ entry: TranscriptEntry)
    /// The session is over.
    func sessionEnded(_ session: String, reason: EndReason)
    /// Forgets what is kept in memory about ended sessions past the store's age bound; the hub
    /// calls it on its housekeeping tick. Returns whether anything about ended sessions is
    /// still held in memory (the hub keeps ticking until nothing is).
    func forgetExpired() -> Bool
}

extension TranscriptStore {
    /// A store that holds nothing about ended sessions in memory has nothing to forget.
    public func forgetExpired() -> Bool { false }
}
