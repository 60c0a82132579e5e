import Foundation
import PersonaTestSupport
import Testing

/// Rough edges of the command line found by a new user's walkthrough, each run on the binary.
@Suite("persona CLI rough edges")
struct CLIRoughEdgeTests {
    static func folder(_ files: [String: String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("persona-edges-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return url
    }

    static func personality(_ id: String, extra: String = "") -> String {
        """
        id: \(id)
        name: \(id)
        description: A test bot.
        engine: script
        \(extra)script:
          rules:
            - { match: "hi", reply: "Hello!" }

        """
    }

    static let limits =
        "default: roomy\nsets:\n  roomy: { responses_per_session: 5 }\n  strict: { responses_per_session: 2 }\n"

    @Test("validate FILE checks a personality against the limits.yaml beside it")
    func validateFileFindsLimits() throws {
        let dir = try Self.folder([
            "strict-bot.yaml": Self.personality("strict-bot", extra: "limits: strict\n"),
            "limits.yaml": Self.limits,
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try ProcessResult.persona([
            "validate", dir.appendingPathComponent("strict-bot.yaml").path,
        ])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(
            result.stdout.hasSuffix("Checked 2 files (1 personality): 0 errors, 0 warnings.\n"),
            "\(result.stdout)")
    }

    @Test("a routing.yaml error points at the value's own line and column")
    func routingLocation() throws {
        let dir = try Self.folder([
            "alpha.yaml": Self.personality("alpha"),
            "routing.yaml":
                "matchmaking:\n  timeout: 5s\nfallback:\n  default: alpah\n  candidates:\n    - personality: alpah\n      weight: 2\n",
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try ProcessResult.persona(["validate", dir.path])
        #expect(result.status == 1)
        let routing = dir.appendingPathComponent("routing.yaml").path
        #expect(
            result.stdout.contains(
                "\(routing):4:12: error: default fallback personality 'alpah' is not defined; did you mean 'alpha'?"
            ),
            "\(result.stdout)")
        #expect(
            result.stdout.contains(
                "\(routing):6:20: error: fallback personality 'alpah' is not defined; did you mean 'alpha'?"),
            "\(result.stdout)")
    }

    @Test("errors that only follow from another file's error are not repeated")
    func noFollowOnErrors() throws {
        let dir = try Self.folder([
            "alpha.yaml": Self.personality("alpha", extra: "limits: strict\n"),
            "pirate.yaml": "id: pirate\nname: [unclosed\n",
            "limits.yaml": "default: roomy\nsets:\n  strict: { responses_per_session: [oops\n",
            "routing.yaml": "fallback:\n  default: pirate\n",
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try ProcessResult.persona(["validate", dir.path])
        #expect(result.status == 1)
        let errors = result.stdout.split(separator: "\n").filter { $0.contains(": error: ") }
        // One error each for the two broken files; nothing about 'pirate' or 'strict' beyond.
        #expect(errors.count == 2, "\(result.stdout)")
        #expect(errors.allSatisfy { $0.contains("pirate.yaml:") || $0.contains("limits.yaml:") }, "\(errors)")
    }

    @Test("explain takes --personalities like serve")
    func explainPersonalities() throws {
        let dir = try Self.folder(["alpha.yaml": Self.personality("alpha")])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try ProcessResult.persona(["explain", "alpha", "hi", "--personalities", dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("alpha ("), "\(result.stdout)")
        let environment = ProcessInfo.processInfo.environment.merging(["PERSONA_PERSONALITIES": dir.path]) {
            $1
        }
        let fromEnvironment = try ProcessResult.persona(["explain", "alpha", "hi"], environment: environment)
        #expect(fromEnvironment.status == 0, "\(fromEnvironment.stderr)")
    }

    @Test("command-line durations accept 10s like YAML, and a bare number as seconds")
    func durations() throws {
        let server = try ServeProcess(["--matchmaking-timeout", "1m30s", "--drain-deadline", "500ms"])
        let loaded = try #require(server.nextLine())
        #expect(loaded.contains("matchmaking timeout 90.0 seconds"), "\(loaded)")
        let bad = try ProcessResult.persona(["serve", "--drain-deadline", "10 parsecs"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("expected a duration such as 500ms, 10s"), "\(bad.stderr)")
        let tooLong = try ProcessResult.persona(["serve", "--drain-deadline", "2h"])
        #expect(tooLong.status == 64)
        #expect(tooLong.stderr.contains("expected a value in 0s...1h"), "\(tooLong.stderr)")
    }

    @Test("persona --help promises only what is built, and chat --help has no stray backslashes")
    func helpTexts() throws {
        let root = try ProcessResult.persona(["--help"])
        #expect(root.status == 0)
        for unbuilt in ["REST", "OpenAI", "Socket.IO", "Redis"] {
            #expect(!root.stdout.contains(unbuilt), "persona --help mentions \(unbuilt)")
        }
        for command in [["chat"], ["bench", "chat"]] {
            let help = try ProcessResult.persona(command + ["--help"])
            #expect(help.status == 0)
            #expect(!help.stdout.contains("\\"), "\(command) --help:\n\(help.stdout)")
        }
    }
}
