import JSON
import Reactor
import SocketIO
import Testing

@Suite("Socket.IO connection state machine")
struct SocketIOConnectionTests {
    let start = MonotonicInstant(nanoseconds: 1_000_000_000)

    func connection() -> SocketIOConnection {
        SocketIOConnection(configuration: .init(connectTimeout: .seconds(1), maxNamespaces: 2), now: start)
    }

    static func text(_ string: String) -> EngineIOData { .text(Array(string.utf8)) }

    /// A connection joined to `/` as socket A and `/custom` as socket B.
    func joinedTwo() -> SocketIOConnection {
        var connection = connection()
        _ = connection.received(Self.text("0"))
        _ = connection.accept("/", sid: "A")
        _ = connection.received(Self.text("0/custom,"))
        _ = connection.accept("/custom", sid: "B")
        return connection
    }

    @Test("CONNECT with an auth payload asks the application, and accepting answers with the sid")
    func connect() {
        var connection = connection()
        #expect(connection.received(Self.text("0{\"token\":\"123\"}")) == [.event(.connect(namespace: "/", auth: ["token": "123"]))])
        #expect(String(decoding: connection.accept("/", sid: "S1"), as: UTF8.self) == "0{\"sid\":\"S1\"}")
        #expect(connection.isJoined("/"))
        #expect(String(decoding: connection.refuse("/random", message: "Invalid namespace"), as: UTF8.self) == "4/random,{\"message\":\"Invalid namespace\"}")
    }

    @Test("anything but CONNECT first, an unparsable packet, and no CONNECT in time each close the connection")
    func closes() {
        var first = connection()
        #expect(first.received(Self.text("2[\"x\"]")) == [.close("the first packet must be CONNECT")])
        var junk = connection()
        let junkActions = junk.received(Self.text("abc"))
        #expect(junkActions.count == 1)
        var slow = connection()
        #expect(slow.tick(now: start.advanced(by: .milliseconds(999))) == [])
        let late = slow.tick(now: start.advanced(by: .seconds(1)))
        #expect(late.count == 1)
    }

    @Test("events with ack ids reach the application; events for namespaces not joined are ignored")
    func events() {
        var connection = connection()
        _ = connection.received(Self.text("0"))
        _ = connection.accept("/", sid: "S")
        #expect(connection.received(Self.text("27[\"hi\",1]")) == [.event(.event(namespace: "/", name: "hi", arguments: [1], ackID: 7))])
        #expect(connection.received(Self.text("2/other,[\"hi\"]")) == [])
        #expect(String(decoding: SocketIOPacket.encodeAck("/", id: 7, arguments: ["ok"]), as: UTF8.self) == "37[\"ok\"]")
    }

    @Test(
        "text read from borrowed bytes (the WebSocket path) acts exactly as a text message",
        arguments: [
            "27[\"hi\",1,{\"a\":[2]}]", "2[\"only-name\"]", "2[\"x\",\"y\",\"z\",4,5,6]", "3/custom,4[\"ack\"]",
            "1/custom,", "2[1]", "2", "5[\"binary\"]", "9", "",
        ])
    func borrowedText(_ packet: String) {
        var copied = joinedTwo()
        var borrowed = joinedTwo()
        let expected = copied.received(Self.text(packet))
        let bytes = Array(packet.utf8)
        let actions = bytes.withUnsafeBufferPointer { borrowed.received(text: $0) }
        #expect(actions == expected, "packet: \(packet)")
        // The hot path's variant gives the one action without an array.
        var single = joinedTwo()
        #expect(expected.count <= 1)
        #expect(bytes.withUnsafeBufferPointer { single.received(oneText: $0) } == expected.first, "packet: \(packet)")
    }

    @Test("lists joined namespaces with their socket ids through joins, a re-join and leaves")
    func namespaceList() {
        var connection = joinedTwo()
        #expect(connection.namespaces == ["/": "A", "/custom": "B"])
        _ = connection.accept("/custom", sid: "C")
        #expect(connection.namespaces == ["/": "A", "/custom": "C"])
        _ = connection.received(Self.text("1/custom,"))
        #expect(connection.namespaces == ["/": "A"])
        #expect(connection.isJoined("/") && !connection.isJoined("/custom"))
        #expect(connection.disconnect("/") != nil)
        #expect(connection.namespaces.isEmpty && !connection.isJoined("/"))
    }

    @Test("taking an event's arguments drops its name and leaves the packet without a payload")
    func takeArguments() throws {
        var event = try SocketIOPacket.decode(Array("2[\"hi\",1,\"two\"]".utf8))
        #expect(event.arguments == [1, "two"])
        #expect(event.takeArguments() == [1, "two"])
        #expect(event.data == nil)
        var ack = try SocketIOPacket.decode(Array("35[\"ok\",2]".utf8))
        #expect(ack.takeArguments() == ["ok", 2])
        var empty = SocketIOPacket(.disconnect)
        #expect(empty.takeArguments() == [])
    }

    @Test("DISCONNECT leaves one namespace and the others stay")
    func disconnect() {
        var connection = joinedTwo()
        #expect(connection.received(Self.text("1/custom,")) == [.event(.disconnect(namespace: "/custom"))])
        #expect(connection.isJoined("/"))
        #expect(!connection.isJoined("/custom"))
    }

    @Test("a CONNECT past maxNamespaces is refused with CONNECT_ERROR")
    func namespaceLimit() {
        var connection = connection()
        for name in ["/", "/a"] {
            _ = connection.received(Self.text(name == "/" ? "0" : "0\(name),"))
            _ = connection.accept(name, sid: name)
        }
        #expect(connection.received(Self.text("0/b,")) == [.send(Array("4/b,{\"message\":\"Too many namespaces\"}".utf8))])
    }
}
