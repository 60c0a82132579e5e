import Foundation
import JSON
import PersonaTestSupport
import Testing

/// `persona bench chat` against a live server, small and bounded by message count.
@Suite("persona bench chat (live)")
struct ChatBenchTests {
    @Test("sends exactly --messages, gets every reply and its tokens, reports JSON with no errors")
    func direct() throws {
        let bench = PersonaBinary.packageRoot.appendingPathComponent("Samples/bench").path
        let server = try ServeProcess(["--personalities", bench])
        let result = try ProcessResult.run(
            PersonaBinary.url,
            [
                "bench", "chat", "--url", "ws://127.0.0.1:\(server.port)/v1/ws", "--sessions", "20",
                "--personality", "bench-bot", "--rate", "0", "--messages", "60", "--json",
                "--server-pid", String(server.process.processIdentifier),
            ])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let report = try JSONParser().parse(Array(result.stdout.utf8))
        #expect(report["sessions_started"]?.intValue == 20)
        #expect(report["messages_sent"]?.intValue == 60)
        #expect(report["replies"]?.intValue == 60)
        // The bench bot's paragraph is 117 tokens (59 words and the spaces between them).
        #expect(report["tokens"]?.intValue == 60 * 117)
        #expect(report["errors"]?.intValue == 0)
        #expect(report["time_to_first_token"]?["count"]?.intValue == 60)
        #expect((report["server_rss_kib_after_start"]?.intValue ?? 0) > 0)
    }

    @Test("random sessions with nobody else waiting fall back to bots and are counted as such")
    func random() throws {
        let bench = PersonaBinary.packageRoot.appendingPathComponent("Samples/bench").path
        let server = try ServeProcess(["--personalities", bench, "--matchmaking-timeout", "0.1"])
        let result = try ProcessResult.run(
            PersonaBinary.url,
            [
                "bench", "chat", "--url", "ws://127.0.0.1:\(server.port)/v1/ws", "--sessions", "1", "--mode",
                "random",
                "--rate", "0", "--messages", "3", "--json",
            ])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let report = try JSONParser().parse(Array(result.stdout.utf8))
        #expect(report["sessions_started"]?.intValue == 1)
        #expect(report["human_sessions"]?.intValue == 0)
        #expect(report["replies"]?.intValue == 3)
    }
}
