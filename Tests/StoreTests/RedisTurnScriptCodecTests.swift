import ChatProtocol
import PersonaRuntime
import Redis
import Testing

@testable import Store

@Suite("the Redis session store's turn script: one call per chat message")
struct RedisTurnScriptCodecTests {
    let keys = RedisSessionKeys()

    func write(_ records: [StoreRecord], publishing publication: StorePublication? = nil) -> RedisSessionCodec.Write? {
        RedisSessionCodec.write(
            for: records, publishing: publication, keys: keys, node: "node-a", retentionMilliseconds: 60_000,
            nowMilliseconds: 1_000_000)
    }

    func strings(_ arguments: [[UInt8]]) -> [String] { arguments.map { String(decoding: $0, as: UTF8.self) } }

    let userTurn = StoreRecord.turn(
        StoredTurn(session: "s0-2-7", seq: 4, role: .user, text: "hello", ref: "m4", atMilliseconds: 999_000))

    @Test("a message's turn is one script call on the session's two keys: no hash fields, then the turn's stream fields")
    func oneTurn() {
        #expect(
            write([userTurn])
                == .script(
                    keys: ["persona:{s0-2-7}:session", "persona:{s0-2-7}:turns"],
                    arguments: [
                        "60000", "940000", "", "", "0", "10", "seq", "4", "role", "user", "text", "hello", "at", "999000",
                        "ref", "m4",
                    ].map { Array($0.utf8) }))
    }

    @Test("a relay for another node rides in the same call: the channel and the payload, published by the script last")
    func relayFolded() throws {
        let payload: [UInt8] = [0, 1, 255, 10, 13]
        let relay = try #require(write([userTurn], publishing: StorePublication(channel: "persona:node:b:mail", payload: payload)))
        guard case .script(let keys, let arguments) = relay else {
            Issue.record("\(relay)")
            return
        }
        #expect(keys == ["persona:{s0-2-7}:session", "persona:{s0-2-7}:turns"])
        #expect(strings(Array(arguments[0...2])) == ["60000", "940000", "persona:node:b:mail"])
        #expect(arguments[3] == payload, "binary payloads pass untouched")
        #expect(strings(Array(arguments[4...])) == strings(Array(self.write([userTurn])!.scriptArguments![4...])))
        let script = RedisSessionCodec.turnScript
        let publish = try #require(script.firstRange(of: "PUBLISH"))
        for step in ["XADD", "PEXPIRE"] {
            #expect((script.firstRange(of: step)?.lowerBound ?? script.endIndex) < publish.lowerBound, "\(step) runs before PUBLISH")
        }
    }

    @Test("a reply's turn and engine state are one call: the hash fields first, then each turn")
    func replyAndEngineState() throws {
        let reply = StoreRecord.turn(
            StoredTurn(
                session: "s0-2-7", seq: 5, role: .bot, text: "hi", ref: "m4", reply: 1, finish: .stop, atMilliseconds: 3))
        let engine = StoreRecord.engineState(session: "s0-2-7", EngineSnapshot(), replies: 1)
        let arguments = try #require(write([reply, engine])?.scriptArguments)
        let text = strings(arguments)
        #expect(text[4] == "2")
        #expect(text[5] == "engine" && text[7] == "replies" && text[8] == "1")
        #expect(Array(text[9...]) == ["14", "seq", "5", "role", "bot", "text", "hi", "at", "3", "ref", "m4", "reply", "1", "finish", "stop"])
    }

    @Test("the call is sent by digest with its keys counted, and a cluster routes it by the session's key")
    func sentByDigest() throws {
        let arguments = try #require(write([userTurn])?.scriptArguments)
        let sessionKeys = [keys.session("s0-2-7"), keys.turns("s0-2-7")].map { Array($0.utf8) }
        let digest = String(repeating: "a", count: 40)
        let command = RedisScript.command(
            body: RedisSessionCodec.turnScript, digest: digest, keys: sessionKeys, arguments: arguments)
        #expect(strings(Array(command[0...4])) == ["EVALSHA", digest, "2", "persona:{s0-2-7}:session", "persona:{s0-2-7}:turns"])
        #expect(Array(command[5...]) == arguments)
        #expect(RedisCommandKey.slot(of: command) == RedisClusterSlot.slot(of: "s0-2-7"))
        let fallback = RedisScript.command(body: RedisSessionCodec.turnScript, digest: nil, keys: sessionKeys, arguments: arguments)
        #expect(strings(Array(fallback[0...2])) == ["EVAL", RedisSessionCodec.turnScript, "2"])
        #expect(RedisCommandKey.slot(of: fallback) == RedisCommandKey.slot(of: command))
        #expect(RedisScript.isNoScript(.server("NOSCRIPT No matching script. Please use EVAL.")))
        #expect(!RedisScript.isNoScript(.server("ERR wrong number of arguments")))
        #expect(!RedisScript.isNoScript(.timeout(.seconds(1))))
    }

    @Test("anything but turns and engine state of one session stays a transaction; a relay's PUBLISH is its last command")
    func transactions() throws {
        let quota = StoreRecord.quota(client: "c1", day: 3, count: 8)
        let other = StoreRecord.turn(StoredTurn(session: "s0-2-8", seq: 1, role: .user, text: "x", atMilliseconds: 1))
        let ended = StoreRecord.ended(session: "s0-2-7", reason: .user, atMilliseconds: 5)
        for records in [[userTurn, quota], [userTurn, other], [ended]] {
            guard case .transaction(let commands)? = write(records) else {
                Issue.record("\(records) is not a transaction")
                continue
            }
            #expect(commands.map { String(decoding: $0[0], as: UTF8.self) }.contains("PEXPIRE"))
        }
        let relayed = write([userTurn, quota], publishing: StorePublication(channel: "persona:node:b:mail", payload: [7]))
        guard case .transaction(let commands)? = relayed else {
            Issue.record("\(String(describing: relayed))")
            return
        }
        #expect(commands.last == ["PUBLISH", "persona:node:b:mail"].map { Array($0.utf8) } + [[7]])
        #expect(write([]) == nil)
        guard case .transaction(let only)? = write([], publishing: StorePublication(channel: "c", payload: [1])) else {
            Issue.record("a publication alone is still sent")
            return
        }
        #expect(only.count == 1)
    }
}

extension RedisSessionCodec.Write {
    /// The script call's arguments (nil for a transaction).
    var scriptArguments: [[UInt8]]? {
        guard case .script(_, let arguments) = self else { return nil }
        return arguments
    }
}
