import Foundation
import HTTP1
import HTTPServer
import PersonaTestSupport
import Reactor
import Synchronization
import Testing
import WebSocket

/// Records what the core reports.
final class RecordingObserver: HTTPServerObserver {
    struct Error: Hashable { var status: Int, upgrade: Bool, client: String? }
    let errors = Mutex<[Error]>([])
    let closes = Mutex<[WebSocketClosure]>([])
    let closed = Waiter()

    func httpErrorSent(status: Int, upgrade: Bool, client: SocketAddress?) {
        errors.withLock { $0.append(Error(status: status, upgrade: upgrade, client: client?.host)) }
    }

    func webSocketClosed(_ closure: WebSocketClosure, client: SocketAddress?) {
        closes.withLock { $0.append(closure) }
        closed.signal()
    }
}

@Suite("The server core reports every error answer and WebSocket close to its observer")
struct HTTPServerObserverTests {
    @Test("reports refused upgrades by status (426, 400, 403) and plain errors (404, 431) with the client")
    func refusals() throws {
        let observer = RecordingObserver()
        let server = try TestServer {
            $0.observer = observer
            $0.webSocket.originPolicy = .allowList(["https://good.example"])
            $0.parser.maxHeaderBytes = 512
            $0.trustedProxies = TrustedProxies([IPNetwork("127.0.0.1")!])
        }
        #expect(RawWebSocket(port: server.port).handshake(overrides: [("Sec-WebSocket-Version", "12")])?.status == 426)
        #expect(RawWebSocket(port: server.port).handshake(overrides: [("Sec-WebSocket-Key", "short")])?.status == 400)
        #expect(
            RawWebSocket(port: server.port).handshake(overrides: [
                ("Origin", "https://evil.example"), ("X-Forwarded-For", "203.0.113.3"),
            ])?.status == 403)
        let client = server.client()
        let reader = ResponseReader(client)
        client.send("GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(reader.next()?.status == 404)
        client.send("GET /hello HTTP/1.1\r\nHost: t\r\nX-Big: \(String(repeating: "x", count: 600))\r\n\r\n")
        #expect(reader.next()?.status == 431)
        #expect(
            observer.errors.withLock { $0 } == [
                .init(status: 426, upgrade: true, client: "127.0.0.1"),
                .init(status: 400, upgrade: true, client: "127.0.0.1"),
                .init(status: 403, upgrade: true, client: "203.0.113.3"),
                .init(status: 404, upgrade: false, client: "127.0.0.1"),
                .init(status: 431, upgrade: false, client: "127.0.0.1"),
            ])
    }

    @Test("reports a heartbeat timeout when the peer never answers pings")
    func heartbeatTimeout() throws {
        let observer = RecordingObserver()
        let server = try TestServer {
            $0.observer = observer
            $0.webSocket.pingInterval = .milliseconds(40)
            $0.webSocket.pongTimeout = .milliseconds(40)
        }
        let socket = RawWebSocket(port: server.port)
        #expect(socket.handshake()?.status == 101)
        #expect(observer.closed.wait())
        #expect(observer.closes.withLock { $0.first?.cause } == .idleTimeout)
    }

    @Test("reports the slow-reader cut-off and a 1009 refusal with their causes")
    func slowReaderAndTooBig() throws {
        let observer = RecordingObserver()
        let server = try TestServer {
            $0.observer = observer
            $0.webSocket.maxOutboundBytes = 256 * 1024
            $0.webSocket.maxMessageSize = 1_000
            $0.webSocket.maxFrameSize = 1_000
        }
        let flood = RawWebSocket(port: server.port)
        #expect(flood.handshake(path: "/flood")?.status == 101)
        #expect(observer.closed.wait())
        #expect(observer.closes.withLock { $0.first?.cause } == .outboundBufferOverflow)
        let big = RawWebSocket(port: server.port)
        #expect(big.handshake()?.status == 101)
        big.send(.binary, [UInt8](repeating: 1, count: 1_001))
        #expect(RawWebSocket.closeCode(big.nextFrame()) == 1009)
        #expect(observer.closed.wait())
        #expect(observer.closes.withLock { $0.last?.cause } == .protocolError(.frameTooLarge))
    }

    @Test("refuses a large frame over the server's memory budget from its header with 1009")
    func memoryBudget() throws {
        let server = try TestServer {
            $0.webSocket.memoryBudget = 300_000
            $0.webSocket.memoryBudgetThreshold = 64 * 1024
        }
        let holder = RawWebSocket(port: server.port)
        #expect(holder.handshake()?.status == 101)
        // Only the header and part of a 100,000-byte frame: it stays charged (twice) while it arrives.
        let frame = WebSocketFrameEncoder.encode(
            WebSocketFrame(opcode: .binary, maskingKey: .init(1, 2, 3, 4), payload: [UInt8](repeating: 5, count: 100_000)))
        holder.client.send(Array(frame.prefix(1_000)))
        let budget = server.server.memoryBudget
        let deadline = ContinuousClock.now + .seconds(10)
        while budget.inUse < 200_000, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.002) }
        #expect(budget.inUse == 200_000)
        let refused = RawWebSocket(port: server.port)
        #expect(refused.handshake()?.status == 101)
        refused.send(.binary, [UInt8](repeating: 6, count: 60_000), fin: false)
        // 60,000 + 60,000 passes the 64 KiB threshold; twice that, with 200,000 held, passes the budget.
        refused.send(.continuation, [UInt8](repeating: 6, count: 60_000))
        let close = refused.nextFrame()
        #expect(RawWebSocket.closeCode(close) == 1009)
        #expect(close.map { String(decoding: $0.payload.dropFirst(2), as: UTF8.self) } == WebSocketProtocolError.memoryBudgetExhausted.reason)
        #expect(server.server.memoryBudget.inUse == 200_000)
        holder.client.send(Array(frame.dropFirst(1_000)))
        #expect(holder.nextFrame()?.payload.count == 100_000)
    }
}
