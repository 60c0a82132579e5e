import ChatProtocol
import Diagnostics
import JSON
import PersonaRuntime
import Personality
import Policies

/// The admin API's JSON shapes, in one place so the CLI's parsing and the docs match.
package enum AdminJSON {
    /// `{"file":…,"line":…,"column":…,"severity":…,"code":…,"message":…,"text":"file:line:col: error: …"}`.
    static func diagnostic(_ diagnostic: Diagnostic) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if let location = diagnostic.location {
            members += [
                ("file", .string(location.file)), ("line", .integer(Int64(location.line))),
                ("column", .integer(Int64(location.column))),
            ]
        }
        members += [
            ("severity", .string("\(diagnostic.severity)")), ("code", .string(diagnostic.code)),
            ("message", .string(diagnostic.message)), ("text", .string(diagnostic.description)),
        ]
        return .object(JSONObject(members))
    }

    /// The reload answer: outcome, diff (or null), every error and warning, tests and timings.
    static func reload(_ report: ReloadReport) -> JSONValue {
        let diff: JSONValue = report.diff.flatMap { try? JSONValue(parsing: $0.json) } ?? .null
        return .object([
            "result": .string(report.outcome.rawValue), "trigger": .string(report.trigger.rawValue),
            "version": .string(report.servingVersion.description), "diff": diff,
            "errors": .array(report.errors.map(diagnostic)),
            "warnings": .array(report.warnings.map(diagnostic)),
            "tests": .object([
                "run": .integer(Int64(report.testsRun)), "failed": .integer(Int64(report.testsFailed)),
            ]),
            "build_ms": .double(report.buildDuration.seconds * 1000),
            "swap_ms": .double(report.swapDuration.seconds * 1000),
        ])
    }

    /// One personality in the list.
    package static func personalitySummary(_ personality: Personality) -> JSONValue {
        .object([
            "id": .string(personality.id), "name": .string(personality.name),
            "version": .string(personality.version.description),
            "engines": .array(personality.engines.map(JSONValue.string)),
            "language": .string(personality.language),
            "tags": .array(personality.tags.map(JSONValue.string)), "file": .string(personality.source.file),
        ])
    }

    /// One personality's detail: the summary plus what the server resolves for it.
    static func personalityDetail(_ personality: Personality, in snapshot: RegistrySnapshot) -> JSONValue {
        guard case .object(var object) = personalitySummary(personality) else { return .null }
        let limits = snapshot.limits(for: personality)
        var limitMembers: [(String, JSONValue)] = []
        if let value = limits.responsesPerSession {
            limitMembers.append(("responses_per_session", .integer(Int64(value))))
        }
        if let value = limits.sessionRate {
            limitMembers.append(("session_rate", .string(value.description)))
        }
        if let value = limits.clientRate { limitMembers.append(("client_rate", .string(value.description))) }
        if let value = limits.maxInputCharacters {
            limitMembers.append(("max_input_chars", .integer(Int64(value))))
        }
        if let value = limits.maxReplyTokens {
            limitMembers.append(("max_reply_tokens", .integer(Int64(value))))
        }
        if let value = limits.dailyMessagesPerClient {
            limitMembers.append(("daily_messages_per_client", .integer(Int64(value))))
        }
        if let value = limits.onLimit { limitMembers.append(("on_limit", .string(value.rawValue))) }
        var members = Array(object.map { ($0.key, $0.value) })
        members += [
            ("description", .string(personality.description)),
            ("tenant", personality.tenant.map(JSONValue.string) ?? .null),
            ("limit_set", personality.limits.setName.map(JSONValue.string) ?? .null),
            ("limits", .object(JSONObject(limitMembers))),
            ("tests", .integer(Int64(personality.tests.count))),
            ("line", .integer(Int64(personality.source.location.line))),
            ("snapshot_version", .string(snapshot.version.description)),
        ]
        object = JSONObject(members)
        return .object(object)
    }

    /// One live session (never message text).
    static func session(_ summary: SessionSummary) -> JSONValue {
        .object([
            "id": .string(summary.id), "connection": .integer(Int64(clamping: summary.connection.value)),
            "phase": .string(summary.phase.rawValue),
            "kind": summary.kind.map { .string($0.rawValue) } ?? .null,
            "personality": summary.personality.map { .string($0.id) } ?? .null,
            "version": summary.personality.map { .string($0.version) } ?? .null,
            "seq": .integer(Int64(summary.seq)), "replies": .integer(Int64(summary.replies)),
            "streaming": .bool(summary.streaming),
            "tenant": summary.tenant.map(JSONValue.string) ?? .null,
        ])
    }

    /// Every node's presence: per tenant the sessions online and (at most `limit` of) them,
    /// with the node that holds each; `total` counts them all.
    static func presence(_ tenants: [PresenceTenant], limit: Int) -> JSONValue {
        .object([
            "total": .integer(Int64(tenants.reduce(0) { $0 + $1.online })), "limit": .integer(Int64(limit)),
            "tenants": .array(
                tenants.map { tenant in
                    .object([
                        "tenant": tenant.tenant.map(JSONValue.string) ?? .null, "online": .integer(Int64(tenant.online)),
                        "sessions": .array(
                            tenant.sessions.map { entry in
                                .object([
                                    "id": .string(entry.session), "node": .string(entry.node), "kind": .string(entry.kind),
                                    "personality": entry.personality.map(JSONValue.string) ?? .null,
                                ])
                            }),
                    ])
                }),
        ])
    }

    /// `{"kind": count}` sorted by key.
    /// A stored session and its turns, as `/admin/sessions/:id/history` and `persona history
    /// --format json` show it.
    static func history(_ stored: StoredSession) -> JSONValue {
        let header = stored.header
        var members: [(String, JSONValue)] = [
            ("session", .string(header.id)), ("kind", .string(header.kind.rawValue)),
        ]
        if let id = header.personalityID {
            members.append(("personality", .object(["id": .string(id), "version": .string(header.personalityVersion ?? "")])))
        }
        members.append(("created_at_ms", .integer(header.createdAtMilliseconds)))
        members.append(("state", .string(stored.endReason == nil ? "active" : "ended")))
        if let reason = stored.endReason { members.append(("end_reason", .string(reason.rawValue))) }
        members.append(
            ("turns",
             .array(
                stored.turns.map { turn in
                    var fields: [(String, JSONValue)] = [
                        ("seq", .integer(Int64(turn.seq))), ("role", .string(turn.role.rawValue)),
                        ("text", .string(turn.text)), ("at_ms", .integer(turn.atMilliseconds)),
                    ]
                    if let ref = turn.ref { fields.append(("ref", .string(ref))) }
                    if let finish = turn.finish { fields.append(("finish", .string(finish.rawValue))) }
                    return .object(JSONObject(fields))
                })))
        return .object(JSONObject(members))
    }

    static func counts(_ counts: [String: Int]) -> JSONValue {
        .object(JSONObject(counts.sorted { $0.key < $1.key }.map { ($0.key, .integer(Int64($0.value))) }))
    }

    /// The stats answer.
    static func stats(_ stats: AdminStats) -> JSONValue {
        let total = stats.total
        func percentile(_ quantile: Double, _ pick: (HubCounters) -> LatencySamples) -> JSONValue {
            let merged = stats.hubs.flatMap { pick($0).recent }.sorted()
            guard !merged.isEmpty else { return .null }
            let rank = min(max(Int((quantile * Double(merged.count)).rounded(.up)) - 1, 0), merged.count - 1)
            return .double(Double(merged[rank]) / 1e6)
        }
        return .object([
            "uptime_s": .double(stats.uptimeSeconds), "draining": .bool(stats.draining),
            "registry": .object([
                "version": .string(stats.registryVersion),
                "personalities": .integer(Int64(stats.personalities)),
                "reloads_ok": .integer(Int64(stats.reloadsOK)),
                "reloads_failed": .integer(Int64(stats.reloadsFailed)),
            ]),
            "connections": .integer(Int64(stats.connections)),
            "sessions": .object([
                "live_by_kind": counts(stats.sessionsByKind),
                "live_by_personality": counts(stats.sessionsByPersonality),
                "started_by_kind": counts(
                    Dictionary(
                        uniqueKeysWithValues: total.sessionsStarted.map { ($0.key.rawValue, $0.value) })),
                "ended_by_reason": counts(
                    Dictionary(uniqueKeysWithValues: total.sessionsEnded.map { ($0.key.rawValue, $0.value) })),
                "matched": .integer(Int64(total.matched)), "fallbacks": .integer(Int64(total.fallbacks)),
            ]),
            "messages": .object([
                "in": .integer(Int64(total.messagesIn)), "out": .integer(Int64(total.messagesOut)),
                "tokens_out": .integer(Int64(total.tokensOut)),
                "rate_limited": .integer(Int64(total.rateLimited)),
                "limit_reached": .integer(Int64(total.limitReached)),
            ]),
            "cache": .object([
                "hits": .integer(Int64(total.cacheHits)), "misses": .integer(Int64(total.cacheMisses)),
                "stores": .integer(Int64(total.cacheStores)),
                "evictions": .integer(Int64(stats.cacheEvictions)),
            ]),
            "pii_redactions": .object([
                "inbound": .integer(Int64(total.redactionsInbound.total)),
                "outbound": .integer(Int64(total.redactionsOutbound.total)),
            ]),
            "latency_ms": .object([
                "time_to_first_token_p50": percentile(0.5, \.timeToFirstToken),
                "time_to_first_token_p99": percentile(0.99, \.timeToFirstToken),
                "reply_p50": percentile(0.5, \.replyLatency), "reply_p99": percentile(0.99, \.replyLatency),
            ]),
        ])
    }
}
