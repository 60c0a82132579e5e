import Dispatch
import PersonaRuntime
import Reactor
import Redis
import Synchronization

/// The session store of a node that shares its state through Redis (`persona serve --redis`):
/// sessions, turns, engine state and daily counts live in Redis, so a session started on one
/// node is resumed on any other (README → "Several nodes (Redis)"; keys in ``RedisSessionKeys``).
///
/// It owns one event loop of its own with one ``RedisClusterClient`` on it, like the SQLite
/// store owns its writer thread: hubs hand requests over from their loops and never wait. The
/// client is one connection to a plain server, or one per master of a Redis Cluster (found
/// from the seeds at start); either way a session's keys share a hash tag, so they live on one
/// connection that keeps every request in order, and a load sees every write made before it.
/// A write of turns and engine state (every chat message and reply) is one call of
/// ``RedisSessionCodec/turnScript`` by its digest (`EVALSHA`, see ``RedisScript``): atomic, one
/// round trip, pipelined behind the others, and it can publish a relay once the turn is stored
/// (``write(_:publishing:completion:)``). Any other write is one `MULTI … EXEC` (in a cluster
/// one per slot the records touch — the session's own keys always together). The completion
/// runs when Redis answers — the hub sends the `ack` only then.
///
/// ## Failure
///
/// While Redis is unreachable the client waits between reconnect attempts and every request
/// fails at once with a ``StoreFailure`` (the hub refuses the message with `store_unavailable`;
/// a resume is refused the same way). ``isWritable`` is false from the moment the connection
/// is lost or a write fails, so `/ready` answers 503, and true again as soon as the client has
/// reconnected and handshaken — no traffic and no restart needed.
public final class RedisSessionStore: PublishingStoreBackend, @unchecked Sendable {
    /// Where Redis is: the first seed (whose settings every cluster node shares).
    public let redis: RedisConfiguration
    /// Every seed, in the order they are asked at start.
    public let seeds: [RedisConfiguration]
    /// This node's id (`--node-id`), written into each session it starts.
    public let node: String
    /// Sessions and turns expire this long after their last write.
    public let retention: Duration
    /// The key layout.
    public let keys: RedisSessionKeys

    private let group: EventLoopGroup
    private let client: LoopBound<RedisClusterClient>
    private let turnScript: LoopBound<RedisScript>
    private let writable = Atomic<Bool>(false)
    private let statistics = Mutex(RedisStoreStatistics())
    private let closed = Atomic<Bool>(false)

    /// A store on one seed (see ``init(seeds:node:retention:keys:)``).
    public convenience init(
        redis: RedisConfiguration, node: String, retention: Duration, keys: RedisSessionKeys = RedisSessionKeys()
    ) throws(StoreFailure) {
        try self.init(seeds: [redis], node: node, retention: retention, keys: keys)
    }

    /// Starts the store's loop and client (asking the seeds in the background); ``boot()``
    /// says whether Redis answers.
    public init(
        seeds: [RedisConfiguration], node: String, retention: Duration, keys: RedisSessionKeys = RedisSessionKeys()
    ) throws(StoreFailure) {
        precondition(!seeds.isEmpty, "a Redis store needs a seed")
        self.redis = seeds[0]
        self.seeds = seeds
        self.node = node
        self.retention = retention
        self.keys = keys
        do {
            group = try EventLoopGroup(loops: 1)
        } catch {
            throw StoreFailure("cannot start the Redis store's loop: \(error)")
        }
        let loop = group.loops[0]
        if seeds[0].usesTLS {
            // The TLS context is made per connection; check once here that it can be, so a bad
            // CA file stops the start rather than every later connection.
            do {
                _ = try RedisClient(configuration: seeds[0], loop: loop)
            } catch {
                group.shutdown()
                throw StoreFailure("\(seeds[0].redactedURL): \(error)")
            }
        }
        client = LoopBound(RedisClusterClient(seeds: seeds, loop: loop), loop: loop)
        turnScript = LoopBound(RedisScript(RedisSessionCodec.turnScript), loop: loop)
        let client = client
        loop.execute {
            client.value.onStatusChange = { [weak self] status in
                guard let self else { return }
                switch status {
                case .ready:
                    self.writable.store(true, ordering: .releasing)
                    self.statistics.withLock { $0.connects += 1 }
                case .waiting, .closed: self.writable.store(false, ordering: .releasing)
                case .idle, .connecting: break
                }
            }
            client.value.onRouting = { [weak self] decision in
                self?.statistics.withLock {
                    switch decision {
                    case .moved: $0.moved += 1
                    case .ask: $0.asked += 1
                    case .tryAgain: $0.triedAgain += 1
                    case nil: $0.topologyRefreshes += 1
                    case .deliver, .giveUp: break
                    }
                }
            }
            client.value.start()
        }
    }

    /// Increments `persona:boots` and returns it (the epoch in this node's session ids),
    /// waiting up to the connect and command timeouts: a node does not start on a Redis it
    /// cannot reach.
    public func boot() throws(StoreFailure) -> Int {
        let reply = try command(["INCR", keys.boots])
        guard let value = reply.int else { throw StoreFailure("unexpected INCR reply \(reply)") }
        return Int(value)
    }

