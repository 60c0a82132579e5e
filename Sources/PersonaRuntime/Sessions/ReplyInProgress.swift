import ChatProtocol
import Engines
import Policies

/// A bot reply being streamed: the tokens ready to send (already scrubbed), how many went out,
/// and the pacing anchor. Tokens come all at once (a synchronous engine or a cache hit) or
/// over time (a streaming engine, through a ``StreamingScrubber``).
final class ReplyInProgress {
    let number: Int
    let seq: Int
    /// The client message id this reply answers.
    let ref: String
    let acceptedAt: PolicyInstant
    var tokens: [String] = []
    var sent = 0
    /// No more tokens will come.
    var sourceDone = false
    /// How the reply ends once every token is out (when it is not cut or cancelled).
    var finish: FinishReason = .stop
    var engineStream: (any TokenStream)?
    var streamingScrubber: StreamingScrubber?
    /// Pacing: token `k` is due at `paceStart + k / tokens_per_second`.
    var paceStart: PolicyInstant
    var firstTokenAt: PolicyInstant?
    /// Pacing waited for tokens from the engine; re-anchor when they arrive.
    var starved = false
    /// Where to file the reply in the cache when it completes, and whether it may be.
    var cacheKey: ResponseCacheKey?
    /// The same key as text stable across processes, for a cache shared with other nodes.
    var sharedCacheKey: String?
    var cacheTraits = ReplyTraits()
    var fromCache = false

    init(number: Int, seq: Int, ref: String, acceptedAt: PolicyInstant, now: PolicyInstant) {
        self.number = number
        self.seq = seq
        self.ref = ref
        self.acceptedAt = acceptedAt
        self.paceStart = now
    }
}
