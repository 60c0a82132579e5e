import JSON
import Reactor

/// The Socket.IO v5 side of one Engine.IO session as a pure state machine: Engine.IO messages
/// and the time go in, ``Action``s come out. It knows which namespaces the client joined and
/// what each packet means; what a namespace does is the application's business.
///
/// Rules (Socket.IO protocol v5):
/// - the first packet must be a CONNECT, within `connectTimeout` of the session's start;
///   anything else, or nothing in time, closes the connection;
/// - a packet that does not parse closes the connection;
/// - packets for a namespace the client has not joined are ignored;
/// - binary packets (BINARY_EVENT / BINARY_ACK) are refused: their attachments are read and
///   dropped, and the application is told (``Event/binaryRefused(namespace:name:ackID:)``) so it
///   can answer with a clear error. A binary message nobody announced is a protocol error.
public struct SocketIOConnection: Sendable {
    /// Settings, with documented defaults.
    public struct Configuration: Sendable, Hashable {
        /// Time from the session's start to the first CONNECT. Default 45 s.
        public var connectTimeout: Duration
        /// Namespaces one connection may join at once; a CONNECT past it is refused with
        /// CONNECT_ERROR. Default 8.
        public var maxNamespaces: Int
        /// Decoder limits.
        public var limits: SocketIOPacket.DecodingLimits

        /// Creates a configuration with the documented defaults.
        public init(
            connectTimeout: Duration = .seconds(45), maxNamespaces: Int = 8,
            limits: SocketIOPacket.DecodingLimits = .init()
        ) {
            self.connectTimeout = connectTimeout
            self.maxNamespaces = maxNamespaces
            self.limits = limits
        }
    }

    /// What the client did, for the application.
    public enum Event: Sendable, Hashable {
        /// Asks to join `namespace` with `auth` (the CONNECT payload). Answer with
        /// ``accept(_:sid:)`` or ``refuse(_:message:)``.
        case connect(namespace: String, auth: JSONValue?)
        /// An event; answer `ackID` (when present) with ``ack(_:id:arguments:)``.
        case event(namespace: String, name: String, arguments: [JSONValue], ackID: UInt64?)
        /// The client acknowledged an event the server sent with an ack id.
        case ack(namespace: String, id: UInt64, arguments: [JSONValue])
        /// A binary event or ack arrived and was dropped.
        case binaryRefused(namespace: String, name: String?, ackID: UInt64?)
        /// The client left `namespace`.
        case disconnect(namespace: String)
    }

    /// What the shell must do.
    public enum Action: Sendable, Hashable {
        /// Send this Socket.IO packet text as an Engine.IO message.
        case send([UInt8])
        /// Tell the application.
        case event(Event)
        /// Close the whole connection (the Engine.IO session).
        case close(String)
    }

    /// The settings.
    public let configuration: Configuration
    /// Joined namespaces and the socket id each was given.
    public var namespaces: [String: String] {
        Dictionary(uniqueKeysWithValues: joined.map { ($0.namespace, $0.sid) })
    }
    /// The joined namespaces in joining order: at most `maxNamespaces` (8 by default), so a
    /// scan comparing a few short strings is cheaper than hashing the name for a dictionary,
    /// and every event looks its namespace up.
    private var joined: [(namespace: String, sid: String)] = []
    private var connectDeadline: MonotonicInstant?
    private var everConnected = false
    private var droppingAttachments = 0
    private var closed = false

    /// Starts at `now`; the CONNECT is due within `connectTimeout`.
    public init(configuration: Configuration = Configuration(), now: MonotonicInstant) {
        self.configuration = configuration
        connectDeadline = now.advanced(by: configuration.connectTimeout)
    }

    /// When ``tick(now:)`` has something to do.
    public var nextDeadline: MonotonicInstant? { closed ? nil : connectDeadline }

    /// Whether the client is in `namespace`.
    public func isJoined(_ namespace: String) -> Bool { joined.contains { $0.namespace == namespace } }

    /// An Engine.IO message arrived.
    public mutating func received(_ data: EngineIOData) -> [Action] {
        guard !closed else { return [] }
        switch data {
        case .binary:
            guard droppingAttachments > 0 else { return [fail("binary message without a binary packet")] }
            droppingAttachments -= 1
            return []
        case .text(let text):
            return receivedText(text).map { [$0] } ?? []
        }
    }

    /// A text message arrived, read from memory the caller owns for the duration of the call
    /// (the WebSocket hot path decodes straight from the frame's text, without a copy).
    public mutating func received(text: UnsafeBufferPointer<UInt8>) -> [Action] {
        received(oneText: text).map { [$0] } ?? []
    }

