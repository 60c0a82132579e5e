import HTTP1
import Reactor

/// One HTTP/1.1 connection: parses requests, routes them, writes responses in order, enforces
/// the timeouts and limits of ``HTTPServerConfiguration``, and hands over to WebSocket on an
/// accepted upgrade. Loop-confined.
final class HTTPConnection: ConnectionHandler, DrainableConnection {
    let tcp: TCPConnection
    let context: ServerContext
    let loopState: LoopState
    var loop: EventLoop { tcp.loop }
    var configuration: HTTPServerConfiguration { context.configuration }

    var parser: HTTP1Parser
    /// Who the client is: the TCP peer, or the address a trusted proxy's PROXY header gave.
    var clientAddress: SocketAddress?
    /// The client of the request being answered (after `Forwarded` / `X-Forwarded-For` from a
    /// trusted proxy): what rate limits, logs and the observer see.
    var requestClient: SocketAddress?
    /// Reads the PROXY protocol header before any HTTP, on listeners that ask for it.
    private var proxyParser: ProxyProtocolParser?
    private var currentHead: HTTP1RequestHead?
    private var currentBody: [UInt8] = []
    /// Responses in request order; the first is the one being written.
    private var slots: [ResponseSlot] = []
    /// No further requests will be read (error answered, `Connection: close`, upgrade, drain).
    private var stopped = false
    private var draining = false
    private var processing = false
    private var pendingContinue = false
    private var timer: TimerID?
    private var timerKind: TimerKind?

    enum TimerKind { case head, body, idle }

    init(tcp: TCPConnection, context: ServerContext, proxyProtocol: Bool = false) {
        self.tcp = tcp
        self.context = context
        self.loopState = context.state(for: tcp.loop)
        self.parser = HTTP1Parser(configuration: context.configuration.parser)
        self.clientAddress = tcp.remoteAddress
        self.requestClient = tcp.remoteAddress
        if proxyProtocol { proxyParser = ProxyProtocolParser() }
        loopState.add(self)
        arm(.head)
    }

    // MARK: Reading

    func connectionDidRead(_ connection: TCPConnection, _ bytes: UnsafeRawBufferPointer) {
        guard !stopped else { return }
        if proxyParser != nil {
            readProxyHeader(bytes)
            return
        }
        parser.append(bytes)
        processRequests()
    }

    /// The PROXY protocol header comes first; what follows it is HTTP. A connection without a
    /// valid one is closed unanswered. Its address counts only when the peer is trusted.
    private func readProxyHeader(_ bytes: UnsafeRawBufferPointer) {
        do {
            guard case .header(let header, let remainder) = try proxyParser?.feed(bytes) else { return }
            proxyParser = nil
            if configuration.trustedProxies.trusts(tcp.remoteAddress), let source = header.source {
                clientAddress = source
                requestClient = source
            }
            if !remainder.isEmpty {
                remainder.withUnsafeBytes { parser.append($0) }
                processRequests()
            }
        } catch {
            stopped = true
            disarm()
            tcp.close()
        }
    }

    func connectionDidReadEOF(_ connection: TCPConnection) {
        // The peer will send nothing more: answer what is complete, then close.
        stopped = true
        if slots.isEmpty {
            tcp.closeAfterFlush()
        } else {
            slots[slots.count - 1].keepAlive = false
        }
        updateTimer()
    }

    func connectionDidDrain(_ connection: TCPConnection) {
        // Requests already buffered in the parser were held back while the peer was not
        // reading; parse them now (this also resumes reading when below the pipeline limit).
        if !stopped { processRequests() }
    }

    func connectionDidClose(_ connection: TCPConnection, error: SystemError?) {
        disarm()
        stopped = true
        for slot in slots where !slot.finished {
            slot.finished = true
            for callback in slot.onAbandon { callback() }
            slot.onAbandon = []
        }
        slots = []
        loopState.remove(self)
    }

