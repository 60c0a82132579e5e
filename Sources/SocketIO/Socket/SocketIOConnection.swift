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
/// - a binary packet (BINARY_EVENT / BINARY_ACK, `5<N>-…` / `6<N>-…`) is reassembled: the next
///   `N` Engine.IO messages must be binary and are its attachments, in order; then the
///   application gets ``Event/binaryEvent(namespace:name:arguments:attachments:ackID:)`` or
///   ``Event/binaryAck(namespace:id:arguments:attachments:)``, the arguments exactly as received
///   (placeholders `{"_placeholder":true,"num":i}` left in place, each checked to name one of
///   the `N`). A text message while attachments are due, a binary message nobody announced and
///   attachments together over `limits.maxAttachmentBytes` are protocol errors. The
///   attachments of a packet for a namespace not joined are read and dropped.
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
        /// A binary event with all its attachments; `arguments` hold the placeholders
        /// (`{"_placeholder":true,"num":i}` stands for `attachments[i]`). Answer `ackID` (when
        /// present) with an ack.
        case binaryEvent(
            namespace: String, name: String, arguments: [JSONValue], attachments: [[UInt8]], ackID: UInt64?)
        /// The client acknowledged an event the server sent with an ack id, with attachments
        /// (placeholders in `arguments` as for ``binaryEvent(namespace:name:arguments:attachments:ackID:)``).
        case binaryAck(namespace: String, id: UInt64, arguments: [JSONValue], attachments: [[UInt8]])
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
    /// and every event looks its namespace up. Visible to ``isJoined(_:)``'s inlined body.
    @usableFromInline private(set) var joined: [(namespace: String, sid: String)] = []
    private var connectDeadline: MonotonicInstant?
    private var everConnected = false
    /// Attachments still due for the binary packet being reassembled (0: none is).
    private var attachmentsDue = 0
    /// The binary packet being reassembled, or nil when its attachments are dropped (its
    /// namespace is not joined).
    private var binaryPacket: SocketIOPacket?
    /// Its attachments so far, and their bytes together.
    private var attachments: [[UInt8]] = []
    private var attachmentBytes = 0
    private var closed = false

    /// Starts at `now`; the CONNECT is due within `connectTimeout`.
    public init(configuration: Configuration = Configuration(), now: MonotonicInstant) {
        self.configuration = configuration
        connectDeadline = now.advanced(by: configuration.connectTimeout)
    }

    /// When ``tick(now:)`` has something to do.
    public var nextDeadline: MonotonicInstant? { closed ? nil : connectDeadline }

    /// Whether the client is in `namespace`. Inlinable: a call from another module on a
    /// connection stored in a class otherwise copied the whole machine (retaining each of its
    /// references) for every event sent, to read this one field.
    @inlinable
    public func isJoined(_ namespace: String) -> Bool { joined.contains { $0.namespace == namespace } }

    /// An Engine.IO message arrived.
    public mutating func received(_ data: EngineIOData) -> [Action] {
        guard !closed else { return [] }
        switch data {
        case .binary(let bytes):
            return receivedAttachment(bytes).map { [$0] } ?? []
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
        guard attachmentsDue == 0 else { return fail("text message while attachments were due") }
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
            // The decoder saw to at least one attachment and placeholders naming only them.
            attachmentsDue = packet.attachments
            attachments = []
            attachmentBytes = 0
            binaryPacket = isJoined(namespace) ? packet : nil
            return nil
        case .connectError:
            return fail("CONNECT_ERROR is sent by servers only")
        }
    }

    /// One attachment of the binary packet being reassembled; the event once it is complete.
    private mutating func receivedAttachment(_ bytes: [UInt8]) -> Action? {
        guard attachmentsDue > 0 else { return fail("binary message without a binary packet") }
        attachmentBytes += bytes.count
        guard attachmentBytes <= configuration.limits.maxAttachmentBytes else {
            return fail("attachments over \(configuration.limits.maxAttachmentBytes) bytes")
        }
        attachmentsDue -= 1
        guard binaryPacket != nil else { return nil }
        attachments.append(bytes)
        guard attachmentsDue == 0, var packet = binaryPacket.take() else { return nil }
        let attachments = self.attachments
        self.attachments = []
        let namespace = packet.namespace
        switch packet.type {
        case .binaryEvent:
            guard let name = packet.eventName else { return nil }
            let arguments = packet.takeArguments()
            return .event(
                .binaryEvent(
                    namespace: namespace, name: name, arguments: arguments, attachments: attachments,
                    ackID: packet.ackID))
        default:
            guard let id = packet.ackID else { return nil }
            return .event(
                .binaryAck(namespace: namespace, id: id, arguments: packet.takeArguments(), attachments: attachments))
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
