import Synchronization

/// A value shared between an event loop and the test thread.
public final class Shared<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    /// Wraps `value`.
    public init(_ value: Value) { storage = Mutex(value) }

    /// The current value.
    public var value: Value { storage.withLock { $0 } }

    /// Changes the value under the lock and returns what `body` returns.
    @discardableResult public func update<R>(_ body: (inout Value) -> R) -> R { storage.withLock { body(&$0) } }
}
