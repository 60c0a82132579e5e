import Diagnostics

extension Command {
    /// Parses `arguments` (without the program name) against this tree, runs the selected
    /// command, and renders whatever happens: help and version on stdout, errors on stderr.
    /// Returns the exit code instead of exiting, so tests can run a whole tool in-process.
    ///
    /// This is the one place errors become text:
    /// - ``ParseError`` and ``UsageError``: `Error: <message>`, the usage line, and
    ///   `See '<command> --help' for more information.`; exit 64.
    /// - ``CommandFailure``: `Error: <message>`; its exit code.
    /// - `DiagnosticError`: one `file:line:col: error: message` line per diagnostic; exit 1.
    /// - ``ExitCode``: nothing printed; that code.
    /// - anything else: `Error: <description>`; exit 1.
    public func main(_ arguments: [String], context: CommandContext = .standard) async -> ExitCode {
        let problems = treeProblems()
        precondition(problems.isEmpty, "Malformed command tree:\n" + problems.joined(separator: "\n"))

        let invocation: Invocation
        do {
            invocation = try CommandParser(root: self, environment: context.environment).parse(arguments)
        } catch {
            let commands = resolve(error.commandPath)
            context.stderr.write(Self.render(error.error, commands: commands))
            return .usageError
        }
        switch invocation.action {
        case .help:
            context.stdout.write(HelpFormatter(commands: invocation.commands).helpText())
            return .success
        case .version:
            context.stdout.writeLine("\(name) \(version ?? "")")
            return .success
        case .run:
            guard let run = invocation.command.run else { return .success }
            var runContext = context
            runContext.commandPath = invocation.commandPath
            do {
                try await run(invocation.values, runContext)
                return .success
            } catch let code as ExitCode {
                return code
            } catch let error as UsageError {
                context.stderr.write(Self.render(error, commands: invocation.commands))
                return .usageError
            } catch let error as ParseError {
                context.stderr.write(Self.render(error.error, commands: resolve(error.commandPath)))
                return .usageError
            } catch let failure as CommandFailure {
                context.stderr.writeLine("Error: \(failure.message)")
                return failure.exitCode
            } catch let error as DiagnosticError {
                context.stderr.writeLine(error.description)
                return .failure
            } catch {
                context.stderr.writeLine("Error: \(error)")
                return .failure
            }
        }
    }

    /// `Error: <message>`, the usage line, and where to read more.
    public static func render(_ error: UsageError, commands: [Command]) -> String {
        let usage = HelpFormatter(commands: commands).usageLines(prefix: "Usage: ")
        let path = commands.map(\.name).joined(separator: " ")
        return (["Error: \(error.description)"] + usage + ["See '\(path) --help' for more information."])
            .joined(separator: "\n") + "\n"
    }

    /// The commands named by a path from this root (the built-in `help` included).
    private func resolve(_ path: [String]) -> [Command] {
        var commands = [self]
        for name in path.dropFirst() {
            guard
                let next = commands[commands.count - 1].subcommand(
                    named: name, includingHelp: commands.count == 1)
            else { break }
            commands.append(next)
        }
        return commands
    }
}
