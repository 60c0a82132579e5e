import Reactor

/// A client for a Redis Cluster — or for one plain server, whichever its seeds turn out to be —
/// behind the same seam as ``RedisClient`` (``RedisCommanding``).
///
/// At ``start()`` it asks the seeds, in order, for `CLUSTER SLOTS` until one answers:
/// - a slot map: **cluster mode**. One ``RedisClient`` per master (made when first needed, each
///   with its own reconnects and pipeline, so commands to one node keep their order); each
///   command goes to the master of its key's slot (``RedisCommandKey``); keyless ones to any
///   master.
/// - an error reply (`ERR This instance has cluster support disabled`): **one server**; every
///   call goes to that seed's client, exactly as a plain ``RedisClient``.
/// - no answer: the next seed; when none answers, what waits fails with
///   ``RedisError/unavailable(retryAfter:reason:)`` naming every seed, and it tries again
///   after the backoff.
///
/// In cluster mode (decisions in ``RedisRedirectPolicy``):
/// - `MOVED slot node`: the slot is patched in the map, the topology refreshed in the
///   background, and the command sent to `node`;
/// - `ASK slot node`: `ASKING` and the command go to `node`, once, pipelined;
/// - `TRYAGAIN` (a multi-key command or transaction met a slot half migrated): sent again after
///   ``tryAgainDelay``;
/// - more than ``RedisConfiguration/maxRedirects`` redirects for one command:
///   ``RedisError/tooManyRedirects(limit:last:)``;
/// - a master's connection lost (failover, node killed): the topology is refreshed from any
///   node that answers; a command that could not be sent (``RedisError/unavailable(retryAfter:reason:)``)
///   waits for that refresh and is sent once more where the map then points (it never ran, so
///   this cannot run it twice); a command in flight fails with ``RedisError/connectionLost(_:)``
///   as on one server (it may have run).
///
/// Loop-confined: create it anywhere, then use it only on ``loop``.
public final class RedisClusterClient: RedisCommanding {
    /// The loop every connection lives on.
    public let loop: EventLoop
    /// The seeds, in the order they are asked; the first also gives every node's credentials,
    /// TLS settings, timeouts and limits.
    public let seeds: [RedisConfiguration]
    /// The current status.
    public private(set) var status = RedisClient.Status.idle
    /// Called on each status change.
    public var onStatusChange: ((RedisClient.Status) -> Void)?
    /// The slot map (empty until the cluster answered, or for one server).
    public private(set) var slotMap = RedisSlotMap()
    /// Topology refreshes done (`CLUSTER SLOTS` answered after the first).
    public private(set) var refreshes = 0
    /// Redirects followed, `MOVED` and `ASK`.
    public private(set) var redirectsFollowed = (moved: 0, ask: 0)
    /// Called for each redirect followed (`MOVED`, `ASK`, `TRYAGAIN`), and each refresh that
    /// read a new map (`nil`) — for an owner's metrics.
    public var onRouting: ((RedisRedirectPolicy.Decision?) -> Void)?

    /// How long a command answered `TRYAGAIN` (its keys half migrated) waits before it is
    /// sent again: 10 ms, about one `MIGRATE` batch.
    public static let tryAgainDelay = Duration.milliseconds(10)

    private enum Mode {
        case discovering
        case server(RedisClient)
        case cluster
    }

    /// One call waiting or in flight.
    private struct Operation {
        var commands: [[[UInt8]]]
        var isTransaction: Bool
        var completion: (Result<RESPValue, RedisError>) -> Void
        var redirects = 0
        var retriedAfterRefresh = false
    }

    private var mode = Mode.discovering
    private var nodes: [RedisClusterNode: RedisClient] = [:]
    private var held: [Operation] = []
    private var afterRefresh: [Operation] = []
    private var refreshing = false
    private var refreshAgain = false
    private var attempt = 0
    private var retryTimer: TimerID?
    private var nextAttempt: MonotonicInstant?

    /// Makes a client for `seeds` (at least one).
    public init(seeds: [RedisConfiguration], loop: EventLoop) {
        precondition(!seeds.isEmpty, "a Redis client needs a seed")
        self.seeds = seeds
        self.loop = loop
    }

    /// Whether the seeds turned out to be a cluster.
    public var isCluster: Bool {
        if case .cluster = mode { return true }
        return false
    }

    /// The masters of the slot map (where a subscriber may move when its node dies).
    public var masterNodes: [RedisClusterNode] { slotMap.masters }

