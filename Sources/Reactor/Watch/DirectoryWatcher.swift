#if canImport(Glibc)
    import Glibc
#endif

/// Watches a directory tree with inotify on an ``EventLoop`` and reports, debounced, that
/// something relevant changed — what `persona serve --watch` turns into a reload.
///
/// Every directory under the root gets a watch (new subdirectories are added as they appear).
/// Only entries that pass ``Configuration/isRelevant`` count, so an editor's swap and backup
/// files (`.x.yaml.swp`, `x.yaml~`) do not trigger anything; the rename dance of a save is
/// merged into one report by a ``WatchDebouncer``. A kernel queue overflow counts as a change
/// (something was missed, so reload to be safe).
///
/// Loop thread only, like everything registered with a loop.
public final class DirectoryWatcher: Selectable, DeferredClose {
    /// Settings.
    public struct Configuration: Sendable {
        /// Quiet time before a burst is reported. Default 250 ms: longer than any editor's save.
        public var quietPeriod: Duration
        /// Longest a continuous burst delays its report. Default 2 s.
        public var maxDelay: Duration
        /// Most directories watched; more are not watched (and reported once through
        /// `onError`). Default 4,096 (the kernel's per-user default is 8,192).
        public var maxWatches: Int
        /// Which entry names count as changes. Default: `.yaml` and `.yml` files not starting
        /// with a dot.
        public var isRelevant: @Sendable (String) -> Bool

        /// Creates settings.
        public init(
            quietPeriod: Duration = .milliseconds(250), maxDelay: Duration = .seconds(2),
            maxWatches: Int = 4_096,
            isRelevant: @escaping @Sendable (String) -> Bool = DirectoryWatcher.isPersonalityFile
        ) {
            self.quietPeriod = quietPeriod
            self.maxDelay = maxDelay
            self.maxWatches = maxWatches
            self.isRelevant = isRelevant
        }
    }

    /// The default relevance rule: YAML files that are not hidden.
    public static let isPersonalityFile: @Sendable (String) -> Bool = { name in
        !name.hasPrefix(".") && (name.hasSuffix(".yaml") || name.hasSuffix(".yml"))
    }

    /// The loop it runs on.
    public let loop: EventLoop
    /// The settings in force.
    public let configuration: Configuration
    private let fd: Int32
    private var registration = RegistrationID(rawValue: 0)
    private var directories: [Int32: String] = [:]
    private var debouncer: WatchDebouncer
    private var timer: TimerID?
    private var closed = false
    private var onChange: (() -> Void)?
    private var onError: ((String) -> Void)?
    private var reportedWatchLimit = false

    /// Starts watching `root` (and every directory below it) on `loop`. `onChange` runs on the
    /// loop once per debounced burst; `onError` for problems that do not stop the watcher
    /// (a subdirectory that could not be watched).
    public init(
        root: String, loop: EventLoop, configuration: Configuration = Configuration(),
        onError: @escaping (String) -> Void = { _ in }, onChange: @escaping () -> Void
    ) throws(SystemError) {
        loop.assertInLoop()
        self.loop = loop
        self.configuration = configuration
        self.debouncer = WatchDebouncer(
            quietPeriod: configuration.quietPeriod, maxDelay: configuration.maxDelay)
        self.onChange = onChange
        self.onError = onError
        fd = try Syscall.blocking("inotify_init1") { inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC)) }
        loop.adopt(fd, "inotify")
        do {
            try addTree(root, required: true)
            registration = try loop.register(fd: fd, interest: .read, self)
        } catch {
            Syscall.close(fd)
            loop.release(fd)
            throw error
        }
    }

    /// Whether changes have been seen and not yet reported (for tests that drive a manual clock).
    public var hasPendingChange: Bool { debouncer.isPending }

    /// How many directories are watched.
    public var watchedDirectoryCount: Int { directories.count }

    /// Stops watching and releases the descriptor (after the loop's current batch).
    public func close() {
        guard !closed else { return }
        closed = true
        if let timer { loop.cancelTimer(timer) }
        timer = nil
        loop.deferClose(self)
    }

    private static let mask = UInt32(
        IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_MODIFY | IN_DELETE_SELF
            | IN_ONLYDIR)

    /// Watches `path` and its subdirectories. Only the root's failure is fatal.
    private func addTree(_ path: String, required: Bool) throws(SystemError) {
        var pending = [path]
        var first = required
        while let directory = pending.popLast() {
            guard directories.count < configuration.maxWatches else {
                if !reportedWatchLimit {
                    reportedWatchLimit = true
                    onError?("not watching \(directory): more than \(configuration.maxWatches) directories")
                }
                return
            }
            do {
                let watch = try Syscall.blocking("inotify_add_watch") {
                    inotify_add_watch(fd, directory, Self.mask)
                }
                directories[watch] = directory
            } catch {
                if first { throw error }
                onError?("cannot watch \(directory): \(error)")
                continue
            }
            first = false
            pending.append(contentsOf: Self.subdirectories(of: directory))
        }
    }

    private static func subdirectories(of path: String) -> [String] {
        guard let stream = opendir(path) else { return [] }
        defer { closedir(stream) }
        var found: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != ".", name != "..", !name.hasPrefix(".") else { continue }
            let full = path.hasSuffix("/") ? path + name : path + "/" + name
            var info = stat()
            if stat(full, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { found.append(full) }
        }
        return found.sorted()
    }

    package func ready(readable: Bool, writable: Bool, failed: Bool) {
        guard !closed else { return }
        let buffer = loop.readBuffer
        var relevant = false
        while true {
            let result: IOResult<Int>
            do {
                result = try Syscall.call("read(inotify)") { read(fd, buffer.baseAddress, buffer.count) }
            } catch {
                onError?("inotify read failed: \(error)")
                return
            }
            guard case .processed(let count) = result, count > 0 else { break }
            for event in InotifyEvent.decode(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) {
                if handle(event) { relevant = true }
            }
        }
        if relevant { noteChange() }
    }

    /// Updates the watch set for `event` and says whether it counts as a change.
    private func handle(_ event: InotifyEvent) -> Bool {
        if event.mask & UInt32(IN_Q_OVERFLOW) != 0 { return true }
        if event.mask & UInt32(IN_IGNORED) != 0 {
            directories[event.watch] = nil
            return false
        }
        guard let directory = directories[event.watch] else { return false }
        let isDirectory = event.mask & UInt32(IN_ISDIR) != 0
        if isDirectory {
            guard !event.name.hasPrefix(".") else { return false }
            if event.mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
                try? addTree(directory + "/" + event.name, required: false)
            }
            // A directory appearing or leaving may add or remove personalities.
            return event.mask & UInt32(IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE) != 0
        }
        if event.mask & UInt32(IN_DELETE_SELF) != 0 { return true }
        return configuration.isRelevant(event.name)
    }

    private func noteChange() {
        apply(debouncer.change(at: loop.now()))
    }

    private func apply(_ action: WatchDebouncer.Action) {
        switch action {
        case .none: break
        case .armTimer(let deadline):
            timer = loop.scheduleTimer(at: deadline) { [weak self] in
                guard let self, !self.closed else { return }
                self.timer = nil
                self.apply(self.debouncer.timerFired(at: self.loop.now()))
            }
        case .emit:
            onChange?()
        }
    }

    package func closeForShutdown() { close() }

    package func finishClose() {
        loop.deregister(fd: fd, id: registration)
        Syscall.close(fd)
        loop.release(fd)
        onChange = nil
        onError = nil
    }
}