    private func processRequests() {
        guard !processing else { return }
        processing = true
        defer { processing = false }
        while !stopped {
            if slots.count >= configuration.maxPipelinedRequests {
                tcp.isReadingEnabled = false  // resumes when a response completes
                break
            }
            let event: HTTP1ParserEvent?
            do {
                event = try parser.next()
            } catch {
                refuse(error)
                return
            }
            guard let event else { break }
            switch event {
            case .head(let head):
                currentHead = head
                currentBody = []
                if head.bodyFraming != .none { arm(.body) }
                if head.expectsContinue { answerExpectation(head) }
            case .body(let piece):
                currentBody.append(contentsOf: piece)
            case .end:
                guard let head = currentHead else { continue }
                let body = currentBody
                currentHead = nil
                currentBody = []
                dispatch(head, body: body)
                if let last = slots.last, !last.keepAlive {
                    // RFC 9112 §9.6: nothing after a request that closes the connection is
                    // processed, even if the client already pipelined it.
                    stopped = true
                }
            }
        }
        if !stopped, !tcp.isReadingEnabled, slots.count < configuration.maxPipelinedRequests,
            !tcp.isWritePending
        {
            tcp.isReadingEnabled = true
        }
        updateTimer()
    }

    /// RFC 9110 §10.1.1: tell a client waiting on `Expect: 100-continue` to send its body,
    /// unless the request is already known to fail, in which case the final status goes out
    /// now and the connection closes (the body's fate is then unknown, so nothing after it can
    /// be parsed).
    private func answerExpectation(_ head: HTTP1RequestHead) {
        if case .handler = context.router.match(method: head.method, path: head.path) {
            if slots.isEmpty {
                tcp.write(HTTP1ResponseEncoder.continueResponse)
            } else {
                pendingContinue = true
            }
            return
        }
        currentHead = nil
        dispatch(head, body: [], forceClose: true)
        stopped = true
    }

    // MARK: Dispatch

    private func dispatch(_ head: HTTP1RequestHead, body: [UInt8], forceClose: Bool = false) {
        let slot = ResponseSlot(
            keepAlive: head.keepAlive && !draining && !forceClose, omitBody: head.method == .head)
        slot.upgrade = parser.isUpgradePending
        slots.append(slot)
        requestClient = configuration.trustedProxies.client(peer: clientAddress, headers: head.headers)
        switch context.router.match(method: head.method, path: head.path) {
        case .notFound:
            complete(
                slot,
                .error(.notFound, code: "not_found", message: "no route for \(head.method) \(head.path)"))
        case .methodNotAllowed(let allowed):
            var response = HTTPResponse.error(
                .methodNotAllowed, code: "method_not_allowed",
                message: "\(head.method) is not allowed on \(head.path)")
            response.headers.add(name: "Allow", value: allowed.map(\.rawValue).joined(separator: ", "))
            complete(slot, response)
        case .handler(let handler, let parameters):
            let request = HTTPRequest(
                head: head, body: body, pathParameters: parameters, remoteAddress: tcp.remoteAddress,
                clientAddress: requestClient, eventLoop: loop)
            switch handler(request) {
            case .response(let response):
                complete(slot, response)
            case .stream(let responseHead, let start):
                startStream(responseHead, slot: slot, version: head.version)
                start(HTTPResponseStream(connection: self, slot: slot))
            case .deferred(let start):
                slot.requestVersion = head.version
                start(HTTPResponseStream(connection: self, slot: slot))
            case .webSocket(let upgrade):
                if parser.isUpgradePending, slots.count == 1, !forceClose {
                    if acceptWebSocket(head, upgrade: upgrade, slot: slot) { return }
                } else {
                    complete(
                        slot,
                        .error(
                            .badRequest, code: "websocket_upgrade_required",
                            message: "this endpoint only speaks WebSocket"))
                }
            }
        }
        if parser.isUpgradePending, !stopped {
            // Not upgraded: the request was answered as plain HTTP, continue parsing.
            parser.declineUpgrade()
        }
    }

