import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A child program with its standard streams on pipes, pumped by one thread of its own.
///
/// Why a thread and not the event loop: a plugin pool is shared by every loop, and its
/// processes live longer than any connection; one small thread per process keeps the loops free
/// of pipe bookkeeping while doing nothing blocking on them (DESIGN.md §3: plugin process I/O
/// runs off-loop and comes back through the loop's `execute`).
///
/// The thread polls the child's stdout and stderr, writes queued stdin bytes when the pipe has
/// room (``write(_:)`` never blocks the caller), and on ``kill()`` sends `SIGKILL` to the
/// child's process group. When the child closes its stdout and stderr (it exited, or was
/// killed), the thread kills the group (so nothing it left behind keeps running), reaps the
/// child and reports ``Event/exited(_:)``; that is always the last event.
///
/// The child starts in its own process group with an empty signal mask and default `SIGPIPE`,
/// `SIGINT`, `SIGTERM` and `SIGHUP` handling, whatever the server blocks or ignores. The server
/// ignores `SIGPIPE` once the first child starts, so a write to a dead child is an `EPIPE`
/// error rather than the server's death.
public final class ChildProcess: Sendable {
    /// What to start.
    public struct Spec: Hashable, Sendable {
        /// A program name looked up in `PATH`, or a path (relative to ``workingDirectory``).
        public var executable: String
        /// Arguments after the program name.
        public var arguments: [String]
        /// The whole environment, as `NAME=value` strings.
        public var environment: [String]
        /// The folder the child starts in.
        public var workingDirectory: String

        /// Creates a spec.
        public init(executable: String, arguments: [String], environment: [String], workingDirectory: String)
        {
            self.executable = executable
            self.arguments = arguments
            self.environment = environment
            self.workingDirectory = workingDirectory
        }
    }

    /// What happens to the child, in order; ``exited(_:)`` comes last, exactly once.
    public enum Event: Hashable, Sendable {
        /// It runs, with this process id.
        case started(pid: Int32)
        /// Bytes from its stdout.
        case stdout([UInt8])
        /// Bytes from its stderr.
        case stderr([UInt8])
        /// It ended.
        case exited(Termination)
    }

    /// How the child ended.
    public enum Termination: Hashable, Sendable {
        /// `exit(status)`.
        case status(Int32)
        /// A signal.
        case signal(Int32)
        /// It never started; the system's reason.
        case failedToStart(String)
    }

    private struct Shared {
        var pending: [UInt8] = []
        var killed = false
        var wakeFD: Int32 = -1
    }

    private let shared = Mutex(Shared())
    private static let ignorePipeSignal: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    private init() {}

    /// Starts `spec` after `delay` on a new thread; `events` runs on that thread.
    public static func start(
        _ spec: Spec, after delay: Duration = .zero, _ events: @escaping @Sendable (Event) -> Void
    ) -> ChildProcess {
        Self.ignorePipeSignal
        let child = ChildProcess()
        let body = Body(child: child, spec: spec, delay: delay, events: events)
        let box = Unmanaged.passRetained(body).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(
            &thread, nil,
            { raw in
                let body = Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue()
                body.child.run(body.spec, delay: body.delay, body.events)
                return nil
            }, box)
        if result != 0 {
            Unmanaged<Body>.fromOpaque(box).release()
            events(.exited(.failedToStart("pthread_create failed with \(result)")))
        } else {
            pthread_detach(thread)
        }
        return child
    }

    /// Queues `bytes` for the child's stdin; dropped once the child is gone.
    public func write(_ bytes: [UInt8]) {
        shared.withLock { shared in
            shared.pending.append(contentsOf: bytes)
            Self.wake(shared.wakeFD)
        }
    }

    /// Kills the child's process group (or prevents a delayed start); `exited` follows.
    public func kill() {
        shared.withLock { shared in
            shared.killed = true
            Self.wake(shared.wakeFD)
        }
    }

    private static func wake(_ fd: Int32) {
        guard fd >= 0 else { return }
        var one: UInt64 = 1
        _ = Glibc.write(fd, &one, 8)
    }

    private final class Body {
        let child: ChildProcess
        let spec: Spec
        let delay: Duration
        let events: @Sendable (Event) -> Void
        init(child: ChildProcess, spec: Spec, delay: Duration, events: @escaping @Sendable (Event) -> Void) {
            self.child = child
            self.spec = spec
            self.delay = delay
            self.events = events
        }
    }

    // MARK: The thread