    // MARK: SessionStoreBackend

    /// One script call or `MULTI … EXEC` for the records; `completion` runs when Redis answers.
    public func write(
        _ records: [StoreRecord], completion: @escaping @Sendable (Result<Void, StoreFailure>) -> Void
    ) {
        perform(records, publishing: nil) { completion($0.map { _ in () }) }
    }

    /// Writes `records` and, in the same call, once they are stored, publishes `publication`;
    /// `completion` gets the number of subscribers that received it.
    package func write(
        _ records: [StoreRecord], publishing publication: StorePublication,
        completion: @escaping @Sendable (Result<Int, StoreFailure>) -> Void
    ) {
        perform(records, publishing: publication, completion)
    }

    private func perform(
        _ records: [StoreRecord], publishing publication: StorePublication?,
        _ completion: @escaping @Sendable (Result<Int, StoreFailure>) -> Void
    ) {
        guard
            let write = RedisSessionCodec.write(
                for: records, publishing: publication, keys: keys, node: node,
                retentionMilliseconds: retention.milliseconds, nowMilliseconds: WallMilliseconds.now())
        else { return completion(.success(0)) }
        client.loop.execute { [self] in
            let done: (Result<Int, StoreFailure>) -> Void = { result in
                switch result {
                case .success:
                    self.writable.store(true, ordering: .releasing)
                    self.statistics.withLock { $0.writes += 1 }
                case .failure:
                    self.writable.store(false, ordering: .releasing)
                    self.statistics.withLock { $0.failedWrites += 1 }
                }
                completion(result)
            }
            switch write {
            case .script(let keys, let arguments):
                let script = turnScript.value
                script.run(on: client.value, keys: keys.map { Array($0.utf8) }, arguments: arguments) { result in
                    self.statistics.withLock {
                        $0.scripts += 1
                        $0.scriptFallbacks = script.fallbacks
                    }
                    done(result.map { Int($0.int ?? 0) }.mapError { self.failure($0) })
                }
            case .transaction(let commands):
                transaction(commands) { result in
                    done(result.map { replies in publication == nil ? 0 : Int(replies.last?.int ?? 0) })
                }
            }
        }
    }

    /// `HGETALL` of the session hash and `XRANGE` of its turns, pipelined.
    public func load(
        _ session: String, completion: @escaping @Sendable (Result<StoredSession?, StoreFailure>) -> Void
    ) {
        client.loop.execute { [self] in read(session, completion) }
    }

    /// Reads one session, waiting.
    public func history(_ session: String) throws(StoreFailure) -> StoredSession? {
        try blocking { _, answer in self.read(session, answer) }
    }

    /// Erases one client's sessions (both keys of each), its session set and its daily counts
    /// of today and yesterday, waiting; returns the sessions erased.
    public func forget(client key: String) throws(StoreFailure) -> Int {
        let members = try command(["SMEMBERS", keys.clientSessions(key)])
        let ids = (members.elements ?? []).compactMap(\.string)
        let today = WallMilliseconds.now() / 86_400_000
        var commands = ids.map { ["DEL", keys.session($0), keys.turns($0)] }
        commands.append(["DEL", keys.clientSessions(key)])
        commands.append(["HDEL", keys.quota(day: today), key])
        commands.append(["HDEL", keys.quota(day: today - 1), key])
        let all = commands
        let replies = try blocking { _, answer in self.transaction(all, answer) }
        return replies.prefix(ids.count).count { ($0.int ?? 0) > 0 }
    }

    /// Whether the connection is up and the last write succeeded.
    public var isWritable: Bool { writable.load(ordering: .acquiring) }

    /// The daily counts kept for `day` (empty when Redis cannot be read).
    public func quotas(day: Int64) -> [String: Int] {
        let reply = try? command(["HGETALL", keys.quota(day: day)])
        guard let reply, let fields = try? RedisSessionCodec.pairs(reply) else { return [:] }
        return fields.compactMapValues { Int($0) }
    }

    /// Writes, failures and (re)connections so far.
    public var stats: RedisStoreStatistics { statistics.withLock { $0 } }

