import Foundation
import PersonaTestSupport
import Testing

/// Whether python3 can import `module` (the live tests' third-party peers are installed by
/// `pip install -r Tests/requirements.txt`).
func pythonCanImport(_ module: String) -> Bool {
    guard
        let result = try? ProcessResult.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import \(module)"])
    else { return false }
    return result.status == 0
}

/// Whether the official OpenAI SDK is installed.
let openAIPythonAvailable = pythonCanImport("openai")

/// The API tests' personalities: `echo` (cadence 0, remembers a name), `metronome` (10 tokens
/// per second), `flood` (burst of 3 per client) and `short` (two replies).
let apiFixtures = PersonaBinary.packageRoot.appendingPathComponent("Tests/PersonaTests/Fixtures/api").path

/// Runs `Python/api_scenarios.py SCENARIO PORT` against a fresh `persona serve` on the API
/// fixtures (CORS allowed for https://app.example, a 1,000-byte body limit, plus `arguments`)
/// and returns its `ok …` lines after checking it passed.
func runAPIScenario(
    _ scenario: String, serverArguments: [String] = [], passPID: Bool = false, scenarioArguments: [String] = []
) throws -> [String] {
    let server = try ServeProcess(
        ["--personalities", apiFixtures, "--cors-origins", "https://app.example", "--max-request-body", "1000"]
            + serverArguments)
    let script = PersonaBinary.packageRoot.appendingPathComponent("Tests/PersonaTests/Python/api_scenarios.py")
    var arguments = ["python3", script.path, scenario, String(server.port)]
    if passPID { arguments.append(String(server.process.processIdentifier)) }
    arguments += scenarioArguments
    let result = try ProcessResult.run(URL(fileURLWithPath: "/usr/bin/env"), arguments)
    #expect(result.status == 0, "\(scenario): stdout: \(result.stdout)\nstderr: \(result.stderr)")
    _ = server.stop()
    return result.stdout.split(separator: "\n").map(String.init)
}

@Suite(
    "the OpenAI-compatible API, live, with the official openai Python SDK",
    .enabled(if: openAIPythonAvailable, "python3 'openai' is not installed (pip install -r Tests/requirements.txt)"))
struct OpenAISDKLiveTests {
    @Test("models.list() and models.retrieve() show every personality as a model; unknown is NotFoundError")
    func models() throws {
        #expect(try runAPIScenario("sdk_models").count == 4)
    }

    @Test("a non-streaming create replays earlier turns, honours max_tokens and stop, and counts usage")
    func create() throws {
        #expect(try runAPIScenario("sdk_create").count == 6)
    }

    @Test("a streaming loop's deltas join to the reply; chunks follow the spec; include_usage adds the usage chunk")
    func stream() throws {
        #expect(try runAPIScenario("sdk_stream").count == 7)
    }

    @Test("the chat.completions.stream() helper ends in get_final_completion()")
    func streamHelper() throws {
        #expect(try runAPIScenario("sdk_stream_helper").count == 2)
    }

    @Test("NotFoundError, BadRequestError and RateLimitError carry the parsed code, param and retry headers")
    func errors() throws {
        #expect(try runAPIScenario("sdk_errors").count == 6)
    }

    @Test("X-Persona-Session keeps the conversation on the server, in a REST session read back over REST")
    func heldSession() throws {
        #expect(try runAPIScenario("sdk_held_session").count == 3)
    }

    @Test("a stream cut after it began raises from the in-band error event")
    func inBandError() throws {
        let lines = try runAPIScenario("sdk_in_band_error", serverArguments: ["--drain-deadline", "0.1"], passPID: true)
        #expect(lines.count == 1)
    }
}

@Suite("REST and the HTTP API's edges, live, with a plain HTTP client", .serialized)
struct RESTLiveTests {
    @Test("every REST endpoint: personalities, create, message, status, history pages, delete")
    func flow() throws {
        #expect(try runAPIScenario("rest_flow").count == 14)
    }

    @Test("with --store memory the same flow reads its history from the memory store")
    func flowMemoryStore() throws {
        #expect(try runAPIScenario("rest_flow", serverArguments: ["--store", "memory"]).count == 14)
    }

    @Test("one session across doors: created over REST, resumed over /v1/ws seeing what it missed, read and taken back over REST; and /v1/ws → REST")
    func crossDoor() throws {
        #expect(try runAPIScenario("rest_cross_door").count == 7)
    }

    @Test("a human random session resumed over REST: a message is relayed and answered at once with 202, a completion refused with 409")
    func humanSession() throws {
        let routing = PersonaBinary.packageRoot.appendingPathComponent(
            "Tests/PersonaTests/Fixtures/api-routing/humans-first.yaml"
        ).path
        #expect(try runAPIScenario("rest_human", serverArguments: ["--routing", routing]).count == 5)
    }

    @Test("a REST session survives a server restart on the same store, its engine state included")
    func restart() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("persona-rest-restart-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let before = try runAPIScenario("rest_restart_before", serverArguments: ["--data-dir", directory])
        let state = try #require(before.last { $0.hasPrefix("state ") }).split(separator: " ").map(String.init)
        try #require(state.count == 3)
        let after = try runAPIScenario(
            "rest_restart_after", serverArguments: ["--data-dir", directory], scenarioArguments: [state[1], state[2]])
        #expect(after.count == 4)
    }

    @Test("every REST error has its status and code: 400, 401, 404, 409, 429 rate and limit")
    func errors() throws {
        #expect(try runAPIScenario("rest_errors").count == 19)
    }

    @Test("SSE tokens arrive one event at a time at the personality's cadence, not in one burst")
    func eventTiming() throws {
        #expect(try runAPIScenario("rest_sse_timing").count == 5)
    }

    @Test("a stream quieter than the keep-alive interval gets ': keep-alive' comments")
    func keepAlive() throws {
        #expect(try runAPIScenario("rest_keep_alive", serverArguments: ["--sse-keep-alive", "0.03"]).count == 1)
    }

    @Test("PII sent over REST is scrubbed in the reply and in the stored history")
    func pii() throws {
        #expect(try runAPIScenario("rest_pii").count == 4)
    }

    @Test("CORS: preflights from allowed origins are answered, others refused; responses carry the headers")
    func cors() throws {
        #expect(try runAPIScenario("cors").count == 5)
    }

    @Test("a body of exactly the limit is served, one byte more is 413 on both doors")
    func bodyLimit() throws {
        #expect(try runAPIScenario("body_limit").count == 3)
    }
}
