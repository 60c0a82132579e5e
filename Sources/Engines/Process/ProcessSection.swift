import Personality

/// A personality's `process:` section, validated: the plugin program and its pool's limits.
///
/// ```yaml
/// process:
///   command: [python3, echo_engine.py]   # or one string: the program alone
///   working_directory: .                 # default: the personality file's folder
///   env: { ECHO_PREFIX: "you said: " }
///   workers: 2                           # long-lived plugin processes (1...32)
///   timeout: 10s                         # per request, queue wait included
///   max_queue: 64                        # requests waiting for a free worker
///   max_line_bytes: 65536                # longest line the plugin may write
///   max_reply_bytes: 262144              # longest answer
///   restart_delay: 100ms                 # first restart after a failure; doubles
///   max_restart_delay: 5s                # up to this
///   idle_stop: 10m                       # no request this long: workers stop until the next
///   history_turns: 10                    # earlier exchanges sent along
///   fallback: ["The plugin is resting."] # said when the plugin fails before its first token
/// ```
public struct ProcessSection: EngineSection, Hashable {
    /// The pool this section runs on (personalities with identical settings share one).
    public var pool: ProcessPoolConfiguration
    /// Earlier exchanges of the session sent along. Default 10.
    public var historyTurns: Int
    /// What the bot says when the plugin fails before its first token; empty means "let the
    /// next engine in `engine:` answer".
    public var fallback: [String]

    /// Creates a section.
    public init(pool: ProcessPoolConfiguration, historyTurns: Int = 10, fallback: [String] = []) {
        self.pool = pool
        self.historyTurns = historyTurns
        self.fallback = fallback
    }
}

/// A plugin pool's command and limits; every limit has a documented default.
public struct ProcessPoolConfiguration: Hashable, Sendable {
    /// The program.
    public var command: PluginCommand
    /// Long-lived worker processes. Default 2, at most ``ProcessSectionDecoder/maxWorkers``.
    public var workers: Int
    /// Longest a request may take, from submission (queue wait included) to its `end` line.
    /// Default 10 s. A worker that overruns it is killed and restarted.
    public var timeout: Duration
    /// Requests that may wait for a free worker; one more is refused at once. Default 64.
    public var maxQueue: Int
    /// Longest line the plugin may write, newline excluded. Default 64 KiB; a longer line kills
    /// the worker.
    public var maxLineBytes: Int
    /// Longest answer, in bytes of token text. Default 256 KiB; a longer one kills the worker.
    public var maxReplyBytes: Int
    /// Delay before the first restart after a failure; doubles with each further failure in a
    /// row. Default 100 ms.
    public var restartDelay: Duration
    /// The longest restart delay. Default 5 s.
    public var maxRestartDelay: Duration
    /// How long a pool may go without a request before its workers are stopped (they start
    /// again on the next request). Default 10 minutes.
    public var idleStop: Duration

    /// Creates a configuration; every limit defaults to its documented default.
    public init(
        command: PluginCommand, workers: Int = 2, timeout: Duration = .seconds(10), maxQueue: Int = 64,
        maxLineBytes: Int = 64 << 10, maxReplyBytes: Int = 256 << 10,
        restartDelay: Duration = .milliseconds(100),
        maxRestartDelay: Duration = .seconds(5), idleStop: Duration = .seconds(600)
    ) {
        self.command = command
        self.workers = workers
        self.timeout = timeout
        self.maxQueue = maxQueue
        self.maxLineBytes = maxLineBytes
        self.maxReplyBytes = maxReplyBytes
        self.restartDelay = restartDelay
        self.maxRestartDelay = maxRestartDelay
        self.idleStop = idleStop
    }

    /// The delay before restarting after `failures` failures in a row (1: ``restartDelay``).
    public func restartDelay(afterFailures failures: Int) -> Duration {
        var delay = restartDelay
        for _ in 1..<max(1, min(failures, 32)) {
            delay = delay * 2
            if delay >= maxRestartDelay { return maxRestartDelay }
        }
        return min(delay, maxRestartDelay)
    }
}
