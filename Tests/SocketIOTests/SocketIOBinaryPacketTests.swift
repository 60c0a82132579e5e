import JSON
import PersonaTestSupport
import Reactor
import SocketIO
import Testing

@Suite("Socket.IO binary packets (BINARY_EVENT / BINARY_ACK with attachments)")
struct SocketIOBinaryPacketTests {
    let start = MonotonicInstant(nanoseconds: 1_000_000_000)

    static let placeholders: [JSONValue] = [
        ["_placeholder": true, "num": 0], ["_placeholder": true, "num": 1],
    ]
    /// The protocol test suite's binary event: two placeholders, then `[1,2,3]` and `[4,5,6]`.
    static let suiteEvent = #"52-["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#

    static func text(_ string: String) -> EngineIOData { .text(Array(string.utf8)) }

    /// A connection joined to `/`, with `limits`.
    func joined(_ limits: SocketIOPacket.DecodingLimits = .init()) -> SocketIOConnection {
        var connection = SocketIOConnection(configuration: .init(limits: limits), now: start)
        _ = connection.received(Self.text("0"))
        _ = connection.accept("/", sid: "A")
        return connection
    }

    /// Feeds `messages` one by one; every action, in order.
    static func feed(_ connection: inout SocketIOConnection, _ messages: [EngineIOData])
        -> [SocketIOConnection.Action]
    {
        messages.flatMap { connection.received($0) }
    }

    static func isClose(_ actions: [SocketIOConnection.Action]) -> Bool {
        guard actions.count == 1, case .close = actions[0] else { return false }
        return true
    }

