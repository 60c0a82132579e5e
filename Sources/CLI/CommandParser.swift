import Diagnostics

/// Turns an argument vector into an ``Invocation`` for a command tree: parse, then validate.
///
/// Forms understood (getopt-style, like swift-argument-parser):
/// - `--name value`, `--name=value`, `-n value`, `-nvalue`, `-n=value`; clusters of short
///   flags `-vq`; `--` ends options, so later words are positional even when they start with `-`.
/// - A word that looks like a negative number (`-5`, `-0.25`) is a value or a positional, unless
///   the command declares a digit as a short option.
/// - An option's value may start with `-` only through the attached forms (`--offset=-x`); a
///   following word that looks like an option means the value is missing, which catches the
///   common `--name --other` slip.
/// - `-h`/`--help` anywhere before `--` asks for help, even when the rest of the line has
///   errors; `--version` on a command with a version prints it.
///
/// Value checks happen as each value is read, so an error names the value the user typed;
/// environment variables and defaults fill the gaps afterwards and are checked the same way.
public struct CommandParser: Sendable {
    /// The root of the tree.
    public var root: Command
    /// Where option values with an ``Option/environment`` variable are looked up.
    public var environment: [String: String]

    /// Creates a parser for a tree.
    public init(root: Command, environment: [String: String] = [:]) {
        self.root = root
        self.environment = environment
    }

    /// Parses and validates `arguments` (without the program name).
    public func parse(_ arguments: [String]) throws(ParseError) -> Invocation {
        var state = State(arguments: arguments, path: [root])
        do {
            return try parse(&state)
        } catch {
            if state.asksForHelp {
                return Invocation(commands: state.path, values: ParsedValues(scopes: []), action: .help)
            }
            throw ParseError(error, commandPath: state.path.map(\.name))
        }
    }

    /// Mutable progress through the argument vector.
    private struct State {
        var arguments: [String]
        var index = 0
        var path: [Command]
        var scopes: [ParsedValues.Scope] = []
        var optionsEnded = false

        /// Whether a help flag appears before `--`, so an error elsewhere yields to help.
        var asksForHelp: Bool {
            for argument in arguments {
                if argument == "--" { return false }
                if argument == "-h" || argument == "--help" || argument.hasPrefix("--help=") { return true }
            }
            return false
        }

        mutating func next() -> String? {
            guard index < arguments.count else { return nil }
            defer { index += 1 }
            return arguments[index]
        }
    }

    private func parse(_ state: inout State) throws(UsageError) -> Invocation {
        levels: while true {
            let command = state.path[state.path.count - 1]
            let isRoot = state.path.count == 1
            var scope = ParsedValues.Scope(
                commandName: command.name,
                declared: Self.missingErrors(for: command),
                labels: Self.labels(for: command))
            var positionals: [String] = []

            while let word = state.next() {
                if state.optionsEnded {
                    positionals.append(word)
                    continue
                }
                if word == "--" {
                    state.optionsEnded = true
                    continue
                }
                if word.hasPrefix("--") {
                    if let action = try parseLong(word, command: command, scope: &scope, state: &state) {
                        return Invocation(
                            commands: state.path, values: ParsedValues(scopes: []), action: action)
                    }
                    continue
                }
                if Self.isShortCluster(word, for: command) {
                    if try parseShort(word, command: command, scope: &scope, state: &state) {
                        return Invocation(
                            commands: state.path, values: ParsedValues(scopes: []), action: .help)
                    }
                    continue
                }
                if !command.subcommands.isEmpty {
                    guard let subcommand = command.subcommand(named: word, includingHelp: isRoot) else {
                        let names =
                            command.subcommands.filter { !$0.isHidden }.map(\.name) + (isRoot ? ["help"] : [])
                        throw .unknownSubcommand(word, suggestion: Suggestion.closest(to: word, among: names))
                    }
                    try complete(command, scope: &scope, positionals: [])
                    state.scopes.insert(scope, at: 0)
                    if isRoot, subcommand.name == Command.help.name, command.subcommand(named: "help") == nil
                    {
                        return try parseHelpCommand(&state)
                    }
                    state.path.append(subcommand)
                    continue levels
                }
                positionals.append(word)
            }

            try complete(command, scope: &scope, positionals: positionals)
            state.scopes.insert(scope, at: 0)
            let values = ParsedValues(scopes: state.scopes)
            if let validate = command.validate {
                try validate(values)
            }
            return Invocation(commands: state.path, values: values, action: command.run == nil ? .help : .run)
        }
    }

