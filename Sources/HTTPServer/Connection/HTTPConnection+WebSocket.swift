import HTTP1
import Reactor
import WebSocket

extension HTTPConnection {
    /// Validates the upgrade with the codecs' handshake (RFC 6455 §4.2) and, if it passes,
    /// writes 101 and hands the TCP connection to a ``WebSocketServerConnection``; bytes the
    /// client sent right behind its request become the WebSocket's first input. A refused
    /// handshake is answered with its status (426 with `Sec-WebSocket-Version: 13`, 400, 403)
    /// and a JSON body, then the connection closes.
    func acceptWebSocket(_ head: HTTP1RequestHead, upgrade: WebSocketUpgrade, slot: ResponseSlot) -> Bool {
        let webSocket = configuration.webSocket
        let handshake = WebSocketServerHandshake(
            configuration: .init(
                supportedSubprotocols: upgrade.subprotocols, originPolicy: webSocket.originPolicy ?? .custom(webSocket.isOriginAllowed))
        )
        let acceptance: WebSocketServerHandshake.Acceptance
        do {
            acceptance = try handshake.accept(head)
        } catch {
            slot.keepAlive = false
            slot.started = true
            var bytes: [UInt8] = []
            error.encodeResponse(date: loopState.dateCache.current, keepAlive: false, into: &bytes)
            refuseUpgrade(bytes, status: error.status.code, slot: slot)
            return false
        }
        let leftover = parser.takeUnconsumedBytes()
        stopUpgraded()
        var response = acceptance.responseHead
        response.headers.add(name: "Date", value: loopState.dateCache.current)
        var bytes: [UInt8] = []
        HTTP1ResponseEncoder.encodeHead(response, into: &bytes)
        tcp.write(bytes)
        var endpoint = webSocket
        if let size = upgrade.maxMessageSize {
            endpoint.maxMessageSize = min(endpoint.maxMessageSize, size)
            endpoint.maxFrameSize = min(endpoint.maxFrameSize, size)
        }
        if let bound = upgrade.maxOutboundBytes { endpoint.maxOutboundBytes = min(endpoint.maxOutboundBytes, bound) }
        let connection = WebSocketServerConnection(
            tcp: tcp, loopState: loopState, configuration: endpoint, subprotocol: acceptance.subprotocol,
            memoryBudget: context.memoryBudget, failureNotice: upgrade.failureNotice,
            clientAddress: requestClient, observer: configuration.observer, handler: upgrade.makeHandler())
        loopState.add(connection)  // before removing ourselves, so a drain never sees zero
        loopState.remove(self)
        tcp.handler = connection
        connection.start(initialBytes: leftover)
        return true
    }
}
