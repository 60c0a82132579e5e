import Foundation
import PersonaTestSupport
import Testing

/// `persona chat` against a live server, stdin piped in.
@Suite("persona chat (live, stdin piped)")
struct ChatCommandTests {
    private func chat(_ server: ServeProcess, _ arguments: [String], input: String) throws -> ProcessResult {
        try ProcessResult.run(
            PersonaBinary.url, ["chat", "--url", "ws://127.0.0.1:\(server.port)/v1/ws"] + arguments,
            input: input)
    }

    private func version(of line: String?) -> String {
        guard let line, let start = line.range(of: "version ")?.upperBound, let end = line.lastIndex(of: ")")
        else { return "?" }
        return String(line[start..<end])
    }

    @Test("streams each reply on its own line, answers commands in plain words, and exits 0 at EOF")
    func direct() throws {
        let server = try ServeProcess(["--personalities", chatFixtures])
        let result = try chat(server, ["--personality", "parrot"], input: "i am bob\nhow are you\n/bogus\n")
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(
            lines == [
                "— chatting with Parrot (parrot, version \(version(of: lines.first))) —",
                "Parrot: Squawk, hello!",
                "Parrot: hello bob",
                "Parrot: parrot heard how are you",
                "! unknown command /bogus (try /cancel, /next, /next bot, /quit)",
                "Parrot: Squawk, goodbye!",
                "— chat ended: you left —",
                "",
            ])
    }

    @Test("a random chat shows the wait, falls back to a bot, and /next bot starts a new chat")
    func randomThenNext() throws {
        let server = try ServeProcess(["--personalities", chatFixtures, "--matchmaking-timeout", "0.2"])
        let result = try chat(
            server, ["--random", "--language", "en"], input: "i am ann\n/next bot\ni am back\n")
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "… looking for a partner (a bot takes over after 0.2 s)")
        #expect(lines.filter { $0.hasPrefix("— chatting with Parrot") }.count == 2)
        #expect(lines.contains("Parrot: hello ann"))
        #expect(lines.contains("Parrot: hello back"))
        #expect(lines.last == "— chat ended: you left —")
    }

    @Test("/cancel right after a line cancels that line's reply; the chat goes on")
    func cancel() throws {
        let server = try ServeProcess(["--personalities", chatFixtures])
        let result = try chat(
            server, ["--personality", "storyteller"], input: "tell me a story\n/cancel\nshort\n")
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 6, "\(lines)")
        #expect(lines.dropFirst(2).first?.hasSuffix(" [cancelled]") == true, "\(lines)")
        #expect(lines.contains("Storyteller: once upon a time"))
    }

    @Test("an unknown personality is reported in plain words and exits 1")
    func unknownPersonality() throws {
        let server = try ServeProcess(["--personalities", chatFixtures])
        let result = try chat(server, ["--personality", "nobody"], input: "hello\n")
        #expect(result.status == 1)
        #expect(result.stdout == "! no personality 'nobody' (unknown_personality)\n")
    }

    @Test("no server to talk to is a clear failure, not a hang")
    func noServer() throws {
        let result = try ProcessResult.run(
            PersonaBinary.url, ["chat", "--url", "ws://127.0.0.1:1/v1/ws", "--personality", "parrot"],
            input: "")
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot chat: connect failed"), "\(result.stderr)")
    }
}
