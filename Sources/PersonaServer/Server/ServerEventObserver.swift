import HTTPServer
import Observability
import Reactor
import WebSocket

/// Translates the HTTP core's reports into the ``ServerEventRecorder``'s counters and refusal
/// lines: every door (the chat endpoint, echo, the ops routes and whatever comes next) is
/// covered because the core reports every error answer and every WebSocket close.
///
/// | core report | reason |
/// |---|---|
/// | refused upgrade 429 / 403 / 400, 426 | `connection_rate` / `origin` / `handshake` |
/// | any other error answer | `http_error` |
/// | WebSocket dropped for silence (heartbeat) | `heartbeat_timeout` |
/// | 1009 over the endpoint's limit / over the memory budget | `message_too_large` / `memory_budget` |
/// | other protocol failure (1002, 1007) | `protocol_error` |
/// | the core's own slow-reader cut-off | `slow_client_closed` |
struct ServerEventObserver: HTTPServerObserver {
    let recorder: ServerEventRecorder

    func httpErrorSent(status: Int, upgrade: Bool, client: SocketAddress?) {
        recorder.httpError(status: status)
        let reason: RefusalReason
        switch (upgrade, status) {
        case (true, 429): reason = .connectionRate
        case (true, 403): reason = .origin
        case (true, 400), (true, 426): reason = .handshake
        default: reason = .httpError
        }
        recorder.refused(reason, client: client?.host, [LogField("status", .int(status))])
    }

    func webSocketClosed(_ closure: WebSocketClosure, client: SocketAddress?) {
        recorder.webSocketClosed(code: closure.code.rawValue)
        let reason: RefusalReason
        switch closure.cause {
        case .idleTimeout: reason = .heartbeatTimeout
        case .outboundBufferOverflow: reason = .slowClientClosed
        case .protocolError(.frameTooLarge), .protocolError(.messageTooLarge): reason = .messageTooLarge
        case .protocolError(.memoryBudgetExhausted): reason = .memoryBudget
        case .protocolError: reason = .protocolError
        case .closeHandshake, .closeTimeout, .transportClosed: return
        }
        recorder.refused(reason, client: client?.host, [LogField("close_code", .int(Int(closure.code.rawValue)))])
    }
}