    /// ``received(text:)`` for the hot path: a text message leads to at most one action, which
    /// is returned without an array around it.
    public mutating func received(oneText text: UnsafeBufferPointer<UInt8>) -> Action? {
        guard !closed else { return nil }
        return receivedText(text)
    }

    private mutating func receivedText(_ text: some Collection<UInt8>) -> Action? {
        guard droppingAttachments == 0 else { return fail("text message while attachments were due") }
        let packet: SocketIOPacket
        do {
            packet = try SocketIOPacket.decode(text, limits: configuration.limits)
        } catch {
            return fail(error.reason)
        }
        return handle(packet)
    }

    private mutating func handle(_ packet: consuming SocketIOPacket) -> Action? {
        if !everConnected, packet.type != .connect { return fail("the first packet must be CONNECT") }
        let namespace = packet.namespace
        switch packet.type {
        case .connect:
            everConnected = true
            connectDeadline = nil
            if isJoined(namespace) { return nil }
            if joined.count >= configuration.maxNamespaces {
                return .send(Self.connectError(namespace, "Too many namespaces"))
            }
            return .event(.connect(namespace: namespace, auth: packet.data))
        case .disconnect:
            guard leave(namespace) else { return nil }
            return .event(.disconnect(namespace: namespace))
        case .event:
            guard isJoined(namespace), let name = packet.eventName else { return nil }
            let arguments = packet.takeArguments()
            return .event(.event(namespace: namespace, name: name, arguments: arguments, ackID: packet.ackID))
        case .ack:
            guard isJoined(namespace), let id = packet.ackID else { return nil }
            return .event(.ack(namespace: namespace, id: id, arguments: packet.arguments))
        case .binaryEvent, .binaryAck:
            droppingAttachments = packet.attachments
            guard isJoined(namespace) else { return nil }
            return .event(
                .binaryRefused(
                    namespace: namespace, name: packet.type == .binaryEvent ? packet.eventName : nil,
                    ackID: packet.type == .binaryEvent ? packet.ackID : nil))
        case .connectError:
            return fail("CONNECT_ERROR is sent by servers only")
        }
    }

    /// Lets the client into `namespace` as socket `sid`: the CONNECT answer to send.
    public mutating func accept(_ namespace: String, sid: String) -> [UInt8] {
        if let index = joined.firstIndex(where: { $0.namespace == namespace }) {
            joined[index].sid = sid
        } else {
            joined.append((namespace, sid))
        }
        var bytes: [UInt8] = []
        SocketIOPacket.encodeHeader(.connect, namespace: namespace, ackID: nil, into: &bytes)
        bytes += Array(#"{"sid":""#.utf8) + Array(sid.utf8) + Array(#""}"#.utf8)
        return bytes
    }

    /// Refuses `namespace`: the CONNECT_ERROR to send.
    public func refuse(_ namespace: String, message: String) -> [UInt8] {
        Self.connectError(namespace, message)
    }

    /// The server removes the client from `namespace`: the DISCONNECT to send (nil when the
    /// client was not in it).
    public mutating func disconnect(_ namespace: String) -> [UInt8]? {
        guard leave(namespace) else { return nil }
        return SocketIOPacket(.disconnect, namespace: namespace).encoded
    }

    /// Removes `namespace` from the joined ones; false when the client was not in it.
    private mutating func leave(_ namespace: String) -> Bool {
        guard let index = joined.firstIndex(where: { $0.namespace == namespace }) else { return false }
        joined.remove(at: index)
        return true
    }

    /// The connection ended: every joined namespace, for the application to clean up.
    public mutating func connectionClosed() -> [String] {
        closed = true
        defer { joined = [] }
        return joined.map(\.namespace).sorted()
    }

    /// Enforces the connect timeout.
    public mutating func tick(now: MonotonicInstant) -> [Action] {
        guard !closed, let deadline = connectDeadline, deadline <= now else { return [] }
        connectDeadline = nil
        return [fail("no CONNECT within \(configuration.connectTimeout)")]
    }

    private mutating func fail(_ reason: String) -> Action {
        closed = true
        return .close(reason)
    }

    private static func connectError(_ namespace: String, _ message: String) -> [UInt8] {
        SocketIOPacket(.connectError, namespace: namespace, data: .object(JSONObject([("message", .string(message))])))
            .encoded
    }
}

extension SocketIOPacket {
    /// An ACK for `id` in `namespace` carrying `arguments`, encoded.
    public static func encodeAck(_ namespace: String, id: UInt64, arguments: [JSONValue]) -> [UInt8] {
        SocketIOPacket(.ack, namespace: namespace, ackID: id, data: .array(arguments)).encoded
    }
}
