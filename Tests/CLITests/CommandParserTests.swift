import CLI
import Testing

@Suite("Command-line parsing")
struct CommandParserTests {
    /// One accepted command line and a value it must produce.
    struct Accepted: Sendable, CustomTestStringConvertible {
        var argv: [String]
        var key: String
        var expected: [String]
        var environment: [String: String] = [:]
        var testDescription: String { argv.joined(separator: " ") }
    }

    static let accepted: [Accepted] = [
        Accepted(argv: ["serve", "--port", "9000"], key: "port", expected: ["9000"]),
        Accepted(argv: ["serve", "--port=9000"], key: "port", expected: ["9000"]),
        Accepted(argv: ["serve", "-p", "9000"], key: "port", expected: ["9000"]),
        Accepted(argv: ["serve", "-p9000"], key: "port", expected: ["9000"]),
        Accepted(argv: ["serve", "-p=9000"], key: "port", expected: ["9000"]),
        Accepted(argv: ["serve", "-qp", "9000"], key: "port", expected: ["9000"]),
        Accepted(argv: ["serve"], key: "port", expected: ["8080"]),
        Accepted(argv: ["serve", "--port", "9000", "--port", "9001"], key: "port", expected: ["9001"]),
        Accepted(argv: ["serve"], key: "port", expected: ["7000"], environment: ["TOOL_PORT": "7000"]),
        Accepted(
            argv: ["serve", "-p", "9000"], key: "port", expected: ["9000"], environment: ["TOOL_PORT": "7000"]
        ),
        Accepted(argv: ["serve"], key: "port", expected: ["8080"], environment: ["TOOL_PORT": ""]),
        Accepted(
            argv: ["serve", "--tag", "a", "-t", "b", "--tag=c", "-td"], key: "tag",
            expected: ["a", "b", "c", "d"]),
        Accepted(argv: ["serve", "--format", "json"], key: "format", expected: ["json"]),
        Accepted(argv: ["serve", "--offset", "-5"], key: "offset", expected: ["-5"]),
        Accepted(argv: ["serve", "--ratio", "0.25"], key: "ratio", expected: ["0.25"]),
        Accepted(argv: ["serve", "--listen", "::1"], key: "listen", expected: ["::1"]),
        Accepted(argv: ["serve", "--listen="], key: "listen", expected: [""]),
        Accepted(argv: ["copy", "a"], key: "source", expected: ["a"]),
        Accepted(argv: ["copy", "a"], key: "destination", expected: []),
        Accepted(argv: ["copy", "a", "b"], key: "destination", expected: ["b"]),
        Accepted(argv: ["copy", "--", "-a", "--b"], key: "destination", expected: ["--b"]),
        Accepted(argv: ["copy", "-", "x"], key: "source", expected: ["-"]),
        Accepted(argv: ["copy", "-5", "x"], key: "source", expected: ["-5"]),
        Accepted(argv: ["cat", "x", "y", "z"], key: "files", expected: ["x", "y", "z"]),
        Accepted(argv: ["bench", "echo", "-c", "10", "ws://x"], key: "url", expected: ["ws://x"]),
        Accepted(
            argv: ["bench", "echo", "ws://x", "--connections=10"], key: "connections", expected: ["10"]),
    ]

    @Test("accepts every option and argument form", arguments: accepted)
    func acceptsForm(_ example: Accepted) throws {
        let invocation = try SampleTool.parse(example.argv, environment: example.environment)
        #expect(invocation.action == .run)
        #expect(invocation.values.strings(example.key) == example.expected)
    }

    @Test("counts flags, in clusters and across the parent command")
    func countsFlags() throws {
        let invocation = try SampleTool.parse(["-vv", "serve", "-q"])
        #expect(invocation.commandPath == ["tool", "serve"])
        #expect(invocation.values.flagCount("verbose") == 2)
        #expect(invocation.values.flag("quiet"))
        #expect(!invocation.values.flag("dry-run"))
    }

