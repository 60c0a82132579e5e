import PersonaTestSupport
import Testing

/// The `persona` binary's command-line surface, run as a user runs it.
@Suite("persona command line (golden)")
struct CLIGoldenTests {
    /// The help screen above the subcommand list, which grows as commands are added.
    static let helpHead = """
        OVERVIEW: Persona — a runtime for chat-bot personalities.

        Authors describe personalities in YAML and check them with `persona validate`;
        `persona serve` loads them and streams every reply token by token to chat
        clients over WebSocket (/v1/ws).

        USAGE: persona <subcommand>

        OPTIONS:
          --version               Show the version.
          -h, --help              Show help information.

        SUBCOMMANDS:

        """

    @Test("prints 'persona 0.1.0' for --version")
    func version() throws {
        let result = try ProcessResult.persona(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout == "persona 0.1.0\n")
        #expect(result.stderr.isEmpty)
    }

    @Test("prints the root help for --help, with every line within 80 columns")
    func help() throws {
        let result = try ProcessResult.persona(["--help"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.hasPrefix(Self.helpHead))
        #expect(result.stdout.contains("\n  version                 Show the version of persona.\n"))
        #expect(result.stdout.contains("\n  help                    Show subcommand help information.\n"))
        #expect(result.stdout.hasSuffix("\n\n  See 'persona help <subcommand>' for detailed help.\n"))
        for line in result.stdout.split(separator: "\n") {
            #expect(line.count <= 80, "too wide: \(line)")
        }
    }

    @Test("prints the same help for -h, help, and no arguments", arguments: [["-h"], ["help"], []])
    func helpForms(arguments: [String]) throws {
        let reference = try ProcessResult.persona(["--help"])
        let result = try ProcessResult.persona(arguments)
        #expect(result.status == 0)
        #expect(result.stdout == reference.stdout)
        #expect(result.stderr.isEmpty)
    }

    @Test("prints a subcommand's help for 'help <sub>' and '<sub> --help' alike")
    func subcommandHelp() throws {
        let viaHelp = try ProcessResult.persona(["help", "version"])
        let viaFlag = try ProcessResult.persona(["version", "--help"])
        #expect(viaHelp.status == 0)
        #expect(viaHelp.stdout == viaFlag.stdout)
        #expect(
            viaHelp.stdout == """
                OVERVIEW: Show the version of persona.

                USAGE: persona version [--format <format>]

                OPTIONS:
                  --format <format>       How to print the version. (values: text, json;
                                          default: text)
                  -h, --help              Show help information.

                """)
    }

    @Test("prints the version as JSON on request")
    func versionJSON() throws {
        let result = try ProcessResult.persona(["version", "--format", "json"])
        #expect(result.status == 0)
        #expect(result.stdout == #"{"name":"persona","version":"0.1.0"}"# + "\n")
    }

    @Test("refuses an unknown subcommand with a suggestion, the usage line and exit 64")
    func unknownSubcommand() throws {
        let result = try ProcessResult.persona(["verison"])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr == """
                Error: Unknown subcommand 'verison'. Did you mean 'version'?
                Usage: persona <subcommand>
                See 'persona --help' for more information.

                """)
    }

    @Test("refuses a bad option value with the allowed values and the subcommand's usage")
    func badOptionValue() throws {
        let result = try ProcessResult.persona(["version", "--format", "jsno"])
        #expect(result.status == 64)
        #expect(
            result.stderr == """
                Error: Invalid value 'jsno' for '--format': expected one of: text, json. Did you mean 'json'?
                Usage: persona version [--format <format>]
                See 'persona version --help' for more information.

                """)
    }
}
