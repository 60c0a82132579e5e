import Foundation

/// A real Redis Cluster of three masters (no replicas) on free loopback ports: three
/// ``RedisServerProcess``es with `--cluster-enabled yes`, joined with
/// `redis-cli --cluster create … --cluster-replicas 0 --cluster-yes`, ready once every node
/// reports `cluster_state:ok`. Stopped (every server killed, directories removed) by
/// ``remove()`` or when released.
public final class RedisClusterProcess: @unchecked Sendable {
    /// The servers, in order of creation (masters first, then replicas).
    public let servers: [RedisServerProcess]

    /// The `redis-cli` executable (Debian ships it with `redis-server`, in `redis-tools`).
    public static var cliExecutable: String {
        ["/usr/bin/redis-cli", "/usr/local/bin/redis-cli"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
            ?? "/usr/bin/redis-cli"
    }

    /// Whether both `redis-server` and `redis-cli` are installed.
    public static var available: Bool {
        FileManager.default.isExecutableFile(atPath: RedisServerProcess.executable)
            && FileManager.default.isExecutableFile(atPath: cliExecutable)
    }

    /// Starts `masters` servers (and `replicas` per master) and makes them one cluster (10 s
    /// at most). `redis-cli` makes the first `masters` servers masters.
    public init(masters: Int = 3, replicas: Int = 0) throws {
        servers = try (0..<(masters * (1 + replicas))).map { _ in
            try RedisServerProcess(arguments: [
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout",
                "1000",
                // The bus port defaults to port + 10000, past 65535 for a high free port.
                "--cluster-port", String(try RedisServerProcess.freePort()),
                // A master down leaves its slots unserved; the others keep serving theirs.
                "--cluster-require-full-coverage", "no",
            ])
        }
        let create = try ProcessResult.run(
            URL(fileURLWithPath: Self.cliExecutable),
            ["--cluster", "create"] + ports.map { "127.0.0.1:\($0)" } + [
                "--cluster-replicas", String(replicas), "--cluster-yes",
            ])
        guard create.status == 0 else {
            remove()
            throw RedisServerProcess.RedisServerError(
                message: "redis-cli --cluster create failed: \(create.stdout)")
        }
        try waitUntilHealthy()
    }

    /// The masters' ports.
    public var ports: [Int] { servers.map(\.port) }

    /// `redis://127.0.0.1:P1,redis://127.0.0.1:P2,…`, the seeds for `persona serve --redis`.
    public var seedList: String { seedList(startingAt: 0) }

    /// The seeds rotated to start at master `first` (a node subscribes on its first seed, so
    /// two nodes given different rotations listen on different masters).
    public func seedList(startingAt first: Int) -> String {
        (0..<ports.count).map { "redis://127.0.0.1:\(ports[(first + $0) % ports.count])" }.joined(
            separator: ",")
    }

    /// Waits (10 s at most) until every running node reports `cluster_state:ok` and the same
    /// slot owners as the others.
    public func waitUntilHealthy(seconds: Double = 10) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let running = servers.filter { $0.pid != nil }
            let states = try running.map { try cli($0.port, ["CLUSTER", "INFO"]) }
            let views = try running.map { try cli($0.port, ["CLUSTER", "SLOTS"]) }
            let replicating = try running.map { try cli($0.port, ["INFO", "replication"]) }
            if states.allSatisfy({ $0.contains("cluster_state:ok") }), Set(views).count == 1,
                replicating.allSatisfy({ !$0.contains("role:slave") || $0.contains("master_link_status:up") })
            {
                return
            }
            usleep(50_000)
        }
        throw RedisServerProcess.RedisServerError(
            message: "the cluster did not become healthy within \(seconds) s")
    }

    /// Runs `redis-cli -p port ARGUMENTS…` and returns its output, trimmed.
    @discardableResult
    public func cli(_ port: Int, _ arguments: [String]) throws -> String {
        let result = try ProcessResult.run(
            URL(fileURLWithPath: Self.cliExecutable), ["-p", String(port)] + arguments)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The node id of the master on `port`.
    public func nodeID(_ port: Int) throws -> String { try cli(port, ["CLUSTER", "MYID"]) }

    /// The port of the master serving `slot`, from the first running node's view.
    public func owner(of slot: Int) throws -> Int {
        let lines = try cli(servers.first { $0.pid != nil }!.port, ["CLUSTER", "SLOTS"]).split(
            separator: "\n")
        // redis-cli prints each range as start, end, host, port, id, … one per line.
        var index = 0
        while index + 3 < lines.count {
            if let start = Int(lines[index]), let end = Int(lines[index + 1]),
                let port = Int(lines[index + 3]),
                (start...end).contains(slot)
            {
                return port
            }
            index += 1
        }
        throw RedisServerProcess.RedisServerError(message: "no owner for slot \(slot)")
    }

    /// The slot of `key`, as the cluster computes it.
    public func slot(of key: String) throws -> Int {
        guard let slot = Int(try cli(servers.first { $0.pid != nil }!.port, ["CLUSTER", "KEYSLOT", key]))
        else {
            throw RedisServerProcess.RedisServerError(message: "CLUSTER KEYSLOT \(key) failed")
        }
        return slot
    }

    /// Starts moving `slot` from `source` to `target` (cluster spec, "Live resharding"): the
    /// target imports, the source migrates. Keys still on the source are served there; others
    /// get `ASK` to the target.
    public func beginMigration(slot: Int, from source: Int, to target: Int) throws {
        try cli(target, ["CLUSTER", "SETSLOT", String(slot), "IMPORTING", nodeID(source)])
        try cli(source, ["CLUSTER", "SETSLOT", String(slot), "MIGRATING", nodeID(target)])
    }

    /// Moves every key of `slot` from `source` to `target` (`MIGRATE … KEYS`, in batches).
    public func moveKeys(slot: Int, from source: Int, to target: Int) throws {
        while true {
            let keys = try cli(source, ["CLUSTER", "GETKEYSINSLOT", String(slot), "100"]).split(
                separator: "\n"
            )
            .map(String.init).filter { !$0.isEmpty }
            guard !keys.isEmpty else { return }
            let reply = try cli(
                source, ["MIGRATE", "127.0.0.1", String(target), "", "0", "5000", "KEYS"] + keys)
            guard reply == "OK" else {
                throw RedisServerProcess.RedisServerError(message: "MIGRATE of slot \(slot) failed: \(reply)")
            }
        }
    }

    /// Ends a migration: every node learns that `target` serves `slot`.
    public func finishMigration(slot: Int, to target: Int) throws {
        let id = try nodeID(target)
        for port in [target] + ports.filter({ $0 != target })
        where servers.first(where: { $0.port == port })?.pid != nil {
            try cli(port, ["CLUSTER", "SETSLOT", String(slot), "NODE", id])
        }
    }

    /// Moves `slot` from its owner to `target` at once (begin, move keys, finish).
    public func migrate(slot: Int, to target: Int) throws {
        let source = try owner(of: slot)
        guard source != target else { return }
        try beginMigration(slot: slot, from: source, to: target)
        try moveKeys(slot: slot, from: source, to: target)
        try finishMigration(slot: slot, to: target)
    }

    /// Kills every server and removes their directories.
    public func remove() {
        for server in servers { server.remove() }
    }

    deinit { remove() }
}
