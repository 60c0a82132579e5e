import CLI
import Testing

@Suite("Help text")
struct HelpFormatterTests {
    @Test("renders a group's help with overview, discussion, options and subcommands")
    func rootHelp() {
        #expect(
            HelpFormatter(commands: [SampleTool.root]).helpText() == """
                OVERVIEW: A sample tool.

                It exists to exercise the command-line framework.

                USAGE: tool [--verbose ...] <subcommand>

                OPTIONS:
                  -v, --verbose           Say more; repeat for even more.
                  --version               Show the version.
                  -h, --help              Show help information.

                SUBCOMMANDS:
                  serve                   Serve personalities over HTTP and WebSocket until
                                          interrupted.
                  copy                    Copy a file.
                  cat                     Print files.
                  bench                   Run benchmarks.
                  fail                    Fail in a chosen way.
                  help                    Show subcommand help information.

                  See 'tool help <subcommand>' for detailed help.

                """)
    }

    @Test("shows allowed values, ranges, defaults and environment variables, wrapped to 80 columns")
    func leafHelp() {
        let text = HelpFormatter(commands: [SampleTool.root, SampleTool.serve]).helpText()
        #expect(
            text == """
                OVERVIEW: Serve personalities over HTTP and WebSocket until interrupted.

                USAGE: tool serve [<options>]

                OPTIONS:
                  -p, --port <port>       The TCP port to listen on. (range: 1...65535; default:
                                          8080; env: TOOL_PORT)
                  --listen <address>      The address to bind. (default: 127.0.0.1; env:
                                          TOOL_LISTEN)
                  -f, --format <format>   Log format. (values: text, json; default: text)
                  -t, --tag <tag> ...     A tag to attach; repeat for more.
                  --ratio <ratio>         Share of sessions to sample. (range: 0.0...1.0)
                  --offset <offset>       Clock offset in seconds, may be negative.
                  --max-connections-per-client <max-connections-per-client>
                                          How many connections one client address may hold open
                                          before new ones are refused. (at least 1; default: 64)
                  -q, --quiet             Print nothing but errors.
                  --dry-run               Load everything, then exit. (env: TOOL_DRY_RUN)
                  -h, --help              Show help information.

                """)
        for line in text.split(separator: "\n") {
            #expect(line.count <= HelpFormatter.width, "too wide: \(line)")
        }
    }

    @Test("lists arguments with their arity in usage and help")
    func argumentHelp() {
        #expect(
            HelpFormatter(commands: [SampleTool.root, SampleTool.copy]).helpText() == """
                OVERVIEW: Copy a file.

                USAGE: tool copy <source> [<destination>]

                ARGUMENTS:
                  <source>                The file to read.
                  <destination>           Where to write; standard output when left out.

                OPTIONS:
                  -h, --help              Show help information.

                """)
        #expect(
            HelpFormatter(commands: [SampleTool.root, SampleTool.bench, SampleTool.echo]).usageLines(
                prefix: "USAGE: ")
                == ["USAGE: tool bench echo --connections <connections> <url>"])
        #expect(
            HelpFormatter(commands: [SampleTool.root, SampleTool.cat]).usageLines(prefix: "USAGE: ")
                == ["USAGE: tool cat <files> ..."])
    }

    @Test("points nested groups at 'help <group> <subcommand>'")
    func nestedGroup() {
        let text = HelpFormatter(commands: [SampleTool.root, SampleTool.bench]).helpText()
        #expect(text.contains("  echo                    Measure an echo server.\n"))
        #expect(text.hasSuffix("  See 'tool help bench <subcommand>' for detailed help.\n"))
        #expect(!text.contains("  help "))
    }
}
