/// Carries a loop-confined value across threads; the value may only be touched on its loop.
///
/// The usual way to reach a ``TCPConnection`` from elsewhere:
/// `loop.execute { bound.value.write(bytes) }`.
public struct LoopBound<Value>: @unchecked Sendable {
    private let storage: Value
    /// The loop the value belongs to.
    public let loop: EventLoop

    /// Wraps `value`, owned by `loop`.
    public init(_ value: Value, loop: EventLoop) {
        self.storage = value
        self.loop = loop
    }

    /// The value; asserts (debug) that the caller is on the owning loop.
    public var value: Value {
        loop.assertInLoop()
        return storage
    }
}
