/// The outcome of a non-blocking system call that did not fail: it either completed with a
/// value or would have blocked (`EAGAIN`/`EWOULDBLOCK`, or `EINPROGRESS` for `connect`).
public enum IOResult<Value> {
    /// The call completed and returned `Value`.
    case processed(Value)
    /// The call would have blocked; try again when the descriptor is ready.
    case wouldBlock
}

extension IOResult: Sendable where Value: Sendable {}
extension IOResult: Equatable where Value: Equatable {}