    /// `help [<subcommand> ...]`: walks the names from the root.
    private func parseHelpCommand(_ state: inout State) throws(UsageError) -> Invocation {
        var path = [root]
        state.path = [root, Command.help]
        while let word = state.next() {
            if word == "--" { continue }
            if word == "-h" || word == "--help" {
                return Invocation(
                    commands: [root, Command.help], values: ParsedValues(scopes: []), action: .help)
            }
            let parent = path[path.count - 1]
            if word.hasPrefix("-"), word.count > 1 {
                throw .unknownOption(word, suggestion: Suggestion.closest(to: word, among: ["--help"]))
            }
            guard let subcommand = parent.subcommand(named: word, includingHelp: path.count == 1) else {
                let names = parent.subcommands.filter { !$0.isHidden }.map(\.name)
                throw .unknownSubcommand(word, suggestion: Suggestion.closest(to: word, among: names))
            }
            path.append(subcommand)
        }
        state.path = path
        return Invocation(commands: path, values: ParsedValues(scopes: []), action: .help)
    }

    /// `--name`, `--name=value`, `--help`, `--version`. Returns an action that ends parsing.
    private func parseLong(
        _ word: String, command: Command, scope: inout ParsedValues.Scope, state: inout State
    ) throws(UsageError) -> Invocation.Action? {
        let body = word.dropFirst(2)
        let name: String
        let attached: String?
        if let equals = body.firstIndex(of: "=") {
            name = String(body[..<equals])
            attached = String(body[body.index(after: equals)...])
        } else {
            name = String(body)
            attached = nil
        }
        if name == "help" { return .help }
        if name == "version", command.version != nil { return .version }
        guard let option = command.options.first(where: { $0.name == name }) else {
            var candidates = command.options.filter { !$0.isHidden }.map(\.longLabel) + ["--help"]
            if command.version != nil { candidates.append("--version") }
            throw .unknownOption(
                "--\(name)", suggestion: Suggestion.closest(to: "--\(name)", among: candidates))
        }
        try record(option, as: option.longLabel, attached: attached, scope: &scope, state: &state)
        return nil
    }

    /// `-v`, `-vq`, `-p 8080`, `-p8080`, `-p=8080`. Returns true when help was asked for.
    private func parseShort(
        _ word: String, command: Command, scope: inout ParsedValues.Scope, state: inout State
    ) throws(UsageError) -> Bool {
        let letters = Array(word.dropFirst())
        var index = 0
        while index < letters.count {
            let letter = letters[index]
            guard let option = command.options.first(where: { $0.short == letter }) else {
                if letter == "h" { return true }
                // `-port` for `--port` is a common slip; suggest the long form.
                let typed = index == 0 ? word : "-\(letter)"
                let candidates = command.options.filter { !$0.isHidden }.map(\.longLabel) + ["--help"]
                let suggestion =
                    index == 0 && letters.count > 1
                    ? Suggestion.closest(to: "-" + word, among: candidates) : nil
                throw .unknownOption(typed, suggestion: suggestion)
            }
            guard option.takesValue else {
                try record(option, as: "-\(letter)", attached: nil, scope: &scope, state: &state)
                index += 1
                continue
            }
            var rest = String(letters[(index + 1)...])
            if rest.hasPrefix("=") { rest.removeFirst() }
            let attached: String? = index + 1 < letters.count ? rest : nil
            try record(option, as: "-\(letter)", attached: attached, scope: &scope, state: &state)
            return false
        }
        return false
    }

    /// Stores one occurrence of `option`, reading its value from `attached` or the next word.
    private func record(
        _ option: Option, as label: String, attached: String?, scope: inout ParsedValues.Scope,
        state: inout State
    ) throws(UsageError) {
        switch option.kind {
        case .flag:
            if attached != nil { throw .unexpectedValue(option: label) }
            scope.flagCounts[option.name, default: 0] += 1
            scope.sources[option.name] = .commandLine
        case .value(let type):
            let value: String
            if let attached {
                value = attached
            } else if state.index < state.arguments.count, !Self.looksLikeOption(state.arguments[state.index])
            {
                value = state.arguments[state.index]
                state.index += 1
            } else {
                throw .missingValue(option: label)
            }
            if let problem = type.problem(with: value) {
                throw .invalidValue(value, for: "'\(label)'", problem: problem)
            }
            if option.isRepeatable, scope.sources[option.name] == .commandLine {
                scope.values[option.name, default: []].append(value)
            } else {
                scope.values[option.name] = [value]
            }
            scope.sources[option.name] = .commandLine
        }
    }

