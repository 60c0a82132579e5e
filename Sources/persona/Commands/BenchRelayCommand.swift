import CLI
import Dispatch
import Foundation
import Reactor
import Redis
import Synchronization

/// `persona bench relay`: human-to-human relay between two nodes next to the same pairs on
/// one node, in one run.
enum BenchRelayCommand {
    static let command = Command(
        name: "relay",
        abstract: "Measure human-pair relay across two nodes against the same pairs on one node.",
        discussion: """
            Each phase opens --pairs random clients on --url (they wait), then --pairs more that \
            take them: on --url again (one node) or on --other-url (two nodes). Then every pair \
            ping-pongs messages for --duration, the text being the send instant so the receiver \
            measures the relay latency (or, with --rate, every client sends at that \
            rate without waiting). Reports pairs/s for the matching, messages/s and latency \
            (p50/p99) per phase, and with --redis the Redis commands per relayed message (from \
            INFO commandstats). The phases alternate --runs times; medians are printed. The \
            servers need a matchmaking timeout longer than the opening of the clients.
            """,
        options: [
            .option("url", type: .string, default: "ws://127.0.0.1:8080/v1/ws", help: "The first node's chat endpoint."),
            .option("other-url", type: .string, help: "The second node's chat endpoint (the two-node phase)."),
            .option("pairs", type: .int(1...20_000), default: "1000", help: "Human pairs per phase."),
            .option(
                "duration", type: .duration(.milliseconds(100) ... .seconds(600)), default: "5s",
                help: "How long each phase ping-pongs."),
            .option(
                "rate", type: .double(0...10_000), default: "0",
                help: "Messages per second every client sends (open loop); 0: each pair ping-pongs as fast as it can."),
            .option("runs", type: .int(1...20), default: "3", help: "How many times each phase runs (medians are reported)."),
            .option("redis", type: .string, valueName: "url", help: "The nodes' Redis, to count its commands per message."),
        ],
        run: run)

    struct Phase {
        var name: String
        var pairsPerSecond: Double
        var messagesPerSecond: Double
        var p50: Double
        var p99: Double
        var redisCommandsPerMessage: Double?
        var publishesPerMessage: Double?
        var scriptsPerMessage: Double?
        var errors: [String: Int]
    }

    static func run(_ values: ParsedValues, _ context: CommandContext) async throws {
        func target(_ url: String) throws -> WebSocketTarget {
            guard let target = WebSocketTarget(url.replacingOccurrences(of: "://localhost:", with: "://127.0.0.1:")) else {
                throw UsageError.invalid("expected ws://HOST:PORT/PATH with a numeric host, got '\(url)'")
            }
            return target
        }
        let first = try target(try values.string("url"))
        let second = try values.stringIfPresent("other-url").map(target)
        let pairs = try values.int("pairs")
        let duration = try values.duration("duration")
        let runs = try values.int("runs")
        let rate = try values.double("rate")
        let redis = try values.stringIfPresent("redis").map { url in
            do { return try RedisConfiguration(url: url) } catch { throw UsageError.invalid("--redis: \(error)") }
        }
        ServeCommand.raiseOpenFileLimit()
        var results: [String: [Phase]] = [:]
        for _ in 0..<runs {
            var plan = [("one node", first, first)]
            if let second { plan.append(("two nodes", first, second)) }
            for (name, waiting, claiming) in plan {
                let phase = try runPhase(
                    name, pairs: pairs, waiting: waiting, claiming: claiming, duration: duration, rate: rate, redis: redis)
                results[name, default: []].append(phase)
                context.stderr.writeLine(describe(phase))
            }
        }
        var errors = 0
        let load = rate > 0 ? "every client sending \(rate)/s" : "ping-pong"
        context.stdout.writeLine("relay of \(pairs) human pairs (\(load)), \(runs) run(s) of \(duration) per phase, medians:")
        for name in ["one node", "two nodes"] {
            guard let phases = results[name] else { continue }
            func median(_ key: (Phase) -> Double?) -> Double? {
                let sorted = phases.compactMap(key).sorted()
                return sorted.isEmpty ? nil : sorted[sorted.count / 2]
            }
            let merged = Phase(
                name: name, pairsPerSecond: median(\.pairsPerSecond) ?? 0, messagesPerSecond: median(\.messagesPerSecond) ?? 0,
                p50: median(\.p50) ?? 0, p99: median(\.p99) ?? 0, redisCommandsPerMessage: median(\.redisCommandsPerMessage),
                publishesPerMessage: median(\.publishesPerMessage), scriptsPerMessage: median(\.scriptsPerMessage),
                errors: phases.reduce(into: [:]) { total, phase in total.merge(phase.errors, uniquingKeysWith: +) })
            errors += merged.errors.values.reduce(0, +)
            context.stdout.writeLine(describe(merged))
        }
        if let one = results["one node"], let two = results["two nodes"] {
            let ratios = zip(one, two).map { $1.messagesPerSecond / max($0.messagesPerSecond, 1) }.sorted()
            context.stdout.writeLine(String(format: "two nodes / one node throughput (median of per-run ratios): %.2f", ratios[ratios.count / 2]))
        }
        if errors > 0 { throw CommandFailure("\(errors) errors during the run") }
    }

