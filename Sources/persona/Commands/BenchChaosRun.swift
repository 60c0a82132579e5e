import ChatChaos
import ChatProtocol
import Dispatch
import Foundation
import HTTP1
import HTTPServer
import Reactor
import Synchronization

/// What `persona bench chaos` was asked to do.
struct BenchChaosOptions: Sendable {
    var target: WebSocketTarget
    var users = 100
    var duration: Duration = .seconds(10)
    var seed: UInt64 = 1
    var personalities = ["captain-redbeard", "general-assistant", "eliza", "hanna", "professor-pi"]
    var inputLimits = [2_000]
    var thinkMilliseconds = 200
    var burstEvery: Duration? = .seconds(2)
    var reloadEvery: Duration? = .seconds(3)
    var serverPID: Int?
    var drain = false
}

/// The server as seen from outside: memory, descriptors, and the `/metrics` gauges.
struct ChaosServerState: Sendable {
    var residentKiB: Int?
    var descriptors: Int?
    var connections: Int?
    var sessions: Int?

    var text: String {
        let rss = residentKiB.map { String(format: "%.1f MiB", Double($0) / 1024) } ?? "?"
        return "RSS \(rss), \(descriptors.map(String.init) ?? "?") descriptors, gauges: "
            + "\(connections.map(String.init) ?? "?") connections, \(sessions.map(String.init) ?? "?") sessions"
    }
}

/// One live chaos run: users walk for the duration (with bursts and SIGHUP reloads), then
/// settle (every open user pings), then leave — or the server is sent SIGTERM and must drain.
/// Then the gauges must return to zero. Every wait has a deadline.
enum BenchChaosRun {
    struct Result {
        var options: BenchChaosOptions
        var outcome: ChaosHubWorld.Outcome
        var refused = 0
        var reloads = 0
        var seconds = 0.0
        var drainSeconds: Double?
        var before = ChaosServerState()
        var after = ChaosServerState()

        var text: String {
            let o = outcome
            var lines = [
                "chaos seed \(options.seed): \(options.users) users for \(String(format: "%.1f", seconds)) s "
                    + "against ws://\(options.target.host)\(options.target.path)",
                "connections \(o.connections) (\(refused) refused), sessions \(o.sessions) (\(o.humanSessions) human), "
                    + "messages \(o.messages), frames sent \(o.framesSent), received \(o.framesReceived), reloads \(reloads)",
                "endings: "
                    + o.endings.sorted { $0.key.rawValue < $1.key.rawValue }.map {
                        "\($0.key.rawValue) \($0.value)"
                    }
                    .joined(separator: ", "),
                "server before: \(before.text)",
                "server after:  \(after.text)",
            ]
            if let drainSeconds {
                lines.append(String(format: "SIGTERM drained every connection in %.2f s", drainSeconds))
            }
            if o.violations.isEmpty {
                lines.append("every invariant held")
            } else {
                lines.append(
                    "\(o.violations.count) violations (seed \(options.seed)); the first ones, with the frames of the session concerned:"
                )
                for violation in o.violations.prefix(5) {
                    lines.append("  \(violation)")
                    lines += violation.frames.suffix(40).map { "    " + $0 }
                }
            }
            return lines.joined(separator: "\n")
        }
    }

