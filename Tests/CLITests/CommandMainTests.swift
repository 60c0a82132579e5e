import CLI
import Testing

@Suite("Running a command tree and rendering its outcome")
struct CommandMainTests {
    @Test("prints the same help for -h, --help and help <sub>, on stdout, exit 0")
    func helpIsTheSameEverywhere() async {
        let forms = [["serve", "-h"], ["serve", "--help"], ["help", "serve"]]
        var outputs: [String] = []
        for form in forms {
            let result = await SampleTool.run(form)
            #expect(result.code == .success)
            #expect(result.stderr.isEmpty)
            outputs.append(result.stdout)
        }
        #expect(Set(outputs).count == 1)
        #expect(outputs[0].hasPrefix("OVERVIEW: Serve personalities"))
    }

    @Test("prints the version as '<name> <version>'")
    func printsVersion() async {
        let result = await SampleTool.run(["--version"])
        #expect(result.code == .success)
        #expect(result.stdout == "tool 1.2.3\n")
    }

    @Test("runs the selected command with its context")
    func runsCommand() async {
        let result = await SampleTool.run(["serve", "-p", "9"])
        #expect(result.code == .success)
        #expect(result.stdout == "port 9\n")
    }

    @Test("renders a usage error with the usage line and a pointer to help, exit 64")
    func rendersUsageError() async {
        let result = await SampleTool.run(["serve", "--prot", "1"])
        #expect(result.code == .usageError)
        #expect(result.code.rawValue == 64)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr == """
                Error: Unknown option '--prot'. Did you mean '--port'?
                Usage: tool serve [<options>]
                See 'tool serve --help' for more information.

                """)
    }

    @Test("suggests the nearest subcommand")
    func suggestsSubcommand() async {
        let result = await SampleTool.run(["bench", "ecoh"])
        #expect(result.code == .usageError)
        #expect(
            result.stderr == """
                Error: Unknown subcommand 'ecoh'. Did you mean 'echo'?
                Usage: tool bench <subcommand>
                See 'tool bench --help' for more information.

                """)
    }

    @Test("lists the allowed values of a refused choice")
    func listsChoices() async {
        let result = await SampleTool.run(["serve", "--format", "yaml"])
        #expect(result.code == .usageError)
        #expect(
            result.stderr.hasPrefix(
                "Error: Invalid value 'yaml' for '--format': expected one of: text, json.\n"))
    }

    @Test(
        "renders what a command throws, once, with the right exit code",
        arguments: [
            ("failure", 1, "Error: The server did not answer.\n"),
            ("exit", 3, "custom message\n"),
            ("other", 1, "Error: something odd happened\n"),
            ("diagnostic", 1, "a.yaml:3:5: error: unknown key 'gretting'\n"),
            (
                "usage", 64,
                "Error: Choose a different port.\nUsage: tool fail <how>\nSee 'tool fail --help' for more information.\n"
            ),
        ])
    func rendersThrownErrors(how: String, code: Int32, stderr: String) async {
        let result = await SampleTool.run(["fail", how])
        #expect(result.code == ExitCode(code))
        #expect(result.stderr == stderr)
        #expect(result.stdout.isEmpty)
    }

    @Test("refuses to run a malformed tree")
    func treeProblemsAreFound() {
        let bad = Command(
            name: "bad", abstract: "",
            arguments: [Argument("rest", .zeroOrMore, help: ""), Argument("last", help: "")],
            options: [
                .flag("x", short: "x", help: ""), .flag("y", short: "x", help: ""), .flag("help", help: ""),
                .option("n", type: .int(1...3), default: "9", help: ""),
            ],
            subcommands: [Command(name: "s", abstract: ""), Command(name: "s", abstract: "")])
        let problems = bad.treeProblems()
        #expect(problems.contains("command 'bad' declares subcommand 's' twice."))
        #expect(problems.contains("command 'bad' declares the short option '-x' twice."))
        #expect(problems.contains("command 'bad' declares '--help' clashing with the built-in -h, --help."))
        #expect(problems.contains("command 'bad' has both subcommands and positional arguments."))
        #expect(problems.contains("command 'bad': variadic argument '<rest>' must be last."))
        #expect(problems.contains("command 'bad': required argument '<last>' follows an optional one."))
        #expect(
            problems.contains(
                "command 'bad': the default '9' of '--n' is invalid: expected a value in 1...3."))
        #expect(SampleTool.root.treeProblems().isEmpty)
    }
}
