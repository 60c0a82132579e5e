import ChatProtocol
import PersonaRuntime
import Redis
import Testing

@testable import Store

/// Just enough of Redis to apply what the codec writes: hashes (`HSET`, `HSETNX`) and streams
/// (`XADD`, entries in arrival order). Everything else is recorded and ignored.
private struct HashAndStreamModel {
    var hashes: [String: [(String, String)]] = [:]
    var streams: [String: [[String]]] = [:]

    mutating func run(_ command: [String]) {
        switch command[0] {
        case "HSET", "HSETNX":
            var fields = hashes[command[1]] ?? []
            var index = 2
            while index + 1 < command.count {
                let (field, value) = (command[index], command[index + 1])
                if let at = fields.firstIndex(where: { $0.0 == field }) {
                    if command[0] == "HSET" { fields[at].1 = value }
                } else {
                    fields.append((field, value))
                }
                index += 2
            }
            hashes[command[1]] = fields
        case "XADD":
            let star = command.firstIndex(of: "*")!
            streams[command[1], default: []].append(Array(command[(star + 1)...]))
        default:
            break
        }
    }

    /// `HGETALL` as a RESP3 map, `XRANGE - +` as RESP arrays.
    func hashReply(_ key: String) -> RESPValue {
        .map((hashes[key] ?? []).map { RESPPair(.bulkString(Array($0.0.utf8)), .bulkString(Array($0.1.utf8))) })
    }

    func streamReply(_ key: String) -> RESPValue {
        .array(
            (streams[key] ?? []).enumerated().map { index, fields in
                .array([.bulkString(Array("1-\(index)".utf8)), .array(fields.map { .bulkString(Array($0.utf8)) })])
            })
    }
}

@Suite("the Redis session store's codec")
struct RedisSessionCodecTests {
    let keys = RedisSessionKeys()

    func commands(_ records: [StoreRecord], now: Int64 = 10_000_000, retention: Int64 = 86_400_000) -> [[String]] {
        RedisSessionCodec.commands(
            for: records, keys: keys, node: "node-a", retentionMilliseconds: retention, nowMilliseconds: now)
    }

    @Test("a session's hash and stream keys carry its id as a hash tag, so they share one cluster slot")
    func hashTags() {
        for id in ["s0-1-1", "s1-17-90210", "s3-2-5"] {
            #expect(keys.session(id) == "persona:{\(id)}:session")
            #expect(keys.turns(id) == "persona:{\(id)}:turns")
            #expect(RedisClusterSlot.slot(of: keys.session(id)) == RedisClusterSlot.slot(of: keys.turns(id)))
            #expect(RedisClusterSlot.slot(of: keys.session(id)) == RedisClusterSlot.slot(of: id))
        }
    }

    @Test("what the codec writes reads back as the same session the other stores keep, turns out of order included")
    func roundTrip() throws {
        let header = StoredSessionHeader(
            id: "s0-4-2", kind: .bot, personalityID: "parrot", personalityVersion: "3", clientKey: "10.0.0.9",
            tenant: "acme", tier: "pro", createdAtMilliseconds: 1_700_000_000_000, resumeTokenHash: "abc123")
        let records: [StoreRecord] = [
            .session(header),
            .turn(StoredTurn(session: "s0-4-2", seq: 1, role: .user, text: "hi, {you}", ref: "m1", atMilliseconds: 5)),
            .turn(StoredTurn(session: "s0-4-2", seq: 3, role: .user, text: "second", ref: "m2", atMilliseconds: 7)),
            // The reply to m1 had seq 2 but is stored after m2: the stream holds it later.
            .turn(
                StoredTurn(
                    session: "s0-4-2", seq: 2, role: .bot, text: "hi, {you}", ref: "m1", reply: 1, finish: .stop,
                    atMilliseconds: 8)),
            .engineState(
                session: "s0-4-2", EngineSnapshot(variables: ["name": "Jack"], topic: "sea", random: 42), replies: 1),
            .ended(session: "s0-4-2", reason: .user, atMilliseconds: 9),
            .ended(session: "s0-4-2", reason: .idle, atMilliseconds: 10),
        ]
        var model = HashAndStreamModel()
        for command in commands(records) { model.run(command) }
        let loaded = try RedisSessionCodec.session(
            id: "s0-4-2", hash: model.hashReply(keys.session("s0-4-2")), turns: model.streamReply(keys.turns("s0-4-2")))
        var expected = StoredSession(header: header)
        for record in records { expected.apply(record) }
        #expect(loaded == expected)
        #expect(loaded?.turns.map(\.seq) == [1, 2, 3])
        #expect(loaded?.endReason == .user, "the first end wins, as in SQLite")
        #expect(model.hashes[keys.session("s0-4-2")]?.contains { $0 == ("node", "node-a") } == true)
    }