    @Test("reads typed values through the accessors")
    func typedAccessors() throws {
        let values = try SampleTool.parse(["serve", "-p", "9000", "--ratio", "0.5", "--format", "json"])
            .values
        enum Format: String { case text, json }
        #expect(try values.int("port") == 9000)
        #expect(try values.int("port", in: 1...9000) == 9000)
        #expect(throws: UsageError.invalidValue("9000", for: "'--port'", problem: .outOfRange("1...100"))) {
            try values.int("port", in: 1...100)
        }
        #expect(try values.double("ratio") == 0.5)
        #expect(try values.choice("format", as: Format.self) == .json)
        #expect(try values.intIfPresent("offset") == nil)
        #expect(throws: UsageError.missingOption("--offset <offset>")) { try values.int("offset") }
        #expect(values.source(of: "port") == .commandLine)
        #expect(values.source(of: "listen") == .defaultValue)
    }

    @Test("takes flags and values from the environment and says where they came from")
    func environment() throws {
        let values = try SampleTool.parse(
            ["serve"], environment: ["TOOL_DRY_RUN": "yes", "TOOL_LISTEN": "0.0.0.0"]
        ).values
        #expect(values.flag("dry-run"))
        #expect(values.source(of: "dry-run") == .environment("TOOL_DRY_RUN"))
        #expect(try values.string("listen") == "0.0.0.0")
        let off = try SampleTool.parse(["serve"], environment: ["TOOL_DRY_RUN": "off"]).values
        #expect(!off.flag("dry-run"))
    }

    /// One refused command line and the error it must produce.
    struct Refused: Sendable, CustomTestStringConvertible {
        var argv: [String]
        var error: UsageError
        var path: [String]
        var environment: [String: String] = [:]
        var testDescription: String { argv.joined(separator: " ") }
    }

    static let refused: [Refused] = [
        Refused(
            argv: ["serve", "--prot", "1"], error: .unknownOption("--prot", suggestion: "--port"),
            path: ["tool", "serve"]),
        Refused(
            argv: ["serve", "--bogus"], error: .unknownOption("--bogus", suggestion: nil),
            path: ["tool", "serve"]),
        Refused(
            argv: ["serve", "-x"], error: .unknownOption("-x", suggestion: nil), path: ["tool", "serve"]),
        Refused(
            argv: ["serve", "-qx"], error: .unknownOption("-x", suggestion: nil), path: ["tool", "serve"]),
        Refused(
            argv: ["serve", "-listen", "x"], error: .unknownOption("-listen", suggestion: "--listen"),
            path: ["tool", "serve"]),
        Refused(
            argv: ["serve", "--secret=1"], error: .unexpectedValue(option: "--secret"),
            path: ["tool", "serve"]),
        Refused(
            argv: ["--verison"], error: .unknownOption("--verison", suggestion: "--version"), path: ["tool"]),
        Refused(argv: ["serve", "--port"], error: .missingValue(option: "--port"), path: ["tool", "serve"]),
        Refused(
            argv: ["serve", "--port", "--quiet"], error: .missingValue(option: "--port"),
            path: ["tool", "serve"]),
        Refused(argv: ["serve", "-p"], error: .missingValue(option: "-p"), path: ["tool", "serve"]),
        Refused(
            argv: ["serve", "--quiet=yes"], error: .unexpectedValue(option: "--quiet"),
            path: ["tool", "serve"]),
        Refused(argv: ["copy"], error: .missingArgument("<source>"), path: ["tool", "copy"]),
        Refused(argv: ["cat"], error: .missingArgument("<files>"), path: ["tool", "cat"]),
        Refused(argv: ["copy", "a", "b", "c"], error: .unexpectedArgument("c"), path: ["tool", "copy"]),
        Refused(argv: ["serve", "extra"], error: .unexpectedArgument("extra"), path: ["tool", "serve"]),
        Refused(
            argv: ["copy", "a", "a"], error: .invalid("Source and destination are the same file."),
            path: ["tool", "copy"]),
        Refused(
            argv: ["serve", "--port", "abc"],
            error: .invalidValue("abc", for: "'--port'", problem: .notAnInteger),
            path: ["tool", "serve"]),
        Refused(
            argv: ["serve", "-p", "0"],
            error: .invalidValue("0", for: "'-p'", problem: .outOfRange("1...65535")),
            path: ["tool", "serve"]),
        Refused(
            argv: ["serve", "--port=65536"],
            error: .invalidValue("65536", for: "'--port'", problem: .outOfRange("1...65535")),
            path: ["tool", "serve"]),
        Refused(
            argv: ["serve", "--port", "99999999999999999999"],
            error: .invalidValue("99999999999999999999", for: "'--port'", problem: .notAnInteger),
            path: ["tool", "serve"]),
        Refused(
            argv: ["serve", "--max-connections-per-client", "0"],
            error: .invalidValue(
                "0", for: "'--max-connections-per-client'", problem: .outOfRange("at least 1")),
            path: ["tool", "serve"]),
        Refused(
            argv: ["serve", "--ratio", "1.5"],
            error: .invalidValue("1.5", for: "'--ratio'", problem: .outOfRange("0.0...1.0")),
            path: ["tool", "serve"]),
        Refused(
            argv: ["serve", "--ratio", "nan"],
            error: .invalidValue("nan", for: "'--ratio'", problem: .notANumber),
            path: ["tool", "serve"]),
        Refused(
            argv: ["serve", "--format", "jsno"],
            error: .invalidValue(
                "jsno", for: "'--format'", problem: .notAChoice(["text", "json"], suggestion: "json")),
            path: ["tool", "serve"]),
        Refused(
            argv: ["serve", "--format", "xml"],
            error: .invalidValue(
                "xml", for: "'--format'", problem: .notAChoice(["text", "json"], suggestion: nil)),
            path: ["tool", "serve"]),
        Refused(
            argv: ["serve"],
            error: .invalidValue(
                "http", for: "'--port' (from environment variable TOOL_PORT)", problem: .notAnInteger),
            path: ["tool", "serve"], environment: ["TOOL_PORT": "http"]),
        Refused(
            argv: ["serve"],
            error: .invalidValue(
                "maybe", for: "'--dry-run' (from environment variable TOOL_DRY_RUN)", problem: .notABoolean),
            path: ["tool", "serve"], environment: ["TOOL_DRY_RUN": "maybe"]),
        Refused(argv: ["serv"], error: .unknownSubcommand("serv", suggestion: "serve"), path: ["tool"]),
        Refused(argv: ["hlep"], error: .unknownSubcommand("hlep", suggestion: "help"), path: ["tool"]),
        Refused(argv: ["zzz"], error: .unknownSubcommand("zzz", suggestion: nil), path: ["tool"]),
        Refused(argv: ["dumb"], error: .unknownSubcommand("dumb", suggestion: nil), path: ["tool"]),
        Refused(
            argv: ["serve", "--secrte"], error: .unknownOption("--secrte", suggestion: nil), path: ["tool", "serve"]),
        Refused(
            argv: ["bench", "ech"], error: .unknownSubcommand("ech", suggestion: "echo"),
            path: ["tool", "bench"]),
        Refused(
            argv: ["help", "serv"], error: .unknownSubcommand("serv", suggestion: "serve"),
            path: ["tool", "help"]),
        Refused(
            argv: ["help", "--all"], error: .unknownOption("--all", suggestion: nil), path: ["tool", "help"]),
        Refused(
            argv: ["bench", "echo", "ws://x"], error: .missingOption("--connections <connections>"),
            path: ["tool", "bench", "echo"]),
        Refused(argv: ["--", "serve"], error: .unexpectedArgument("serve"), path: ["tool"]),
    ]

    @Test("refuses a malformed command line with a typed error", arguments: refused)
    func refusesMalformed(_ example: Refused) {
        #expect(throws: ParseError(example.error, commandPath: example.path)) {
            try SampleTool.parse(example.argv, environment: example.environment)
        }
    }

    @Test(
        "routes -h, --help and help <sub> to the same help",
        arguments: [
            (["-h"], ["tool"]), (["--help"], ["tool"]), (["help"], ["tool"]),
            (["serve", "-h"], ["tool", "serve"]),
            (["serve", "--help"], ["tool", "serve"]), (["help", "serve"], ["tool", "serve"]),
            (["serve", "--bogus", "-h"], ["tool", "serve"]),
            (["serve", "-p", "0", "--help"], ["tool", "serve"]),
            (["help", "bench", "echo"], ["tool", "bench", "echo"]),
            (["bench", "echo", "-h"], ["tool", "bench", "echo"]),
            (["bench"], ["tool", "bench"]), ([], ["tool"]), (["help", "help"], ["tool", "help"]),
            (["help", "-h"], ["tool", "help"]),
        ])
    func routesHelp(argv: [String], path: [String]) throws {
        let invocation = try SampleTool.parse(argv)
        #expect(invocation.action == .help)
        #expect(invocation.commandPath == path)
    }

    @Test("runs a hidden command and accepts a hidden option, though help and suggestions omit them")
    func hidden() throws {
        #expect(try SampleTool.parse(["dump"]).commandPath == ["tool", "dump"])
        #expect(try SampleTool.parse(["serve", "--secret"]).values.flag("secret"))
        #expect(!HelpFormatter(commands: [SampleTool.root]).helpText().contains("dump"))
        #expect(!HelpFormatter(commands: [SampleTool.root, SampleTool.serve]).helpText().contains("secret"))
    }

    @Test("treats -h after -- as a positional, not a help request")
    func helpAfterDoubleDash() throws {
        let invocation = try SampleTool.parse(["copy", "--", "-h"])
        #expect(invocation.action == .run)
        #expect(invocation.values.strings("source") == ["-h"])
    }

    @Test("answers --version only on the command that has a version")
    func version() throws {
        #expect(try SampleTool.parse(["--version"]).action == .version)
        #expect(
            throws: ParseError(.unknownOption("--version", suggestion: nil), commandPath: ["tool", "copy"])
        ) {
            try SampleTool.parse(["copy", "--version"])
        }
    }
}
