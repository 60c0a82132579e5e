import Diagnostics
import Engines
import JSON
import Personality
import Testing

@Suite("process engine: its section and its replies")
struct ProcessEngineTests {
    static func build(_ process: String, file: String = "P/bots/bot.yaml") -> RegistryBuilder.Result {
        let text = """
            id: bot
            name: Bot
            engine: [process, script]
            process:
            \(process.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            script:
              rules:
                - match: "*"
                  reply: "offline"
            """
        return RegistryBuilder(catalog: EngineRegistry.builtIn.catalog).build([
            SourceFile(name: file, text: text)
        ])
    }

    static func section(_ process: String, file: String = "P/bots/bot.yaml") throws -> ProcessSection {
        let result = build(process, file: file)
        let personality = try #require(result.snapshot?.personalities.first, "\(result.diagnostics)")
        return try #require(personality.section(for: "process", as: ProcessSection.self))
    }

    @Test(
        "defaults: two workers, 10 s, queue 64, 64 KiB lines, 256 KiB answers, 100 ms doubling to 5 s, idle stop 10 min"
    )
    func defaults() throws {
        let section = try Self.section("command: [python3, engine.py]")
        let pool = section.pool
        #expect(
            pool.command
                == PluginCommand(executable: "python3", arguments: ["engine.py"], workingDirectory: "P/bots"))
        #expect(pool.workers == 2 && pool.timeout == .seconds(10) && pool.maxQueue == 64)
        #expect(pool.maxLineBytes == 65_536 && pool.maxReplyBytes == 262_144)
        #expect(
            pool.restartDelay == .milliseconds(100) && pool.maxRestartDelay == .seconds(5)
                && pool.idleStop == .seconds(600))
        #expect(section.historyTurns == 10 && section.fallback.isEmpty)
    }

    @Test("a relative working_directory resolves against the personality file's folder")
    func workingDirectory() throws {
        #expect(
            try Self.section("command: run\nworking_directory: plugins").pool.command.workingDirectory
                == "P/bots/plugins")
        #expect(
            try Self.section("command: run\nworking_directory: /srv/x").pool.command.workingDirectory
                == "/srv/x")
        #expect(try Self.section("command: run", file: "bot.yaml").pool.command.workingDirectory == ".")
    }

    @Test(
        "limits one past their edge are errors at their line",
        arguments: [
            ("workers: 33", "workers"), ("workers: 0", "workers"), ("max_queue: 10001", "max_queue"),
            ("max_line_bytes: 63", "max_line_bytes"), ("timeout: 5ms", "timeout"),
            ("history_turns: 201", "history_turns"), ("idle_stop: 999ms", "idle_stop"),
        ])
    func limits(line: String, key: String) {
        let result = Self.build("command: run\n" + line)
        let error = result.diagnostics.first { $0.severity == .error }
        #expect(
            result.snapshot == nil && error?.location?.line == 6 && error?.message.contains(key) == true,
            "\(line): \(result.diagnostics)")
    }

    @Test("limits at their edge are accepted")
    func atEdge() throws {
        let pool = try Self.section("command: run\nworkers: 32\nmax_queue: 10000\nmax_line_bytes: 64").pool
        #expect(pool.workers == 32 && pool.maxQueue == 10_000 && pool.maxLineBytes == 64)
    }

    @Test("a missing or empty command, a bad env and an unknown key are reported")
    func errors() {
        #expect(Self.build("workers: 1").diagnostics.contains { $0.message.contains("command") })
        #expect(Self.build("command: []").diagnostics.contains { $0.code == "empty" })
        #expect(Self.build("command: run\nenv: [a]").diagnostics.contains { $0.code == "wrong-type" })
        let unknown = Self.build("command: run\nworker: 2").diagnostics.first {
            $0.message.contains("worker")
        }
        #expect(unknown?.message.contains("workers") == true, "did you mean")
    }

    // MARK: Replies

    final class Run {
        var events: [TokenStreamEvent] = []
        let stream: any TokenStream
        init(
            _ engine: ProcessEngine, _ personality: Personality, _ state: any EngineSessionState,
            _ message: String
        ) {
            guard
                case .stream(let stream) = engine.respond(
                    to: EngineRequest(personality: personality, message: message), state: state)
            else { fatalError("the process engine did not stream") }
            self.stream = stream
            stream.start { [unowned self] in self.events.append($0) }
        }
        var text: String { events.compactMap { if case .token(let t) = $0 { t } else { nil } }.joined() }
    }

    static func setUp(fallback: [String] = [], historyTurns: Int = 10)
        -> (ScriptedPluginHost, ProcessEngine, Personality, any EngineSessionState)
    {
        let host = ScriptedPluginHost()
        let engine = ProcessEngine(host: host)
        let section = ProcessSection(
            pool: ProcessPoolConfiguration(
                command: PluginCommand(executable: "p", workingDirectory: "/"), workers: 1),
            historyTurns: historyTurns, fallback: fallback)
        let personality = Personality(
            id: "bot", name: "Bot", engines: ["process"], engineSections: ["process": section],
            source: PersonalitySource(file: "f", location: .init(file: "f", line: 1, column: 1)),
            version: PersonalityVersion(1))
        let state = engine.makeState(
            for: personality, session: EngineSessionContext(sessionID: "s-9", seed: 3))
        return (host, engine, personality, state)
    }

    @Test("without a host the engine declines, so the next engine answers")
    func noHost() {
        let (_, _, personality, _) = Self.setUp()
        let engine = ProcessEngine()
        let state = engine.makeState(for: personality, session: EngineSessionContext(sessionID: "s", seed: 1))
        guard
            case .declined = engine.respond(
                to: EngineRequest(personality: personality, message: "hi"), state: state)
        else {
            Issue.record("expected a decline")
            return
        }
    }

    @Test("variables from an end line and the history travel with the next request")
    func sessionState() throws {
        let (host, engine, personality, state) = Self.setUp(historyTurns: 1)
        let first = Run(engine, personality, state, "my name is Ann")
        host.launches[0].start()
        let id1 = try #require(host.launches[0].lastRequestID)
        host.launches[0].say(.token(id: id1, text: "Hi Ann"))
        host.launches[0].say(.end(id: id1, variables: ["name": "Ann"]))
        #expect(first.text == "Hi Ann" && first.events.last == .finished)
        _ = Run(engine, personality, state, "again")
        let line = try #require(host.launches[0].lines.last)
        #expect(line["vars"]?["name"]?.stringValue == "Ann" && line["session"]?.stringValue == "s-9")
        #expect(
            line["history"]?.arrayValue?.count == 1 && line["history"]?[0]?["reply"]?.stringValue == "Hi Ann")
        #expect(line["personality"]?.stringValue == "bot")
    }

    @Test("a failure before the first token says the fallback line, or declines without one")
    func failureBeforeToken() throws {
        let (host, engine, personality, state) = Self.setUp(fallback: ["resting"])
        let run = Run(engine, personality, state, "hi")
        host.launches[0].start()
        host.launches[0].exit()
        #expect(run.text == "resting" && run.events.last == .finished)
        let (host2, engine2, personality2, state2) = Self.setUp()
        let run2 = Run(engine2, personality2, state2, "hi")
        host2.launches[0].start()
        host2.launches[0].output("garbage\n")
        #expect(run2.events == [.declined])
    }

    @Test("a failure after a token keeps the token and fails the reply")
    func failureAfterToken() throws {
        let (host, engine, personality, state) = Self.setUp(fallback: ["resting"])
        let run = Run(engine, personality, state, "hi")
        host.launches[0].start()
        host.launches[0].say(.token(id: try #require(host.launches[0].lastRequestID), text: "par"))
        host.launches[0].exit(.signal(11))
        guard case .failed(.failed(engine: "process", let reason)) = run.events.last else {
            Issue.record("expected a failure, got \(run.events)")
            return
        }
        #expect(run.text == "par" && reason.contains("killed by signal 11"))
    }

    @Test("cancel stops the events at once")
    func cancel() throws {
        let (host, engine, personality, state) = Self.setUp()
        let run = Run(engine, personality, state, "hi")
        host.launches[0].start()
        let id = try #require(host.launches[0].lastRequestID)
        host.launches[0].say(.token(id: id, text: "a"))
        run.stream.cancel()
        host.launches[0].say(.token(id: id, text: "b"))
        host.launches[0].say(.end(id: id, variables: nil))
        #expect(run.events == [.token("a")])
    }
}