    private func run(_ spec: Spec, delay: Duration, _ events: @Sendable (Event) -> Void) {
        let wakeFD = LinuxAPI.eventfd(0, LinuxAPI.cloexec | LinuxAPI.nonblock)
        guard wakeFD >= 0 else { return events(.exited(.failedToStart("eventfd: errno \(errno)"))) }
        defer { Syscall.close(wakeFD) }
        // Publish the wake-up descriptor and look for an earlier kill in one step: a kill
        // that came before the descriptor existed could not wake us.
        let killedEarly = shared.withLock { shared -> Bool in
            shared.wakeFD = wakeFD
            return shared.killed
        }
        defer { shared.withLock { $0.wakeFD = -1 } }
        if killedEarly || (delay > .zero && !sleepUnlessKilled(delay, wakeFD: wakeFD)) {
            return events(.exited(.signal(SIGKILL)))
        }
        if shared.withLock({ $0.killed }) { return events(.exited(.signal(SIGKILL))) }
        let spawned: (pid: pid_t, stdin: Int32, stdout: Int32, stderr: Int32)
        switch Self.spawn(spec) {
        case .success(let value): spawned = value
        case .failure(let error): return events(.exited(.failedToStart(error.reason)))
        }
        events(.started(pid: spawned.pid))
        pump(spawned, wakeFD: wakeFD, events)
        _ = Glibc.kill(-spawned.pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(spawned.pid, &status, 0) == -1 && errno == EINTR {}
        let termination: Termination =
            (status & 0x7f) == 0 ? .status((status >> 8) & 0xff) : .signal(status & 0x7f)
        events(.exited(termination))
    }

    /// Sleeps `delay`; `false` when a kill arrived meanwhile.
    private func sleepUnlessKilled(_ delay: Duration, wakeFD: Int32) -> Bool {
        let milliseconds = Int32(
            clamping: delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000)
        var fds = [pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
        _ = poll(&fds, 1, milliseconds)
        return !shared.withLock { $0.killed }
    }

    private func pump(
        _ spawned: (pid: pid_t, stdin: Int32, stdout: Int32, stderr: Int32), wakeFD: Int32,
        _ events: @Sendable (Event) -> Void
    ) {
        var input: Int32? = spawned.stdin
        var output: Int32? = spawned.stdout
        var errors: Int32? = spawned.stderr
        var writing: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        defer {
            for fd in [input, output, errors].compactMap({ $0 }) { Syscall.close(fd) }
        }
        while output != nil || errors != nil {
            let (killed, more) = shared.withLock { shared -> (Bool, [UInt8]) in
                let taken = shared.pending
                shared.pending = []
                return (shared.killed, taken)
            }
            if killed { return }
            if input != nil { writing.append(contentsOf: more) }
            var fds: [pollfd] = [pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
            if let output { fds.append(pollfd(fd: output, events: Int16(POLLIN), revents: 0)) }
            if let errors { fds.append(pollfd(fd: errors, events: Int16(POLLIN), revents: 0)) }
            if let input, !writing.isEmpty {
                fds.append(pollfd(fd: input, events: Int16(POLLOUT), revents: 0))
            }
            guard poll(&fds, nfds_t(fds.count), -1) >= 0 || errno == EINTR else { return }
            for entry in fds where entry.revents != 0 {
                if entry.fd == wakeFD {
                    var count: UInt64 = 0
                    _ = read(wakeFD, &count, 8)
                } else if entry.fd == output || entry.fd == errors {
                    let count = read(entry.fd, &buffer, buffer.count)
                    if count > 0 {
                        let bytes = Array(buffer[0..<count])
                        events(entry.fd == output ? .stdout(bytes) : .stderr(bytes))
                    } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                        Syscall.close(entry.fd)
                        if entry.fd == output { output = nil } else { errors = nil }
                    }
                } else if entry.fd == input, let fd = input {
                    let count = writing.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
                    if count > 0 {
                        writing.removeFirst(count)
                    } else if count < 0, errno != EAGAIN, errno != EINTR {
                        // EPIPE: the child closed its stdin; what it was sent is lost with it.
                        Syscall.close(fd)
                        input = nil
                        writing = []
                    }
                }
            }
        }
    }

    private static func spawn(_ spec: Spec) -> Result<
        (pid: pid_t, stdin: Int32, stdout: Int32, stderr: Int32), SpawnError
    > {
        var pipes: [Int32] = []
        defer { for fd in pipes { Syscall.close(fd) } }
        var ends: [(read: Int32, write: Int32)] = []
        for _ in 0..<3 {
            var pair: [Int32] = [-1, -1]
            guard LinuxAPI.pipe2(&pair, LinuxAPI.cloexec) == 0 else {
                return .failure(SpawnError("pipe2: errno \(errno)"))
            }
            pipes.append(contentsOf: pair)
            ends.append((pair[0], pair[1]))
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, ends[0].read, 0)
        posix_spawn_file_actions_adddup2(&actions, ends[1].write, 1)
        posix_spawn_file_actions_adddup2(&actions, ends[2].write, 2)
        _ = LinuxAPI.spawnAddChdir(&actions, spec.workingDirectory)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGPIPE, SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        let argv = ([spec.executable] + spec.arguments).map { strdup($0) } + [nil]
        let envp = spec.environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, spec.executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            let reason = strerror(result).map { String(cString: $0) } ?? "errno \(result)"
            return .failure(SpawnError("\(spec.executable): \(reason)"))
        }
        // Keep the parent's ends; the child's ends close with `pipes`.
        pipes = [ends[0].read, ends[1].write, ends[2].write]
        _ = fcntl(ends[0].write, F_SETFL, fcntl(ends[0].write, F_GETFL) | O_NONBLOCK)
        return .success((pid, ends[0].write, ends[1].read, ends[2].read))
    }

    private struct SpawnError: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }
}
