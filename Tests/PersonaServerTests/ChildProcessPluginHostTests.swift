import Engines
import PersonaServer
import Reactor
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("the process engine's host: plugin programs as child processes, stderr to the log")
struct ChildProcessPluginHostTests {
    @Test("stderr goes to the log line by line; a line at 4 KiB is whole, one byte more is cut")
    func stderrLines() throws {
        let group = try EventLoopGroup(loops: 1)
        defer { group.shutdown() }
        let lines = Mutex<[String]>([])
        let exited = Mutex<PluginExit?>(nil)
        let host = ChildProcessPluginHost(group: group, environment: ["PATH": "/usr/bin:/bin"]) { line in
            lines.withLock { $0.append(line) }
        }
        let limit = ChildProcessPluginHost.maxLogLineBytes
        let script =
            "printf '%\(limit)s\\n' '' | tr ' ' a >&2; printf '%\(limit + 1)s\\n' '' | tr ' ' b >&2; printf tail >&2"
        _ = host.launch(
            PluginCommand(executable: "sh", arguments: ["-c", script], workingDirectory: "/"), after: .zero
        ) {
            if case .exited(let exit) = $0 { exited.withLock { $0 = exit } }
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while exited.withLock({ $0 }) == nil, ContinuousClock.now < deadline { usleep(2_000) }
        let logged = lines.withLock { $0 }
        #expect(exited.withLock { $0 } == .status(0))
        #expect(logged.count == 3, "\(logged.map(\.count))")
        #expect(logged.first == "plugin sh: " + String(repeating: "a", count: limit))
        #expect(logged.dropFirst().first == "plugin sh: " + String(repeating: "b", count: limit) + " […]")
        #expect(logged.last == "plugin sh: tail")
    }
}
