import ChatProtocol
import JSON
import PersonaRuntime

/// Every statement the store runs, prepared once when the store opens. Confined to the
/// writer thread (hence unchecked).
final class StoreStatements: @unchecked Sendable {
    private let insertSession: SQLiteStatement
    private let insertTurn: SQLiteStatement
    private let upsertEngine: SQLiteStatement
    private let endSession: SQLiteStatement
    private let upsertQuota: SQLiteStatement
    private let selectSession: SQLiteStatement
    private let selectTurns: SQLiteStatement
    private let selectEngine: SQLiteStatement
    private let selectQuotas: SQLiteStatement
    private let forgetTurns: SQLiteStatement
    private let forgetEngine: SQLiteStatement
    private let forgetSessions: SQLiteStatement
    private let forgetQuotas: SQLiteStatement
    private let pruneTurns: SQLiteStatement
    private let pruneEngine: SQLiteStatement
    private let pruneSessions: SQLiteStatement
    private let pruneQuotas: SQLiteStatement
    private let connection: SQLiteConnection

    init(_ connection: SQLiteConnection) throws(SQLiteError) {
        self.connection = connection
        insertSession = try connection.prepare(
            """
            INSERT INTO sessions (id, kind, personality_id, personality_version, client_key, tenant, tier,
                state, created_at, resume_token_hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)
            ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, personality_id = excluded.personality_id,
                personality_version = excluded.personality_version
            """)
        insertTurn = try connection.prepare(
            "INSERT OR REPLACE INTO turns (session, seq, role, text, ref, reply, finish, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        upsertEngine = try connection.prepare(
            "INSERT OR REPLACE INTO engine_state (session, snapshot, replies) VALUES (?, ?, ?)")
        endSession = try connection.prepare(
            "UPDATE sessions SET state = 'ended', ended_at = ?, end_reason = ? WHERE id = ? AND state <> 'ended'")
        upsertQuota = try connection.prepare(
            """
            INSERT INTO quotas (client_key, day, messages) VALUES (?, ?, ?)
            ON CONFLICT (client_key, day) DO UPDATE SET messages = excluded.messages
            """)
        selectSession = try connection.prepare(
            """
            SELECT kind, personality_id, personality_version, client_key, tenant, tier, created_at, ended_at,
                end_reason, resume_token_hash FROM sessions WHERE id = ?
            """)
        selectTurns = try connection.prepare(
            "SELECT seq, role, text, ref, reply, finish, at FROM turns WHERE session = ? ORDER BY seq")
        selectEngine = try connection.prepare("SELECT snapshot, replies FROM engine_state WHERE session = ?")
        selectQuotas = try connection.prepare("SELECT client_key, messages FROM quotas WHERE day = ?")
        let ofClient = "SELECT id FROM sessions WHERE client_key = ?"
        forgetTurns = try connection.prepare("DELETE FROM turns WHERE session IN (\(ofClient))")
        forgetEngine = try connection.prepare("DELETE FROM engine_state WHERE session IN (\(ofClient))")
        forgetSessions = try connection.prepare("DELETE FROM sessions WHERE client_key = ?")
        forgetQuotas = try connection.prepare("DELETE FROM quotas WHERE client_key = ?")
        let old = "SELECT id FROM sessions WHERE created_at < ?"
        pruneTurns = try connection.prepare("DELETE FROM turns WHERE session IN (\(old))")
        pruneEngine = try connection.prepare("DELETE FROM engine_state WHERE session IN (\(old))")
        pruneSessions = try connection.prepare("DELETE FROM sessions WHERE created_at < ?")
        pruneQuotas = try connection.prepare("DELETE FROM quotas WHERE day < ?")
    }

    func finalize() {
        for statement in [
            insertSession, insertTurn, upsertEngine, endSession, upsertQuota, selectSession, selectTurns,
            selectEngine, selectQuotas, forgetTurns, forgetEngine, forgetSessions, forgetQuotas, pruneTurns,
            pruneEngine, pruneSessions, pruneQuotas,
        ] {
            statement.finalize()
        }
    }

    // MARK: Writing

