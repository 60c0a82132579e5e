#if canImport(Glibc)
    import Glibc
#endif

/// A non-blocking TCP connection on one ``EventLoop``. Loop thread only; other threads reach
/// it through `loop.execute` (see ``LoopBound``).
///
/// Writes are write-first: ``write(_:)`` copies into an outbound buffer and queues the
/// connection for the loop's flush (Redis's "before sleep"), which runs at the end of the
/// iteration and, within a large batch of events, every ``EventLoop/flushBatch`` connections
/// (so a connection is still hot in the cache when its output leaves). Every response produced
/// by one wake-up is coalesced into one `send(2)`, and the sends of many connections leave
/// back to back: on loopback each send runs the receiver's TCP input and wakes it if it
/// sleeps, and a peer woken by the first send of a burst is often still running for the next
/// ones, where answers sent one by one found it asleep each time. Only when the kernel refuses
/// bytes (or a wake-up's ``sendBytesPerWakeUp`` is spent) is `EPOLLOUT` registered, and it is
/// dropped again as soon as the buffer drains.
///
/// Reading is edge-triggered: each wake-up reads until the kernel has no more (a short read or
/// `EAGAIN`), at most ``readsPerWakeUp`` buffers, so one busy peer cannot starve the others; a
/// connection stopped by that cap re-arms its registration to be reported again next wait.
/// Level-triggered epoll would re-poll every reported socket on the following wait, which at
/// thousands of connections is a measurable share of the loop's time.
///
/// Closing is deferred: ``close()`` and ``closeAfterFlush()`` only record the request; the loop
/// performs it after the current batch, so a connection is never freed inside its own callback.
public final class TCPConnection: Selectable, DeferredClose {
    // Stored properties are declared hot first: the ones every read and write touches share
    // the object's first cache lines (with 10,000 connections, each line is a likely miss).

    /// The loop this connection lives on.
    public let loop: EventLoop
    let fd: Int32
    private var registration = RegistrationID(rawValue: 0)
    var phase: Phase
    private var readingEnabled = true
    private var readEOF = false
    private var writeInterest = false
    private var queuedForFlush = false
    private var closeWhenFlushed = false
    private var lingering = false
    private var outbound = OutboundBuffer()
    /// Receives reads, drains and the close. Released after ``ConnectionHandler/connectionDidClose(_:error:)``.
    public var handler: (any ConnectionHandler)?

    /// The peer's address, when known.
    public var remoteAddress: SocketAddress? { resolvedRemote }
    private var resolvedRemote: SocketAddress?
    /// Our side's address, when known.
    public var localAddress: SocketAddress? { resolvedLocal }
    private var resolvedLocal: SocketAddress?
    /// After ``closeAfterFlush()`` has sent everything and shut down our side, how long the
    /// connection keeps reading (and discarding) before closing anyway. Lingering lets the peer
    /// read our last response instead of receiving a reset for the request bytes it was still
    /// sending (the classic lost-413 problem).
    public var lingerTimeout: Duration = .seconds(2)
    private var lingerTimer: TimerID?
    private var closeError: SystemError?
    var connectCompletion: ((Result<TCPConnection, SystemError>) -> Void)?
    var connectTimer: TimerID?

    enum Phase { case connecting, open, closing, closed }

    init(fd: Int32, loop: EventLoop, connecting: Bool) {
        self.fd = fd
        self.loop = loop
        self.phase = connecting ? .connecting : .open
        resolvedRemote = connecting ? nil : Socket.remoteAddress(fd)
        resolvedLocal = connecting ? nil : Socket.localAddress(fd)
        loop.adopt(fd, "tcp connection")
    }

    /// Most buffers read per wake-up before yielding to the other ready connections.
    static let readsPerWakeUp = 4
    /// Most bytes handed to `send(2)` per wake-up. On loopback a send also runs the receiver's
    /// TCP processing, so one `send(2)` of a 16 MiB echo kept a loop from its other
    /// connections for tens of milliseconds; the rest leaves on the next wake-up (`EPOLLOUT`).
    static let sendBytesPerWakeUp = 256 * 1024

    /// Registers an accepted or connected descriptor with the loop (edge-triggered).
    func register(interest: Interest) throws(SystemError) {
        registration = try loop.register(fd: fd, interest: interest.union(.edgeTriggered), self)
    }

