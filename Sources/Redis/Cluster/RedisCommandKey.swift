/// Which key decides where a command goes in a Redis Cluster (cluster spec, "Key distribution
/// model"; the key positions are those `COMMAND INFO` reports for the commands clients send).
///
/// Pure and deliberately small: the first argument is the key, except for scripts and
/// functions (`EVAL script numkeys key…`: the first key after `numkeys`, none when it is 0)
/// and for the commands in ``keyless`` (server, connection and pub/sub commands), which any
/// node answers. A multi-key command must keep its keys in one slot (hash tags); Redis refuses
/// one that does not with `CROSSSLOT`, which reaches the caller as a server error.
public enum RedisCommandKey {
    /// Commands without a key: any master may take them (`PUBLISH` too — the cluster bus
    /// delivers a message to subscribers on every node).
    public static let keyless: Set<String> = [
        "ACL", "ASKING", "AUTH", "BGREWRITEAOF", "BGSAVE", "CLIENT", "CLUSTER", "COMMAND", "CONFIG", "DBSIZE",
        "DEBUG",
        "DISCARD", "ECHO", "EXEC", "FLUSHALL", "FLUSHDB", "FUNCTION", "HELLO", "INFO", "KEYS", "LASTSAVE",
        "LATENCY",
        "MEMORY", "MULTI", "PING", "PSUBSCRIBE", "PUBLISH", "PUBSUB", "PUNSUBSCRIBE", "QUIT", "RANDOMKEY",
        "READONLY",
        "READWRITE", "ROLE", "SAVE", "SCAN", "SCRIPT", "SELECT", "SLOWLOG", "SUBSCRIBE", "TIME",
        "UNSUBSCRIBE", "UNWATCH",
        "WAIT",
    ]

    /// Commands whose keys follow a key count in the second argument.
    static let scripted: Set<String> = ["EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO"]

    /// The key that routes `arguments` (the command name first); nil for a keyless command.
    public static func key(of arguments: [[UInt8]]) -> [UInt8]? {
        guard let first = arguments.first else { return nil }
        let name = String(decoding: first, as: UTF8.self).uppercased()
        if keyless.contains(name) { return nil }
        if scripted.contains(name) {
            guard arguments.count >= 4, let count = Int(String(decoding: arguments[2], as: UTF8.self)),
                count > 0
            else { return nil }
            return arguments[3]
        }
        return arguments.count >= 2 ? arguments[1] : nil
    }

    /// The slot of `arguments`' routing key; nil for a keyless command.
    public static func slot(of arguments: [[UInt8]]) -> Int? {
        key(of: arguments).map { RedisClusterSlot.slot(of: $0) }
    }

    /// Splits a transaction's commands into one group per slot, in order of first appearance,
    /// each group's indices in their original order. Keyless commands join the first group.
    /// A cluster runs each group as its own `MULTI … EXEC` on the slot's master: atomic per
    /// slot, and for a transaction whose keys share a hash tag, atomic as a whole.
    public static func slotGroups(_ commands: [[[UInt8]]]) -> [(slot: Int?, indices: [Int])] {
        var groups: [(slot: Int?, indices: [Int])] = []
        var keyless: [Int] = []
        var position: [Int: Int] = [:]
        for (index, command) in commands.enumerated() {
            guard let slot = slot(of: command) else {
                keyless.append(index)
                continue
            }
            if let at = position[slot] {
                groups[at].indices.append(index)
            } else {
                position[slot] = groups.count
                groups.append((slot, [index]))
            }
        }
        guard !keyless.isEmpty else { return groups }
        guard !groups.isEmpty else { return [(nil, keyless)] }
        groups[0].indices = (groups[0].indices + keyless).sorted()
        return groups
    }
}
