import Foundation
import PersonaTestSupport
import Testing

/// Whether the third-party client is installed (`pip install -r Tests/requirements.txt`).
let chatPythonAvailable = pythonCanImport("websockets")

/// The personalities the chat tests serve: a parrot that echoes (so a reply shows whose
/// conversation it belongs to), a slow storyteller, a two-reply `brief` and a rate-limited
/// `strict`, with roomy limits otherwise.
let chatFixtures = PersonaBinary.packageRoot.appendingPathComponent("Tests/PersonaTests/Fixtures/chat").path

/// One run of `Python/chat_scenarios.py SCENARIO` against a fresh server started with
/// `arguments`; returns the script's `ok …` lines after checking it passed.
@discardableResult
func runChatScenario(_ scenario: String, serverArguments: [String] = [], passPID: Bool = false) throws
    -> (lines: [String], server: ServeProcess)
{
    let server = try ServeProcess(["--personalities", chatFixtures] + serverArguments)
    let script = PersonaBinary.packageRoot.appendingPathComponent(
        "Tests/PersonaTests/Python/chat_scenarios.py")
    var arguments = ["python3", script.path, scenario, "ws://127.0.0.1:\(server.port)/v1/ws"]
    if passPID { arguments.append(String(server.process.processIdentifier)) }
    let result = try ProcessResult.run(URL(fileURLWithPath: "/usr/bin/env"), arguments)
    #expect(result.status == 0, "\(scenario): stdout: \(result.stdout)\nstderr: \(result.stderr)")
    return (result.stdout.split(separator: "\n").map(String.init), server)
}

@Suite(
    "persona serve /v1/ws, live, with the Python websockets client",
    .enabled(
        if: chatPythonAvailable,
        "python3 'websockets' is not installed (pip install -r Tests/requirements.txt)"))
struct ChatLiveTests {
    @Test("a direct chat streams tokens that join to the expected reply")
    func direct() throws {
        let (lines, _) = try runChatScenario("direct")
        #expect(lines.first == "ok direct reply streamed as 3 tokens joining to 'hello alice'")
        #expect(lines.count == 3)
    }