    /// Moves a connected socket from `connecting` to `open` and starts reading.
    func markOpen() {
        phase = .open
        resolvedRemote = Socket.remoteAddress(fd)
        resolvedLocal = Socket.localAddress(fd)
        updateInterest()
    }

    // MARK: Public API

    /// The epoll user data of the current registration (tests of fd-reuse safety).
    package var registrationUserData: UInt64 { registration.userData(fd: fd) }

    /// The descriptor number (diagnostics and tests).
    package var descriptor: Int32 { fd }

    /// Whether the connection is open (not closing or closed).
    public var isOpen: Bool { phase == .open && !closeWhenFlushed }

    /// Bytes accepted by ``write(_:)`` that the kernel has not taken yet. Servers bound their
    /// per-connection queue with this.
    public var bufferedByteCount: Int { outbound.count }

    /// Whether a previous flush found the kernel buffer full (the peer is not reading fast).
    public var isWritePending: Bool { writeInterest }

    /// Queues `bytes` for sending; they leave at the end of this loop iteration. Ignored once
    /// the connection is closing.
    public func write(_ bytes: UnsafeRawBufferPointer) {
        write { outbound in bytes.withMemoryRebound(to: UInt8.self) { outbound.append(contentsOf: $0) } }
    }

    /// Queues the bytes `body` appends to the outbound buffer — the encoder writes in place,
    /// with no array of its own. `body` may only append (what precedes is pending output), and
    /// is not called once the connection is closing.
    package func write(encodedBy body: (inout [UInt8]) -> Void) {
        loop.assertInLoop()
        guard phase == .open, !closeWhenFlushed else { return }
        let before = outbound.count
        outbound.append(encodedBy: body)
        precondition(outbound.count >= before, "an encoder removed pending output")
        if outbound.count > before { queueFlush() }
    }

    /// Queues `bytes` for sending without copying them: the array is kept as it is until it
    /// has been sent (for large payloads, such as an echoed message, which a copy would cost a
    /// second time in memory and a pass over it on the loop). Ignored once the connection is
    /// closing.
    package func write(adopting bytes: [UInt8]) {
        loop.assertInLoop()
        guard phase == .open, !closeWhenFlushed, !bytes.isEmpty else { return }
        outbound.adopt(bytes)
        queueFlush()
    }

