import ChatProtocol
import Dispatch
import HTTPServer
import Reactor
import Synchronization
import WebSocket

/// A chat client for in-process tests: a `WebSocketClient` on a loop, with every frame it
/// receives collected and waited on with deadlines (no sleeps).
final class ChatTestClient: WebSocketClientDelegate, @unchecked Sendable {
    private let loop: EventLoop
    private var client: WebSocketClient?
    private let state = Mutex((frames: [ServerMessage](), closedCode: UInt16?.none, open: false))
    private let changed = DispatchSemaphore(value: 0)

    init(port: Int, loop: EventLoop, path: String = ProtocolVersion.path) throws {
        self.loop = loop
        let address = try SocketAddress(host: "127.0.0.1", port: port)
        loop.execute { [self] in
            client = WebSocketClient(to: address, path: path, on: loop, delegate: self)
        }
    }

    /// Waits (5 s at most) for the handshake to complete.
    func waitOpen() -> Bool {
        let deadline = DispatchTime.now() + .seconds(5)
        while !state.withLock({ $0.open }) {
            if changed.wait(timeout: deadline) == .timedOut { return false }
        }
        return true
    }

    func send(_ message: ClientMessage) {
        let text = message.encodedText
        loop.execute { [self] in client?.send(.text(text)) }
    }

    /// Waits (5 s at most) for a frame matching `predicate` and returns every frame up to it.
    func until(_ predicate: (ServerMessage) -> Bool) -> [ServerMessage]? {
        let deadline = DispatchTime.now() + .seconds(5)
        while true {
            let found = state.withLock { state -> [ServerMessage]? in
                guard let index = state.frames.firstIndex(where: predicate) else { return nil }
                let taken = Array(state.frames[...index])
                state.frames.removeFirst(index + 1)
                return taken
            }
            if let found { return found }
            if changed.wait(timeout: deadline) == .timedOut { return nil }
        }
    }

    /// Waits for the connection to end and returns its close code.
    func closeCode() -> UInt16? {
        let deadline = DispatchTime.now() + .seconds(5)
        while true {
            if let code = state.withLock({ $0.closedCode }) { return code }
            if changed.wait(timeout: deadline) == .timedOut { return nil }
        }
    }

    func close() {
        loop.execute { [self] in client?.close() }
    }

    func webSocketClientDidConnect(_ client: WebSocketClient) {
        state.withLock { $0.open = true }
        changed.signal()
    }

    func webSocketClient(_ client: WebSocketClient, didReceive message: WebSocketMessage) {
        guard case .text(let text) = message, let frame = try? ServerMessage(decoding: text) else { return }
        state.withLock { $0.frames.append(frame) }
        changed.signal()
    }

    func webSocketClient(
        _ client: WebSocketClient, didEnd closure: WebSocketClosure?, failure: WebSocketClientError?
    ) {
        state.withLock { $0.closedCode = closure?.code.rawValue ?? 1006 }
        changed.signal()
        self.client = nil
    }
}
