/// One Engine.IO v4 packet: a type and an optional payload (Engine.IO protocol v4, "Protocol"
/// and "Packet encoding").
///
/// On a WebSocket each packet is one frame: a text frame is `<type digit><data>`, a binary
/// frame is a `message` whose bytes go through untouched. In a polling payload binary data is
/// base64 with a `b` prefix (see ``EngineIOPayload``).
public struct EngineIOPacket: Sendable, Hashable {
    /// The packet type (the first character of a text packet).
    public var type: EngineIOPacketType
    /// The payload after the type digit.
    public var data: EngineIOData

    /// Creates a packet.
    public init(_ type: EngineIOPacketType, _ data: EngineIOData = .text([])) {
        self.type = type
        self.data = data
    }

    /// A `message` packet carrying UTF-8 text.
    public static func message(_ text: String) -> EngineIOPacket {
        EngineIOPacket(.message, .text(Array(text.utf8)))
    }

    /// Decodes a text packet (a WebSocket text frame, or one record of a polling payload).
    /// Refuses an empty packet and an unknown type digit.
    public static func decode(text: some Collection<UInt8>) throws(EngineIOError) -> EngineIOPacket {
        guard let first = text.first else { throw .badPacket("empty packet") }
        guard first >= UInt8(ascii: "0"), let type = EngineIOPacketType(rawValue: first &- UInt8(ascii: "0"))
        else { throw .badPacket("unknown packet type '\(Character(Unicode.Scalar(first)))'") }
        return EngineIOPacket(type, .text(Array(text.dropFirst())))
    }

    /// Appends the text encoding (`<type digit><data>`) or, for binary data, the raw bytes.
    public func encode(into bytes: inout [UInt8]) {
        switch data {
        case .text(let text):
            bytes.append(UInt8(ascii: "0") + type.rawValue)
            bytes.append(contentsOf: text)
        case .binary(let binary):
            bytes.append(contentsOf: binary)
        }
    }

    /// The encoding as a fresh array.
    public var encoded: [UInt8] {
        var bytes: [UInt8] = []
        encode(into: &bytes)
        return bytes
    }
}

/// Engine.IO v4 packet types.
public enum EngineIOPacketType: UInt8, Sendable, Hashable, CaseIterable {
    /// The handshake, server → client.
    case open = 0
    /// The transport may be closed.
    case close = 1
    /// Heartbeat (v4: the server pings) and the upgrade probe (`2probe`, client → server).
    case ping = 2
    /// Heartbeat answer, and the probe answer (`3probe`).
    case pong = 3
    /// Application data.
    case message = 4
    /// Completes an upgrade (client → server, on the new transport).
    case upgrade = 5
    /// Nothing; ends a pending poll cleanly during an upgrade.
    case noop = 6
}

/// A packet's payload: text (UTF-8 by the protocol's word; not re-validated here) or binary.
public enum EngineIOData: Sendable, Hashable {
    /// Text after the type digit.
    case text([UInt8])
    /// Binary data (only ever a `message`).
    case binary([UInt8])

    /// The bytes, whichever kind.
    public var bytes: [UInt8] {
        switch self {
        case .text(let bytes), .binary(let bytes): return bytes
        }
    }
}
