/// A named option of a command: a flag (`--verbose`, `-v`) or an option with a value
/// (`--port 8080`, `--port=8080`, `-p 8080`, `-p8080`).
///
/// Where an option's value comes from, first match wins: the command line (for a single-valued
/// option given twice, the last one wins, so aliases can be overridden), then the
/// ``environment`` variable, then the ``defaultValue``. Help shows all three.
public struct Option: Sendable, Hashable {
    /// A flag (present or absent, countable) or an option that takes a value.
    public enum Kind: Sendable, Hashable {
        /// Takes no value; `flag(_:)` reads whether it was given, `flagCount(_:)` how often.
        case flag
        /// Takes one value per occurrence, checked against the type.
        case value(ValueType)
    }

    /// The long name without dashes (`port` for `--port`); also the key values are read by.
    public var name: String
    /// The one-letter short name (`p` for `-p`), if any.
    public var short: Character?
    /// One sentence for the help screen.
    public var help: String
    /// Flag or value option.
    public var kind: Kind
    /// The placeholder shown in help and usage (`<port>`); defaults to the name.
    public var valueName: String
    /// The value used when the option is not given and no environment variable supplies one.
    public var defaultValue: String?
    /// An environment variable that supplies the value when the option is not given.
    public var environment: String?
    /// Whether the option may be given more than once, collecting every value (or counting a flag).
    public var isRepeatable: Bool
    /// Whether the command refuses to run without a value from somewhere.
    public var isRequired: Bool
    /// Whether the option is left out of help and usage (still accepted).
    public var isHidden: Bool

    /// Creates an option; prefer ``flag(_:short:environment:repeatable:hidden:help:)`` and
    /// ``option(_:short:type:valueName:default:environment:repeatable:required:hidden:help:)``.
    public init(
        name: String, short: Character? = nil, help: String, kind: Kind, valueName: String? = nil,
        defaultValue: String? = nil, environment: String? = nil, isRepeatable: Bool = false,
        isRequired: Bool = false, isHidden: Bool = false
    ) {
        self.name = name
        self.short = short
        self.help = help
        self.kind = kind
        self.valueName = valueName ?? name
        self.defaultValue = defaultValue
        self.environment = environment
        self.isRepeatable = isRepeatable
        self.isRequired = isRequired
        self.isHidden = isHidden
    }

    /// A flag such as `--verbose` / `-v`. A repeatable flag counts (`-vvv`). An environment
    /// variable may turn it on (`1`, `true`, `yes`, `on`) or off (`0`, `false`, `no`, `off`).
    public static func flag(
        _ name: String, short: Character? = nil, environment: String? = nil, repeatable: Bool = false,
        hidden: Bool = false, help: String
    ) -> Option {
        Option(
            name: name, short: short, help: help, kind: .flag, environment: environment,
            isRepeatable: repeatable, isHidden: hidden)
    }

    /// An option that takes a value, such as `--port <port>`.
    public static func option(
        _ name: String, short: Character? = nil, type: ValueType = .string, valueName: String? = nil,
        default defaultValue: String? = nil, environment: String? = nil, repeatable: Bool = false,
        required: Bool = false, hidden: Bool = false, help: String
    ) -> Option {
        Option(
            name: name, short: short, help: help, kind: .value(type), valueName: valueName,
            defaultValue: defaultValue, environment: environment, isRepeatable: repeatable,
            isRequired: required, isHidden: hidden)
    }

    /// Whether the option takes a value.
    public var takesValue: Bool {
        if case .value = kind { return true }
        return false
    }

    /// `--port`.
    public var longLabel: String { "--\(name)" }
}
