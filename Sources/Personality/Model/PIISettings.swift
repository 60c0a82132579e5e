import Policies

/// What scrubbed personal data becomes in this personality's sessions.
public struct PIISettings: Hashable, Sendable {
    /// The replacement template: `{type}` is the entity type in capitals (`EMAIL`), `{n}` a
    /// per-session counter that gives the same value the same placeholder (`<EMAIL_1>`).
    public var replace: String
    /// The types scrubbed for this personality (`pii: { types: [email, phone, url] }`); `nil`
    /// means the scrubber's defaults (every type but plain `url`).
    public var types: Set<PIIType>?

    /// The default template, `[{type}]`.
    public static let defaultTemplate = "[{type}]"

    /// Creates settings.
    public init(replace: String = PIISettings.defaultTemplate, types: Set<PIIType>? = nil) {
        self.replace = replace
        self.types = types
    }
}
