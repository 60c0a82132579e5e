import Synchronization
import TLS

/// TLS client contexts by CA file (`nil`: the system store), made once and shared by every
/// loop. Making one reads certificate files; the server warms the cache when it loads its
/// upstreams, so a loop normally only looks one up.
public final class TLSContextCache: Sendable {
    private let contexts = Mutex<[String: TLSContext]>([:])

    /// Creates an empty cache.
    public init() {}

    /// The context for `caFile`, made on first use.
    public func context(caFile: String?) throws(TLSError) -> TLSContext {
        let key = caFile ?? ""
        if let found = contexts.withLock({ $0[key] }) { return found }
        let made = try TLSContext(TLSConfiguration(caFile: caFile))
        return contexts.withLock { table in
            if let raced = table[key] { return raced }
            table[key] = made
            return made
        }
    }
}