    @Test("a RESP2 hash reply (a flat array) reads the same as a RESP3 map")
    func resp2Hash() throws {
        let flat: RESPValue = .array(
            ["kind", "human", "client", "k", "created", "12", "token_hash", "h"].map { .bulkString(Array($0.utf8)) })
        let session = try #require(try RedisSessionCodec.session(id: "s1-1-1", hash: flat, turns: .array([])))
        #expect(session.header.kind == .human)
        #expect(session.header.clientKey == "k")
        #expect(session.header.createdAtMilliseconds == 12)
    }

    @Test("a session Redis holds nothing of is nil, so a resume answers unknown_session")
    func missing() throws {
        #expect(try RedisSessionCodec.session(id: "s0-1-1", hash: .map([]), turns: .array([])) == nil)
        #expect(try RedisSessionCodec.session(id: "s0-1-1", hash: .array([]), turns: .null) == nil)
    }

    @Test("a stream entry without seq, role or text is refused as malformed, not half read")
    func malformed() {
        let entry: RESPValue = .array([
            .array([.bulkString(Array("1-0".utf8)), .array([.bulkString(Array("text".utf8)), .bulkString([104])])])
        ])
        #expect(throws: RedisSessionCodec.Malformed.self) {
            try RedisSessionCodec.session(id: "s0-1-1", hash: .map([]), turns: entry)
        }
        #expect(throws: RedisSessionCodec.Malformed.self) {
            try RedisSessionCodec.session(id: "s0-1-1", hash: .integer(3), turns: .array([]))
        }
    }

    @Test("every write trims the stream to the retention and pushes both keys' expiry to it")
    func retention() {
        let written = commands(
            [.turn(StoredTurn(session: "s0-1-1", seq: 1, role: .user, text: "x", atMilliseconds: 1))], now: 90_000,
            retention: 60_000)
        #expect(written[0].prefix(6) == ["XADD", "persona:{s0-1-1}:turns", "MINID", "~", "30000", "*"])
        #expect(written.contains(["PEXPIRE", "persona:{s0-1-1}:session", "60000"]))
        #expect(written.contains(["PEXPIRE", "persona:{s0-1-1}:turns", "60000"]))
    }

    @Test("a header joins its client's session set (what forget erases)")
    func clientSet() {
        let written = commands([
            .session(StoredSessionHeader(id: "s0-2-1", kind: .bot, clientKey: "c1", createdAtMilliseconds: 1, resumeTokenHash: "h"))
        ])
        #expect(written.contains(["SADD", "persona:client:{c1}:sessions", "s0-2-1"]))
    }

    @Test("a daily count never lowers what another node stored (the script keeps the larger)")
    func quota() {
        let written = commands([.quota(client: "c1", day: 20_000, count: 17)])
        #expect(written.count == 1)
        #expect(written[0][0] == "EVAL")
        #expect(written[0][3...] == ["persona:quota:20000", "c1", "17", "172800000"])
        #expect(written[0][1].contains("if tonumber(ARGV[2]) > stored"))
    }
}
