import Synchronization

/// Collects everything written to a ``TextOutput``, for tests and for commands that render
/// into a string first.
public final class CapturedText: Sendable {
    private let storage = Mutex("")

    /// Creates an empty capture.
    public init() {}

    /// An output that appends to this capture.
    public var output: TextOutput {
        TextOutput { [self] text in storage.withLock { $0 += text } }
    }

    /// Everything written so far.
    public var text: String { storage.withLock { $0 } }
}
