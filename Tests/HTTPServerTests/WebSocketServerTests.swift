import PersonaTestSupport
import Dispatch
import HTTP1
import HTTPServer
import Reactor
import Testing
import WebSocket

#if canImport(Glibc)
    import Glibc
#endif

@Suite("WebSocket over the HTTPServer")
struct WebSocketServerTests {
    @Test("upgrades, echoes text, binary and a fragmented message, and closes with a handshake")
    func echoAndClose() throws {
        let server = try TestServer()
        let socket = RawWebSocket(port: server.port)
        let answer = try #require(socket.handshake())
        #expect(answer.status == 101)
        #expect(answer.headers["Sec-WebSocket-Accept"] == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        socket.send(.text, Array("héllo".utf8))
        #expect(socket.nextFrame() == WebSocketFrame(opcode: .text, payload: Array("héllo".utf8)))
        socket.send(.binary, [0, 1, 2, 255])
        #expect(socket.nextFrame() == WebSocketFrame(opcode: .binary, payload: [0, 1, 2, 255]))
        socket.send(.text, Array("frag".utf8), fin: false)
        socket.send(.ping, [9])
        socket.send(.continuation, Array("mented".utf8))
        #expect(socket.nextFrame() == WebSocketFrame(opcode: .pong, payload: [9]))
        #expect(socket.nextFrame() == WebSocketFrame(opcode: .text, payload: Array("fragmented".utf8)))
        socket.send(.close, WebSocketFrameEncoder.closePayload(code: .normalClosure, reason: "bye"))
        #expect(RawWebSocket.closeCode(socket.nextFrame()) == 1000)
        #expect(socket.nextFrame() == nil)  // the server closes TCP after the exchange
        #expect(server.closures.closed.wait())
        #expect(server.closures.all.first?.code == .normalClosure)
    }

    @Test("frees a closed connection: once the application drops its handle, nothing holds it")
    func closedConnectionIsFreed() throws {
        let server = try TestServer()
        let socket = RawWebSocket(port: server.port)
        #expect(socket.handshake(path: "/probe")?.status == 101)
        socket.send(.close, WebSocketFrameEncoder.closePayload(code: .normalClosure, reason: ""))
        #expect(RawWebSocket.closeCode(socket.nextFrame()) == 1000)
        #expect(socket.nextFrame() == nil)  // the server shut down its side after the exchange
        socket.client.shutdownWrite()  // ours too, so the server closes without lingering
        let loop = server.group.loops[0]
        let probe = server.releaseProbe
        // The close completes on the loop soon after; look there (the only thread that may
        // touch the probe) until the handle is gone, for at most five seconds.
        var stillHeld = true
        for _ in 0..<500 where stillHeld {
            let held = Shared(true)
            let checked = Waiter()
            loop.execute {
                held.update { $0 = probe.handle != nil }
                checked.signal()
            }
            #expect(checked.wait())
            stillHeld = held.value
            if stillHeld { usleep(10_000) }
        }
        #expect(!stillHeld)
    }

    @Test("a handle sends and closes from another thread, in order")
    func sendFromAnotherThread() throws {
        let server = try TestServer()
        let socket = RawWebSocket(port: server.port)
        #expect(socket.handshake(path: "/offloop")?.status == 101)
        socket.send(.text, Array("msg".utf8))
        let texts = (0..<3).compactMap { _ in
            socket.nextFrame().map { String(decoding: $0.payload, as: UTF8.self) }
        }
        #expect(texts == ["msg 1", "msg 2", "msg 3"])
        #expect(RawWebSocket.closeCode(socket.nextFrame()) == 1000)
    }

