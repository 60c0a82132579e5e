import Engines
import JSON
import PersonaTestSupport
import Testing

@Suite("process engine pool, with a scripted host and a manual clock")
struct ProcessPoolTests {
    static func configuration(
        workers: Int = 1, timeout: Duration = .seconds(10), maxQueue: Int = 64, maxLineBytes: Int = 64 << 10,
        maxReplyBytes: Int = 256 << 10
    ) -> ProcessPoolConfiguration {
        ProcessPoolConfiguration(
            command: PluginCommand(executable: "plugin", workingDirectory: "/tmp"), workers: workers,
            timeout: timeout,
            maxQueue: maxQueue, maxLineBytes: maxLineBytes, maxReplyBytes: maxReplyBytes,
            restartDelay: .milliseconds(100), maxRestartDelay: .milliseconds(800))
    }

    static func request(_ text: String = "hi") -> PluginMessage.Request {
        PluginMessage.Request(id: 0, session: "s-1", personality: "bot", text: text, variables: ["k": "v"])
    }

    /// Submits a request that must be accepted.
    @discardableResult
    static func submit(_ pool: ProcessPool, _ log: EventLog, _ text: String = "hi") throws -> UInt64 {
        try pool.submit(request(text), log.sink).get()
    }

    @Test("the first request starts the workers and is written to one as a message line")
    func dispatch() throws {
        let host = ScriptedPluginHost()
        let pool = ProcessPool(configuration: Self.configuration(workers: 2), host: host)
        let log = EventLog()
        let id = try Self.submit(pool, log, "hello there")
        #expect(host.launches.count == 2 && host.launches.allSatisfy { $0.delay == .zero })
        #expect(host.launches[0].written.isEmpty)
        host.launches[0].start()
        let line = try #require(host.launches[0].lines.first)
        #expect(line["type"]?.stringValue == "message" && line["text"]?.stringValue == "hello there")
        #expect(line["session"]?.stringValue == "s-1" && line["vars"]?["k"]?.stringValue == "v")
        host.launches[0].say(.token(id: id, text: "Hel"))
        host.launches[0].say(.token(id: id, text: "lo"))
        host.launches[0].say(.end(id: id, variables: ["name": "Ann"]))
        #expect(log.all == [.token("Hel"), .token("lo"), .end(variables: ["name": "Ann"])])
    }

    @Test("never more requests run at once than there are workers; the rest wait in order")
    func poolSize() throws {
        let host = ScriptedPluginHost()
        let pool = ProcessPool(configuration: Self.configuration(workers: 2), host: host)
        let logs = (0..<3).map { _ in EventLog() }
        let ids = try logs.map { try Self.submit(pool, $0) }
        host.launches[0].start(pid: 1)
        host.launches[1].start(pid: 2)
        #expect(host.launches.map(\.lastRequestID) == [ids[0], ids[1]])
        #expect(pool.queuedCount == 1 && pool.workerPIDs.sorted() == [1, 2])
        host.launches[1].say(.end(id: ids[1], variables: nil))
        #expect(host.launches[1].lastRequestID == ids[2] && pool.queuedCount == 0)
    }

    @Test("a request one past max_queue is refused at once")
    func queueLimit() throws {
        let host = ScriptedPluginHost()
        let pool = ProcessPool(configuration: Self.configuration(workers: 1, maxQueue: 2), host: host)
        try Self.submit(pool, EventLog())
        host.launches[0].start()
        try Self.submit(pool, EventLog())
        try Self.submit(pool, EventLog())
        let refused = EventLog()
        #expect(pool.submit(Self.request(), refused.sink) == .failure(.queueFull(limit: 2)))
        #expect(refused.all.isEmpty)
    }

