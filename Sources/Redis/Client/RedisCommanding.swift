import Reactor

/// The one seam every Redis user of a node talks through (the session store, the shared rate
/// limit and cache, the node link): ``RedisClient`` for one server, ``RedisClusterClient``
/// for a Redis Cluster (or whichever of the two its seeds turn out to be). Loop-confined, like
/// both.
public protocol RedisCommanding: AnyObject {
    /// The loop the client lives on; every call is made there.
    var loop: EventLoop { get }
    /// What the client is doing (for a cluster: ready once the slot map is known).
    var status: RedisClient.Status { get }
    /// Called on each status change.
    var onStatusChange: ((RedisClient.Status) -> Void)? { get set }
    /// Whether commands are routed over a Redis Cluster's masters. In a cluster a `PUBLISH`
    /// reply counts only the subscribers connected to the node it went to, so zero does not
    /// mean nobody listens.
    var isCluster: Bool { get }
    /// Starts connecting.
    func start()
    /// Closes every connection; what is pending fails with ``RedisError/closed``.
    func close()
    /// Sends one command given as binary arguments; replies to commands sent one after the
    /// other (to one node) come back in order.
    func send(bytes arguments: [[UInt8]], _ completion: @escaping (Result<RESPValue, RedisError>) -> Void)
    /// Runs `commands` in `MULTI … EXEC` and answers with `EXEC`'s reply (an array, one reply
    /// per command in order). On one server the whole transaction is atomic; in a cluster each
    /// slot's commands are a transaction of their own (see ``RedisCommandKey/slotGroups(_:)``).
    func transaction(_ commands: [[[UInt8]]], _ completion: @escaping (Result<RESPValue, RedisError>) -> Void)
}

extension RedisCommanding {
    /// Sends one command given as text arguments (`["SET", "key", "value"]`).
    public func send(_ arguments: [String], _ completion: @escaping (Result<RESPValue, RedisError>) -> Void) {
        send(bytes: arguments.map { Array($0.utf8) }, completion)
    }

    /// Runs text commands in a transaction (see ``transaction(_:_:)-(([[[UInt8]]]),_)``).
    public func transaction(
        _ commands: [[String]], _ completion: @escaping (Result<RESPValue, RedisError>) -> Void
    ) {
        transaction(commands.map { $0.map { Array($0.utf8) } }, completion)
    }
}

extension RedisClient: RedisCommanding {
    /// Always false: one server.
    public var isCluster: Bool { false }

    /// `MULTI`, the commands and `EXEC`, pipelined on the one connection; the replies to
    /// `MULTI` and the `QUEUED`s are not reported (an error among them makes `EXEC` fail).
    public func transaction(
        _ commands: [[[UInt8]]], _ completion: @escaping (Result<RESPValue, RedisError>) -> Void
    ) {
        send(["MULTI"]) { _ in }
        for command in commands { send(bytes: command) { _ in } }
        send(["EXEC"], completion)
    }
}
