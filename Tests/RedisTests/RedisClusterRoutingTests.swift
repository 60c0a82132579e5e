import PersonaTestSupport
import Redis
import Testing

private let nodeA = RedisClusterNode(host: "127.0.0.1", port: 7000)
private let nodeB = RedisClusterNode(host: "127.0.0.1", port: 7001)
private let nodeC = RedisClusterNode(host: "10.0.0.3", port: 7002)

/// A `CLUSTER SLOTS` range: `[start, end, [host, port, id]]`.
private func range(_ start: Int, _ end: Int, _ host: String, _ port: Int) -> RESPValue {
    .array([
        .integer(Int64(start)), .integer(Int64(end)),
        .array([.bulkString(Array(host.utf8)), .integer(Int64(port)), .bulkString(Array("id".utf8))]),
    ])
}

@Suite("Redis Cluster slot map")
struct RedisSlotMapTests {
    @Test("reads the three-master map redis-cli --cluster create makes, every slot covered")
    func threeMasters() throws {
        let reply = RESPValue.array([
            range(0, 5460, "127.0.0.1", 7000), range(5461, 10922, "127.0.0.1", 7001),
            range(10923, 16383, "10.0.0.3", 7002),
        ])
        let map = try #require(RedisSlotMap(slotsReply: reply, fallbackHost: "seed"))
        #expect(map.masters == [nodeA, nodeB, nodeC])
        #expect(map.coveredSlots == 16_384)
        #expect(map.master(for: 0) == nodeA)
        #expect(map.master(for: 5460) == nodeA)
        #expect(map.master(for: 5461) == nodeB)
        #expect(map.master(for: 16_383) == nodeC)
        #expect(map.master(for: 16_384) == nil)
        #expect(map.master(for: -1) == nil)
    }

