import JSON
import Reactor
import SocketIO
import Testing

@Suite("Engine.IO session state machine")
struct EngineIOSessionTests {
    static let configuration = EngineIOConfiguration(
        pingInterval: .milliseconds(300), pingTimeout: .milliseconds(200), maxPayload: 1_000,
        upgradeTimeout: .seconds(1), maxQueuedBytes: 100)
    let start = MonotonicInstant(nanoseconds: 1_000_000_000)

    func polling() -> EngineIOSession {
        EngineIOSession(sid: "abc", transport: .polling, configuration: Self.configuration, now: start)
    }

    func at(_ milliseconds: Int) -> MonotonicInstant { start.advanced(by: .milliseconds(milliseconds)) }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test("the open packet carries sid, upgrades, pingInterval, pingTimeout and maxPayload")
    func openPacket() throws {
        let packet = polling().openPacket
        #expect(packet.type == .open)
        let json = try JSONParser().parse(packet.data.bytes)
        #expect(json["sid"] == "abc")
        #expect(json["upgrades"] == ["websocket"])
        #expect(json["pingInterval"] == 300)
        #expect(json["pingTimeout"] == 200)
        #expect(json["maxPayload"] == 1_000)
        let webSocket = EngineIOSession(sid: "w", transport: .websocket, configuration: Self.configuration, now: start)
        #expect(try JSONParser().parse(webSocket.openPacket.data.bytes)["upgrades"] == [])
    }

    @Test("a GET with nothing queued is held and answered by the next message")
    func heldPoll() {
        var session = polling()
        #expect(session.poll(now: at(1)).0 == .hold)
        #expect(session.send(.text(Array("2[\"x\"]".utf8))) == [.answerPoll(Array("42[\"x\"]".utf8))])
    }

    @Test("messages queued while no GET is pending go out together, joined by the record separator")
    func queuedBatch() {
        var session = polling()
        _ = session.send(.text(Array("a".utf8)))
        _ = session.send(.binary([1]))
        #expect(session.poll(now: at(1)).0 == .answer(Array("4a\u{1e}bAQ==".utf8)))
        #expect(session.poll(now: at(2)).0 == .hold)
    }

    @Test("a response carries at most maxPayload bytes; the rest waits for the next GET")
    func batchLimit() {
        var session = EngineIOSession(
            sid: "s", transport: .polling, configuration: EngineIOConfiguration(maxPayload: 10, maxQueuedBytes: 1_000),
            now: start)
        _ = session.send(.text(Array("12345".utf8)))
        _ = session.send(.text(Array("67890".utf8)))
        #expect(session.poll(now: at(1)).0 == .answer(Array("412345".utf8)))
        #expect(session.poll(now: at(2)).0 == .answer(Array("467890".utf8)))
    }

    @Test("a second GET while one is pending closes the session: the first gets close, the second 400")
    func duplicatePoll() {
        var session = polling()
        _ = session.poll(now: at(1))
        let (decision, actions) = session.poll(now: at(2))
        #expect(decision == .refuse(.duplicatePoll))
        #expect(actions == [.answerPoll(Array("1".utf8)), .closed(.duplicatePoll)])
        #expect(session.isClosed)
        #expect(session.poll(now: at(3)).0 == .refuse(.unknownSession))
    }

    @Test("a cancelled pending GET closes the session")
    func abandonedPoll() {
        var session = polling()
        _ = session.poll(now: at(1))
        #expect(session.pollAbandoned(now: at(2)) == [.closed(.transportClosed)])
    }

    @Test("a POST delivers its messages in order and answers pongs")
    func post() {
        var session = polling()
        let (error, actions) = session.post(Array("4a\u{1e}4b".utf8), now: at(1))
        #expect(error == nil)
        #expect(actions == [.deliver(.text([UInt8(ascii: "a")])), .deliver(.text([UInt8(ascii: "b")]))])
    }

    @Test("a POST that does not parse is refused and closes the session")
    func badPost() {
        var session = polling()
        _ = session.poll(now: at(1))
        let (error, actions) = session.post(Array("abc".utf8), now: at(2))
        #expect(error == .badPacket("unknown packet type 'a'"))
        #expect(actions == [.answerPoll(Array("1".utf8)), .closed(.protocolError)])
    }

    @Test("a POST one byte over maxPayload is refused as too large and closes the session")
    func postTooLarge() {
        var session = polling()
        let body = Array("4".utf8) + Array(repeating: UInt8(ascii: "x"), count: 1_000)
        let (error, actions) = session.post(body, now: at(1))
        #expect(error == .payloadTooLarge(limit: 1_000))
        #expect(actions == [.closed(.protocolError)])
        var other = polling()
        #expect(other.post(Array(body.dropLast()), now: at(1)).0 == nil)
    }

    @Test("a client close packet ends the session and the pending GET gets noop")
    func clientClose() {
        var session = polling()
        _ = session.poll(now: at(1))
        #expect(session.post(Array("1".utf8), now: at(2)).1 == [.answerPoll(Array("6".utf8)), .closed(.clientClosed)])
    }