    /// Closes the client and stops the store's loop. Blocks; call from outside the loop.
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let client = client
        let done = DispatchSemaphore(value: 0)
        client.loop.execute {
            client.value.close()
            done.signal()
        }
        done.wait()
        group.shutdown()
    }

    /// Closes what the owner did not; never from the store's own loop (it would wait on itself).
    deinit {
        if !client.loop.inEventLoop { close() }
    }

    /// Sends one command on the store's connection (from any thread); `completion` runs on
    /// the store's loop. Other Redis users of the node (the shared response cache) share it.
    package func send(_ arguments: [String], _ completion: @escaping @Sendable (Result<RESPValue, RedisError>) -> Void) {
        let client = client
        client.loop.execute { client.value.send(arguments, completion) }
    }

    /// Runs `body` with the store's client on its loop (from any thread).
    package func withClient(_ body: @escaping @Sendable (any RedisCommanding) -> Void) {
        let client = client
        client.loop.execute { body(client.value) }
    }

    // MARK: On the loop

    /// Sends `MULTI`, `commands`, `EXEC`; answers with `EXEC`'s replies, or the first error.
    private func transaction(_ commands: [[String]], _ answer: @escaping (Result<[RESPValue], StoreFailure>) -> Void) {
        transaction(commands.map { $0.map { Array($0.utf8) } }, answer)
    }

    private func transaction(_ commands: [[[UInt8]]], _ answer: @escaping (Result<[RESPValue], StoreFailure>) -> Void) {
        let client = client.value
        let redis = redis.redactedURL
        client.transaction(commands) { result in
            switch result {
            case .success(let reply):
                guard let replies = reply.elements else {
                    return answer(.failure(StoreFailure("\(redis): the transaction was aborted (\(reply))")))
                }
                if let error = replies.lazy.compactMap(\.errorMessage).first {
                    return answer(.failure(StoreFailure("\(redis): \(error)")))
                }
                answer(.success(replies))
            case .failure(let error):
                answer(.failure(self.failure(error)))
            }
        }
    }

    private func read(_ session: String, _ answer: @escaping @Sendable (Result<StoredSession?, StoreFailure>) -> Void) {
        let client = client.value
        let redis = redis.redactedURL
        var hash: Result<RESPValue, RedisError>?
        client.send(["HGETALL", keys.session(session)]) { hash = $0 }
        client.send(["XRANGE", keys.turns(session), "-", "+"]) { turns in
            do {
                let hashReply = try hash!.get()
                let turnsReply = try turns.get()
                answer(.success(try RedisSessionCodec.session(id: session, hash: hashReply, turns: turnsReply)))
            } catch let error as RedisError {
                answer(.failure(self.failure(error)))
            } catch {
                answer(.failure(StoreFailure("\(redis): \(error)")))
            }
        }
    }

    /// Runs `body` on the loop and waits for its answer (longer than the client's own
    /// timeouts, which always answer first).
    private func blocking<Value: Sendable>(
        _ body: @escaping @Sendable (RedisClusterClient, @escaping @Sendable (Result<Value, StoreFailure>) -> Void) -> Void
    ) throws(StoreFailure) -> Value {
        precondition(!client.loop.inEventLoop, "the Redis store's blocking calls are made off its loop")
        let box = Mutex<Result<Value, StoreFailure>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let client = client
        client.loop.execute {
            body(client.value) { result in
                let first = box.withLock { stored -> Bool in
                    guard stored == nil else { return false }
                    stored = result
                    return true
                }
                if first { done.signal() }
            }
        }
        // Each seed may take its connect timeout before the next is asked.
        let limit = redis.connectTimeout * seeds.count + redis.commandTimeout + .seconds(1)
        guard done.wait(timeout: .now() + .milliseconds(Int(limit.milliseconds))) == .success else {
            throw StoreFailure("\(redis.redactedURL): no answer within \(limit)")
        }
        return try box.withLock { $0! }.get()
    }
}

extension RedisSessionStore {
    /// One command, waiting for its reply.
    private func command(_ arguments: [String]) throws(StoreFailure) -> RESPValue {
        try blocking { client, answer in
            client.send(arguments) { answer($0.mapError { self.failure($0) }) }
        }
    }

    /// A client error as the hub sees it: while the client waits to reconnect, the time
    /// until its next attempt; after a lost connection or a timeout (it reconnects at once),
    /// the first backoff step; none for an error reply.
    func failure(_ error: RedisError) -> StoreFailure {
        let retry: Int64?
        switch error {
        case .unavailable: retry = error.retryAfterMilliseconds
        case .connectionLost, .timeout, .tooManyPending, .tooManyRedirects: retry = max(1, redis.backoff.base.milliseconds)
        default: retry = nil
        }
        return StoreFailure("\(redis.redactedURL): \(error)", retryAfterMilliseconds: retry)
    }
}

/// What the Redis store has done, for `/metrics`.
public struct RedisStoreStatistics: Sendable, Hashable {
    /// Writes committed (scripts and transactions).
    public var writes = 0
    /// Writes that failed (their messages were refused).
    public var failedWrites = 0
    /// Writes made as one call of the turn script.
    public var scripts = 0
    /// Script calls answered `NOSCRIPT` (Redis restarted, failed over or flushed its scripts)
    /// and sent again as `EVAL`.
    public var scriptFallbacks = 0
    /// Connections made and handshaken (more than one after Redis came back).
    public var connects = 0
    /// Redis Cluster `MOVED` redirects followed.
    public var moved = 0
    /// Redis Cluster `ASK` redirects followed.
    public var asked = 0
    /// Redis Cluster `TRYAGAIN`s sent again.
    public var triedAgain = 0
    /// Redis Cluster slot maps read after the first.
    public var topologyRefreshes = 0
}

extension Duration {
    /// Whole milliseconds (saturating).
    var milliseconds: Int64 { wholeMilliseconds }
}