    @Test("a master that does not know its own address is reached at the host that was asked")
    func emptyHost() throws {
        let map = try #require(
            RedisSlotMap(slotsReply: .array([range(0, 16383, "", 7000)]), fallbackHost: "seed.local"))
        #expect(map.master(for: 42) == RedisClusterNode(host: "seed.local", port: 7000))
    }

    @Test("a slot no range names has no master; an empty reply is an empty map")
    func gaps() throws {
        let map = try #require(RedisSlotMap(slotsReply: .array([range(0, 99, "a", 1)]), fallbackHost: "x"))
        #expect(map.master(for: 100) == nil)
        #expect(map.coveredSlots == 100)
        #expect(RedisSlotMap(slotsReply: .array([]), fallbackHost: "x")?.isEmpty == true)
    }

    @Test(
        "refuses replies that are not a slot map",
        arguments: [
            RESPValue.integer(1),
            .array([.array([.integer(0), .integer(10)])]),
            .array([
                .array([.integer(10), .integer(0), .array([.bulkString(Array("a".utf8)), .integer(1)])])
            ]),
            .array([
                .array([.integer(0), .integer(16_384), .array([.bulkString(Array("a".utf8)), .integer(1)])])
            ]),
            .array([
                .array([.integer(-1), .integer(3), .array([.bulkString(Array("a".utf8)), .integer(1)])])
            ]),
            .array([.array([.integer(0), .integer(3), .array([.bulkString(Array("a".utf8)), .integer(0)])])]),
            .array([.array([.integer(0), .integer(3), .array([.bulkString(Array("a".utf8))])])]),
            .array([.array([.integer(0), .integer(3), .array([.integer(5), .integer(1)])])]),
        ])
    func malformed(reply: RESPValue) {
        #expect(RedisSlotMap(slotsReply: reply, fallbackHost: "x") == nil, "\(reply)")
    }

    @Test("a MOVED patches one slot and adds an unknown master")
    func assign() throws {
        var map = try #require(
            RedisSlotMap(slotsReply: .array([range(0, 16383, "127.0.0.1", 7000)]), fallbackHost: "x"))
        map.assign(866, to: nodeC)
        #expect(map.master(for: 866) == nodeC)
        #expect(map.master(for: 865) == nodeA && map.master(for: 867) == nodeA)
        #expect(map.masters == [nodeA, nodeC])
        map.assign(16_384, to: nodeB)
        #expect(map.masters == [nodeA, nodeC], "a slot out of range changes nothing")
    }

    @Test("what it writes as a CLUSTER SLOTS reply reads back as the same map, for seeded random maps")
    func roundTrip() throws {
        for seed in 1...40 as ClosedRange<UInt64> {
            var random = SeededGenerator(seed: seed)
            var map = RedisSlotMap()
            let nodes = (0..<Int.random(in: 1...6, using: &random)).map {
                RedisClusterNode(host: "10.0.0.\($0)", port: 7000 + $0)
            }
            for _ in 0..<Int.random(in: 0...50, using: &random) {
                let start = Int.random(in: 0..<RedisClusterSlot.count, using: &random)
                let end = min(RedisClusterSlot.count - 1, start + Int.random(in: 0...2_000, using: &random))
                let node = nodes.randomElement(using: &random)!
                for slot in start...end { map.assign(slot, to: node) }
            }
            let read = try #require(
                RedisSlotMap(slotsReply: map.slotsReply, fallbackHost: "x"), "seed \(seed)")
            for slot in stride(from: 0, to: RedisClusterSlot.count, by: 7) {
                #expect(read.master(for: slot) == map.master(for: slot), "seed \(seed), slot \(slot)")
            }
            #expect(read.coveredSlots == map.coveredSlots, "seed \(seed)")
        }
    }

    @Test(
        "a CLUSTER SLOTS reply arriving whole, byte by byte or split anywhere gives the same map, in RESP2 and RESP3"
    )
    func dripFeed() throws {
        let reply = RESPValue.array([
            range(0, 5460, "127.0.0.1", 7000), range(5461, 16383, "127.0.0.1", 7001),
        ])
        let expected = try #require(RedisSlotMap(slotsReply: reply, fallbackHost: "x"))
        for version in [RESPEncoder.Version.resp2, .resp3] {
            for chunks in DripFeed.splits(of: RESPEncoder.encode(reply, version: version)) {
                var parser = RESPParser()
                var values: [RESPValue] = []
                for chunk in chunks {
                    parser.append(chunk)
                    while let value = try parser.next() { values.append(value) }
                }
                #expect(values.count == 1)
                #expect(values.first.flatMap { RedisSlotMap(slotsReply: $0, fallbackHost: "x") } == expected)
            }
        }
    }

    @Test("never crashes on seeded random replies, and what it accepts covers only slots in range")
    func fuzz() {
        for seed in 1...300 as ClosedRange<UInt64> {
            var random = SeededGenerator(seed: seed)
            let reply = randomReply(depth: 0, &random)
            if let map = RedisSlotMap(slotsReply: reply, fallbackHost: "x") {
                #expect(map.coveredSlots <= RedisClusterSlot.count, "seed \(seed): \(reply)")
            }
        }
    }

    private func randomReply(depth: Int, _ random: inout SeededGenerator) -> RESPValue {
        switch Int.random(in: 0...(depth > 3 ? 2 : 5), using: &random) {
        case 0: return .integer(Int64.random(in: -3...17_000, using: &random))
        case 1: return .bulkString(Array("h\(Int.random(in: 0...3, using: &random))".utf8))
        case 2: return .null
        default:
            return .array(
                (0..<Int.random(in: 0...4, using: &random)).map { _ in randomReply(depth: depth + 1, &random)
                })
        }
    }
}

