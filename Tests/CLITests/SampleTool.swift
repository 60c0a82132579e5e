import CLI

/// A small tool exercising every kind of declaration, shared by the CLI tests.
enum SampleTool {
    static let serve = Command(
        name: "serve",
        abstract: "Serve personalities over HTTP and WebSocket until interrupted.",
        options: [
            .option(
                "port", short: "p", type: .int(1...65535), default: "8080", environment: "TOOL_PORT",
                help: "The TCP port to listen on."),
            .option(
                "listen", valueName: "address", default: "127.0.0.1", environment: "TOOL_LISTEN",
                help: "The address to bind."),
            .option(
                "format", short: "f", type: .choice(["text", "json"]), default: "text", help: "Log format."),
            .option("tag", short: "t", repeatable: true, help: "A tag to attach; repeat for more."),
            .option("ratio", type: .double(0...1), help: "Share of sessions to sample."),
            .option("offset", type: .int, help: "Clock offset in seconds, may be negative."),
            .option(
                "max-connections-per-client", type: .int(1...Int.max), default: "64",
                help: "How many connections one client address may hold open before new ones are refused."),
            .flag("quiet", short: "q", help: "Print nothing but errors."),
            .flag("dry-run", environment: "TOOL_DRY_RUN", help: "Load everything, then exit."),
            .flag("secret", hidden: true, help: "Not shown."),
        ],
        run: { values, context in
            context.stdout.writeLine("port \(try values.int("port"))")
        })

    static let copy = Command(
        name: "copy",
        abstract: "Copy a file.",
        arguments: [
            Argument("source", help: "The file to read."),
            Argument("destination", .optional, help: "Where to write; standard output when left out."),
        ],
        validate: { values throws(UsageError) in
            if let destination = values.stringIfPresent("destination"),
                destination == (try values.string("source"))
            {
                throw .invalid("Source and destination are the same file.")
            }
        },
        run: { _, _ in })

    static let cat = Command(
        name: "cat", abstract: "Print files.",
        arguments: [Argument("files", .oneOrMore, help: "The files to print.")],
        run: { _, _ in })

    static let echo = Command(
        name: "echo", abstract: "Measure an echo server.",
        arguments: [Argument("url", help: "The server.")],
        options: [
            .option(
                "connections", short: "c", type: .int(1...1000), required: true,
                help: "Concurrent connections.")
        ],
        run: { _, _ in })

    static let bench = Command(name: "bench", abstract: "Run benchmarks.", subcommands: [echo])

    static let fail = Command(
        name: "fail", abstract: "Fail in a chosen way.",
        arguments: [
            Argument("how", type: .choice(["failure", "exit", "usage", "other", "diagnostic"]), help: "How.")
        ],
        run: { values, context in
            switch try values.string("how") {
            case "failure": throw CommandFailure("The server did not answer.")
            case "exit":
                context.stderr.writeLine("custom message")
                throw ExitCode(3)
            case "usage": throw UsageError.invalid("Choose a different port.")
            case "diagnostic": throw SampleDiagnostics.error
            default: throw SampleError()
            }
        })

    static let dump = Command(
        name: "dump", abstract: "Dump internals.", isHidden: true,
        run: { _, context in context.stdout.writeLine("internals") })

    static let root = Command(
        name: "tool",
        abstract: "A sample tool.",
        discussion: "It exists to exercise the command-line framework.",
        version: "1.2.3",
        options: [.flag("verbose", short: "v", repeatable: true, help: "Say more; repeat for even more.")],
        subcommands: [serve, copy, cat, bench, fail, dump])

    static func parse(_ arguments: [String], environment: [String: String] = [:]) throws(ParseError)
        -> Invocation
    {
        try CommandParser(root: root, environment: environment).parse(arguments)
    }

    /// Runs the tool in-process, returning the exit code and everything printed.
    static func run(_ arguments: [String], environment: [String: String] = [:]) async -> (
        code: ExitCode, stdout: String, stderr: String
    ) {
        let out = CapturedText()
        let err = CapturedText()
        let code = await root.main(
            arguments,
            context: CommandContext(stdout: out.output, stderr: err.output, environment: environment))
        return (code, out.text, err.text)
    }
}

struct SampleError: Error, CustomStringConvertible {
    var description: String { "something odd happened" }
}