    @Test("two random clients are matched to each other and see each other typing")
    func matched() throws {
        let (lines, _) = try runChatScenario("matched", serverArguments: ["--matchmaking-timeout", "10"])
        #expect(
            lines == [
                "ok two random clients matched to each other", "ok typing on/off relayed",
                "ok messages relayed both ways",
            ])
    }

    @Test("a partner leaving is told to the other side, who can ask for a bot next")
    func partnerLeaves() throws {
        let (lines, _) = try runChatScenario(
            "partner_leaves", serverArguments: ["--matchmaking-timeout", "10"])
        #expect(lines == ["ok the partner was told partner_left", "ok next with want=bot got a bot at once"])
    }

    @Test("a random client with nobody to match falls back to a bot after the timeout")
    func fallback() throws {
        let (lines, _) = try runChatScenario("fallback", serverArguments: ["--matchmaking-timeout", "0.3"])
        #expect(
            lines == ["ok nobody to match: fell back to parrot after 300 ms", "ok the fallback bot answers"])
    }

    @Test("the response limit ends the session with the farewell right after the last allowed reply")
    func responseLimit() throws {
        let (lines, _) = try runChatScenario("response_limit")
        #expect(
            lines == [
                "ok the last allowed reply is followed at once by the farewell and limit_reached",
                "ok a message to the ended session is refused: session_not_active",
            ])
    }

    @Test("cancel stops a streaming reply and the session goes on")
    func cancel() throws {
        let (lines, _) = try runChatScenario("cancel")
        #expect(lines.count == 2)
        #expect(lines.last == "ok the session goes on after a cancel")
    }

    @Test("messages sent while a reply streams are queued and answered in order")
    func queued() throws {
        let (lines, _) = try runChatScenario("queued")
        #expect(lines == ["ok messages sent during a reply are queued and answered in order"])
    }

    @Test("bad input gets its typed error and the connection stays usable")
    func badInput() throws {
        let (lines, _) = try runChatScenario("bad_input")
        #expect(
            lines == [
                "ok invalid JSON answered", "ok unknown type answered", "ok missing field answered",
                "ok unknown personality answered",
                "ok 200 characters accepted, 201 refused message_too_large",
                "ok a message for someone else's session refused not_your_session",
                "ok the connection is still usable after every error",
            ])
    }

    @Test("a flooding client is rate limited with retry_after_ms while a polite one is not")
    func flood() throws {
        let (lines, _) = try runChatScenario("flood")
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("ok the flooder got") == true)
        #expect(lines.last == "ok the polite client on the same server was never limited")
    }

    @Test("1,000 concurrent sessions each receive only their own conversation")
    func isolation() throws {
        // A thousand connections from one address in a second: the per-IP connection rate is
        // off here (its own test is below).
        let (lines, _) = try runChatScenario("isolation", serverArguments: ["--connection-rate", "off"])
        #expect(lines == ["ok 1000 concurrent sessions each got only their own replies (2000 turns)"])
    }

    @Test("SIGTERM stops accepting at once, lets a streaming reply finish, then ends the session with 1001")
    func drainFinishes() throws {
        let (lines, server) = try runChatScenario(
            "drain", serverArguments: ["--drain-deadline", "10"], passPID: true)
        #expect(
            lines == [
                "ok new connections were refused while the reply was still streaming",
                "ok the streaming reply finished after SIGTERM, then the session ended shutdown",
                "ok the client got close code 1001",
            ])
        #expect(server.stop() == 0)
    }

    @Test("SIGTERM past the drain deadline cuts the reply, ends the session and closes with 1001")
    func drainCuts() throws {
        let (lines, server) = try runChatScenario(
            "drain_cut", serverArguments: ["--drain-deadline", "0.05"], passPID: true)
        #expect(
            lines == ["ok past the drain deadline the reply was cut, the session ended shutdown, close 1001"])
        #expect(server.stop() == 0)
    }

    /// `--max-message-bytes 65536` makes the core's per-connection outbound bound 192 KiB, so a
    /// client that stops reading reaches it within a second.
    @Test("a client that stops reading is cut off at the outbound bound and never stalls a polite one")
    func slowClient() throws {
        let (lines, _) = try runChatScenario(
            "slow_client", serverArguments: ["--max-message-bytes", "65536"])
        #expect(
            lines == [
                "ok the slow client holds 16 sessions and stops reading",
                "ok the slow client was disconnected once its queue passed the bound",
                "ok the polite client was answered promptly throughout",
            ])
    }

    @Test("with the default bounds a client that stops reading is paused, not dropped, and nobody stalls")
    func slowClientPaused() throws {
        let (lines, _) = try runChatScenario("slow_client_paused")
        #expect(lines.count == 4)
        #expect(lines.first == "ok the slow client holds 16 sessions and stops reading")
        #expect(lines.dropFirst().first?.hasPrefix("ok the slow client stayed connected with its pacing paused") == true)
        #expect(lines.dropFirst(2).first?.hasPrefix("ok once it read again its paced replies resumed") == true)
        #expect(lines.last == "ok the polite client was answered promptly throughout")
    }

    @Test("personal data is scrubbed before the engine sees it, so replies never echo it")
    func pii() throws {
        let (lines, _) = try runChatScenario("pii")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.hasPrefix("ok ") && $0.contains("scrubbed before the engine") })
    }

    @Test("an address opening connections too fast gets 429 with Retry-After; others are unaffected")
    func connectionFlood() throws {
        let (lines, _) = try runChatScenario(
            "connection_flood", serverArguments: ["--connection-rate", "1/min", "--connection-burst", "3"])
        #expect(
            lines == [
                "ok one address opened 3 connections back to back; 3 more were refused 429 with Retry-After",
                "ok another address connects and chats as usual",
            ])
    }
}