    /// Starts asking the seeds. Loop thread only.
    public func start() {
        precondition(loop.inEventLoop, "a RedisClusterClient is used only on its loop")
        guard status == .idle else { return }
        discover()
    }

    /// Closes every connection; what waits fails with ``RedisError/closed``.
    public func close() {
        precondition(loop.inEventLoop, "a RedisClusterClient is used only on its loop")
        guard status != .closed else { return }
        setStatus(.closed)
        if let retryTimer { loop.cancelTimer(retryTimer) }
        retryTimer = nil
        let waiting = held + afterRefresh
        held = []
        afterRefresh = []
        for operation in waiting { operation.completion(.failure(.closed)) }
        for client in nodes.values { client.close() }
        nodes = [:]
        if case .server(let client) = mode { client.close() }
    }

    /// Sends one command to the node of its key.
    public func send(
        bytes arguments: [[UInt8]], _ completion: @escaping (Result<RESPValue, RedisError>) -> Void
    ) {
        perform(Operation(commands: [arguments], isTransaction: false, completion: completion))
    }

    /// Runs `commands` as one `MULTI … EXEC` per slot (one in all on one server), pipelined,
    /// and answers with the replies in the commands' order once every part has answered.
    public func transaction(
        _ commands: [[[UInt8]]], _ completion: @escaping (Result<RESPValue, RedisError>) -> Void
    ) {
        guard isCluster else {
            return perform(Operation(commands: commands, isTransaction: true, completion: completion))
        }
        let groups = RedisCommandKey.slotGroups(commands)
        guard groups.count > 1 else {
            return perform(Operation(commands: commands, isTransaction: true, completion: completion))
        }
        var replies = [RESPValue?](repeating: nil, count: commands.count)
        var remaining = groups.count
        var failed = false
        for group in groups {
            let part = group.indices.map { commands[$0] }
            perform(
                Operation(commands: part, isTransaction: true) { result in
                    guard !failed else { return }
                    switch result {
                    case .failure:
                        failed = true
                        return completion(result)
                    case .success(let reply):
                        guard let values = reply.elements, values.count == group.indices.count else {
                            failed = true
                            return completion(result)  // aborted: the caller sees EXEC's own answer
                        }
                        for (index, value) in zip(group.indices, values) { replies[index] = value }
                    }
                    remaining -= 1
                    if remaining == 0 { completion(.success(.array(replies.map { $0 ?? .null }))) }
                })
        }
    }

    // MARK: Discovery

    private func discover() {
        setStatus(.connecting)
        probe(seed: 0, problems: [])
    }

    /// Asks seed `index` for the slot map.
    private func probe(seed index: Int, problems: [String]) {
        guard status != .closed else { return }
        guard index < seeds.count else { return discoveryFailed(problems) }
        let seed = seeds[index]
        let client: RedisClient
        do {
            client = try RedisClient(configuration: seed, loop: loop)
        } catch {
            return probe(seed: index + 1, problems: problems + ["\(seed.redactedURL): \(error)"])
        }
        client.start()
        client.send(["CLUSTER", "SLOTS"]) { [weak self] result in
            guard let self, self.status != .closed else { return client.close() }
            switch result {
            case .success(let reply):
                guard let map = RedisSlotMap(slotsReply: reply, fallbackHost: seed.host), !map.isEmpty else {
                    client.close()
                    return self.probe(
                        seed: index + 1,
                        problems: problems + ["\(seed.redactedURL): the cluster serves no slots yet"])
                }
                self.nodes[RedisClusterNode(seed)] = client
                client.onStatusChange = { [weak self] status in self?.nodeStatusChanged(status) }
                self.becomeCluster(map)
            case .failure(.server):
                self.becomeServer(client)
            case .failure(let error):
                client.close()
                self.probe(seed: index + 1, problems: problems + ["\(seed.redactedURL): \(error)"])
            }
        }
    }

    private func becomeServer(_ client: RedisClient) {
        mode = .server(client)
        attempt = 0
        client.onStatusChange = { [weak self] status in
            guard let self, self.status != .closed else { return }
            self.setStatus(status)
        }
        setStatus(client.status)
        let waiting = held
        held = []
        for operation in waiting { perform(operation) }
    }

    private func becomeCluster(_ map: RedisSlotMap) {
        mode = .cluster
        attempt = 0
        slotMap = map
        setStatus(.ready)
        let waiting = held
        held = []
        for operation in waiting { perform(operation) }
    }