    /// Refuses a malformed or oversized request: its status with a JSON body, then close,
    /// since the framing of whatever follows cannot be trusted (RFC 9112 §11.2).
    private func refuse(_ error: HTTP1ParseError) {
        stopped = true
        currentHead = nil
        let slot = ResponseSlot(keepAlive: false, omitBody: false)
        slots.append(slot)
        var bytes: [UInt8] = []
        HTTP1ResponseEncoder.encodeJSONError(for: error, date: loopState.dateCache.current, into: &bytes)
        observeError(status: error.statusCode, slot: slot)
        emit(bytes, slot: slot)
        finish(slot)
    }

    /// Tells the observer about an error answer (status ≥ 400).
    func observeError(status: Int, slot: ResponseSlot) {
        guard status >= 400, let observer = configuration.observer else { return }
        observer.httpErrorSent(status: status, upgrade: slot.upgrade, client: requestClient)
    }

    /// Writes a refused handshake's response in order and closes after it.
    func refuseUpgrade(_ bytes: [UInt8], status: Int, slot: ResponseSlot) {
        observeError(status: status, slot: slot)
        emit(bytes, slot: slot)
        finish(slot)
    }

    /// The connection now speaks WebSocket: HTTP processing and its timers stop for good.
    func stopUpgraded() {
        stopped = true
        slots.removeAll()
        disarm()
    }

    // MARK: Writing

