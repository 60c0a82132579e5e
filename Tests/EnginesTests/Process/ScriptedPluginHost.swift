import Engines
import JSON
import Synchronization

/// A plugin host driven by the test: launches and timers are recorded, the test plays the
/// processes' output and exits and moves a manual clock. Events run synchronously on the
/// test's thread (the executor too), so every test is deterministic.
final class ScriptedPluginHost: PluginHost, @unchecked Sendable {
    final class Process: PluginProcess, @unchecked Sendable {
        let delay: Duration
        let events: @Sendable (PluginProcessEvent) -> Void
        var written: [UInt8] = []
        var killed = false
        init(delay: Duration, events: @escaping @Sendable (PluginProcessEvent) -> Void) {
            self.delay = delay
            self.events = events
        }
        func write(_ bytes: [UInt8]) { written += bytes }
        func kill() { killed = true }

        /// The JSON lines written to the process's stdin.
        var lines: [JSONValue] {
            written.split(separator: 0x0A).compactMap { try? JSONParser().parse(Array($0)) }
        }

        /// The id of the last `message` line written.
        var lastRequestID: UInt64? {
            lines.last { $0["type"]?.stringValue == "message" }?["id"]?.int64Value.map(UInt64.init)
        }

        func start(pid: Int32 = 100) { events(.started(pid: pid)) }
        func say(_ line: PluginMessage.Reply) { output(line.json.serialized() + "\n") }
        func output(_ text: String) { events(.output(Array(text.utf8))) }
        func exit(_ exit: PluginExit = .status(3)) { events(.exited(exit)) }
    }

    struct Timer {
        let due: Duration
        let body: @Sendable () -> Void
    }

    var launches: [Process] = []
    var timers: [Timer] = []
    var clock: Duration = .zero
    var logged: [String] = []

    func launch(
        _ command: PluginCommand, after delay: Duration,
        _ events: @escaping @Sendable (PluginProcessEvent) -> Void
    ) -> any PluginProcess {
        let process = Process(delay: delay, events: events)
        launches.append(process)
        return process
    }

    func schedule(after delay: Duration, _ body: @escaping @Sendable () -> Void) {
        timers.append(Timer(due: clock + delay, body: body))
    }

    func currentLoopExecutor() -> @Sendable (@escaping @Sendable () -> Void) -> Void { { $0() } }

    func log(_ line: String) { logged.append(line) }

    /// Moves the clock, firing due timers in order.
    func advance(by step: Duration) {
        let target = clock + step
        while let index = timers.indices.filter({ timers[$0].due <= target }).min(by: {
            timers[$0].due < timers[$1].due
        }) {
            let timer = timers.remove(at: index)
            clock = timer.due
            timer.body()
        }
        clock = target
    }
}

/// Collects a request's events.
final class EventLog: @unchecked Sendable {
    private let events = Mutex<[ProcessPool.Event]>([])
    var all: [ProcessPool.Event] { events.withLock { $0 } }
    var sink: @Sendable (ProcessPool.Event) -> Void {
        { [self] event in events.withLock { $0.append(event) } }
    }
    var tokens: String { all.compactMap { if case .token(let text) = $0 { text } else { nil } }.joined() }
    var terminal: ProcessPool.Event? { all.last.flatMap { if case .token = $0 { nil } else { $0 } } }
}