    @Test("the server pings every pingInterval after the last pong")
    func heartbeat() {
        var session = polling()
        #expect(session.nextDeadline == at(300))
        _ = session.poll(now: at(1))
        #expect(session.tick(now: at(300)) == [.answerPoll(Array("2".utf8))])
        #expect(session.nextDeadline == at(500))
        _ = session.post(Array("3".utf8), now: at(350))
        #expect(session.nextDeadline == at(650))
        #expect(session.tick(now: at(499)) == [])
        #expect(!session.isClosed)
    }

    @Test("no pong within pingTimeout closes the session")
    func pingTimeout() {
        var session = polling()
        _ = session.tick(now: at(300))
        #expect(session.tick(now: at(499)) == [])
        #expect(session.tick(now: at(500)) == [.closed(.pingTimeout)])
    }

    @Test("packets queued past maxQueuedBytes for a client that does not poll end the session")
    func queueLimit() {
        var session = polling()
        // Each queued message costs its bytes + 1; 99 + 1 = 100 is at the limit.
        #expect(session.send(.text(Array(repeating: UInt8(ascii: "x"), count: 99))) == [])
        #expect(session.send(.text([])) == [.closed(.queueOverflow)])
    }

    @Test("upgrade: probe answered, pending GET released with noop, queued packets moved to the WebSocket once")
    func upgrade() {
        var session = polling()
        _ = session.send(.text(Array("first".utf8)))
        #expect(session.poll(now: at(1)).0 == .answer(Array("4first".utf8)))
        #expect(session.poll(now: at(2)).0 == .hold)
        let joined = session.webSocketJoined(now: at(3))
        #expect(joined)
        let second = session.webSocketJoined(now: at(3))
        #expect(!second, "a second WebSocket is refused")
        let probe = session.webSocketReceived(EngineIOPacket(.ping, .text(Array("probe".utf8))), now: at(4))
        #expect(probe == [.sendWebSocket(EngineIOPacket(.pong, .text(Array("probe".utf8)))), .answerPoll(Array("6".utf8))])
        // Sent while the client has paused polling: queued, not lost.
        #expect(session.send(.text(Array("second".utf8))) == [])
        #expect(session.poll(now: at(5)).0 == .answer(Array("4second".utf8)), "a poll during the probe still drains")
        _ = session.send(.text(Array("third".utf8)))
        let upgraded = session.webSocketReceived(EngineIOPacket(.upgrade), now: at(6))
        #expect(upgraded == [.sendWebSocket(.message("third"))])
        #expect(session.transport == .websocket)
        #expect(session.send(.text(Array("fourth".utf8))) == [.sendWebSocket(.message("fourth"))])
        #expect(session.poll(now: at(7)).0 == .refuse(.badRequest("the session uses websocket")))
        #expect(!session.isClosed)
    }

    @Test("a probe that never upgrades is closed after upgradeTimeout and polling goes on")
    func upgradeTimeout() {
        var session = polling()
        let joined = session.webSocketJoined(now: at(0))
        #expect(joined)
        _ = session.post(Array("3".utf8), now: at(250))  // keep the heartbeat happy
        let actions = session.tick(now: at(1_000))
        #expect(actions.contains(.closeWebSocket))
        #expect(session.transport == .polling)
        let again = session.webSocketJoined(now: at(1_001))
        #expect(again, "a new probe may try again")
    }

    @Test("upgrade before the probe is refused: only the probing WebSocket is closed")
    func upgradeWithoutProbe() {
        var session = polling()
        let joined = session.webSocketJoined(now: at(0))
        #expect(joined)
        #expect(session.webSocketReceived(EngineIOPacket(.upgrade), now: at(1)) == [.closeWebSocket])
        #expect(!session.isClosed)
    }

    @Test("on a WebSocket session a bad frame, a close packet and a lost socket each end the session")
    func webSocketEnds() {
        var session = EngineIOSession(sid: "w", transport: .websocket, configuration: Self.configuration, now: start)
        #expect(session.webSocketReceivedInvalidFrame(now: at(1)) == [.closeWebSocket, .closed(.protocolError)])
        var closing = EngineIOSession(sid: "w", transport: .websocket, configuration: Self.configuration, now: start)
        #expect(closing.webSocketReceived(EngineIOPacket(.close), now: at(1)) == [.closeWebSocket, .closed(.clientClosed)])
        var lost = EngineIOSession(sid: "w", transport: .websocket, configuration: Self.configuration, now: start)
        #expect(lost.webSocketClosed(now: at(1)) == [.closed(.transportClosed)])
    }

    @Test("the server ping goes straight onto the WebSocket, and a server close sends close then closes")
    func webSocketHeartbeat() {
        var session = EngineIOSession(sid: "w", transport: .websocket, configuration: Self.configuration, now: start)
        #expect(session.tick(now: at(300)) == [.sendWebSocket(EngineIOPacket(.ping))])
        #expect(session.close() == [.sendWebSocket(EngineIOPacket(.close)), .closeWebSocket, .closed(.serverClosed)])
    }
}