    private func discoveryFailed(_ problems: [String]) {
        let delay = seeds[0].backoff.delay(attempt: attempt, unit: Double.random(in: 0...1))
        attempt += 1
        nextAttempt = loop.now().advanced(by: delay)
        let error = RedisError.unavailable(
            retryAfter: max(delay, .milliseconds(1)), reason: problems.joined(separator: "; "))
        setStatus(.waiting(error))
        let waiting = held
        held = []
        for operation in waiting { operation.completion(.failure(error)) }
        retryTimer = loop.scheduleTimer(after: delay) { [weak self] in
            guard let self, case .waiting = self.status else { return }
            self.retryTimer = nil
            self.nextAttempt = nil
            self.discover()
        }
    }

    // MARK: Routing

    private func perform(_ operation: Operation) {
        precondition(loop.inEventLoop, "a RedisClusterClient is used only on its loop")
        switch (mode, status) {
        case (_, .closed):
            operation.completion(.failure(.closed))
        case (.server(let client), _):
            carry(operation, on: client, asking: false) { _, result in operation.completion(result) }
        case (.discovering, .waiting(let error)):
            operation.completion(.failure(stillUnavailable(error)))
        case (.discovering, _):
            held.append(operation)
        case (.cluster, _):
            // A transaction held while the seeds were asked is split by slot now.
            if operation.isTransaction, RedisCommandKey.slotGroups(operation.commands).count > 1 {
                return transaction(operation.commands, operation.completion)
            }
            route(operation, asking: nil)
        }
    }

    /// Sends `operation` to the master of its slot (or to `asking`, after `ASKING`).
    private func route(_ operation: Operation, asking: RedisClusterNode?) {
        let slot = operation.commands.lazy.compactMap { RedisCommandKey.slot(of: $0) }.first
        let target: RedisClusterNode
        if let asking {
            target = asking
        } else if let slot {
            guard let master = slotMap.master(for: slot) else {
                refreshTopology()
                return operation.completion(
                    .failure(
                        .unavailable(
                            retryAfter: .milliseconds(100), reason: "no master serves slot \(slot) yet")))
            }
            target = master
        } else {
            guard
                let any = slotMap.masters.first(where: { nodes[$0]?.isReady == true })
                    ?? slotMap.masters.first
            else {
                return operation.completion(
                    .failure(.unavailable(retryAfter: .milliseconds(100), reason: "no master known")))
            }
            target = any
        }
        carry(operation, on: client(for: target), asking: asking != nil) { [weak self] error, result in
            self?.answered(operation, from: target, error: error, result: result)
        }
    }

    /// What a node answered: delivered, redirected, or retried after a refresh.
    private func answered(
        _ operation: Operation, from node: RedisClusterNode, error redirectText: String?,
        result: Result<RESPValue, RedisError>
    ) {
        guard status != .closed else { return operation.completion(.failure(.closed)) }
        var next = operation
        next.redirects += 1
        switch RedisRedirectPolicy.decide(
            error: redirectText, sentTo: node, redirects: operation.redirects, limit: seeds[0].maxRedirects)
        {
        case .moved(let slot, let owner):
            redirectsFollowed.moved += 1
            onRouting?(.moved(slot: slot, node: owner))
            slotMap.assign(slot, to: owner)
            refreshTopology()
            route(next, asking: nil)
        case .ask(let owner):
            redirectsFollowed.ask += 1
            onRouting?(.ask(node: owner))
            route(next, asking: owner)
        case .tryAgain:
            onRouting?(.tryAgain)
            _ = loop.scheduleTimer(after: Self.tryAgainDelay) { [weak self] in self?.route(next, asking: nil)
            }
        case .giveUp(let limit, let last):
            refreshTopology()
            operation.completion(.failure(.tooManyRedirects(limit: limit, last: last)))
        case .deliver:
            switch result {
            case .failure(.unavailable) where !operation.retriedAfterRefresh:
                // Never sent: wait for a fresh map (a failover may have named a new master).
                next = operation
                next.retriedAfterRefresh = true
                afterRefresh.append(next)
                refreshTopology()
            case .failure(.connectionLost), .failure(.timeout):
                refreshTopology()
                operation.completion(result)
            default:
                operation.completion(result)
            }
        }
    }

