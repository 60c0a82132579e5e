import HTTP1
import HTTPServer
import Reactor

/// A Server-Sent Events response on the HTTP API: the head goes out when the stream begins;
/// the events written while the hub carries out one batch of actions (at cadence 0 a whole
/// reply; at a paced cadence one token) are gathered and leave as one chunk at the end of that
/// loop iteration — so every event leaves in the iteration that produced it, never behind a
/// later one, and a burst costs one chunk instead of one per token. While the stream is silent
/// a `: keep-alive` comment goes out so proxies and clients do not time out on a slow engine.
///
/// Loop-confined; owned by the exchange that writes it.
final class EventStreamWriter {
    private let stream: HTTPResponseStream
    private let loop: EventLoop
    private let keepAlive: Duration
    private var timer: TimerID?
    private var lastWrite: MonotonicInstant
    private(set) var isFinished = false
    /// Events written in this loop iteration, not yet handed to the stream.
    private var pending: [UInt8] = []
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
        pending.reserveCapacity(Self.keptCapacity)
        // The keep-alive timer is armed at the end of this iteration, and only if the stream is
        // still open then: a reply produced at once (cadence 0) never costs a timer.
        queueFlush()
    }

    /// Writes one event: an optional `event:` line and one `data:` line (`data` must hold no
    /// line break — compact JSON never does), then the blank line that dispatches it.
    func send(event: String? = nil, data: [UInt8]) {
        guard !isFinished else { return }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(data.count + 32)
        if let event {
            bytes.append(contentsOf: "event: ".utf8)
            bytes.append(contentsOf: event.utf8)
            bytes.append(0x0A)
        }
        bytes.append(contentsOf: "data: ".utf8)
        bytes.append(contentsOf: data)
        bytes.append(contentsOf: [0x0A, 0x0A])
        enqueue(bytes)
    }

    /// Writes a complete event (framing included) by appending it to the gathered bytes.
    func send(appending event: (inout [UInt8]) -> Void) {
        guard !isFinished else { return }
        event(&pending)
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

    private func enqueue(_ bytes: [UInt8]) {
        pending.append(contentsOf: bytes)
        queueFlush()
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
        guard !pending.isEmpty else { return }
        // Read once per flush, not per event: the events of one iteration leave together.
        lastWrite = loop.now()
        stream.write(pending)
        // A paced stream writes again soon: its buffer is kept unless a burst made it large.
        pending.removeAll(keepingCapacity: pending.capacity <= Self.keptCapacity)
    }

    /// The gathered bytes' first allocation (a cadence-0 reply of about a hundred OpenAI
    /// chunks, about 22 KB, grows it three times more), and the most a stream keeps between flushes.
    static let keptCapacity = 4096

    private func arm(after delay: Duration) {
        timer = loop.scheduleTimer(after: delay) { [weak self] in self?.tick() }
    }

    private func tick() {
        timer = nil
        guard !isFinished else { return }
        let quiet = lastWrite.duration(to: loop.now())
        if quiet >= keepAlive {
            enqueue(ServerSentEvent.comment("keep-alive"))
            arm(after: keepAlive)
        } else {
            arm(after: keepAlive - quiet)
        }
    }
}
