extension Command {
    /// Declaration mistakes in this command and every command below it, one sentence each;
    /// empty when the tree is sound. ``main(_:context:)`` refuses to run a tree with problems,
    /// so any test that runs the tool catches a bad declaration.
    ///
    /// Checked: unique names (subcommands, options, short names, arguments), no clash with the
    /// built-in `help`/`h`/`version`, required arguments before optional ones, a variadic
    /// argument only last, no positional arguments beside subcommands, and declared defaults
    /// that fit their types.
    public func treeProblems(isRoot: Bool = true) -> [String] {
        var problems: [String] = []
        let where_ = "command '\(name)'"
        func duplicates<T: Hashable>(_ items: [T]) -> [T] {
            var seen = Set<T>()
            return items.filter { !seen.insert($0).inserted }
        }
        for name in duplicates(subcommands.map(\.name)) {
            problems.append("\(where_) declares subcommand '\(name)' twice.")
        }
        if isRoot, subcommands.contains(where: { $0.name == Command.help.name }) {
            problems.append("\(where_) declares subcommand 'help', which is built in.")
        }
        for name in duplicates(options.map(\.name) + arguments.map(\.name)) {
            problems.append("\(where_) declares the name '\(name)' twice.")
        }
        for short in duplicates(options.compactMap(\.short)) {
            problems.append("\(where_) declares the short option '-\(short)' twice.")
        }
        for option in options {
            if option.name == "help" || option.short == "h" {
                problems.append(
                    "\(where_) declares '\(option.longLabel)' clashing with the built-in -h, --help.")
            }
            if option.name == "version", version != nil {
                problems.append("\(where_) declares '--version', which is built in when a version is set.")
            }
            if option.name.isEmpty || option.name.hasPrefix("-") || option.name.contains("=") {
                problems.append("\(where_) declares an option with the malformed name '\(option.name)'.")
            }
            if case .value(let type) = option.kind, let value = option.defaultValue,
                let problem = type.problem(with: value)
            {
                problems.append(
                    "\(where_): the default '\(value)' of '\(option.longLabel)' is invalid: \(problem.explanation)"
                )
            }
        }
        if !subcommands.isEmpty, !arguments.isEmpty {
            problems.append("\(where_) has both subcommands and positional arguments.")
        }
        var sawOptional = false
        for (index, argument) in arguments.enumerated() {
            if argument.isVariadic, index != arguments.count - 1 {
                problems.append("\(where_): variadic argument '\(argument.label)' must be last.")
            }
            if argument.arity == .required || argument.arity == .oneOrMore {
                if sawOptional {
                    problems.append(
                        "\(where_): required argument '\(argument.label)' follows an optional one.")
                }
            } else {
                sawOptional = true
            }
            if let value = argument.defaultValue, let problem = argument.type.problem(with: value) {
                problems.append(
                    "\(where_): the default '\(value)' of '\(argument.label)' is invalid: \(problem.explanation)"
                )
            }
        }
        for subcommand in subcommands {
            problems += subcommand.treeProblems(isRoot: false)
        }
        return problems
    }
}
