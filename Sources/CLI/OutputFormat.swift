/// The `--format` every reporting command offers: text for people, JSON for scripts.
///
/// Declare it with ``Option/format(default:help:)`` and read it with
/// `try values.choice("format", as: OutputFormat.self)`, so every command spells it the same way.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// Human-readable text.
    case text
    /// One JSON document (see the JSON module), for scripts and CI.
    case json
}

extension Option {
    /// `--format <format>` with the values `text` and `json`.
    public static func format(
        default defaultValue: OutputFormat = .text, help: String = "Output format."
    ) -> Option {
        .option("format", type: .choice(of: OutputFormat.self), default: defaultValue.rawValue, help: help)
    }
}
