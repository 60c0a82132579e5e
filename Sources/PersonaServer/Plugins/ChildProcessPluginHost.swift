import Dispatch
import Engines
import Foundation
import Reactor
import Synchronization

/// The `process` engine's host in the server: plugin programs as ``ChildProcess``es (one pump
/// thread each), timers on a dispatch queue, events handed back to the calling event loop, and
/// the plugins' stderr written to the log line by line.
public final class ChildProcessPluginHost: PluginHost {
    /// Longest stderr line logged; the rest of a longer line is cut (a noisy plugin cannot grow
    /// the server's memory). 4 KiB.
    public static let maxLogLineBytes = 4096

    private let group: EventLoopGroup
    private let logLine: @Sendable (String) -> Void
    private let environment: [String: String]
    private let timers = DispatchQueue(label: "persona.plugin-timers")

    /// Creates the host; `log` receives whole lines, from any thread.
    public init(
        group: EventLoopGroup, environment: [String: String] = ProcessInfo.processInfo.environment,
        log: @escaping @Sendable (String) -> Void
    ) {
        self.group = group
        self.environment = environment
        self.logLine = log
    }

    /// Starts `command` on its own pump thread.
    public func launch(
        _ command: PluginCommand, after delay: Duration,
        _ events: @escaping @Sendable (PluginProcessEvent) -> Void
    ) -> any PluginProcess {
        var variables = environment
        for (name, value) in command.environment { variables[name] = value }
        let spec = ChildProcess.Spec(
            executable: command.executable, arguments: command.arguments,
            environment: variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" },
            workingDirectory: command.workingDirectory)
        let stderrLines = Mutex(StderrLines())
        let logLine = logLine
        let name = command.executable
        let child = ChildProcess.start(spec, after: delay) { event in
            switch event {
            case .started(let pid): events(.started(pid: pid))
            case .stdout(let bytes): events(.output(bytes))
            case .stderr(let bytes):
                for line in stderrLines.withLock({ $0.feed(bytes) }) { logLine("plugin \(name): \(line)") }
            case .exited(let termination):
                if let rest = stderrLines.withLock({ $0.finish() }) { logLine("plugin \(name): \(rest)") }
                switch termination {
                case .status(let code): events(.exited(.status(code)))
                case .signal(let number): events(.exited(.signal(number)))
                case .failedToStart(let reason): events(.exited(.failedToStart(reason)))
                }
            }
        }
        return ChildPluginProcess(child)
    }

    /// Runs `body` after `delay` on the host's timer queue.
    public func schedule(after delay: Duration, _ body: @escaping @Sendable () -> Void) {
        let nanoseconds =
            delay.components.seconds * 1_000_000_000 + delay.components.attoseconds / 1_000_000_000
        timers.asyncAfter(deadline: .now() + .nanoseconds(Int(nanoseconds)), execute: body)
    }

    /// The loop the caller runs on.
    public func currentLoopExecutor() -> @Sendable (@escaping @Sendable () -> Void) -> Void {
        guard let loop = group.loops.first(where: \.inEventLoop) else {
            preconditionFailure("the process engine is used off the server's event loops")
        }
        return { loop.execute($0) }
    }

    /// Writes `line` to the log.
    public func log(_ line: String) { logLine(line) }

    /// Splits stderr into lines, cutting each at ``maxLogLineBytes``.
    struct StderrLines {
        var current: [UInt8] = []
        var cut = false

        mutating func feed(_ bytes: [UInt8]) -> [String] {
            var lines: [String] = []
            for byte in bytes {
                if byte == 0x0A {
                    lines.append(String(decoding: current, as: UTF8.self) + (cut ? " […]" : ""))
                    current = []
                    cut = false
                } else if current.count < ChildProcessPluginHost.maxLogLineBytes {
                    current.append(byte)
                } else {
                    cut = true
                }
            }
            return lines
        }

        mutating func finish() -> String? {
            defer { current = [] }
            return current.isEmpty ? nil : String(decoding: current, as: UTF8.self)
        }
    }
}

private final class ChildPluginProcess: PluginProcess {
    let child: ChildProcess
    init(_ child: ChildProcess) { self.child = child }
    func write(_ bytes: [UInt8]) { child.write(bytes) }
    func kill() { child.kill() }
}
