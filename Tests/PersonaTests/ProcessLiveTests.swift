import Foundation
import PersonaTestSupport
import Testing

/// Whether the peers of the process live tests are installed: python3 with the `websockets`
/// client (Tests/requirements.txt); the plugins themselves are plain Python.
let processPeersAvailable: Bool = {
    guard
        let result = try? ProcessResult.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import websockets"])
    else { return false }
    return result.status == 0
}()

/// One run of `Python/process_scenarios.py`, shared by every test below: it starts
/// `persona serve` once on the shipped parrot sample and personalities on the misbehaving
/// `plugins/fault_plugin.py`, and prints one `ok <scenario>: …` or `FAIL <scenario>: …` line
/// per scenario.
let processScenarioRun: (lines: [String], stderr: String) = {
    let script = PersonaBinary.packageRoot.appendingPathComponent(
        "Tests/PersonaTests/Python/process_scenarios.py")
    guard
        let result = try? ProcessResult.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path, PersonaBinary.url.path])
    else { return ([], "process_scenarios.py could not be started") }
    return (result.stdout.split(separator: "\n").map(String.init), result.stderr)
}()

/// The line of `scenario`, failing the test with the script's output when it did not pass.
func processScenario(_ scenario: String) -> String? {
    let run = processScenarioRun
    guard let line = run.lines.first(where: { $0.hasPrefix("ok \(scenario):") }) else {
        Issue.record(
            "scenario \(scenario) did not pass:\n\(run.lines.joined(separator: "\n"))\n\(run.stderr)")
        return nil
    }
    return line
}

@Suite(
    "process engine, live: persona serve running Python plugin programs",
    .enabled(if: processPeersAvailable, "needs python3 with websockets (Tests/requirements.txt)"))
struct ProcessLiveTests {
    @Test("the shipped parrot sample streams its answer and keeps session variables between messages")
    func samplePlugin() { #expect(processScenario("sample_plugin") != nil) }

    @Test("a plugin that exits is answered by finish error (or the next engine) and restarted")
    func crash() { #expect(processScenario("crash") != nil) }

    @Test("a plugin that exits after a token keeps the token and ends with finish error")
    func crashAfterToken() { #expect(processScenario("crash_after_token") != nil) }

    @Test("a plugin that hangs is killed at the timeout and replaced")
    func hang() { #expect(processScenario("hang") != nil) }

    @Test("a plugin that prints a line that is not JSON is killed at once and replaced")
    func garbage() { #expect(processScenario("garbage") != nil) }

    @Test("a line for another request is a protocol violation")
    func wrongID() { #expect(processScenario("wrong_id") != nil) }

    @Test("a line one past max_line_bytes kills the worker")
    func lineTooLong() { #expect(processScenario("line_too_long") != nil) }

    @Test("an answer past max_reply_bytes is cut and the worker killed")
    func replyTooLarge() { #expect(processScenario("reply_too_large") != nil) }

    @Test("error and decline lines let the next engine answer")
    func errorAndDecline() { #expect(processScenario("plugin_error_and_decline") != nil) }

    @Test("workers: 3 runs exactly three processes, never more than three requests at once")
    func poolSize() { #expect(processScenario("pool_size") != nil) }

    @Test("a request one past max_queue is refused at once")
    func queueFull() { #expect(processScenario("queue_full") != nil) }

    @Test("cancel reaches the plugin and frees its worker")
    func cancel() {
        #expect(processScenario("cancel") != nil)
        #expect(processScenario("cancel_seen") != nil)
    }

    @Test("a command that cannot start lets the next engine answer at once")
    func missingCommand() { #expect(processScenario("missing_command") != nil) }

    @Test("plugin stderr and restarts reach the server log")
    func logged() { #expect(processScenario("plugin_log") != nil) }

    @Test("no worker process outlives the server")
    func shutdown() { #expect(processScenario("shutdown") != nil) }
}
