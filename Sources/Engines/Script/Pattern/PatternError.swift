/// Why a trigger does not compile, and where in its text (offset in characters).
public struct PatternError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Character offset into the trigger text.
    public var offset: Int
    /// A stable code for the diagnostic.
    public var code: String
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(offset: Int, code: String = "invalid-pattern", _ message: String) {
        self.offset = offset
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
