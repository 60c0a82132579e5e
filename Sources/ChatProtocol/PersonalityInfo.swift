/// The personality a bot session runs on, as `session_started` shows it.
public struct PersonalityInfo: Hashable, Sendable {
    /// The personality id (`captain-redbeard`).
    public var id: String
    /// The display name.
    public var name: String
    /// The version (16 hex digits): changes whenever the personality's file does.
    public var version: String

    /// Creates the description.
    public init(id: String, name: String, version: String) {
        self.id = id
        self.name = name
        self.version = version
    }
}