@Suite("Redis Cluster routing decisions")
struct RedisRedirectPolicyTests {
    @Test(
        "decides what to do with each reply",
        arguments: [
            (nil as String?, 0, RedisRedirectPolicy.Decision.deliver),
            ("ERR unknown command", 0, .deliver),
            ("CROSSSLOT Keys in request don't hash to the same slot", 0, .deliver),
            ("MOVED 866 127.0.0.1:7001", 0, .moved(slot: 866, node: nodeB)),
            ("MOVED 866 :7001", 0, .moved(slot: 866, node: RedisClusterNode(host: "127.0.0.1", port: 7001))),
            ("ASK 866 10.0.0.3:7002", 0, .ask(node: nodeC)),
            ("ASK 866 10.0.0.3:7002", 4, .ask(node: nodeC)),
            ("TRYAGAIN Multiple keys request during rehashing of slot", 0, .tryAgain),
            (
                "TRYAGAIN Multiple keys request during rehashing of slot", 5,
                .giveUp(limit: 5, last: "TRYAGAIN Multiple keys request during rehashing of slot")
            ),
            ("MOVED 866 127.0.0.1:7001", 5, .giveUp(limit: 5, last: "MOVED 866 127.0.0.1:7001")),
            ("ASK 866 10.0.0.3:7002", 5, .giveUp(limit: 5, last: "ASK 866 10.0.0.3:7002")),
        ])
    func decisions(error: String?, redirects: Int, expected: RedisRedirectPolicy.Decision) {
        #expect(
            RedisRedirectPolicy.decide(error: error, sentTo: nodeA, redirects: redirects, limit: 5)
                == expected)
    }

    @Test("the default redirect limit is 5")
    func defaultLimit() {
        #expect(RedisConfiguration().maxRedirects == 5)
    }
}

@Suite("Redis Cluster command keys")
struct RedisCommandKeyTests {
    private func bytes(_ words: [String]) -> [[UInt8]] { words.map { Array($0.utf8) } }

    @Test(
        "finds the key that routes each command the product sends",
        arguments: [
            (["GET", "k"], "k" as String?),
            (["set", "k", "v", "PX", "5"], "k"),
            (["HSET", "persona:{s1}:session", "f", "v"], "persona:{s1}:session"),
            (["XRANGE", "persona:{s1}:turns", "-", "+"], "persona:{s1}:turns"),
            (["EVAL", "return 1", "1", "persona:match:queue", "x"], "persona:match:queue"),
            (["EVALSHA", "abc", "2", "{q}a", "{q}b"], "{q}a"),
            (["EVAL", "return 1", "0"], nil),
            (["EVAL", "return 1"], nil),
            (["PUBLISH", "persona:node:a:mail", "x"], nil),
            (["CLUSTER", "SLOTS"], nil),
            (["MULTI"], nil),
            (["PING"], nil),
            (["INFO", "cluster"], nil),
            (["DBSIZE"], nil),
        ])
    func keys(command: [String], key: String?) {
        #expect(RedisCommandKey.key(of: bytes(command)) == key.map { Array($0.utf8) }, "\(command)")
    }

    @Test("a session store write splits into one transaction per slot, the session's own keys together")
    func storeWriteGroups() {
        let commands = bytes2([
            ["HSET", "persona:{s1}:session", "kind", "bot"],
            ["SADD", "persona:client:{c1}:sessions", "s1"],
            ["PEXPIRE", "persona:client:{c1}:sessions", "100"],
            ["XADD", "persona:{s1}:turns", "*", "seq", "0"],
            ["EVAL", "x", "1", "persona:quota:20000", "c1"],
            ["PEXPIRE", "persona:{s1}:session", "100"],
        ])
        let groups = RedisCommandKey.slotGroups(commands)
        #expect(groups.map(\.indices) == [[0, 3, 5], [1, 2], [4]])
        #expect(groups[0].slot == RedisClusterSlot.slot(of: "s1"))
        #expect(groups[1].slot == RedisClusterSlot.slot(of: "c1"))
    }

    @Test("keyless commands join the first group; a transaction of keyless commands is one group")
    func keylessGroups() {
        let groups = RedisCommandKey.slotGroups(
            bytes2([["PING"], ["SET", "{a}x", "1"], ["TIME"], ["SET", "{b}y", "1"]]))
        #expect(groups.map(\.indices) == [[0, 1, 2], [3]])
        let only = RedisCommandKey.slotGroups(bytes2([["PING"], ["TIME"]]))
        #expect(only.count == 1 && only[0].slot == nil && only[0].indices == [0, 1])
        #expect(RedisCommandKey.slotGroups([]).isEmpty)
    }

    private func bytes2(_ commands: [[String]]) -> [[[UInt8]]] { commands.map(bytes) }
}
