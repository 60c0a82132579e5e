/// One word of normalised input: the key it is matched by, and the text captures show.
public struct InputWord: Hashable, Sendable {
    /// Lowercased, apostrophes removed: what triggers compare against.
    public var key: String
    /// As the user wrote it (or as a substitution produced it), for captures.
    public var original: String

    /// Creates a word.
    public init(key: String, original: String) {
        self.key = key
        self.original = original
    }
}
