import HTTP1
import HTTPServer
import Reactor

/// A Server-Sent Events response on the HTTP API: the head goes out when the stream begins;
/// each event is written straight into the connection's outbound bytes as one chunk (no
/// buffer of the writer's own, no copy), and the events of one loop iteration (at cadence 0 a
/// whole reply; at a paced cadence one token) leave together in that iteration's `send(2)` —
/// so every event leaves in the iteration that produced it, never behind a later one. While
/// the stream is silent a `: keep-alive` comment goes out so proxies and clients do not time
/// out on a slow engine.
///
/// Loop-confined; owned by the exchange that writes it.
final class EventStreamWriter {
    private let stream: HTTPResponseStream
    private let loop: EventLoop
    private let keepAlive: Duration
    private var timer: TimerID?
    private var lastWrite: MonotonicInstant
    private(set) var isFinished = false
    /// Whether an event was written in this loop iteration (the silence is measured from the
    /// iteration's end, read once per iteration rather than per event).
    private var wroteThisIteration = false
    private var flushQueued = false

    /// The headers every event stream of the API carries: `text/event-stream`, no caching, and
    /// `X-Accel-Buffering: no` so an nginx in front passes events through unbuffered.
    static let headers: HTTPHeaders = [
        "Content-Type": "text/event-stream",
        "Cache-Control": "no-cache",
        "X-Accel-Buffering": "no",
    ]

    init(stream: HTTPResponseStream, loop: EventLoop, keepAlive: Duration) {
        self.stream = stream
        self.loop = loop
        self.keepAlive = keepAlive
        self.lastWrite = loop.now()
    }

    /// Sends the head (status 200, ``headers`` plus `extra`) and starts the keep-alive timer.
    func begin(extraHeaders extra: HTTPHeaders) {
        var headers = Self.headers
        for field in extra { headers.add(name: field.name, value: field.value) }
        stream.beginStream(HTTP1ResponseHead(status: .ok, headers: headers))
        lastWrite = loop.now()
        // The keep-alive timer is armed at the end of this iteration, and only if the stream is
        // still open then: a reply produced at once (cadence 0) never costs a timer.
        queueFlush()
    }

    /// Writes one event: an optional `event:` line and one `data:` line (`data` must hold no
    /// line break — compact JSON never does), then the blank line that dispatches it.
    func send(event: String? = nil, data: [UInt8]) {
        send { bytes in
            if let event {
                bytes.append(contentsOf: "event: ".utf8)
                bytes.append(contentsOf: event.utf8)
                bytes.append(0x0A)
            }
            bytes.append(contentsOf: "data: ".utf8)
            bytes.append(contentsOf: data)
            bytes.append(contentsOf: [0x0A, 0x0A])
        }
    }

    /// Writes a complete event (framing included) that `event` appends in place.
    func send(appending event: (inout [UInt8]) -> Void) {
        guard !isFinished else { return }
        stream.write(encodedBy: event)
        wroteThisIteration = true
        queueFlush()
    }

    /// Ends the body (after the events still gathered).
    func finish() {
        guard !isFinished else { return }
        isFinished = true
        if let timer { _ = loop.cancelTimer(timer) }
        timer = nil
        flush()
        stream.finish()
    }

    private func queueFlush() {
        guard !flushQueued else { return }
        flushQueued = true
        // Runs once the current batch is carried out, in this same loop iteration.
        loop.executeOnLoop { [self] in flush() }
    }

    private func flush() {
        flushQueued = false
        if !isFinished, timer == nil { arm(after: keepAlive) }
        guard wroteThisIteration else { return }
        wroteThisIteration = false
        lastWrite = loop.now()
    }

    private func arm(after delay: Duration) {
        timer = loop.scheduleTimer(after: delay) { [weak self] in self?.tick() }
    }

    private func tick() {
        timer = nil
        guard !isFinished else { return }
        let quiet = lastWrite.duration(to: loop.now())
        if quiet >= keepAlive {
            let comment = ServerSentEvent.comment("keep-alive")
            send { $0.append(contentsOf: comment) }
            arm(after: keepAlive)
        } else {
            arm(after: keepAlive - quiet)
        }
    }
}
