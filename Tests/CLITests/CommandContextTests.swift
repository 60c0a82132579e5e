import CLI
import Testing

@Suite("Command context: input, output and the shared --format option")
struct CommandContextTests {
    /// Upper-cases each input line, in text or JSON-ish form.
    static let shout = Command(
        name: "shout", abstract: "Repeat input loudly.", options: [.format()],
        run: { values, context in
            let format = try values.choice("format", as: OutputFormat.self)
            while let line = context.stdin.readLine() {
                context.stdout.writeLine(format == .json ? "\"\(line.uppercased())\"" : line.uppercased())
            }
        })

    static func run(_ arguments: [String], input: [String]) async -> (ExitCode, String) {
        let out = CapturedText()
        let context = CommandContext(stdout: out.output, stderr: .discarding, stdin: .lines(input))
        return (await shout.main(arguments, context: context), out.text)
    }

    @Test("reads scripted lines through the context until input ends")
    func readsInput() async {
        let (code, output) = await Self.run([], input: ["ahoy", "matey"])
        #expect(code == .success)
        #expect(output == "AHOY\nMATEY\n")
    }

    @Test("offers --format text|json with text as the default")
    func formatOption() async throws {
        let (code, output) = await Self.run(["--format", "json"], input: ["arr"])
        #expect(code == .success)
        #expect(output == "\"ARR\"\n")
        let help = HelpFormatter(commands: [Self.shout]).helpText()
        #expect(
            help.contains("  --format <format>       Output format. (values: text, json; default: text)\n"))
        let invocation = try CommandParser(root: Self.shout).parse([])
        #expect(try invocation.values.choice("format", as: OutputFormat.self) == .text)
    }

    @Test("collects everything written to a capture, in order")
    func capture() {
        let capture = CapturedText()
        capture.output.write("a")
        capture.output.writeLine("b")
        capture.output.writeLine()
        #expect(capture.text == "ab\n\n")
    }
}
