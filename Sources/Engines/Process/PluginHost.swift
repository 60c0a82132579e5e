/// What the `process` engine needs from the operating system: starting plugin programs, timers
/// and a way back onto the calling event loop. Injected, so the pool's logic is tested with a
/// scripted host and a manual clock, and the server plugs in real processes.
///
/// Contract: no callback ever runs from inside a call to the host (events arrive later, on
/// another thread or loop turn), so the pool may call the host while holding its lock.
public protocol PluginHost: Sendable {
    /// Starts `command` after `delay` (zero: now). Events for this process arrive in order,
    /// `started` first (unless it could not start), and end with exactly one `exited`.
    func launch(
        _ command: PluginCommand, after delay: Duration,
        _ events: @escaping @Sendable (PluginProcessEvent) -> Void
    ) -> any PluginProcess

    /// Runs `body` after `delay`, on any thread.
    func schedule(after delay: Duration, _ body: @escaping @Sendable () -> Void)

    /// A function that runs work on the calling thread's event loop, later. Called on the loop
    /// of a session, so a reply's events come back where the reply lives.
    func currentLoopExecutor() -> @Sendable (@escaping @Sendable () -> Void) -> Void

    /// Writes one line to the server's log (plugin stderr, restarts, kills).
    func log(_ line: String)
}

/// A started (or starting) plugin program.
public protocol PluginProcess: AnyObject, Sendable {
    /// Queues `bytes` for the program's standard input; never blocks.
    func write(_ bytes: [UInt8])
    /// Kills the program (and its process group) now; its `exited` event follows.
    func kill()
}

/// What happens to a plugin program.
public enum PluginProcessEvent: Equatable, Sendable {
    /// The program is running.
    case started(pid: Int32)
    /// Bytes it wrote to its standard output.
    case output([UInt8])
    /// It ended, or could not be started.
    case exited(PluginExit)
}

/// How a plugin program ended.
public enum PluginExit: Hashable, Sendable, CustomStringConvertible {
    /// It exited with this status.
    case status(Int32)
    /// A signal ended it.
    case signal(Int32)
    /// It could not be started (the system's reason).
    case failedToStart(String)

    /// `exited with status 3`, `killed by signal 9`, `could not start: …`.
    public var description: String {
        switch self {
        case .status(let code): return "exited with status \(code)"
        case .signal(let number): return "killed by signal \(number)"
        case .failedToStart(let reason): return "could not start: \(reason)"
        }
    }
}
