import Synchronization

/// Where a command reads lines from: standard input, or fixed lines in tests.
///
/// Interactive commands (`persona chat`) read through this rather than `readLine()` so tests
/// can script a conversation in-process.
public struct TextInput: Sendable {
    private let next: @Sendable () -> String?

    /// Creates an input that asks `next` for each line; `nil` means end of input.
    public init(_ next: @escaping @Sendable () -> String?) {
        self.next = next
    }

    /// The next line without its newline, or `nil` at end of input.
    public func readLine() -> String? {
        next()
    }

    /// The process's standard input.
    public static let standardInput = TextInput { Swift.readLine(strippingNewline: true) }

    /// No input at all.
    public static let empty = TextInput { nil }

    /// The given lines, in order, then end of input.
    public static func lines(_ lines: [String]) -> TextInput {
        let remaining = Mutex(lines[...])
        return TextInput { remaining.withLock { $0.popFirst() } }
    }
}
