/// The validated values of one command line, read by the name of an option (`"port"` for
/// `--port`) or argument (`"file"` for `<file>`).
///
/// Values were checked against their declared ``ValueType`` before the command runs, so the
/// typed accessors only fail for a missing value (`string(_:)` on an optional argument that
/// was not given) or an extra range check at the call site. Reading a name the command never
/// declared is a programming error and stops the program, the way a misspelt property would
/// not compile.
///
/// A subcommand's values also see the options of the commands above it: `persona --verbose
/// serve` lets `serve` read `flag("verbose")` when `persona` declares `--verbose`.
public struct ParsedValues: Sendable {
    /// Where a value came from.
    public enum Source: Sendable, Hashable {
        /// Typed on the command line.
        case commandLine
        /// Read from the named environment variable.
        case environment(String)
        /// The declared default.
        case defaultValue
    }

    /// The values of one command on the path.
    package struct Scope: Sendable {
        /// The command's name.
        package var commandName: String
        /// Every name the command declares, with the error for a value that is absent
        /// (`missingOption("--name <name>")` or `missingArgument("<name>")`).
        package var declared: [String: UsageError]
        /// How each name is written in messages (`--port`, `<file>`).
        package var labels: [String: String] = [:]
        /// Values in the order given, per name.
        package var values: [String: [String]] = [:]
        /// How often each flag was given (or 1 when its environment variable turned it on).
        package var flagCounts: [String: Int] = [:]
        /// Where each present value came from.
        package var sources: [String: Source] = [:]
    }

    /// The running command's scope first, then its parent's, up to the root.
    package var scopes: [Scope]

    /// Creates values from scopes, innermost first.
    package init(scopes: [Scope]) {
        self.scopes = scopes
    }

    private func scope(declaring name: String) -> Scope {
        guard let scope = scopes.first(where: { $0.declared[name] != nil }) else {
            preconditionFailure(
                "No option or argument named '\(name)' in \(scopes.map(\.commandName).reversed().joined(separator: " "))"
            )
        }
        return scope
    }

    /// The error that says `name` has no value, labelled as the user would type it.
    private func missing(_ name: String) -> UsageError {
        scope(declaring: name).declared[name] ?? .missingArgument(name)
    }

    /// `'--port'` or `'<file>'`, for value errors raised by the accessors.
    private func label(_ name: String) -> String {
        "'\(scope(declaring: name).labels[name] ?? name)'"
    }

    /// Every value given for `name` (an option or argument), in order; empty when none.
    public func strings(_ name: String) -> [String] {
        scope(declaring: name).values[name] ?? []
    }

    /// The value of `name`, or `nil` when it has none.
    public func stringIfPresent(_ name: String) -> String? {
        strings(name).last
    }

    /// The value of `name`; throws ``UsageError/missingOption(_:)`` or
    /// ``UsageError/missingArgument(_:)`` when it has none.
    public func string(_ name: String) throws(UsageError) -> String {
        guard let value = stringIfPresent(name) else { throw missing(name) }
        return value
    }

    /// The integer value of `name`, or `nil` when it has none.
    public func intIfPresent(_ name: String) throws(UsageError) -> Int? {
        guard let text = stringIfPresent(name) else { return nil }
        guard let value = Int(text) else {
            throw .invalidValue(text, for: label(name), problem: .notAnInteger)
        }
        return value
    }

    /// The integer value of `name`.
    public func int(_ name: String) throws(UsageError) -> Int {
        guard let value = try intIfPresent(name) else { throw missing(name) }
        return value
    }

    /// The integer value of `name`, checked against `range` here rather than in the declaration
    /// (for bounds that depend on other values).
    public func int(_ name: String, in range: ClosedRange<Int>) throws(UsageError) -> Int {
        let value = try int(name)
        guard range.contains(value) else {
            throw .invalidValue(
                String(value), for: label(name),
                problem: .outOfRange(ValueType.integer(range).rangeDescription))
        }
        return value
    }

    /// Every integer value of a repeatable option or variadic argument.
    public func ints(_ name: String) throws(UsageError) -> [Int] {
        var result: [Int] = []
        for text in strings(name) {
            guard let value = Int(text) else {
                throw .invalidValue(text, for: label(name), problem: .notAnInteger)
            }
            result.append(value)
        }
        return result
    }

    /// The number value of `name`, or `nil` when it has none.
    public func doubleIfPresent(_ name: String) throws(UsageError) -> Double? {
        guard let text = stringIfPresent(name) else { return nil }
        guard let value = Double(text), value.isFinite else {
            throw .invalidValue(text, for: label(name), problem: .notANumber)
        }
        return value
    }

    /// The number value of `name`.
    public func double(_ name: String) throws(UsageError) -> Double {
        guard let value = try doubleIfPresent(name) else { throw missing(name) }
        return value
    }

    /// The duration value of `name` (`10s`, `500ms`, or a number of seconds), or `nil`.
    public func durationIfPresent(_ name: String) throws(UsageError) -> Duration? {
        guard let text = stringIfPresent(name) else { return nil }
        guard let value = ValueType.duration(text) else {
            throw .invalidValue(text, for: label(name), problem: .notADuration)
        }
        return value
    }

    /// The duration value of `name`.
    public func duration(_ name: String) throws(UsageError) -> Duration {
        guard let value = try durationIfPresent(name) else { throw missing(name) }
        return value
    }

    /// The value of `name` as a string-backed enum, or `nil` when it has none.
    public func choiceIfPresent<E: RawRepresentable>(_ name: String, as type: E.Type = E.self)
        throws(UsageError) -> E?
    where E.RawValue == String {
        guard let text = stringIfPresent(name) else { return nil }
        guard let value = E(rawValue: text) else {
            throw .invalidValue(text, for: label(name), problem: .notAChoice([], suggestion: nil))
        }
        return value
    }

    /// The value of `name` as a string-backed enum.
    public func choice<E: RawRepresentable>(_ name: String, as type: E.Type = E.self) throws(UsageError) -> E
    where E.RawValue == String {
        guard let value = try choiceIfPresent(name, as: type) else { throw missing(name) }
        return value
    }

    /// Whether the flag `name` was given (or turned on by its environment variable).
    public func flag(_ name: String) -> Bool {
        flagCount(name) > 0
    }

    /// How often the flag `name` was given (`-vvv` is 3).
    public func flagCount(_ name: String) -> Int {
        scope(declaring: name).flagCounts[name] ?? 0
    }

    /// Where the value of `name` came from, or `nil` when it has none.
    public func source(of name: String) -> Source? {
        scope(declaring: name).sources[name]
    }
}
