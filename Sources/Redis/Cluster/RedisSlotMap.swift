/// Which master serves each of the 16,384 slots of a Redis Cluster, as `CLUSTER SLOTS` reports
/// it (cluster spec, "Cluster topology"; the command's reply is an array of
/// `[start, end, [host, port, id, …], replica…]`). Pure: the cluster client reads one at start
/// and after each refresh, and patches one slot when a `MOVED` says where it went.
public struct RedisSlotMap: Hashable, Sendable {
    /// The masters that own at least one slot, in order of first appearance.
    public private(set) var masters: [RedisClusterNode] = []
    /// Owner of each slot: an index into ``masters``, or -1 for a slot nobody serves.
    private var owners: [Int16]

    /// A map where no slot is served.
    public init() {
        owners = Array(repeating: -1, count: RedisClusterSlot.count)
    }

    /// Reads a `CLUSTER SLOTS` reply; nil when it is not one (a malformed range, a slot out of
    /// range, a node without a port). A master announced with an empty host (it does not know
    /// its own address) is reached at `fallbackHost`, the host that was asked.
    public init?(slotsReply reply: RESPValue, fallbackHost: String) {
        self.init()
        guard let ranges = reply.elements else { return nil }
        for range in ranges {
            guard let fields = range.elements, fields.count >= 3, let start = fields[0].int,
                let end = fields[1].int,
                start >= 0, start <= end, end < Int64(RedisClusterSlot.count),
                let master = fields[2].elements, master.count >= 2, let port = master[1].int,
                (1...65_535).contains(port)
            else { return nil }
            guard let host = master[0].string else { return nil }
            let node = RedisClusterNode(
                host: host.isEmpty || host == "?" ? fallbackHost : host, port: Int(port))
            for slot in Int(start)...Int(end) { assign(slot, to: node) }
        }
    }

    /// The master serving `slot`; nil when none does (or `slot` is out of range).
    public func master(for slot: Int) -> RedisClusterNode? {
        guard owners.indices.contains(slot), owners[slot] >= 0 else { return nil }
        return masters[Int(owners[slot])]
    }

    /// How many slots some master serves (16,384 in a healthy cluster).
    public var coveredSlots: Int { owners.count { $0 >= 0 } }

    /// Whether no slot is served.
    public var isEmpty: Bool { masters.isEmpty }

    /// Records that `node` serves `slot` now (what a `MOVED` reply says).
    public mutating func assign(_ slot: Int, to node: RedisClusterNode) {
        guard owners.indices.contains(slot) else { return }
        let index: Int
        if let known = masters.firstIndex(of: node) {
            index = known
        } else {
            masters.append(node)
            index = masters.count - 1
        }
        owners[slot] = Int16(index)
    }

    /// The map as a `CLUSTER SLOTS` reply (contiguous ranges; no node ids or replicas), so a
    /// test can check that reading what is written gives the same map.
    public var slotsReply: RESPValue {
        var ranges: [RESPValue] = []
        var slot = 0
        while slot < owners.count {
            let owner = owners[slot]
            var end = slot
            while end + 1 < owners.count, owners[end + 1] == owner { end += 1 }
            if owner >= 0 {
                let node = masters[Int(owner)]
                ranges.append(
                    .array([
                        .integer(Int64(slot)), .integer(Int64(end)),
                        .array([.bulkString(Array(node.host.utf8)), .integer(Int64(node.port))]),
                    ]))
            }
            slot = end + 1
        }
        return .array(ranges)
    }
}
