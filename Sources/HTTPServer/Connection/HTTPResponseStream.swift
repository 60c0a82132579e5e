import HTTP1
import Reactor

/// The producer side of a streamed or deferred response. Every method may be called from any
/// thread; calls are carried to the connection's loop and applied in order.
///
/// A stream whose connection has gone away ignores further writes; register ``onAbandon(_:)``
/// to stop producing.
public final class HTTPResponseStream: Sendable {
    private let connection: LoopBound<HTTPConnection>
    private let slot: LoopBound<ResponseSlot>

    /// The loop the response is written from.
    public var eventLoop: EventLoop { connection.loop }

    init(connection: HTTPConnection, slot: ResponseSlot) {
        self.connection = LoopBound(connection, loop: connection.loop)
        self.slot = LoopBound(slot, loop: connection.loop)
    }

    private func perform(_ body: @escaping @Sendable (HTTPConnection, ResponseSlot) -> Void) {
        let connection = self.connection
        let slot = self.slot
        if connection.loop.inEventLoop {
            body(connection.value, slot.value)
        } else {
            connection.loop.execute { body(connection.value, slot.value) }
        }
    }

    /// Writes one piece of the body (one chunk). Empty pieces are skipped.
    public func write(_ bytes: [UInt8]) {
        perform { connection, slot in connection.streamWrite(bytes, slot: slot) }
    }

    /// Writes the UTF-8 of `text` as one piece of the body.
    public func write(_ text: String) { write(Array(text.utf8)) }

    /// Writes one Server-Sent Event; it leaves in the loop iteration that writes it, so every
    /// event is flushed on its own rather than waiting behind later ones.
    public func send(_ event: ServerSentEvent) { write(event.encoded()) }

    /// Ends the body (the final empty chunk, or the close for a close-delimited body).
    public func finish() {
        perform { connection, slot in connection.streamFinish(slot: slot) }
    }

    /// Answers a `.deferred` request with a complete response (once; later calls are ignored).
    public func respond(_ response: HTTPResponse) {
        perform { connection, slot in connection.deferredRespond(response, slot: slot) }
    }

    /// Answers a `.deferred` request with a streamed response instead: the head goes out now
    /// (chunked, or close-delimited for HTTP/1.0), then ``write(_:)``/``send(_:)`` and
    /// ``finish()`` as for `.stream`. Lets a handler decide between an error status and a
    /// stream after off-loop work (at most one of this and ``respond(_:)`` takes effect).
    public func beginStream(_ head: HTTP1ResponseHead) {
        perform { connection, slot in connection.deferredStream(head, slot: slot) }
    }

    /// Registers `callback` to run (on the loop) if the connection closes before the response
    /// finished.
    public func onAbandon(_ callback: @escaping @Sendable () -> Void) {
        perform { _, slot in
            if slot.finished { return }
            slot.onAbandon.append(callback)
        }
    }
}