    func apply(_ records: [StoreRecord]) throws(SQLiteError) {
        for record in records {
            switch record {
            case .session(let header):
                try insertSession.run(
                    .text(header.id), .text(header.kind.rawValue), .optional(header.personalityID),
                    .optional(header.personalityVersion), .text(header.clientKey), .optional(header.tenant),
                    .optional(header.tier), .integer(header.createdAtMilliseconds), .text(header.resumeTokenHash))
            case .turn(let turn):
                try insertTurn.run(
                    .text(turn.session), .integer(Int64(turn.seq)), .text(turn.role.rawValue), .text(turn.text),
                    .optional(turn.ref), .optional(turn.reply), .optional(turn.finish?.rawValue),
                    .integer(turn.atMilliseconds))
            case .engineState(let session, let snapshot, let replies):
                try upsertEngine.run(
                    .text(session), .text(Self.encode(snapshot)), .integer(Int64(replies)))
            case .ended(let session, let reason, let at):
                try endSession.run(.integer(at), .text(reason.rawValue), .text(session))
            case .quota(let client, let day, let count):
                try upsertQuota.run(.text(client), .integer(day), .integer(Int64(count)))
            }
        }
    }

    func forget(client: String) throws(SQLiteError) -> Int {
        try forgetTurns.run(.text(client))
        try forgetEngine.run(.text(client))
        try forgetSessions.run(.text(client))
        let count = connection.changes
        try forgetQuotas.run(.text(client))
        return count
    }

    func prune(createdBefore cutoff: Int64, dayBefore day: Int64) throws(SQLiteError) -> Int {
        try pruneTurns.run(.integer(cutoff))
        try pruneEngine.run(.integer(cutoff))
        try pruneSessions.run(.integer(cutoff))
        let count = connection.changes
        try pruneQuotas.run(.integer(day))
        return count
    }

    // MARK: Reading

    func load(_ id: String) throws(SQLiteError) -> StoredSession? {
        defer { selectSession.reset() }
        try selectSession.bind(.text(id))
        guard try selectSession.step() else { return nil }
        let s = selectSession
        let header = StoredSessionHeader(
            id: id, kind: SessionKind(rawValue: s.text(0) ?? "") ?? .bot, personalityID: s.text(1),
            personalityVersion: s.text(2), clientKey: s.text(3) ?? "", tenant: s.text(4), tier: s.text(5),
            createdAtMilliseconds: s.int64(6), resumeTokenHash: s.text(9) ?? "")
        var session = StoredSession(header: header)
        if !s.isNull(7) {
            session.endedAtMilliseconds = s.int64(7)
            session.endReason = EndReason(rawValue: s.text(8) ?? "") ?? .error
        }
        defer { selectTurns.reset() }
        try selectTurns.bind(.text(id))
        while try selectTurns.step() {
            let t = selectTurns
            session.turns.append(
                StoredTurn(
                    session: id, seq: Int(t.int64(0)), role: TranscriptEntry.Role(rawValue: t.text(1) ?? "") ?? .user,
                    text: t.text(2) ?? "", ref: t.text(3), reply: t.isNull(4) ? nil : Int(t.int64(4)),
                    finish: t.text(5).flatMap(FinishReason.init(rawValue:)), atMilliseconds: t.int64(6)))
        }
        defer { selectEngine.reset() }
        try selectEngine.bind(.text(id))
        if try selectEngine.step() {
            session.engine = Self.decode(selectEngine.text(0) ?? "")
            session.replies = Int(selectEngine.int64(1))
        }
        return session
    }

    func quotas(day: Int64) throws(SQLiteError) -> [String: Int] {
        defer { selectQuotas.reset() }
        try selectQuotas.bind(.integer(day))
        var counts: [String: Int] = [:]
        while try selectQuotas.step() {
            counts[selectQuotas.text(0) ?? ""] = Int(selectQuotas.int64(1))
        }
        return counts
    }

    // MARK: Engine snapshots as JSON

    static func encode(_ snapshot: EngineSnapshot) -> String {
        let variables = JSONObject(
            snapshot.variables.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) })
        let value: JSONValue = .object(
            JSONObject([
                ("variables", .object(variables)), ("topic", .string(snapshot.topic)),
                ("inputs", .array(snapshot.inputs.map(JSONValue.string))),
                ("replies", .array(snapshot.replies.map(JSONValue.string))),
                ("random", .integer(Int64(bitPattern: snapshot.random))),
            ]))
        return value.serialized()
    }

    static func decode(_ text: String) -> EngineSnapshot? {
        guard let value = try? JSONParser().parse(text), let object = value.objectValue else { return nil }
        var snapshot = EngineSnapshot()
        for (key, member) in object["variables"]?.objectValue ?? JSONObject() {
            if let string = member.stringValue { snapshot.variables[key] = string }
        }
        snapshot.topic = object["topic"]?.stringValue ?? snapshot.topic
        snapshot.inputs = object["inputs"]?.arrayValue?.compactMap(\.stringValue) ?? []
        snapshot.replies = object["replies"]?.arrayValue?.compactMap(\.stringValue) ?? []
        snapshot.random = UInt64(bitPattern: object["random"]?.int64Value ?? 0)
        return snapshot
    }
}
