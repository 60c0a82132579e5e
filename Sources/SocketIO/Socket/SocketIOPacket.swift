import JSON

/// One Socket.IO v5 packet (Socket.IO protocol v5, "Packet encoding"), carried as the text of
/// an Engine.IO `message`:
///
/// `<type>[<attachments>-][<namespace>,][<ack id>][<JSON payload>]`
///
/// The namespace is written only when it is not `/`; the built-in format has no escape, so a
/// namespace never contains a comma.
public struct SocketIOPacket: Sendable, Hashable {
    /// The packet type.
    public var type: SocketIOPacketType
    /// The namespace, `/` by default.
    public var namespace: String
    /// The acknowledgement id, when the sender wants an ACK (EVENT) or answers one (ACK).
    public var ackID: UInt64?
    /// Binary attachments that follow (BINARY_EVENT / BINARY_ACK only).
    public var attachments: Int
    /// The JSON payload.
    public var data: JSONValue?

    /// Creates a packet.
    public init(
        _ type: SocketIOPacketType, namespace: String = "/", ackID: UInt64? = nil, attachments: Int = 0,
        data: JSONValue? = nil
    ) {
        self.type = type
        self.namespace = namespace
        self.ackID = ackID
        self.attachments = attachments
        self.data = data
    }

    /// An EVENT named `name` with `arguments`.
    public static func event(
        _ name: String, _ arguments: [JSONValue] = [], namespace: String = "/", ackID: UInt64? = nil
    ) -> SocketIOPacket {
        SocketIOPacket(.event, namespace: namespace, ackID: ackID, data: .array([.string(name)] + arguments))
    }

    /// For an EVENT: its name (the first element of the array).
    public var eventName: String? { data?.arrayValue?.first?.stringValue }

    /// For an EVENT: the arguments after the name; for an ACK: all its elements.
    public var arguments: [JSONValue] {
        guard let array = data?.arrayValue else { return [] }
        return type == .event || type == .binaryEvent ? Array(array.dropFirst()) : array
    }

    /// ``arguments``, taking the payload out of the packet (`data` becomes nil): the array is
    /// then the only reference to its storage, so dropping an event's name moves the elements
    /// in place instead of copying them.
    public mutating func takeArguments() -> [JSONValue] {
        guard case .array(var array) = data else { return [] }
        data = nil
        if type == .event || type == .binaryEvent, !array.isEmpty { array.removeFirst() }
        return array
    }

    /// Appends the encoding.
    public func encode(into bytes: inout [UInt8]) {
        Self.encodeHeader(type, namespace: namespace, ackID: ackID, attachments: attachments, into: &bytes)
        if let data { bytes.append(contentsOf: data.serializedBytes()) }
    }

    /// The encoding as a fresh array.
    public var encoded: [UInt8] {
        var bytes: [UInt8] = []
        encode(into: &bytes)
        return bytes
    }

    /// Appends everything before the JSON payload. Hot paths write the payload themselves
    /// (for example `["token",` + an already serialised object + `]`) after it.
    public static func encodeHeader(
        _ type: SocketIOPacketType, namespace: String, ackID: UInt64?, attachments: Int = 0,
        into bytes: inout [UInt8]
    ) {
        bytes.append(UInt8(ascii: "0") + type.rawValue)
        if type == .binaryEvent || type == .binaryAck {
            bytes.append(contentsOf: String(attachments).utf8)
            bytes.append(UInt8(ascii: "-"))
        }
        if namespace != "/" {
            bytes.append(contentsOf: namespace.utf8)
            bytes.append(UInt8(ascii: ","))
        }
        if let ackID { bytes.append(contentsOf: String(ackID).utf8) }
    }
}

/// Socket.IO v5 packet types.
public enum SocketIOPacketType: UInt8, Sendable, Hashable, CaseIterable {
    /// Join a namespace (client, with optional auth object) / accepted (server, `{"sid":…}`).
    case connect = 0
    /// Leave a namespace, either side.
    case disconnect = 1
    /// An event: a non-empty array whose first element is the name.
    case event = 2
    /// The answer to an event sent with an ack id: an array.
    case ack = 3
    /// A refused CONNECT: `{"message":…, "data"?: …}`.
    case connectError = 4
    /// An event with binary attachments.
    case binaryEvent = 5
    /// An ACK with binary attachments.
    case binaryAck = 6
}
