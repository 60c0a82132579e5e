/// How the SQLite store runs. Every value has a documented default.
public struct StoreConfiguration: Sendable, Hashable {
    /// How hard a commit tries to reach the disk.
    public enum Durability: String, Sendable, Hashable, CaseIterable {
        /// `synchronous=NORMAL` under WAL: a committed turn survives the process being killed
        /// (`kill -9`, a crash); the last commits may be lost if the machine loses power.
        case normal
        /// `synchronous=FULL`: an fsync per commit, so a committed turn also survives power loss.
        case full
    }

    /// Durability (`--durability`). Default `normal`.
    public var durability: Durability
    /// Transcripts of sessions created longer ago than this are deleted (`retention`). Default 30 days.
    public var retention: Duration
    /// How often pruning runs (`prune_interval`). Default 1 hour (and once at start).
    public var pruneInterval: Duration
    /// While writes fail, how often the writer probes whether they would succeed again, so
    /// `/ready` recovers without traffic (`probe_interval`). Default 1 s.
    public var probeInterval: Duration
    /// Most write requests committed in one transaction (`max_group`). Default 4,096.
    public var maxGroup: Int
    /// Largest database in pages of 4 KiB (`max_page_count`; `nil` = SQLite's own bound): a
    /// cap on disk use, beyond which writes fail like on a full disk. Default nil.
    public var maxPageCount: Int?
    /// How long opening waits for another process's lock (`busy_timeout`). Default 1 s.
    public var busyTimeout: Duration
    /// How often the checkpoint thread copies the WAL into the database (`checkpoint_interval`).
    /// Default 1 s.
    public var checkpointInterval: Duration = .seconds(1)

    /// Creates a configuration with the documented defaults.
    public init(
        durability: Durability = .normal, retention: Duration = .seconds(30 * 86_400),
        pruneInterval: Duration = .seconds(3_600), probeInterval: Duration = .seconds(1), maxGroup: Int = 4_096,
        maxPageCount: Int? = nil, busyTimeout: Duration = .seconds(1)
    ) {
        self.durability = durability
        self.retention = retention
        self.pruneInterval = pruneInterval
        self.probeInterval = probeInterval
        self.maxGroup = maxGroup
        self.maxPageCount = maxPageCount
        self.busyTimeout = busyTimeout
    }
}

extension Duration {
    /// Whole milliseconds (saturating).
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000)
        return overflow ? (seconds < 0 ? .min : .max) : product &+ attoseconds / 1_000_000_000_000_000
    }
}
