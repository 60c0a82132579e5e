/// What a found span becomes.
public enum PIIReplacement: Hashable, Sendable {
    /// The same text for every span of a type: `template` with `{type}` replaced by the type's
    /// label (`[{type}]` → `[EMAIL]`).
    case label(template: String)
    /// Stable per-session placeholders `<EMAIL_1>`, `<EMAIL_2>`: the same value gets the same
    /// placeholder for the life of a ``ScrubSession``.
    case placeholder

    /// `[{type}]`, the default.
    public static let defaultLabel = PIIReplacement.label(template: "[{type}]")
}
