/// A step in a chat session's life that gets exactly one log line.
public enum SessionLogEvent: String, CaseIterable, Hashable, Sendable {
    /// The client asked for a session (direct, or random and now waiting).
    case started = "session_started"
    /// A random session was paired with another human.
    case matched = "session_matched"
    /// A random session timed out waiting and was handed to a personality.
    case fallback = "session_fallback"
    /// The session ended (the reason is a field).
    case ended = "session_ended"
    /// A one-shot session (a stateless chat completion) ended: its only line, with the
    /// personality, version and end reason (when one-shot ends come faster than the log's
    /// interval, they are counted into a `sessions_one_shot` line instead).
    case oneShot = "session_one_shot"
}

/// What a reload did, for its one log line (built by the reload coordinator).
public struct ReloadLogSummary: Hashable, Sendable {
    /// What triggered it: `admin`, `sighup`, `watch`.
    public var trigger: String
    /// Whether the new set is in force (`false` for a rejected or dry-run reload).
    public var applied: Bool
    /// Whether it was a dry run.
    public var dryRun: Bool
    /// Errors found (0 when it applied).
    public var errors: Int
    /// Personalities added, removed and changed.
    public var added: Int, removed: Int, changed: Int
    /// The snapshot version now serving.
    public var version: String
    /// Time spent building and checking aside, and swapping, in seconds.
    public var buildSeconds: Double, swapSeconds: Double
    /// The first error, as `file:line:col: message`, when rejected.
    public var firstError: String?

    /// Creates a summary.
    public init(
        trigger: String, applied: Bool, dryRun: Bool, errors: Int, added: Int, removed: Int, changed: Int,
        version: String, buildSeconds: Double, swapSeconds: Double, firstError: String? = nil
    ) {
        self.trigger = trigger
        self.applied = applied
        self.dryRun = dryRun
        self.errors = errors
        self.added = added
        self.removed = removed
        self.changed = changed
        self.version = version
        self.buildSeconds = buildSeconds
        self.swapSeconds = swapSeconds
        self.firstError = firstError
    }
}

extension Logger {
    /// The one line for a session lifecycle event, at `info`. Never message text: ids, kind,
    /// personality and version, and the end reason.
    public func session(
        _ event: SessionLogEvent, id: String, kind: String? = nil, personality: String? = nil,
        version: String? = nil,
        reason: String? = nil, waitedSeconds: Double? = nil, cause: String? = nil
    ) {
        guard isEnabled(.info) else { return }
        var fields = [LogField("event", .string(event.rawValue)), LogField("session", .string(id))]
        if let kind { fields.append(LogField("kind", .string(kind))) }
        if let personality { fields.append(LogField("personality", .string(personality))) }
        if let version { fields.append(LogField("version", .string(version))) }
        if let reason { fields.append(LogField("reason", .string(reason))) }
        if let waitedSeconds { fields.append(LogField("waited_s", .double(waitedSeconds))) }
        if let cause { fields.append(LogField("cause", .string(cause))) }
        log(.info, event.rawValue.replacingUnderscores, fields: fields)
    }

    /// The one line for a reload: `info` when applied or a clean dry run, `warning` when
    /// rejected (with the first error's location; the admin answer carries all of them).
    public func reload(_ summary: ReloadLogSummary) {
        let result = summary.errors > 0 ? "rejected" : (summary.dryRun ? "dry_run" : "ok")
        var fields = [
            LogField("event", "reload"), LogField("trigger", .string(summary.trigger)),
            LogField("result", .string(result)),
            LogField("errors", .int(summary.errors)), LogField("added", .int(summary.added)),
            LogField("removed", .int(summary.removed)), LogField("changed", .int(summary.changed)),
            LogField("version", .string(summary.version)), LogField("build_s", .double(summary.buildSeconds)),
            LogField("swap_s", .double(summary.swapSeconds)),
        ]
        if let firstError = summary.firstError { fields.append(LogField("first_error", .string(firstError))) }
        log(summary.errors > 0 ? .warning : .info, "reload \(result)", fields: fields)
    }
}

extension String {
    fileprivate var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}
