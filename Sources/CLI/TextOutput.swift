import Foundation

/// Where a command writes text: standard output, standard error, or a capture in tests.
///
/// A value wrapping a sink closure rather than a protocol existential, so contexts stay cheap
/// to copy and `Sendable`. Writes are unbuffered; commands that stream many small pieces should
/// build a line first.
public struct TextOutput: Sendable {
    private let sink: @Sendable (String) -> Void

    /// Creates an output that hands every write to `sink`.
    public init(_ sink: @escaping @Sendable (String) -> Void) {
        self.sink = sink
    }

    /// Writes `text` as is.
    public func write(_ text: String) {
        sink(text)
    }

    /// Writes `text` followed by a newline.
    public func writeLine(_ text: String = "") {
        sink(text + "\n")
    }

    /// The process's standard output.
    public static let standardOutput = TextOutput { text in
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// The process's standard error.
    public static let standardError = TextOutput { text in
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Discards everything.
    public static let discarding = TextOutput { _ in }
}
