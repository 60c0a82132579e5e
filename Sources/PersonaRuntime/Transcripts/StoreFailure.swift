/// Why a store could not do what the hub asked. The hub turns every failure into the
/// client-facing `store_unavailable`; the message is for logs.
public struct StoreFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, naming the file or the SQLite error.
    public var message: String

    /// Creates a failure.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
