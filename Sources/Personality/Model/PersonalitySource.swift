import Diagnostics

/// Where a personality came from, so every later message about it can point at the file.
public struct PersonalitySource: Hashable, Sendable {
    /// The file, as shown in diagnostics.
    public var file: String
    /// Where the personality's `id:` value is (or the file's start).
    public var location: SourceLocation

    /// Creates a source.
    public init(file: String, location: SourceLocation) {
        self.file = file
        self.location = location
    }
}