    static func describe(_ phase: Phase) -> String {
        var line = String(
            format: "%@: matching %.0f pairs/s; relay %.0f messages/s, latency p50 %.2f ms, p99 %.2f ms",
            phase.name, phase.pairsPerSecond, phase.messagesPerSecond, phase.p50, phase.p99)
        if let commands = phase.redisCommandsPerMessage, let publishes = phase.publishesPerMessage {
            line += String(
                format: "; Redis: %.2f commands per message (%.2f PUBLISH, %.2f script calls)", commands, publishes,
                phase.scriptsPerMessage ?? 0)
        }
        if !phase.errors.isEmpty { line += "; errors \(phase.errors.sorted { $0.key < $1.key })" }
        return line
    }

    static func runPhase(
        _ name: String, pairs: Int, waiting: WebSocketTarget, claiming: WebSocketTarget, duration: Duration,
        rate: Double, redis: RedisConfiguration?
    ) throws -> Phase {
        let group = try EventLoopGroup(loops: 1)
        defer { group.shutdown() }
        let loop = group.loops[0]
        let worker = LoopBound(BenchRelayWorker(loop: loop, pairs: pairs, waitingSide: waiting, claimingSide: claiming), loop: loop)
        let step = DispatchSemaphore(value: 0)
        let budget = DispatchTime.now() + .seconds(60 + pairs / 100)
        func waitFor(_ what: String, _ body: @escaping @Sendable (@escaping () -> Void) -> Void) throws {
            loop.execute { body { step.signal() } }
            guard step.wait(timeout: budget) == .success else {
                let state = Mutex("")
                let read = DispatchSemaphore(value: 0)
                loop.execute {
                    state.withLock { $0 = worker.value.progress }
                    read.signal()
                }
                _ = read.wait(timeout: .now() + 5)
                throw CommandFailure("\(name): \(what) did not finish in time (\(state.withLock { $0 }))")
            }
        }
        try waitFor("opening the waiting clients") { done in worker.value.openWaiting(then: done) }
        try waitFor("matching") { done in worker.value.openClaiming(then: done) }
        let before = try redis.map { try commandStats($0, loop: loop) }
        let start = loop.now().nanoseconds
        let deadline = start + UInt64(duration.components.seconds) * 1_000_000_000 + UInt64(duration.components.attoseconds / 1_000_000_000)
        try waitFor("measuring") { done in worker.value.measure(until: deadline, rate: rate, then: done) }
        let after = try redis.map { try commandStats($0, loop: loop) }
        try waitFor("closing") { done in worker.value.closeAll(then: done) }
        let outcome = Mutex<Phase?>(nil)
        try waitFor("collecting") { done in
            let w = worker.value
            let seconds = Double(deadline - start) / 1e9
            let matching = Double(max(w.lastStarted - w.claimStarted, 1)) / 1e9
            var phase = Phase(
                name: name, pairsPerSecond: Double(pairs) / matching, messagesPerSecond: Double(w.received) / seconds,
                p50: Double(w.latency.value(atQuantile: 0.5)) / 1e6, p99: Double(w.latency.value(atQuantile: 0.99)) / 1e6,
                errors: w.errors)
            if let before, let after, w.received > 0 {
                // The bench's own: the first INFO and the second client's HELLO.
                phase.redisCommandsPerMessage = Double(after.total - before.total - 2) / Double(w.received)
                phase.publishesPerMessage = Double(after.publish - before.publish) / Double(w.received)
                phase.scriptsPerMessage = Double(after.scripts - before.scripts) / Double(w.received)
            }
            outcome.withLock { $0 = phase }
            done()
        }
        return try outcome.withLock { $0 } ?? { throw CommandFailure("\(name): no result") }()
    }

    /// Total commands, PUBLISH calls and script calls (`EVAL`, `EVALSHA`) Redis has executed
    /// (`INFO commandstats`; commands a script runs count too).
    static func commandStats(
        _ configuration: RedisConfiguration, loop: EventLoop
    ) throws -> (total: Int, publish: Int, scripts: Int) {
        let reply = Mutex<Result<RESPValue, RedisError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        loop.execute {
            do throws(RedisError) {
                let client = try RedisClient(configuration: configuration, loop: loop)
                client.start()
                client.send(["INFO", "commandstats"]) { result in
                    reply.withLock { $0 = result }
                    client.close()
                    done.signal()
                }
            } catch {
                reply.withLock { $0 = .failure(error) }
                done.signal()
            }
        }
        guard done.wait(timeout: .now() + 5) == .success, let result = reply.withLock({ $0 }) else {
            throw CommandFailure("Redis did not answer INFO within 5 s")
        }
        let text: String
        switch result {
        case .success(let value): text = value.string ?? ""
        case .failure(let error): throw CommandFailure("Redis INFO failed: \(error)")
        }
        var total = 0
        var publish = 0
        var scripts = 0
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("cmdstat_") {
            guard let calls = line.split(separator: ",").first?.split(separator: "=").last.flatMap({ Int($0) }) else { continue }
            total += calls
            if line.hasPrefix("cmdstat_publish:") { publish += calls }
            if line.hasPrefix("cmdstat_eval:") || line.hasPrefix("cmdstat_evalsha:") { scripts += calls }
        }
        return (total, publish, scripts)
    }
}
