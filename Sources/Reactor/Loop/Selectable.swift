/// Something registered with an ``EventLoop``'s epoll set: a listener, a connection, or a
/// connection still being established.
///
/// All methods run on the owning loop's thread.
package protocol Selectable: AnyObject {
    /// The kernel reported readiness. `readable`/`writable` mirror `EPOLLIN`/`EPOLLOUT`;
    /// `failed` is `EPOLLERR` or `EPOLLHUP`. Implementations handle reads before writes
    /// (a peer's request is consumed before more of our response is pushed).
    func ready(readable: Bool, writable: Bool, failed: Bool)

    /// The loop is shutting down: release the descriptor now (the loop calls this from its
    /// own iteration, never from inside the selectable's callback).
    func closeForShutdown()
}

/// Something whose teardown the loop runs after the current batch of events, so an object is
/// never freed inside its own callback.
package protocol DeferredClose: AnyObject {
    /// Performs the close: deregister, `close(2)`, notify. Called exactly once per request.
    func finishClose()
}
