import Foundation
import Synchronization
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

    /// Runs `persona chat`, killing it after `deadline` seconds: a hang is a failure, not a stuck suite.
    private func chatWithDeadline(
        _ server: ServeProcess, _ arguments: [String], input: String, deadline: Double = 20
    ) throws -> (result: (status: Int32, stdout: String), timedOut: Bool) {
        let process = Process()
        process.executableURL = PersonaBinary.url
        process.arguments = ["chat", "--url", "ws://127.0.0.1:\(server.port)/v1/ws"] + arguments
        let out = Pipe()
        let inp = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = inp
        try process.run()
        inp.fileHandleForWriting.write(Data(input.utf8))
        try inp.fileHandleForWriting.close()
        let timedOut = Mutex(false)
        let watchdog = DispatchWorkItem {
            if process.isRunning {
                timedOut.withLock { $0 = true }
                process.terminate()
            }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + deadline, execute: watchdog)
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        return (
            (process.terminationStatus, String(decoding: output, as: UTF8.self)),
            timedOut.withLock { $0 }
        )
    }

    @Test("/next in a direct chat is refused in plain words, the chat goes on, and end of input exits")
    func nextInDirectChat() throws {
        let server = try ServeProcess(["--personalities", chatFixtures])
        let (result, timedOut) = try chatWithDeadline(
            server, ["--personality", "parrot"], input: "i am bob\n/next\n/next bot\nhow are you\n")
        #expect(!timedOut, "persona chat hung: \(result.stdout)")
        #expect(result.status == 0, "\(result.stdout)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let refusal = "! /next finds a new partner in a random chat (--random); this chat is with parrot"
        #expect(lines.filter { $0 == refusal }.count == 2, "\(lines)")
        #expect(lines.contains("Parrot: parrot heard how are you"), "\(lines)")
        #expect(lines.last == "— chat ended: you left —", "\(lines)")
    }

    @Test("empty input connects, shows the greeting, ends the session and exits 0, every time")
    func emptyInput() throws {
        let server = try ServeProcess(["--personalities", chatFixtures])
        for attempt in 0..<8 {
            let (result, timedOut) = try chatWithDeadline(server, ["--personality", "parrot"], input: "")
            #expect(!timedOut, "attempt \(attempt) hung: \(result.stdout)")
            #expect(result.status == 0, "attempt \(attempt): \(result.stdout)")
            #expect(result.stdout.contains("Parrot: Squawk, hello!"), "attempt \(attempt): \(result.stdout)")
            #expect(result.stdout.hasSuffix("— chat ended: you left —\n"), "attempt \(attempt): \(result.stdout)")
        }
    }

    @Test("a misspelt personality is refused with a did-you-mean and exits 1")
    func unknownPersonalitySuggestion() throws {
        let server = try ServeProcess(["--personalities", chatFixtures])
        let result = try chat(server, ["--personality", "parot"], input: "hello\n")
        #expect(result.status == 1)
        #expect(result.stdout == "! no personality 'parot'; did you mean 'parrot'? (unknown_personality)\n")
    }
}
