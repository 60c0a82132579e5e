/// What a ``TCPConnection`` tells its owner. All calls arrive on the connection's loop.
public protocol ConnectionHandler: AnyObject {
    /// Bytes arrived. `bytes` points into the loop's shared read buffer and is valid only for
    /// the duration of the call: copy what you keep.
    func connectionDidRead(_ connection: TCPConnection, _ bytes: UnsafeRawBufferPointer)

    /// The peer closed its sending side. The default closes once pending output is flushed.
    func connectionDidReadEOF(_ connection: TCPConnection)

    /// Output that had filled the kernel buffer has now all been sent: a streaming producer
    /// paused for backpressure may resume. The default does nothing.
    func connectionDidDrain(_ connection: TCPConnection)

    /// The connection is closed and its descriptor released; `error` says why, when it was an
    /// error rather than a requested close. Called exactly once, after the loop's current batch.
    func connectionDidClose(_ connection: TCPConnection, error: SystemError?)
}

extension ConnectionHandler {
    /// Closes once pending output is flushed.
    public func connectionDidReadEOF(_ connection: TCPConnection) { connection.closeAfterFlush() }
    /// Does nothing.
    public func connectionDidDrain(_ connection: TCPConnection) {}
}