    /// Assigns positionals to arguments, then fills options from the environment and defaults.
    private func complete(
        _ command: Command, scope: inout ParsedValues.Scope, positionals: [String]
    ) throws(UsageError) {
        var remaining = positionals[...]
        for argument in command.arguments {
            var taken: [String] = []
            switch argument.arity {
            case .required:
                guard let value = remaining.popFirst() else { throw .missingArgument(argument.label) }
                taken = [value]
            case .optional:
                if let value = remaining.popFirst() { taken = [value] }
            case .zeroOrMore:
                taken = Array(remaining)
                remaining = []
            case .oneOrMore:
                guard !remaining.isEmpty else { throw .missingArgument(argument.label) }
                taken = Array(remaining)
                remaining = []
            }
            for value in taken {
                if let problem = argument.type.problem(with: value) {
                    throw .invalidValue(value, for: "'\(argument.label)'", problem: problem)
                }
            }
            if !taken.isEmpty {
                scope.values[argument.name] = taken
                scope.sources[argument.name] = .commandLine
            } else if let value = argument.defaultValue {
                scope.values[argument.name] = [value]
                scope.sources[argument.name] = .defaultValue
            }
        }
        if let extra = remaining.first { throw .unexpectedArgument(extra) }

        for option in command.options where scope.sources[option.name] == nil {
            if let variable = option.environment, let text = environment[variable], !text.isEmpty {
                let label = "'\(option.longLabel)' (from environment variable \(variable))"
                switch option.kind {
                case .flag:
                    switch text.lowercased() {
                    case "1", "true", "yes", "on": scope.flagCounts[option.name] = 1
                    case "0", "false", "no", "off": scope.flagCounts[option.name] = 0
                    default: throw .invalidValue(text, for: label, problem: .notABoolean)
                    }
                case .value(let type):
                    if let problem = type.problem(with: text) {
                        throw .invalidValue(text, for: label, problem: problem)
                    }
                    scope.values[option.name] = [text]
                }
                scope.sources[option.name] = .environment(variable)
            } else if let value = option.defaultValue {
                scope.values[option.name] = [value]
                scope.sources[option.name] = .defaultValue
            } else if option.isRequired {
                throw scope.declared[option.name] ?? .missingOption(option.longLabel)
            }
        }
    }

    /// For every declared name, the error that reports it absent.
    private static func missingErrors(for command: Command) -> [String: UsageError] {
        var errors: [String: UsageError] = [:]
        for option in command.options {
            errors[option.name] = .missingOption(
                option.takesValue ? "\(option.longLabel) <\(option.valueName)>" : option.longLabel)
        }
        for argument in command.arguments {
            errors[argument.name] = .missingArgument(argument.label)
        }
        return errors
    }

    /// How every declared name is written in messages.
    private static func labels(for command: Command) -> [String: String] {
        var labels: [String: String] = [:]
        for option in command.options { labels[option.name] = option.longLabel }
        for argument in command.arguments { labels[argument.name] = argument.label }
        return labels
    }

    /// Whether a word is a short option (cluster) for `command` rather than a positional.
    private static func isShortCluster(_ word: String, for command: Command) -> Bool {
        guard word.hasPrefix("-"), word.count > 1 else { return false }
        if isNegativeNumber(word) {
            return command.options.contains { $0.short?.isNumber == true }
        }
        return true
    }

    /// Whether a following word should be read as an option, not as a value.
    private static func looksLikeOption(_ word: String) -> Bool {
        word.hasPrefix("-") && word.count > 1 && !isNegativeNumber(word)
    }

    /// `-5`, `-0.25`, `-1e3`.
    private static func isNegativeNumber(_ word: String) -> Bool {
        guard word.hasPrefix("-"), let second = word.dropFirst().first, second.isASCII, second.isNumber else {
            return false
        }
        return Double(word) != nil
    }
}