    @Test(
        "refuses a handshake",
        arguments: [
            ("Sec-WebSocket-Version", "8", 426),
            ("Sec-WebSocket-Key", nil, 400),
            ("Sec-WebSocket-Key", "not-base64-of-16", 400),
            ("Upgrade", "h2c", 400),
        ] as [(String, String?, Int)])
    func handshakeRefused(field: String, value: String?, status: Int) throws {
        let server = try TestServer()
        let socket = RawWebSocket(port: server.port)
        let answer = try #require(socket.handshake(overrides: [(field, value)]))
        #expect(answer.status == status)
        #expect(answer.bodyText.contains("\"error\""))
        if status == 426 { #expect(answer.headers["Sec-WebSocket-Version"] == "13") }
    }

    @Test("the Origin allow-list hook refuses a foreign origin with 403 and admits a listed one")
    func originPolicy() throws {
        let server = try TestServer {
            $0.webSocket.isOriginAllowed = { $0 == nil || $0 == "https://chat.example" }
        }
        let foreign = RawWebSocket(port: server.port)
        #expect(foreign.handshake(overrides: [("Origin", "https://evil.example")])?.status == 403)
        let listed = RawWebSocket(port: server.port)
        #expect(listed.handshake(overrides: [("Origin", "https://chat.example")])?.status == 101)
    }

    @Test("fails an unmasked client frame with 1002")
    func unmaskedFrame() throws {
        let server = try TestServer()
        let socket = RawWebSocket(port: server.port)
        #expect(socket.handshake()?.status == 101)
        socket.send(.text, Array("hi".utf8), masked: false)
        #expect(RawWebSocket.closeCode(socket.nextFrame()) == 1002)
    }

    @Test("fails invalid UTF-8 in a text message with 1007")
    func invalidUTF8() throws {
        let server = try TestServer()
        let socket = RawWebSocket(port: server.port)
        #expect(socket.handshake()?.status == 101)
        socket.send(.text, [0x68, 0xC3, 0x28])
        #expect(RawWebSocket.closeCode(socket.nextFrame()) == 1007)
    }

    @Test(
        "frame size: at the limit is echoed, one past fails with 1009",
        arguments: [(1024, true), (1025, false)])
    func frameLimit(size: Int, accepted: Bool) throws {
        let server = try TestServer {
            $0.webSocket.maxFrameSize = 1024
            $0.webSocket.maxMessageSize = 1024
        }
        let socket = RawWebSocket(port: server.port)
        #expect(socket.handshake()?.status == 101)
        socket.send(.binary, [UInt8](repeating: 1, count: size))
        let frame = socket.nextFrame()
        if accepted {
            #expect(frame?.payload.count == size)
        } else {
            #expect(RawWebSocket.closeCode(frame) == 1009)
        }
    }

    @Test("message size after reassembly: one past the limit fails with 1009")
    func messageLimit() throws {
        let server = try TestServer {
            $0.webSocket.maxFrameSize = 1024
            $0.webSocket.maxMessageSize = 1024
        }
        let socket = RawWebSocket(port: server.port)
        #expect(socket.handshake()?.status == 101)
        socket.send(.binary, [UInt8](repeating: 1, count: 1000), fin: false)
        socket.send(.continuation, [UInt8](repeating: 1, count: 25))
        #expect(RawWebSocket.closeCode(socket.nextFrame()) == 1009)
    }

    @Test("pings a quiet peer on the heartbeat interval")
    func heartbeat() throws {
        let server = try TestServer { $0.webSocket.pingInterval = .milliseconds(50) }
        let socket = RawWebSocket(port: server.port)
        #expect(socket.handshake()?.status == 101)
        #expect(socket.nextFrame()?.opcode == .ping)
    }

    @Test("drops a slow reader whose outbound queue passes the limit (1008 to the handler)")
    func slowReader() throws {
        let server = try TestServer { $0.webSocket.maxOutboundBytes = 256 * 1024 }
        let socket = RawWebSocket(port: server.port)
        #expect(socket.handshake(path: "/flood")?.status == 101)
        // Never read: the server's queue grows until the policy cuts us off.
        #expect(server.closures.closed.wait())
        #expect(server.closures.all.first?.code == .policyViolation)
    }

    /// A binary payload whose unmasked server frame (2 + 8 header bytes) is `frameSize` long.
    static func payload(framedTo frameSize: Int) -> [UInt8] { [UInt8](repeating: 3, count: frameSize - 10) }

    @Test("an echo endpoint keeps exactly 1 MiB of unsent small echoes and drops the peer at one byte more (1008)")
    func unreadEchoBoundEdge() throws {
        // Threshold above the message: it is a "small" message, not charged to the budget, so
        // its echo counts against the endpoint's own bound. The echo is queued in one piece
        // while the reads are delivered, before any of it is sent: the queue is exactly its frame.
        let server = try TestServer { $0.webSocket.memoryBudgetThreshold = 2 << 20 }
        let bound = WebSocketEchoHandler.maxUnreadEchoBytes
        #expect(bound == 1_048_576)
        let atLimit = RawWebSocket(port: server.port)
        #expect(atLimit.handshake(path: "/echo-bounded")?.status == 101)
        atLimit.send(.binary, Self.payload(framedTo: bound))
        #expect(atLimit.nextFrame()?.payload.count == bound - 10)
        atLimit.send(.close, [0x03, 0xE8])
        #expect(RawWebSocket.closeCode(atLimit.nextFrame()) == 1000)
        #expect(server.closures.closed.wait())
        #expect(server.closures.all.last?.code == .normalClosure)

        let over = RawWebSocket(port: server.port)
        #expect(over.handshake(path: "/echo-bounded")?.status == 101)
        over.send(.binary, Self.payload(framedTo: bound + 1))
        // Dropped with its queue: no echo and no close frame reach the peer.
        #expect(over.nextFrame() == nil)
        #expect(server.closures.closed.wait())
        let closure = try #require(server.closures.all.last)
        #expect(closure.code == .policyViolation)
        #expect(closure.cause == .outboundBufferOverflow)
    }

    @Test("the echo of a message the memory budget charges is covered by the budget, not the 1 MiB bound")
    func chargedEchoPassesTheBound() throws {
        let server = try TestServer()  // threshold 64 KiB: a 1 MiB message is charged
        let socket = RawWebSocket(port: server.port)
        #expect(socket.handshake(path: "/echo-bounded")?.status == 101)
        let size = WebSocketEchoHandler.maxUnreadEchoBytes + 1
        socket.send(.binary, Self.payload(framedTo: size))
        #expect(socket.nextFrame()?.payload.count == size - 10)
    }

    @Test("graceful shutdown sends 1001 and finishes once the peer answers")
    func gracefulShutdown() throws {
        let server = try TestServer()
        let socket = RawWebSocket(port: server.port)
        #expect(socket.handshake()?.status == 101)
        let finished = Waiter()
        let drained = Shared(false)
        let httpServer = server.server
        DispatchQueue.global().async {
            drained.update { $0 = httpServer.shutdown(gracePeriod: .seconds(5)) }
            finished.signal()
        }
        let close = socket.nextFrame()
        #expect(RawWebSocket.closeCode(close) == 1001)
        socket.send(.close, WebSocketFrameEncoder.closePayload(code: .goingAway, reason: ""))
        #expect(finished.wait())
        #expect(drained.value)
    }
}
