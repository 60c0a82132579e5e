import HTTP1
import HTTPServer
import JSON
import PersonaRuntime
import Reactor
import SocketIO
import WebSocket

/// One Engine.IO session on its loop, with the Socket.IO connection on top: carries out what
/// the two state machines decide (answer the held poll, write WebSocket frames, arm the
/// timer) and hands the application's sends back to them. Loop-confined.
package final class SocketIOSocket {
    /// The Engine.IO session id.
    package let sid: String
    /// The peer's IP (port excluded).
    package let address: String
    /// The client the API key of the handshake identified (its tier, tenant and allow-list
    /// apply to every namespace's hub sessions), or nil when no key was presented.
    package let client: ClientIdentity?
    /// The session's loop.
    package let loop: EventLoop
    private unowned let table: SocketIOSessionTable
    /// The Engine.IO `maxPayload`, read once: every message is checked against it.
    private let maxPayload: Int
    /// Engine.IO alone (``SocketIOServerConfiguration/Mode/engineEcho``): every message is sent
    /// back as it came, and the Socket.IO machine (its CONNECT timeout included) is never used.
    private let echoesEngineMessages: Bool
    private var engine: EngineIOSession
    private var connection: SocketIOConnection
    private var endpoint: (any SocketIOEndpoint)?
    private var heldPoll: (stream: HTTPResponseStream, headers: HTTPHeaders, generation: Int)?
    private var pollGeneration = 0
    private var webSocket: WebSocketHandle?
    private var webSocketGeneration = 0
    private var timer: TimerID?
    private var timerDeadline: MonotonicInstant?
    private var nextSocketNumber = 0
    /// The Engine.IO message being built (`4` + Socket.IO packet), reused for every send.
    private var scratch: [UInt8] = []
    /// Serialises non-string arguments into `scratch`, keeping its buffer between sends.
    private var writer = JSONWriter(capacity: 0)
    private var auths: [String: JSONValue] = [:]

    init(
        sid: String, address: String, client: ClientIdentity?, transport: EngineIOSession.Transport,
        table: SocketIOSessionTable, endpoint: any SocketIOEndpoint
    ) {
        self.sid = sid
        self.address = address
        self.client = client
        self.loop = table.loop
        self.table = table
        maxPayload = table.configuration.engine.maxPayload
        echoesEngineMessages = table.configuration.mode == .engineEcho
        let now = table.loop.now()
        engine = EngineIOSession(sid: sid, transport: transport, configuration: table.configuration.engine, now: now)
        connection = SocketIOConnection(configuration: table.configuration.socket, now: now)
        self.endpoint = endpoint
    }

    /// The open packet, for the handshake answer; starts the heartbeat and connect timers.
    func openPolling() -> EngineIOPacket {
        rearm()
        return engine.openPacket
    }

    /// Whether the session has ended.
    package var isClosed: Bool { engine.isClosed }

    // MARK: Application side

    /// Emits `name` with already-serialised JSON `arguments` (each a complete JSON value) in
    /// `namespace`. Does nothing when the client is not in it.
    package func emit(_ namespace: String, _ name: String, rawArguments: [[UInt8]]) {
        guard connection.isJoined(namespace) else { return }
        startPacket(.event, namespace: namespace, ackID: nil)
        JSONBytes.appendString(name, to: &scratch)
        for argument in rawArguments {
            scratch.append(UInt8(ascii: ","))
            scratch.append(contentsOf: argument)
        }
        scratch.append(UInt8(ascii: "]"))
        sendScratch()
    }

    /// Emits `name` with `arguments` in `namespace`, serialising each argument straight after
    /// the name in the one reused buffer (no array per argument).
    package func emit(_ namespace: String, _ name: String, _ arguments: [JSONValue]) {
        guard connection.isJoined(namespace) else { return }
        startPacket(.event, namespace: namespace, ackID: nil)
        JSONBytes.appendString(name, to: &scratch)
        for argument in arguments {
            scratch.append(UInt8(ascii: ","))
            appendJSON(argument)
        }
        scratch.append(UInt8(ascii: "]"))
        sendScratch()
    }

    /// Answers the client's event `id` in `namespace`.
    package func ack(_ namespace: String, id: UInt64, arguments: [JSONValue]) {
        guard connection.isJoined(namespace) else { return }
        startPacket(.ack, namespace: namespace, ackID: id)
        for (index, argument) in arguments.enumerated() {
            if index > 0 { scratch.append(UInt8(ascii: ",")) }
            appendJSON(argument)
        }
        scratch.append(UInt8(ascii: "]"))
        sendScratch()
    }

    /// Answers the client's event `id` in `namespace` with already-serialised JSON arguments.
    package func ack(_ namespace: String, rawID id: UInt64, rawArguments: [[UInt8]]) {
        guard connection.isJoined(namespace) else { return }
        startPacket(.ack, namespace: namespace, ackID: id)
        for (index, argument) in rawArguments.enumerated() {
            if index > 0 { scratch.append(UInt8(ascii: ",")) }
            scratch.append(contentsOf: argument)
        }
        scratch.append(UInt8(ascii: "]"))
        sendScratch()
    }

    /// Emits `name` with `arguments` and binary `attachments` in `namespace` as a BINARY_EVENT:
    /// `arguments` carry the placeholders (`{"_placeholder":true,"num":i}` for
    /// `attachments[i]`). The packet text, then each attachment as a binary Engine.IO message,
    /// go through the session like every send (WebSocket frames, or polling `b<base64>` records).
    package func emitBinary(_ namespace: String, _ name: String, _ arguments: [JSONValue], attachments: [[UInt8]]) {
        guard connection.isJoined(namespace) else { return }
        send(SocketIOPacket.binaryEventMessages(name, arguments, attachments: attachments, namespace: namespace))
    }

    /// Answers the client's event `id` in `namespace` with `arguments` and binary
    /// `attachments`, as a BINARY_ACK (placeholders as for ``emitBinary(_:_:_:attachments:)``).
    package func ackBinary(_ namespace: String, id: UInt64, arguments: [JSONValue], attachments: [[UInt8]]) {
        guard connection.isJoined(namespace) else { return }
        send(SocketIOPacket.binaryAckMessages(namespace, id: id, arguments: arguments, attachments: attachments))
    }

    /// Answers a binary event the application does not take with
    /// `{"error":{"code":"binary_not_supported",…}}`: as the ack when the client asked for one
    /// (`ackID`), as an `error` event otherwise.
    package func refuseBinary(_ namespace: String, name: String?, ackID: UInt64?) {
        let error: JSONValue = [
            "error": [
                "code": "binary_not_supported",
                "message": "binary attachments are not supported; send JSON (text) arguments",
                "event": name.map(JSONValue.string) ?? .null,
            ]
        ]
        if let ackID {
            ack(namespace, id: ackID, arguments: [error])
        } else {
            emit(namespace, "error", [error])
        }
    }

    /// Sends Engine.IO messages, in order, through the session.
    private func send(_ messages: [EngineIOData]) {
        for message in messages { perform(engine.send(message)) }
    }

    /// Starts `scratch` with the Engine.IO message type (`4`), the Socket.IO packet header and
    /// the payload's opening bracket: what a WebSocket frame carries as it is.
    private func startPacket(_ type: SocketIOPacketType, namespace: String, ackID: UInt64?) {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(UInt8(ascii: "4"))
        SocketIOPacket.encodeHeader(type, namespace: namespace, ackID: ackID, into: &scratch)
        scratch.append(UInt8(ascii: "["))
    }

    /// Appends `value` as compact JSON to `scratch` through the socket's reused writer.
    private func appendJSON(_ value: JSONValue) {
        if case .string(let text) = value { return JSONBytes.appendString(text, to: &scratch) }
        writer.removeAll()
        value.write(to: &writer)
        scratch.append(contentsOf: writer.bytes)
    }

    /// Sends the Engine.IO message in `scratch` (`4` + the Socket.IO packet): straight onto the
    /// WebSocket, as one frame, when that is the session's transport (what the machine would
    /// ask for); through the machine otherwise, which adds the `4` itself.
    private func sendScratch() {
        if isWebSocketDirect, let webSocket {
            webSocket.send(textUTF8: scratch)
        } else {
            perform(engine.send(.text(Array(scratch.dropFirst()))))
        }
    }

    /// Removes the client from `namespace` (a DISCONNECT goes out; the endpoint hears `left`).
    package func disconnect(_ namespace: String) {
        guard let packet = connection.disconnect(namespace) else { return }
        perform(engine.send(.text(packet)))
        endpoint?.left(namespace, socket: self)
    }

    /// Ends the whole session.
    package func close() {
        perform(engine.close())
    }

    /// The CONNECT payload `namespace` was joined with.
    package func auth(for namespace: String) -> JSONValue? { auths[namespace] }

    // MARK: Transport side

    /// A GET for this session; answers `stream` now or holds it.
    func poll(_ stream: HTTPResponseStream, headers: HTTPHeaders) {
        let (decision, actions) = engine.poll(now: loop.now())
        switch decision {
        case .answer(let payload):
            stream.respond(Self.payloadResponse(payload, headers: headers))
        case .hold:
            pollGeneration += 1
            let generation = pollGeneration
            heldPoll = (stream, headers, generation)
            let bound = LoopBound(self, loop: loop)
            stream.onAbandon { [loop] in
                loop.execute { bound.value.pollAbandoned(generation) }
            }
        case .refuse(let error):
            stream.respond(SocketIOServer.errorResponse(error, headers: headers))
        }
        perform(actions)
    }

    private func pollAbandoned(_ generation: Int) {
        guard let held = heldPoll, held.generation == generation else { return }
        heldPoll = nil
        perform(engine.pollAbandoned(now: loop.now()))
    }

    /// A POST for this session.
    func post(_ body: [UInt8], headers: HTTPHeaders) -> HTTPResponse {
        let (error, actions) = engine.post(body, now: loop.now())
        perform(actions)
        if let error { return SocketIOServer.errorResponse(error, headers: headers) }
        var response = HTTPResponse(status: .ok, headers: headers, body: Array("ok".utf8))
        response.headers.add(name: "Content-Type", value: "text/plain; charset=UTF-8")
        return response
    }

    /// The session's first transport is this WebSocket: sends the open packet.
    func startOnWebSocket(_ socket: WebSocketHandle) -> Int {
        webSocketGeneration += 1
        webSocket = socket
        send(engine.openPacket, on: socket)
        rearm()
        return webSocketGeneration
    }

    /// A WebSocket asks to take over this polling session; its generation, or nil (close it).
    func joinWebSocket(_ socket: WebSocketHandle) -> Int? {
        guard engine.webSocketJoined(now: loop.now()) else { return nil }
        webSocketGeneration += 1
        webSocket = socket
        rearm()
        return webSocketGeneration
    }

    /// A message on WebSocket `generation`.
    func webSocketReceived(_ message: WebSocketMessage, generation: Int) {
        guard generation == webSocketGeneration, webSocket != nil else { return }
        switch message {
        case .binary(let bytes):
            guard bytes.count <= maxPayload else {
                return perform(engine.webSocketReceivedInvalidFrame(now: loop.now()))
            }
            perform(engine.webSocketReceived(EngineIOPacket(.message, .binary(bytes)), now: loop.now()))
        case .text(var text):
            text.withUTF8 { receivedText($0) }
        }
    }

    /// A text message on WebSocket `generation`, as UTF-8 valid for the duration of the call.
    func webSocketReceived(text utf8: UnsafeBufferPointer<UInt8>, generation: Int) {
        guard generation == webSocketGeneration, webSocket != nil else { return }
        receivedText(utf8)
    }

    private func receivedText(_ utf8: UnsafeBufferPointer<UInt8>) {
        if isWebSocketDirect, utf8.first == UInt8(ascii: "4"), utf8.count <= maxPayload, !echoesEngineMessages {
            // The hot path: a message on the active WebSocket is only ever delivered, and the
            // packet is decoded straight from the frame's bytes (after the `4`); a plain event
            // yields one action, taken without an array.
            let packet = UnsafeBufferPointer(rebasing: utf8.dropFirst())
            guard let action = connection.received(oneText: packet) else { return rearm() }
            handle(action)
            // An event moves no deadline of either machine, and whatever the application did
            // through this socket that reaches the engine re-armed the timer itself (`perform`).
            if case .event(.event) = action { return }
            return rearm()
        }
        guard utf8.count <= maxPayload, let packet = try? EngineIOPacket.decode(text: utf8) else {
            return perform(engine.webSocketReceivedInvalidFrame(now: loop.now()))
        }
        perform(engine.webSocketReceived(packet, now: loop.now()))
    }

    /// WebSocket `generation` closed.
    func webSocketClosed(generation: Int) {
        guard generation == webSocketGeneration, webSocket != nil else { return }
        webSocket = nil
        perform(engine.webSocketClosed(now: loop.now()))
    }

    /// Server shutdown: the client is told, the session ends.
    func shutdown() { close() }

    // MARK: Actions

    private func perform(_ actions: [EngineIOSession.Action]) {
        for action in actions {
            switch action {
            case .answerPoll(let payload):
                guard let held = heldPoll else { continue }
                heldPoll = nil
                held.stream.respond(Self.payloadResponse(payload, headers: held.headers))
            case .sendWebSocket(let packet):
                if let webSocket { send(packet, on: webSocket) }
            case .closeWebSocket:
                webSocket?.close(code: .normalClosure, reason: "")
                webSocket = nil
            case .deliver(let data):
                if echoesEngineMessages {
                    perform(engine.send(data))
                } else {
                    handle(connection.received(data))
                }
            case .closed:
                if let timer { _ = loop.cancelTimer(timer) }
                timer = nil
                let joined = connection.connectionClosed()
                let endpoint = self.endpoint
                self.endpoint = nil
                for namespace in joined { endpoint?.left(namespace, socket: self) }
                table.remove(self)
            }
        }
        rearm()
    }

    private func handle(_ actions: [SocketIOConnection.Action]) {
        for action in actions { handle(action) }
    }

    private func handle(_ action: SocketIOConnection.Action) {
        switch action {
        case .send(let packet):
            perform(engine.send(.text(packet)))
        case .close:
            perform(engine.close())
        case .event(let event):
            dispatch(event)
        }
    }

    private func dispatch(_ event: SocketIOConnection.Event) {
        guard let endpoint else { return }
        switch event {
        case .connect(let namespace, let auth):
            if let refusal = endpoint.admit(namespace, auth: auth, socket: self) {
                perform(engine.send(.text(connection.refuse(namespace, message: refusal))))
                return
            }
            nextSocketNumber += 1
            let socketID = sid + "#" + String(nextSocketNumber)
            auths[namespace] = auth
            perform(engine.send(.text(connection.accept(namespace, sid: socketID))))
            endpoint.joined(namespace, auth: auth, socket: self)
        case .event(let namespace, let name, let arguments, let ackID):
            endpoint.event(namespace, name: name, arguments: arguments, ackID: ackID, socket: self)
        case .ack:
            break  // the server never asks for acknowledgements
        case .binaryEvent(let namespace, let name, let arguments, let attachments, let ackID):
            endpoint.binaryEvent(
                namespace, name: name, arguments: arguments, attachments: attachments, ackID: ackID, socket: self)
        case .binaryAck(let namespace, _, _, _):
            // The server never asks for acknowledgements: refused as every binary packet was
            // before attachments were read.
            refuseBinary(namespace, name: nil, ackID: nil)
        case .disconnect(let namespace):
            auths[namespace] = nil
            endpoint.left(namespace, socket: self)
        }
    }

    private func send(_ packet: EngineIOPacket, on socket: WebSocketHandle) {
        switch packet.data {
        case .binary(let bytes): socket.send(binary: bytes)
        case .text: socket.send(textUTF8: packet.encoded)
        }
    }

    /// `engine.isWebSocketDirect`, read from the session's stored fields: the computed
    /// property, called across the module boundary, copied the whole session (retaining each
    /// of its references) twice per message.
    private var isWebSocketDirect: Bool { engine.transport == .websocket && !engine.isClosed }

    // MARK: Timer

    private func rearm() {
        let deadline = MonotonicInstant.earliest(
            engine.nextDeadline, echoesEngineMessages ? nil : connection.nextDeadline)
        guard deadline != timerDeadline else { return }
        if let timer { _ = loop.cancelTimer(timer) }
        timer = nil
        timerDeadline = deadline
        guard let deadline else { return }
        // A strong capture: the timer is cancelled when the session closes, and a weak one
        // would give the socket a side table, making every retain on the message path slower.
        timer = loop.scheduleTimer(at: deadline) { [self] in timerFired() }
    }

    private func timerFired() {
        timer = nil
        timerDeadline = nil
        let now = loop.now()
        if !echoesEngineMessages { handle(connection.tick(now: now)) }
        perform(engine.tick(now: now))
    }

    static func payloadResponse(_ payload: [UInt8], headers: HTTPHeaders) -> HTTPResponse {
        var response = HTTPResponse(status: .ok, headers: headers, body: payload)
        response.headers.add(name: "Content-Type", value: "text/plain; charset=UTF-8")
        return response
    }
}