    /// Queues `bytes` for sending.
    public func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { write($0) }
    }

    /// Queues the UTF-8 of `text` for sending.
    public func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// Stops or resumes reading (backpressure: stop while our own output is backed up).
    public var isReadingEnabled: Bool {
        get { readingEnabled }
        set {
            guard newValue != readingEnabled else { return }
            readingEnabled = newValue
            updateInterest()
        }
    }

    /// Closes now (after the current batch), discarding pending output.
    public func close() {
        requestClose(error: nil)
    }

    /// Sends everything pending, shuts down our side, lingers briefly reading what the peer
    /// still sends, then closes. Further writes are ignored.
    public func closeAfterFlush() {
        guard phase == .open, !closeWhenFlushed else { return }
        closeWhenFlushed = true
        if outbound.isEmpty, !writeInterest { beginLinger() }
    }

    // MARK: Loop callbacks

    package func ready(readable: Bool, writable: Bool, failed: Bool) {
        if phase == .connecting {
            finishConnect()
            return
        }
        guard phase == .open else { return }
        if readable || (failed && readingEnabled && !readEOF) {
            readAvailable()
        }
        guard phase == .open else { return }
        if writable { flushNow() }
        guard phase == .open else { return }
        if failed && !readable {
            let code = Socket.pendingError(fd)
            requestClose(error: SystemError(call: "epoll", errno: code == 0 ? ECONNRESET : code))
        }
    }

    package func closeForShutdown() {
        requestClose(error: nil)
    }

    private func readAvailable() {
        let buffer = loop.readBuffer
        // What a lingering connection reads is discarded: one buffer per wake-up is enough, and
        // a peer still pushing megabytes after our last word cannot slow the loop's other work.
        for _ in 0..<(lingering ? 1 : Self.readsPerWakeUp) {
            guard phase == .open, readingEnabled || lingering, !readEOF else { return }
            let result: IOResult<Int>
            do {
                result = try Syscall.call("recv") { recv(fd, buffer.baseAddress, buffer.count, 0) }
            } catch {
                requestClose(error: error)
                return
            }
            switch result {
            case .wouldBlock:
                return
            case .processed(0):
                readEOF = true
                if lingering {
                    requestClose(error: nil)
                    return
                }
                updateInterest()
                handler?.connectionDidReadEOF(self)
                return
            case .processed(let count):
                // While lingering the bytes are discarded: we have already said our last word.
                if !lingering {
                    handler?.connectionDidRead(
                        self, UnsafeRawBufferPointer(start: buffer.baseAddress, count: count))
                }
                if count < buffer.count { return }
            }
        }
        // Stopped by the cap with the buffer still filling: more may be queued, and no new edge
        // comes for bytes that have already arrived.
        guard phase == .open, readingEnabled || lingering, !readEOF else { return }
        do {
            try loop.rearm(fd: fd, id: registration)
        } catch {
            requestClose(error: error)
        }
    }

    private func queueFlush() {
        guard !queuedForFlush, !writeInterest else { return }
        queuedForFlush = true
        loop.pendingFlush.append(self)
    }

    /// Called by the loop's end-of-iteration flush.
    func flushQueued() {
        queuedForFlush = false
        guard phase == .open else { return }
        flushNow()
    }

    private func flushNow() {
        var allowance = Self.sendBytesPerWakeUp
        while !outbound.isEmpty {
            guard allowance > 0 else {
                // The kernel would take more, but the other connections come first. Re-register
                // for writability even if already registered: the socket is writable now, and
                // with edge triggering only a re-registration reports that again next wait.
                if writeInterest {
                    do {
                        try loop.rearm(fd: fd, id: registration)
                    } catch {
                        requestClose(error: error)
                    }
                } else {
                    writeInterest = true
                    updateInterest()
                }
                return
            }
            let attempt = outbound.withReadable { bytes in
                Result { () throws(SystemError) in
                    try Syscall.call("send") {
                        send(fd, bytes.baseAddress, min(bytes.count, allowance), Int32(MSG_NOSIGNAL))
                    }
                }
            }
            let result: IOResult<Int>
            switch attempt {
            case .success(let value): result = value
            case .failure(let error):
                outbound.removeAll()
                requestClose(error: error)
                return
            }
            switch result {
            case .processed(let count):
                outbound.consume(count)
                allowance -= count
            case .wouldBlock:
                if !writeInterest {
                    writeInterest = true
                    updateInterest()
                }
                return
            }
        }
        if writeInterest {
            writeInterest = false
            updateInterest()
            handler?.connectionDidDrain(self)
        }
        if closeWhenFlushed, phase == .open, !lingering { beginLinger() }
    }

    private func beginLinger() {
        guard !lingering else { return }
        lingering = true
        // ENOTCONN (the peer already reset) is fine: the close that follows settles it.
        _ = try? Syscall.call("shutdown(SHUT_WR)") { Glibc.shutdown(fd, Int32(SHUT_WR)) }
        if readEOF {
            requestClose(error: nil)
            return
        }
        readingEnabled = true
        updateInterest()
        lingerTimer = loop.scheduleTimer(after: lingerTimeout) { [self] in
            lingerTimer = nil
            requestClose(error: nil)
        }
    }

    private func updateInterest() {
        guard phase == .open || phase == .connecting else { return }
        var interest: Interest = .edgeTriggered
        if (readingEnabled || lingering) && !readEOF { interest.insert(.read) }
        if writeInterest || phase == .connecting { interest.insert(.write) }
        do {
            try loop.reregister(fd: fd, id: registration, interest: interest)
        } catch {
            requestClose(error: error)
        }
    }

    func requestClose(error: SystemError?) {
        guard phase == .open || phase == .connecting else { return }
        if phase == .connecting, let completion = connectCompletion {
            connectCompletion = nil
            completion(.failure(error ?? SystemError(call: "connect", errno: ECANCELED)))
        }
        phase = .closing
        closeError = error
        loop.deferClose(self)
    }

    package func finishClose() {
        guard phase == .closing else { return }
        phase = .closed
        if let timer = lingerTimer { loop.cancelTimer(timer) }
        if let timer = connectTimer { loop.cancelTimer(timer) }
        lingerTimer = nil
        connectTimer = nil
        outbound.removeAll()
        loop.deregister(fd: fd, id: registration)
        Syscall.close(fd)
        loop.release(fd)
        let handler = self.handler
        self.handler = nil
        handler?.connectionDidClose(self, error: closeError)
    }
}