    @Test("a worker that exits fails its request at once and restarts after a doubling, capped delay")
    func crashRestart() throws {
        let host = ScriptedPluginHost()
        let pool = ProcessPool(configuration: Self.configuration(workers: 2), host: host)
        var delays: [Duration] = []
        for round in 0..<5 {
            let log = EventLog()
            try Self.submit(pool, log)
            let worker = host.launches[host.launches.count - (round == 0 ? 2 : 1)]
            worker.start()
            worker.exit(.status(3))
            #expect(log.terminal == .failed(.crashed(.status(3))))
            delays.append(host.launches.last!.delay)
        }
        #expect(
            delays == [
                .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800),
                .milliseconds(800),
            ])
        #expect(host.logged.last?.contains("exited with status 3; restarting in") == true)
    }

    @Test("a complete answer resets the restart delay")
    func backoffReset() throws {
        let host = ScriptedPluginHost()
        let pool = ProcessPool(configuration: Self.configuration(workers: 1), host: host)
        try Self.submit(pool, EventLog())
        host.launches[0].start()
        host.launches[0].exit()
        host.launches[1].start()
        let ok = EventLog()
        let id = try Self.submit(pool, ok)
        host.launches[1].say(.end(id: id, variables: nil))
        try Self.submit(pool, EventLog())
        host.launches[1].exit()
        #expect(host.launches[2].delay == .milliseconds(100))
    }

    @Test("a request that overruns its timeout kills its worker; the request fails at once")
    func hangTimeout() throws {
        let host = ScriptedPluginHost()
        let pool = ProcessPool(configuration: Self.configuration(timeout: .seconds(2)), host: host)
        let log = EventLog()
        let id = try Self.submit(pool, log)
        host.launches[0].start()
        host.launches[0].say(.token(id: id, text: "a"))
        host.advance(by: .milliseconds(1_999))
        #expect(!host.launches[0].killed && log.terminal == nil)
        host.advance(by: .milliseconds(1))
        #expect(host.launches[0].killed && log.terminal == .failed(.timedOut(.seconds(2))))
        host.launches[0].exit(.signal(9))
        #expect(host.launches.count == 2 && host.logged.last?.contains("did not finish within") == true)
    }

    @Test("a request that waits past its timeout fails without killing anyone")
    func queuedTimeout() throws {
        let host = ScriptedPluginHost()
        let pool = ProcessPool(configuration: Self.configuration(timeout: .seconds(1)), host: host)
        let waiting = EventLog()
        try Self.submit(pool, waiting)
        host.advance(by: .milliseconds(999))
        #expect(waiting.all.isEmpty && pool.queuedCount == 1)
        host.advance(by: .milliseconds(1))
        #expect(waiting.all == [.failed(.timedOut(.seconds(1)))] && pool.queuedCount == 0)
        #expect(!host.launches[0].killed)
    }

    @Test(
        "output that breaks the protocol kills the worker",
        arguments: [
            "this is not json\n", "[1,2]\n", #"{"type":"token","id":1}"# + "\n",
            #"{"type":"shout","id":1}"# + "\n",
            #"{"type":"token","id":99,"text":"stray"}"# + "\n",
            #"{"type":"end","id":1,"vars":{"n":1}}"# + "\n",
        ])
    func garbage(output: String) throws {
        let host = ScriptedPluginHost()
        let pool = ProcessPool(configuration: Self.configuration(), host: host)
        let log = EventLog()
        let id = try Self.submit(pool, log)
        #expect(id == 1)
        host.launches[0].start()
        host.launches[0].output(output)
        #expect(host.launches[0].killed)
        guard case .failed(.garbage) = log.terminal else {
            Issue.record("expected a garbage failure for \(output), got \(log.all)")
            return
        }
    }

    @Test("a line at max_line_bytes passes; one byte more kills the worker")
    func lineLimit() throws {
        let host = ScriptedPluginHost()
        let pool = ProcessPool(configuration: Self.configuration(maxLineBytes: 64), host: host)
        let log = EventLog()
        let id = try Self.submit(pool, log)
        host.launches[0].start()
        let overhead = PluginMessage.Reply.token(id: id, text: "").json.serialized().utf8.count
        host.launches[0].say(.token(id: id, text: String(repeating: "a", count: 64 - overhead)))
        #expect(!host.launches[0].killed && log.all.count == 1)
        host.launches[0].say(.token(id: id, text: String(repeating: "b", count: 65 - overhead)))
        #expect(host.launches[0].killed && log.terminal == .failed(.lineTooLong(limit: 64)))
    }

    @Test("an answer at max_reply_bytes passes; one byte more kills the worker")
    func replyLimit() throws {
        let host = ScriptedPluginHost()
        let pool = ProcessPool(configuration: Self.configuration(maxReplyBytes: 10), host: host)
        let log = EventLog()
        let id = try Self.submit(pool, log)
        host.launches[0].start()
        host.launches[0].say(.token(id: id, text: "12345"))
        host.launches[0].say(.token(id: id, text: "67890"))
        #expect(!host.launches[0].killed)
        host.launches[0].say(.token(id: id, text: "!"))
        #expect(host.launches[0].killed && log.terminal == .failed(.replyTooLarge(limit: 10)))
        #expect(log.tokens == "1234567890")
    }

    @Test("cancel sends a cancel line and drops the rest; the worker is free after its end")
    func cancel() throws {
        let host = ScriptedPluginHost()
        let pool = ProcessPool(configuration: Self.configuration(), host: host)
        let log = EventLog()
        let id = try Self.submit(pool, log)
        host.launches[0].start()
        host.launches[0].say(.token(id: id, text: "a"))
        pool.cancel(id)
        #expect(host.launches[0].lines.last?["type"]?.stringValue == "cancel")
        host.launches[0].say(.token(id: id, text: "b"))
        let next = EventLog()
        let nextID = try Self.submit(pool, next)
        #expect(host.launches[0].lastRequestID == id)
        host.launches[0].say(.end(id: id, variables: nil))
        #expect(host.launches[0].lastRequestID == nextID && log.all == [.token("a")])
    }

    @Test("error and decline lines end the request and free the worker")
    func errorAndDecline() throws {
        let host = ScriptedPluginHost()
        let pool = ProcessPool(configuration: Self.configuration(), host: host)
        let failed = EventLog()
        let id = try Self.submit(pool, failed)
        host.launches[0].start()
        host.launches[0].say(.error(id: id, message: "nope"))
        let declined = EventLog()
        let second = try Self.submit(pool, declined)
        host.launches[0].say(.decline(id: second))
        #expect(failed.all == [.failed(.pluginError("nope"))] && declined.all == [.declined])
        #expect(!host.launches[0].killed)
    }

    @Test("while every worker is down, queued requests fail and new ones are refused at once")
    func unavailable() throws {
        let host = ScriptedPluginHost()
        let pool = ProcessPool(configuration: Self.configuration(), host: host)
        let running = EventLog()
        let queued = EventLog()
        try Self.submit(pool, running)
        host.launches[0].start()
        try Self.submit(pool, queued)
        host.launches[0].exit(.failedToStart("gone"))
        #expect(running.terminal == .failed(.crashed(.failedToStart("gone"))))
        guard case .failed(.unavailable) = queued.terminal else {
            Issue.record("the queued request did not fail: \(queued.all)")
            return
        }
        guard case .failure(.unavailable) = pool.submit(Self.request(), EventLog().sink) else {
            Issue.record("a request was accepted while no worker runs")
            return
        }
        host.launches[1].start()
        #expect((try? pool.submit(Self.request(), EventLog().sink).get()) != nil)
    }

    @Test("workers stop after idle_stop without a request and start again on the next one")
    func idleStop() throws {
        let host = ScriptedPluginHost()
        var configuration = Self.configuration(workers: 2, timeout: .seconds(1))
        configuration.idleStop = .seconds(60)
        let pool = ProcessPool(configuration: configuration, host: host)
        let first = EventLog()
        let id = try Self.submit(pool, first)
        host.launches.forEach { $0.start() }
        host.launches[0].say(.end(id: id, variables: nil))
        host.advance(by: .seconds(30))
        let second = EventLog()
        let secondID = try Self.submit(pool, second)
        host.launches[0].say(.end(id: secondID, variables: nil))
        host.advance(by: .seconds(60))
        let killedEarly = host.launches.contains { $0.killed }
        #expect(!killedEarly, "a request 30 s in restarted the idle clock")
        host.advance(by: .seconds(1))
        let allKilled = host.launches.allSatisfy { $0.killed }
        #expect(allKilled && pool.workerPIDs.isEmpty)
        host.launches.forEach { $0.exit(.signal(9)) }
        #expect(host.launches.count == 2, "a stopped worker is not restarted")
        let third = EventLog()
        let thirdID = try Self.submit(pool, third)
        #expect(host.launches.count == 4 && host.launches[2].delay == .zero)
        host.launches[2].start()
        host.launches[2].say(.token(id: thirdID, text: "back"))
        host.launches[2].say(.end(id: thirdID, variables: nil))
        #expect(third.all == [.token("back"), .end(variables: nil)])
    }

    @Test("shutdown fails what is in flight, kills every worker and restarts nothing")
    func shutdown() throws {
        let host = ScriptedPluginHost()
        let pool = ProcessPool(configuration: Self.configuration(workers: 2), host: host)
        let log = EventLog()
        try Self.submit(pool, log)
        host.launches[0].start()
        pool.shutdown()
        #expect(log.terminal == .failed(.shutDown) && host.launches.allSatisfy(\.killed))
        host.launches[0].exit(.signal(9))
        #expect(host.launches.count == 2)
        #expect(pool.submit(Self.request(), EventLog().sink) == .failure(.shutDown))
    }

    @Test("output split at every byte gives the same events as output in one piece")
    func dripFeed() throws {
        func run(_ chunks: (String) -> [String]) throws -> [ProcessPool.Event] {
            let host = ScriptedPluginHost()
            let pool = ProcessPool(configuration: Self.configuration(), host: host)
            let log = EventLog()
            let id = try Self.submit(pool, log)
            host.launches[0].start()
            let text = [
                PluginMessage.Reply.token(id: id, text: "Grüße, "), .token(id: id, text: "\"world\"\n"),
                .end(id: id, variables: ["a": "b"]),
            ].map { $0.json.serialized() + "\n" }.joined()
            for chunk in chunks(text) { host.launches[0].events(.output(Array(chunk.utf8))) }
            return log.all
        }
        let whole = try run { [$0] }
        #expect(whole.count == 3)
        let bytes = try run { text in text.unicodeScalars.map { String($0) } }
        #expect(bytes == whole)
    }

    @Test("random output never crashes the pool and ends the request exactly once")
    func fuzz() throws {
        var random = SeededGenerator(seed: 0x5EED_0017)
        let alphabet = Array(#"{}[]":,\ntypeidokenx0123456789"#.utf8)
        for round in 0..<200 {
            let host = ScriptedPluginHost()
            let pool = ProcessPool(configuration: Self.configuration(maxLineBytes: 128), host: host)
            let log = EventLog()
            let id = try Self.submit(pool, log)
            host.launches[0].start()
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0..<300, using: &random) {
                bytes.append(alphabet.randomElement(using: &random)!)
            }
            host.launches[0].events(.output(bytes))
            if log.terminal == nil { host.launches[0].say(.end(id: id, variables: nil)) }
            if log.terminal == nil { host.launches[0].exit() }
            let terminals = log.all.filter { if case .token = $0 { false } else { true } }
            #expect(
                terminals.count == 1,
                "round \(round), seed \(random.seed), input \(String(decoding: bytes, as: UTF8.self))")
        }
    }
}