    @Test(
        "a binary event with two attachments reaches the application once both arrived, placeholders as sent")
    func twoAttachmentEvent() {
        var connection = joined()
        #expect(connection.received(Self.text(Self.suiteEvent)) == [])
        #expect(connection.received(.binary([1, 2, 3])) == [])
        #expect(
            connection.received(.binary([4, 5, 6])) == [
                .event(
                    .binaryEvent(
                        namespace: "/", name: "message", arguments: Self.placeholders,
                        attachments: [[1, 2, 3], [4, 5, 6]],
                        ackID: nil))
            ])
        // The connection is back to text packets.
        #expect(
            connection.received(Self.text("2[\"after\"]")) == [
                .event(.event(namespace: "/", name: "after", arguments: [], ackID: nil))
            ])
    }

    @Test("a binary event with an ack id, in a namespace, carries both")
    func eventWithAckID() {
        var connection = joined()
        _ = connection.received(Self.text("0/custom,"))
        _ = connection.accept("/custom", sid: "B")
        let actions = Self.feed(
            &connection,
            [Self.text(#"51-/custom,789["up",{"_placeholder":true,"num":0},"x"]"#), .binary([9])])
        #expect(
            actions == [
                .event(
                    .binaryEvent(
                        namespace: "/custom", name: "up",
                        arguments: [["_placeholder": true, "num": 0], "x"],
                        attachments: [[9]], ackID: 789))
            ])
    }

    @Test("a binary ack with attachments reaches the application with its id")
    func ackWithAttachments() {
        var connection = joined()
        let actions = Self.feed(
            &connection,
            [
                Self.text(#"62-789[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#),
                .binary([1, 2, 3]), .binary([]),
            ])
        #expect(
            actions == [
                .event(
                    .binaryAck(
                        namespace: "/", id: 789, arguments: Self.placeholders, attachments: [[1, 2, 3], []]))
            ])
    }

    @Test(
        "a placeholder whose num names no announced attachment closes the connection",
        arguments: [
            #"52-["m",{"_placeholder":true,"num":2}]"#, #"52-["m",{"_placeholder":true,"num":-1}]"#,
            #"52-["m",{"_placeholder":true,"num":"0"}]"#, #"52-["m",{"_placeholder":true}]"#,
            #"51-["m",[{"deep":{"_placeholder":true,"num":1}}]]"#, #"61-4[{"_placeholder":true,"num":1.5}]"#,
        ])
    func badPlaceholder(_ packet: String) {
        var connection = joined()
        #expect(Self.isClose(connection.received(Self.text(packet))), "packet: \(packet)")
        #expect(connection.received(.binary([1])) == [], "closed: nothing more is read")
    }

    @Test(
        "an object whose _placeholder is not true is ordinary data, and a placeholder may sit deep in the arguments"
    )
    func placeholderLookalikes() {
        var connection = joined()
        let actions = Self.feed(
            &connection,
            [
                Self.text(#"51-["m",{"_placeholder":false,"num":9},[{"b":{"_placeholder":true,"num":0}}]]"#),
                .binary([7]),
            ])
        #expect(
            actions == [
                .event(
                    .binaryEvent(
                        namespace: "/", name: "m",
                        arguments: [
                            ["_placeholder": false, "num": 9], [["b": ["_placeholder": true, "num": 0]]],
                        ],
                        attachments: [[7]], ackID: nil))
            ])
    }

    @Test(
        "a packet announcing more attachments than the limit closes the connection, at the limit it is read")
    func tooManyAttachments() {
        var over = joined(.init(maxAttachments: 2))
        #expect(Self.isClose(over.received(Self.text(#"53-["m"]"#))))
        var at = joined(.init(maxAttachments: 2))
        #expect(Self.feed(&at, [Self.text(#"52-["m"]"#), .binary([1]), .binary([2])]).count == 1)
    }

    @Test("attachments one byte over the total bound close the connection, at the bound they are read")
    func attachmentBytes() {
        var over = joined(.init(maxAttachmentBytes: 5))
        #expect(over.received(Self.text(Self.suiteEvent)) == [])
        #expect(over.received(.binary([1, 2, 3])) == [])
        #expect(Self.isClose(over.received(.binary([4, 5, 6]))))
        var at = joined(.init(maxAttachmentBytes: 6))
        #expect(
            Self.feed(&at, [Self.text(Self.suiteEvent), .binary([1, 2, 3]), .binary([4, 5, 6])]).count == 1)
        // The bound is per packet: the next packet starts from zero.
        #expect(
            Self.feed(&at, [Self.text(Self.suiteEvent), .binary([1, 2, 3]), .binary([4, 5, 6])]).count == 1)
    }

    @Test(
        "a text message while attachments are due closes the connection, on the copied and the borrowed path")
    func textWhileDue() {
        var copied = joined()
        _ = copied.received(Self.text(Self.suiteEvent))
        _ = copied.received(.binary([1]))
        #expect(copied.received(Self.text("2[\"x\"]")) == [.close("text message while attachments were due")])
        var borrowed = joined()
        _ = borrowed.received(Self.text(Self.suiteEvent))
        let bytes = Array("2[\"x\"]".utf8)
        #expect(
            bytes.withUnsafeBufferPointer { borrowed.received(oneText: $0) }
                == .close("text message while attachments were due"))
    }

    @Test("a binary message without a binary packet closes the connection, as does one more than announced")
    func binaryWithoutPacket() {
        var unannounced = joined()
        #expect(unannounced.received(.binary([1])) == [.close("binary message without a binary packet")])
        var extra = joined()
        #expect(Self.feed(&extra, [Self.text(Self.suiteEvent), .binary([1]), .binary([2])]).count == 1)
        #expect(extra.received(.binary([3])) == [.close("binary message without a binary packet")])
    }

    @Test("the attachments of a packet for a namespace not joined are read and dropped")
    func notJoined() {
        var connection = joined()
        #expect(
            Self.feed(
                &connection, [Self.text(#"51-/other,["m",{"_placeholder":true,"num":0}]"#), .binary([1])])
                == [])
        #expect(connection.received(Self.text("2[\"x\"]")).count == 1)
    }

    @Test(
        "a binary event posted over polling gives the same event however its records are split across POSTs")
    func pollingDripFeed() {
        let messages = ["4" + Self.suiteEvent, "bAQID", "bBAUG"]
        var whole = joined()
        var session = EngineIOSession(
            sid: "s", transport: .polling, configuration: EngineIOConfiguration(), now: start)
        let expected = Self.deliveries(&session, &whole, posts: [messages])
        #expect(expected.count == 1)
        for split in 1..<messages.count {
            var connection = joined()
            var session = EngineIOSession(
                sid: "s", transport: .polling, configuration: EngineIOConfiguration(), now: start)
            let parts = [Array(messages[..<split]), Array(messages[split...])]
            #expect(Self.deliveries(&session, &connection, posts: parts) == expected, "split at \(split)")
        }
        var oneByOne = joined()
        var single = EngineIOSession(
            sid: "s", transport: .polling, configuration: EngineIOConfiguration(), now: start)
        #expect(Self.deliveries(&single, &oneByOne, posts: messages.map { [$0] }) == expected)
    }

    /// POSTs each group of records as one payload and feeds what the session delivers to the connection.
    static func deliveries(
        _ session: inout EngineIOSession, _ connection: inout SocketIOConnection, posts: [[String]]
    ) -> [SocketIOConnection.Action] {
        var actions: [SocketIOConnection.Action] = []
        for records in posts {
            let (error, engineActions) = session.post(
                Array(records.joined(separator: "\u{1e}").utf8),
                now: MonotonicInstant(nanoseconds: 1_000_000_000))
            #expect(error == nil)
            for case .deliver(let data) in engineActions { actions += connection.received(data) }
        }
        return actions
    }

    @Test(
        "the encoder writes the header with the attachment count, namespace and ack id, then each attachment as a binary message"
    )
    func encoder() {
        #expect(
            SocketIOPacket.binaryEventMessages(
                "message-back", Self.placeholders, attachments: [[1, 2, 3], [4, 5, 6]]) == [
                    Self.text(
                        #"52-["message-back",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#),
                    .binary([1, 2, 3]), .binary([4, 5, 6]),
                ])
        #expect(
            SocketIOPacket.binaryEventMessages(
                "up", [["_placeholder": true, "num": 0]], attachments: [[9]], namespace: "/admin", ackID: 12)
                == [
                    Self.text(#"51-/admin,12["up",{"_placeholder":true,"num":0}]"#), .binary([9]),
                ])
        #expect(
            SocketIOPacket.binaryAckMessages(
                "/", id: 789, arguments: Self.placeholders, attachments: [[1, 2, 3], [4, 5, 6]]) == [
                    Self.text(#"62-789[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#),
                    .binary([1, 2, 3]), .binary([4, 5, 6]),
                ])
    }

    @Test("without attachments the encoder writes a plain EVENT or ACK")
    func encoderWithoutAttachments() {
        #expect(SocketIOPacket.binaryEventMessages("m", [1], attachments: []) == [Self.text(#"2["m",1]"#)])
        #expect(
            SocketIOPacket.binaryAckMessages("/", id: 3, arguments: [1], attachments: []) == [
                Self.text("33[1]")
            ])
    }

    @Test("what the encoder writes, a connection reassembles into the same event and ack")
    func roundTrip() {
        var connection = joined()
        let event = SocketIOPacket.binaryEventMessages(
            "m", Self.placeholders + ["tail"], attachments: [[1], [2, 2]], ackID: 5)
        #expect(
            Self.feed(&connection, event) == [
                .event(
                    .binaryEvent(
                        namespace: "/", name: "m", arguments: Self.placeholders + ["tail"],
                        attachments: [[1], [2, 2]], ackID: 5))
            ])
        let ack = SocketIOPacket.binaryAckMessages(
            "/", id: 6, arguments: Self.placeholders, attachments: [[3], [4]])
        #expect(
            Self.feed(&connection, ack) == [
                .event(
                    .binaryAck(namespace: "/", id: 6, arguments: Self.placeholders, attachments: [[3], [4]]))
            ])
    }

    @Test("random runs of binary events, junk text and stray binary messages never crash the connection; every well-formed event comes back whole")
    func fuzz() {
        var generator = SeededGenerator(seed: 0xB1_7A77)
        let alphabet = Array(#"0123456789-[]{},"/_:aeglmnoprstuy"#.utf8)
        for _ in 0..<500 {
            var connection = joined()
            var closed = false
            for _ in 0..<Int.random(in: 1..<6, using: &generator) {
                switch Int.random(in: 0..<4, using: &generator) {
                case 0, 1:
                    // A well-formed binary event: its event arrives with the last attachment.
                    let count = Int.random(in: 1...3, using: &generator)
                    let attachments = (0..<count).map { _ in
                        (0..<Int.random(in: 0..<6, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                    }
                    let arguments = (0..<count).map { JSONValue.object(JSONObject([("_placeholder", true), ("num", .integer(Int64($0)))])) }
                    let actions = Self.feed(
                        &connection, SocketIOPacket.binaryEventMessages("e", arguments, attachments: attachments))
                    if closed {
                        #expect(actions == [])
                    } else if Self.isClose(actions) {
                        closed = true  // junk before it left attachments due
                    } else {
                        let whole = SocketIOConnection.Event.binaryEvent(
                            namespace: "/", name: "e", arguments: arguments, attachments: attachments, ackID: nil)
                        #expect(actions == [SocketIOConnection.Action.event(whole)])
                    }
                case 2:
                    // Junk text: decoded, refused or closing; never a crash.
                    let junk = (0..<Int.random(in: 0..<24, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
                    if connection.received(.text(junk)).contains(where: { if case .close = $0 { true } else { false } }) { closed = true }
                default:
                    // A stray binary message.
                    let actions = connection.received(.binary([UInt8.random(in: 0...255, using: &generator)]))
                    if Self.isClose(actions) { closed = true }
                }
            }
        }
    }
}