    /// Sends the operation's commands on `client`; `done` gets the first redirect text met
    /// (for a transaction, among the `MULTI` replies and `QUEUED`s too) and the final result.
    private func carry(
        _ operation: Operation, on client: RedisClient, asking: Bool,
        _ done: @escaping (_ redirect: String?, Result<RESPValue, RedisError>) -> Void
    ) {
        if asking { client.send(["ASKING"]) { _ in } }
        guard operation.isTransaction else {
            return client.send(bytes: operation.commands[0]) { result in
                if case .failure(.server(let text)) = result { return done(text, result) }
                done(nil, result)
            }
        }
        var redirect: String?
        let noteRedirect: (Result<RESPValue, RedisError>) -> Void = { result in
            if redirect == nil, case .failure(.server(let text)) = result,
                RedisRedirect(errorMessage: text) != nil
            {
                redirect = text
            }
        }
        client.send(["MULTI"], noteRedirect)
        for command in operation.commands { client.send(bytes: command, noteRedirect) }
        client.send(["EXEC"]) { result in
            if let redirect { return done(redirect, result) }
            if case .failure(.server(let text)) = result { return done(text, result) }
            done(nil, result)
        }
    }

    /// The connection to `node`, made on first use.
    private func client(for node: RedisClusterNode) -> RedisClient {
        if let client = nodes[node] { return client }
        let client: RedisClient
        do {
            client = try RedisClient(configuration: node.configuration(from: seeds[0]), loop: loop)
        } catch {
            // The TLS context was made once for the first seed already; the same settings
            // cannot fail now, so this is unreachable in practice.
            preconditionFailure("cannot make a Redis client for \(node): \(error)")
        }
        client.onStatusChange = { [weak self] status in self?.nodeStatusChanged(status) }
        nodes[node] = client
        client.start()
        return client
    }

    /// A master's connection was lost (refresh: a failover may be under way) or came back
    /// while the cluster counted as unreachable (refresh: it may be whole again).
    private func nodeStatusChanged(_ status: RedisClient.Status) {
        guard isCluster else { return }
        switch status {
        case .waiting: refreshTopology()
        case .ready where self.status != .ready: refreshTopology()
        default: break
        }
    }

    // MARK: Topology

    /// Asks the known masters, then the seeds, for `CLUSTER SLOTS`; one refresh at a time (a
    /// request during one runs once more after it).
    public func refreshTopology() {
        guard isCluster, status != .closed else { return }
        guard !refreshing else {
            refreshAgain = true
            return
        }
        refreshing = true
        var candidates = slotMap.masters.filter { nodes[$0]?.isReady == true }
        for node in slotMap.masters + seeds.map(RedisClusterNode.init) where !candidates.contains(node) {
            candidates.append(node)
        }
        ask(candidates[...], problems: [])
    }

    private func ask(_ candidates: ArraySlice<RedisClusterNode>, problems: [String]) {
        guard let node = candidates.first else { return refreshed(nil, problems: problems) }
        client(for: node).send(["CLUSTER", "SLOTS"]) { [weak self] result in
            guard let self, self.status != .closed else { return }
            if case .success(let reply) = result,
                let map = RedisSlotMap(slotsReply: reply, fallbackHost: node.host),
                !map.isEmpty
            {
                return self.refreshed(map, problems: problems)
            }
            let problem: String
            switch result {
            case .success: problem = "\(node): no slot map"
            case .failure(let error): problem = "\(node): \(error)"
            }
            self.ask(candidates.dropFirst(), problems: problems + [problem])
        }
    }

    private func refreshed(_ map: RedisSlotMap?, problems: [String]) {
        refreshing = false
        if let map {
            slotMap = map
            refreshes += 1
            onRouting?(nil)
            for (node, client) in nodes where !map.masters.contains(node) && client.pendingCount == 0 {
                client.close()
                nodes[node] = nil
            }
            if status != .ready { setStatus(.ready) }
        } else {
            setStatus(
                .waiting(
                    .unavailable(retryAfter: .milliseconds(100), reason: problems.joined(separator: "; "))))
        }
        let waiting = afterRefresh
        afterRefresh = []
        for operation in waiting { route(operation, asking: nil) }
        if refreshAgain {
            refreshAgain = false
            // A node that stays down would make this a tight loop; the next trigger (a
            // command, a lost connection) asks again instead.
            if map != nil { refreshTopology() }
        }
    }

    // MARK: Status

    private func stillUnavailable(_ error: RedisError) -> RedisError {
        let left = nextAttempt.map { loop.now() < $0 ? loop.now().duration(to: $0) : .zero } ?? .zero
        guard case .unavailable(_, let reason) = error else { return error }
        return .unavailable(retryAfter: max(left, .milliseconds(1)), reason: reason)
    }

    private func setStatus(_ new: RedisClient.Status) {
        guard status != new else { return }
        status = new
        onStatusChange?(new)
    }
}
