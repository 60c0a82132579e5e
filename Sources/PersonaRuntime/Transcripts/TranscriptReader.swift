/// A transcript store whose turns the hub can read back on its own thread without waiting
/// (the in-memory store). Reads serve REST history; a store that reads from disk answers
/// elsewhere, off the loop.
public protocol TranscriptReader: AnyObject {
    /// The turns kept for `session`, in order.
    func transcript(of session: String) -> [TranscriptEntry]
}

extension InMemoryTranscriptStore: TranscriptReader {}
