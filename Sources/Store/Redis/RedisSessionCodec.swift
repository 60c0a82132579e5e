import ChatProtocol
import PersonaRuntime
import Redis

/// The pure half of the Redis session store: records in, Redis commands out; replies in, a
/// ``StoredSession`` out. No socket, no clock (the caller passes the time).
///
/// Session hash fields: `kind`, `personality`, `version`, `client`, `tenant`, `tier`,
/// `created`, `token_hash`, `node` (written by the header); `end_reason`, `ended_at` (set once,
/// the first end wins, as in SQLite); `engine` (the snapshot as JSON) and `replies`. Stream
/// entry fields: `seq`, `role`, `text`, `at`, and when present `ref`, `reply`, `finish`.
package enum RedisSessionCodec {
    /// Quota hashes live two days: today's count is all the hub reads back.
    static let quotaLifetimeMilliseconds: Int64 = 2 * 86_400_000

    /// Keeps the larger of the stored and the given count (a restarted node seeds its quota
    /// from it; two nodes writing their own counts never lower each other's).
    static let quotaScript = """
        local stored = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
        if tonumber(ARGV[2]) > stored then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        return 1
        """

    /// One turn write in one call: the session's hash fields (the engine state after a reply),
    /// then each turn appended to the stream (trimmed by `MINID ~`), both keys' expiries
    /// renewed, and last — only when everything before succeeded — the payload published on
    /// the channel, whose subscriber count is the reply (0 with no channel).
    ///
    /// `KEYS`: the session hash, the turns stream (one hash tag: one slot). `ARGV`: retention
    /// (ms), the oldest stream id kept, the channel (`""`: none), the payload, the number *h*
    /// of hash fields and *2h* strings, then per turn its number *n* of strings and the *n*
    /// strings.
    package static let turnScript = """
        local h = tonumber(ARGV[5])
        local i = 6
        if h > 0 then
          redis.call('HSET', KEYS[1], unpack(ARGV, i, i + 2 * h - 1))
          i = i + 2 * h
        end
        while i <= #ARGV do
          local n = tonumber(ARGV[i])
          redis.call('XADD', KEYS[2], 'MINID', '~', ARGV[2], '*', unpack(ARGV, i + 1, i + n))
          i = i + n + 1
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        redis.call('PEXPIRE', KEYS[2], ARGV[1])
        if ARGV[3] ~= '' then return redis.call('PUBLISH', ARGV[3], ARGV[4]) end
        return 0
        """

    /// How one write goes to Redis.
    package enum Write: Hashable, Sendable {
        /// One call of ``turnScript`` (``RedisScript`` sends it as `EVALSHA`): the records are
        /// turns and engine state of one session.
        case script(keys: [String], arguments: [[UInt8]])
        /// `MULTI` … `EXEC` of these commands; with a publication, its `PUBLISH` is the last.
        case transaction([[[UInt8]]])
    }

    /// The Redis work for `records`, publishing `publication` once they are stored: one script
    /// call when every record is a turn or the engine state of one session (every chat
    /// message, relayed or not, and every reply), a transaction of ``commands(for:keys:node:retentionMilliseconds:nowMilliseconds:)``
    /// otherwise. Nil when there is nothing to do.
    package static func write(
        for records: [StoreRecord], publishing publication: StorePublication?, keys: RedisSessionKeys, node: String,
        retentionMilliseconds: Int64, nowMilliseconds: Int64
    ) -> Write? {
        if let script = scriptArguments(
            for: records, publishing: publication, retentionMilliseconds: retentionMilliseconds,
            nowMilliseconds: nowMilliseconds)
        {
            return .script(keys: [keys.session(script.session), keys.turns(script.session)], arguments: script.arguments)
        }
        var commands = commands(
            for: records, keys: keys, node: node, retentionMilliseconds: retentionMilliseconds,
            nowMilliseconds: nowMilliseconds
        ).map { $0.map { Array($0.utf8) } }
        if let publication { commands.append([Array("PUBLISH".utf8), Array(publication.channel.utf8), publication.payload]) }
        return commands.isEmpty ? nil : .transaction(commands)
    }

    /// ``turnScript``'s arguments for `records`, or nil when they are not all turns and engine
    /// state of one session.
    static func scriptArguments(
        for records: [StoreRecord], publishing publication: StorePublication?, retentionMilliseconds: Int64,
        nowMilliseconds: Int64
    ) -> (session: String, arguments: [[UInt8]])? {
        var session: String?
        var hash: [[UInt8]] = []
        var turns: [[UInt8]] = []
        for record in records {
            let id: String
            switch record {
            case .turn(let turn):
                id = turn.session
                let fields = turnFields(turn)
                turns.append(Array(String(fields.count).utf8))
                turns += fields.map { Array($0.utf8) }
            case .engineState(let owner, let snapshot, let replies):
                id = owner
                hash += ["engine", StoreStatements.encode(snapshot), "replies", String(replies)].map { Array($0.utf8) }
            case .session, .ended, .quota:
                return nil
            }
            guard session == nil || session == id else { return nil }
            session = id
        }
        guard let session else { return nil }
        let oldest = max(0, nowMilliseconds - retentionMilliseconds)
        var arguments: [[UInt8]] = [
            Array(String(max(1, retentionMilliseconds)).utf8), Array(String(oldest).utf8),
            Array((publication?.channel ?? "").utf8), publication?.payload ?? [], Array(String(hash.count / 2).utf8),
        ]
        arguments += hash
        arguments += turns
        return (session, arguments)
    }

    /// A turn's stream entry fields, names and values alternating.
    static func turnFields(_ turn: StoredTurn) -> [String] {
        var fields = [
            "seq", String(turn.seq), "role", turn.role.rawValue, "text", turn.text, "at", String(turn.atMilliseconds),
        ]
        if let value = turn.ref { fields += ["ref", value] }
        if let value = turn.reply { fields += ["reply", String(value)] }
        if let value = turn.finish { fields += ["finish", value.rawValue] }
        return fields
    }

    /// The commands that apply `records` (wrap them in `MULTI`/`EXEC` for atomicity). Every
    /// session touched gets its keys' expiry pushed to `retentionMilliseconds` from now, and
    /// each `XADD` trims stream entries older than that (`MINID ~`).
    package static func commands(
        for records: [StoreRecord], keys: RedisSessionKeys, node: String, retentionMilliseconds: Int64,
        nowMilliseconds: Int64
    ) -> [[String]] {
        var commands: [[String]] = []
        var touched: [String] = []
        func touch(_ id: String) {
            if !touched.contains(id) { touched.append(id) }
        }
        let retention = String(max(1, retentionMilliseconds))
        for record in records {
            switch record {
            case .session(let header):
                var fields = [
                    "kind", header.kind.rawValue, "client", header.clientKey, "created",
                    String(header.createdAtMilliseconds), "token_hash", header.resumeTokenHash, "node", node,
                ]
                if let value = header.personalityID { fields += ["personality", value] }
                if let value = header.personalityVersion { fields += ["version", value] }
                if let value = header.tenant { fields += ["tenant", value] }
                if let value = header.tier { fields += ["tier", value] }
                commands.append(["HSET", keys.session(header.id)] + fields)
                commands.append(["SADD", keys.clientSessions(header.clientKey), header.id])
                commands.append(["PEXPIRE", keys.clientSessions(header.clientKey), retention])
                touch(header.id)
            case .turn(let turn):
                let fields = turnFields(turn)
                let oldest = max(0, nowMilliseconds - retentionMilliseconds)
                commands.append(["XADD", keys.turns(turn.session), "MINID", "~", String(oldest), "*"] + fields)
                touch(turn.session)
            case .engineState(let session, let snapshot, let replies):
                commands.append([
                    "HSET", keys.session(session), "engine", StoreStatements.encode(snapshot), "replies", String(replies),
                ])
                touch(session)
            case .ended(let session, let reason, let at):
                commands.append(["HSETNX", keys.session(session), "end_reason", reason.rawValue])
                commands.append(["HSETNX", keys.session(session), "ended_at", String(at)])
                touch(session)
            case .quota(let client, let day, let count):
                commands.append([
                    "EVAL", quotaScript, "1", keys.quota(day: day), client, String(count),
                    String(quotaLifetimeMilliseconds),
                ])
            }
        }
        for id in touched {
            commands.append(["PEXPIRE", keys.session(id), retention])
            commands.append(["PEXPIRE", keys.turns(id), retention])
        }
        return commands
    }

    /// Why a reply could not be read as a session.
    package struct Malformed: Error, CustomStringConvertible {
        /// What was wrong.
        package var description: String
    }

    /// The session `id` from its hash (`HGETALL`) and its stream (`XRANGE - +`); `nil` when
    /// Redis holds neither. Turns are applied in stream order with ``StoredSession/apply(_:)``,
    /// so a later write of the same `seq` wins, as in the other stores.
    package static func session(id: String, hash: RESPValue, turns: RESPValue) throws(Malformed) -> StoredSession? {
        let fields = try pairs(hash)
        let entries = try streamEntries(turns)
        if fields.isEmpty && entries.isEmpty { return nil }
        let header = StoredSessionHeader(
            id: id, kind: fields["kind"].flatMap(SessionKind.init(rawValue:)) ?? .bot,
            personalityID: fields["personality"], personalityVersion: fields["version"],
            clientKey: fields["client"] ?? "", tenant: fields["tenant"], tier: fields["tier"],
            createdAtMilliseconds: fields["created"].flatMap { Int64($0) } ?? 0,
            resumeTokenHash: fields["token_hash"] ?? "")
        var session = StoredSession(header: header)
        if let reason = fields["end_reason"].flatMap(EndReason.init(rawValue:)) {
            session.endReason = reason
            session.endedAtMilliseconds = fields["ended_at"].flatMap { Int64($0) } ?? 0
        }
        session.engine = fields["engine"].flatMap(StoreStatements.decode)
        session.replies = fields["replies"].flatMap { Int($0) } ?? 0
        for entry in entries {
            guard let seq = entry["seq"].flatMap({ Int($0) }),
                let role = entry["role"].flatMap(TranscriptEntry.Role.init(rawValue:)), let text = entry["text"]
            else { throw Malformed(description: "a turn of \(id) lacks seq, role or text: \(entry)") }
            session.apply(
                .turn(
                    StoredTurn(
                        session: id, seq: seq, role: role, text: text, ref: entry["ref"],
                        reply: entry["reply"].flatMap { Int($0) }, finish: entry["finish"].flatMap(FinishReason.init(rawValue:)),
                        atMilliseconds: entry["at"].flatMap { Int64($0) } ?? 0)))
        }
        return session
    }

    /// A hash reply (RESP3 map or RESP2 flat array) as a dictionary.
    package static func pairs(_ value: RESPValue) throws(Malformed) -> [String: String] {
        var result: [String: String] = [:]
        switch value {
        case .map(let pairs):
            for pair in pairs {
                guard let key = pair.key.string, let value = pair.value.string else {
                    throw Malformed(description: "a hash field is not a string: \(pair)")
                }
                result[key] = value
            }
        case .null:
            break
        default:
            guard let items = value.elements, items.count % 2 == 0 else {
                throw Malformed(description: "not a hash reply: \(value)")
            }
            var index = 0
            while index < items.count {
                guard let key = items[index].string, let value = items[index + 1].string else {
                    throw Malformed(description: "a hash field is not a string: \(items[index])")
                }
                result[key] = value
                index += 2
            }
        }
        return result
    }

    /// An `XRANGE` reply: `[[id, [field, value, …]], …]`, each entry's fields as a dictionary.
    static func streamEntries(_ value: RESPValue) throws(Malformed) -> [[String: String]] {
        if case .null = value { return [] }
        guard let items = value.elements else { throw Malformed(description: "not a stream reply: \(value)") }
        var entries: [[String: String]] = []
        entries.reserveCapacity(items.count)
        for item in items {
            guard let parts = item.elements, parts.count == 2 else {
                throw Malformed(description: "not a stream entry: \(item)")
            }
            entries.append(try pairs(parts[1]))
        }
        return entries
    }
}