    func complete(_ slot: ResponseSlot, _ response: HTTPResponse) {
        guard !slot.started else { return }
        slot.started = true
        var head = HTTP1ResponseHead(status: response.status, headers: response.headers)
        if head.headers.containsToken("close", in: "Connection") { slot.keepAlive = false }
        decorate(&head, slot: slot)
        observeError(status: response.status.code, slot: slot)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128 + response.body.count)
        HTTP1ResponseEncoder.encode(head, body: response.body, omitBody: slot.omitBody, into: &bytes)
        emit(bytes, slot: slot)
        finish(slot)
    }

    private func decorate(_ head: inout HTTP1ResponseHead, slot: ResponseSlot) {
        head.headers.replaceOrAdd(name: "Date", value: loopState.dateCache.current)
        if !slot.keepAlive { head.headers.replaceOrAdd(name: "Connection", value: "close") }
    }

    private func startStream(_ responseHead: HTTP1ResponseHead, slot: ResponseSlot, version: HTTPVersion) {
        slot.started = true
        observeError(status: responseHead.status.code, slot: slot)
        var head = responseHead
        var bytes: [UInt8] = []
        if version == .http1_1 {
            decorate(&head, slot: slot)
            HTTP1ResponseEncoder.encodeChunkedHead(head, into: &bytes)
        } else {
            // HTTP/1.0 has no chunked coding: the body runs until we close.
            slot.chunked = false
            slot.keepAlive = false
            head.headers.remove(name: "Content-Length")
            decorate(&head, slot: slot)
            HTTP1ResponseEncoder.encodeHead(head, into: &bytes)
        }
        emit(bytes, slot: slot)
    }

    func streamWrite(_ piece: [UInt8], slot: ResponseSlot) {
        guard slot.started, !slot.finished, !slot.omitBody, !piece.isEmpty else { return }
        if slot.chunked {
            // Framed where the bytes wait to leave: no array of the chunk's own.
            emit(slot: slot) { HTTP1ResponseEncoder.encodeChunk(piece, into: &$0) }
        } else {
            emit(piece, slot: slot)
        }
    }

    func streamFinish(slot: ResponseSlot) {
        guard slot.started, !slot.finished else { return }
        if slot.chunked && !slot.omitBody {
            var bytes: [UInt8] = []
            HTTP1ResponseEncoder.encodeFinalChunk(into: &bytes)
            emit(bytes, slot: slot)
        }
        finish(slot)
    }

    func deferredStream(_ head: HTTP1ResponseHead, slot: ResponseSlot) {
        guard !slot.started, !slot.finished else { return }
        startStream(head, slot: slot, version: slot.requestVersion)
    }

    func deferredRespond(_ response: HTTPResponse, slot: ResponseSlot) {
        guard !slot.finished else { return }
        complete(slot, response)
    }

    private func emit(_ bytes: [UInt8], slot: ResponseSlot) {
        emit(slot: slot) { $0.append(contentsOf: bytes) }
    }

    /// Appends what `encode` writes to the slot's output: the connection's outbound buffer when
    /// the slot is first in line, else the slot's pending bytes.
    private func emit(slot: ResponseSlot, encodedBy encode: (inout [UInt8]) -> Void) {
        if slots.first === slot {
            tcp.write(encodedBy: encode)
            enforceOutboundLimit()
        } else {
            encode(&slot.pending)
        }
    }

    /// The slow-reader policy: a peer that lets more than `maxOutboundBytes` pile up is cut off
    /// rather than buffered without bound.
    private func enforceOutboundLimit() {
        if tcp.bufferedByteCount > configuration.maxOutboundBytes {
            tcp.close()
        } else if tcp.isWritePending {
            // Stop taking requests while the peer is not reading our responses.
            tcp.isReadingEnabled = false
        }
    }

    private func finish(_ slot: ResponseSlot) {
        slot.finished = true
        slot.onAbandon = []
        while let first = slots.first, first.finished {
            slots.removeFirst()
            if !first.keepAlive {
                stopped = true
                for slot in slots { slot.finished = true }
                slots.removeAll()
                tcp.closeAfterFlush()
                disarm()
                return
            }
            if let next = slots.first, !next.pending.isEmpty {
                tcp.write(next.pending)
                next.pending = []
                enforceOutboundLimit()
            }
        }
        if slots.isEmpty {
            if pendingContinue {
                pendingContinue = false
                tcp.write(HTTP1ResponseEncoder.continueResponse)
            }
            if draining, currentHead == nil, parser.isAtMessageBoundary {
                stopped = true
                tcp.closeAfterFlush()
                disarm()
                return
            }
        }
        if !processing {
            processRequests()
        }
    }

    // MARK: Timers

    private func updateTimer() {
        if stopped {
            disarm()
        } else if currentHead != nil {
            if timerKind != .body { arm(.body) }
        } else if !parser.isAtMessageBoundary {
            if timerKind != .head { arm(.head) }
        } else if slots.isEmpty {
            if timerKind != .idle { arm(.idle) }
        } else {
            disarm()
        }
    }

    private func arm(_ kind: TimerKind) {
        disarm()
        let delay: Duration
        switch kind {
        case .head: delay = configuration.headerReadTimeout
        case .body: delay = configuration.bodyReadTimeout
        case .idle: delay = configuration.idleTimeout
        }
        timerKind = kind
        // Strong: `disarm()` runs when the transport closes, and a weak capture would slow every
        // retain of this connection.
        timer = loop.scheduleTimer(after: delay) { [self] in
            timer = nil
            timerKind = nil
            timedOut(kind)
        }
    }

    private func disarm() {
        if let timer { loop.cancelTimer(timer) }
        timer = nil
        timerKind = nil
    }

    private func timedOut(_ kind: TimerKind) {
        guard !stopped else { return }
        let quiet = currentHead == nil && parser.isAtMessageBoundary
        if kind == .idle || quiet {
            // Nothing of a request has arrived: nothing to answer.
            stopped = true
            tcp.close()
            return
        }
        stopped = true
        currentHead = nil
        let slot = ResponseSlot(keepAlive: false, omitBody: false)
        slots.append(slot)
        observeError(status: 408, slot: slot)
        var bytes: [UInt8] = []
        HTTP1ResponseEncoder.encodeJSONError(
            status: HTTPStatus(code: 408), code: "request_timeout",
            message: kind == .head
                ? "the request head did not arrive in time" : "the request body did not arrive in time",
            date: loopState.dateCache.current, into: &bytes)
        emit(bytes, slot: slot)
        finish(slot)
    }

    // MARK: Draining

    func beginDrain() {
        draining = true
        if slots.isEmpty, currentHead == nil, parser.isAtMessageBoundary {
            stopped = true
            disarm()
            tcp.closeAfterFlush()
        } else if let last = slots.last {
            last.keepAlive = false
        }
    }

    func forceClose() {
        tcp.close()
    }
}