    static func run(_ options: BenchChaosOptions) throws -> Result {
        let group = try EventLoopGroup(loops: 1)
        defer { group.shutdown() }
        let loop = group.loops[0]
        var result = Result(options: options, outcome: ChaosHubWorld.Outcome(checker: ChaosChecker()))
        result.before = serverState(options)
        let model = ChaosModel(
            configuration: ChaosModel.Configuration(
                users: options.users, personalities: options.personalities, inputLimits: options.inputLimits),
            seed: options.seed)
        let driver = LoopBound(
            BenchChaosDriver(
                loop: loop, target: options.target, model: model, seed: options.seed,
                thinkMilliseconds: options.thinkMilliseconds), loop: loop)
        let started = DispatchTime.now()
        loop.execute { driver.value.start() }

        // Walk, with bursts and reloads.
        let end =
            started.uptimeNanoseconds + UInt64(options.duration.components.seconds) * 1_000_000_000
            + UInt64(options.duration.components.attoseconds / 1_000_000_000)
        var nextBurst = options.burstEvery.map { started.uptimeNanoseconds + nanoseconds($0) }
        var nextReload = options.reloadEvery.map { started.uptimeNanoseconds + nanoseconds($0) }
        while DispatchTime.now().uptimeNanoseconds < end {
            Thread.sleep(forTimeInterval: 0.05)
            let now = DispatchTime.now().uptimeNanoseconds
            if let due = nextBurst, now >= due, let every = options.burstEvery {
                loop.execute { driver.value.burst(max(5, options.users / 5)) }
                nextBurst = due + nanoseconds(every)
            }
            if let due = nextReload, now >= due, let every = options.reloadEvery, let pid = options.serverPID
            {
                kill(pid_t(pid), SIGHUP)
                result.reloads += 1
                nextReload = due + nanoseconds(every)
            }
        }
        result.seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9

        // Settle: every open user pings; each pong proves its earlier messages were answered.
        wait(loop, seconds: 15) { done in driver.value.settle(then: done) }
        if options.drain, let pid = options.serverPID {
            // Let the server process the last drops first, so a partner that left before the
            // SIGTERM is not mistaken for one the shutdown ended.
            Thread.sleep(forTimeInterval: 1)
            let drainStart = DispatchTime.now()
            kill(pid_t(pid), SIGTERM)
            wait(loop, seconds: 30) { done in driver.value.awaitDrain(then: done) }
            result.drainSeconds =
                Double(DispatchTime.now().uptimeNanoseconds - drainStart.uptimeNanoseconds) / 1e9
        } else {
            wait(loop, seconds: 15) { done in driver.value.leave(then: done) }
            // The server learns of the last closes a moment after the clients do.
            let deadline = Date().addingTimeInterval(10)
            result.after = serverState(options)
            while result.after.connections != 0 || result.after.sessions != 0, Date() < deadline {
                Thread.sleep(forTimeInterval: 0.1)
                result.after = serverState(options)
            }
        }
        let collected = Mutex<(ChaosHubWorld.Outcome, Int)?>(nil)
        let after = result.after
        let drained = options.drain
        wait(loop, seconds: 10) { done in
            let driver = driver.value
            if !drained, after.connections != 0 || after.sessions != 0 {
                driver.checker.fail(
                    .rest,
                    "the server still reports \(after.connections.map(String.init) ?? "?") connections and "
                        + "\(after.sessions.map(String.init) ?? "?") sessions after every client left")
            }
            let outcome = ChaosHubWorld.Outcome(checker: driver.checker)
            collected.withLock { $0 = (outcome, driver.refused) }
            done()
        }
        if let (outcome, refused) = collected.withLock({ $0 }) {
            result.outcome = outcome
            result.refused = refused
        }
        if options.drain { result.after = serverState(options) }
        return result
    }

    /// Runs `body` on the loop and waits (at most `seconds`) for it to call its completion.
    private static func wait(
        _ loop: EventLoop, seconds: Int, _ body: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void
    ) {
        let done = DispatchSemaphore(value: 0)
        loop.execute { body { done.signal() } }
        _ = done.wait(timeout: .now() + .seconds(seconds))
    }

    private static func nanoseconds(_ duration: Duration) -> UInt64 {
        UInt64(duration.components.seconds) * 1_000_000_000
            + UInt64(duration.components.attoseconds / 1_000_000_000)
    }

    /// Memory and descriptors from `/proc` (with `--server-pid`) and the gauges from `/metrics`.
    static func serverState(_ options: BenchChaosOptions) -> ChaosServerState {
        var state = ChaosServerState()
        if let pid = options.serverPID {
            state.residentKiB = BenchEchoReport.residentKiB(pid: pid)
            state.descriptors =
                (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd"))?.count
        }
        guard let url = try? HTTPClientURL(parsing: "http://\(options.target.host)"),
            let response = try? HTTPClient.perform(method: .get, url: url, path: "/metrics"),
            response.status.code == 200
        else { return state }
        var sessions = 0
        for line in response.text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let value = Double(parts[1]) else { continue }
            if parts[0] == "persona_connections" { state.connections = Int(value) }
            if parts[0].hasPrefix("persona_sessions{kind=") { sessions += Int(value) }
        }
        state.sessions = sessions
        return state
    }
}
