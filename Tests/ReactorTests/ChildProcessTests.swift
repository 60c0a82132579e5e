import Reactor
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Collects a child's events and waits (with a deadline) for its exit.
final class ChildEvents: Sendable {
    private let events = Mutex<[ChildProcess.Event]>([])

    var sink: @Sendable (ChildProcess.Event) -> Void {
        { [self] event in events.withLock { $0.append(event) } }
    }

    var all: [ChildProcess.Event] { events.withLock { $0 } }

    var stdout: String {
        var bytes: [UInt8] = []
        for case .stdout(let chunk) in all { bytes += chunk }
        return String(decoding: bytes, as: UTF8.self)
    }

    var stderr: String {
        var bytes: [UInt8] = []
        for case .stderr(let chunk) in all { bytes += chunk }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The exit, waiting up to `seconds`.
    func exit(within seconds: Double = 10) -> ChildProcess.Termination? {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            if case .exited(let termination) = all.last { return termination }
            usleep(2_000)
        }
        return nil
    }
}

@Suite("child processes: pipes pumped off the loops, kill, exit")
struct ChildProcessTests {
    static func spec(
        _ script: String, environment: [String] = ["PATH=/usr/bin:/bin"], directory: String = "/"
    )
        -> ChildProcess.Spec
    {
        ChildProcess.Spec(
            executable: "sh", arguments: ["-c", script], environment: environment, workingDirectory: directory
        )
    }

    @Test("stdin reaches the child, its stdout and stderr come back, and its exit status ends the events")
    func roundTrip() {
        let events = ChildEvents()
        let child = ChildProcess.start(
            Self.spec("read line; echo \"got $line\"; echo oops >&2; exit 7"), events.sink)
        child.write(Array("hello\n".utf8))
        #expect(events.exit() == .status(7))
        #expect(events.stdout == "got hello\n" && events.stderr == "oops\n")
        if case .started(let pid) = events.all.first {
            #expect(pid > 0)
        } else {
            Issue.record("no started event: \(events.all)")
        }
    }

    @Test("the environment and working directory are the spec's")
    func environmentAndDirectory() {
        let events = ChildEvents()
        _ = ChildProcess.start(
            Self.spec(
                "echo \"$GREETING $(pwd)\"", environment: ["PATH=/usr/bin:/bin", "GREETING=hi"],
                directory: "/tmp"),
            events.sink)
        #expect(events.exit() == .status(0) && events.stdout == "hi /tmp\n")
    }

    @Test("kill ends a child that ignores its stdin, and its process group with it")
    func kill() {
        let events = ChildEvents()
        let child = ChildProcess.start(Self.spec("sleep 30 & sleep 30"), events.sink)
        while events.all.isEmpty { usleep(1_000) }
        child.kill()
        #expect(events.exit(within: 5) == .signal(SIGKILL))
    }

    @Test("a program that does not exist is reported as failing to start, with the reason")
    func missing() {
        let events = ChildEvents()
        _ = ChildProcess.start(
            ChildProcess.Spec(
                executable: "/nonexistent/plugin", arguments: [], environment: [], workingDirectory: "/"),
            events.sink)
        if case .failedToStart(let reason) = events.exit() {
            #expect(reason.contains("No such file"))
        } else {
            Issue.record("expected a failure to start: \(events.all)")
        }
        #expect(events.all.count == 1)
    }

    @Test("a delayed start that is killed first never runs")
    func killedBeforeStart() {
        let events = ChildEvents()
        let child = ChildProcess.start(Self.spec("echo ran"), after: .seconds(5), events.sink)
        child.kill()
        #expect(events.exit(within: 2) == .signal(SIGKILL) && events.stdout.isEmpty && events.all.count == 1)
    }

    @Test("writing to a child that closed its stdin does not kill the writer")
    func brokenPipe() {
        let events = ChildEvents()
        let child = ChildProcess.start(Self.spec("exec 0<&-; sleep 0.2; echo alive"), events.sink)
        child.write([UInt8](repeating: 0x61, count: 256 * 1024))
        #expect(events.exit() == .status(0) && events.stdout == "alive\n")
    }
}
