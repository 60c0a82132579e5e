import WebSocket

/// The HTTP long-polling payload of Engine.IO v4: packets joined by the record separator
/// `0x1E`; binary messages as `b` + base64 (Engine.IO protocol v4, "Packet encoding / HTTP
/// long-polling"). The protocol assumes the separator never occurs inside text data.
public enum EngineIOPayload {
    /// The record separator.
    public static let separator: UInt8 = 0x1E

    /// Appends `packet` as one record (without separator).
    public static func encodeRecord(_ packet: EngineIOPacket, into bytes: inout [UInt8]) {
        switch packet.data {
        case .text:
            packet.encode(into: &bytes)
        case .binary(let binary):
            bytes.append(UInt8(ascii: "b"))
            bytes.append(contentsOf: Base64.encode(binary).utf8)
        }
    }

    /// Encodes `packets` as one payload.
    public static func encode(_ packets: some Sequence<EngineIOPacket>) -> [UInt8] {
        var bytes: [UInt8] = []
        for packet in packets {
            if !bytes.isEmpty { bytes.append(separator) }
            encodeRecord(packet, into: &bytes)
        }
        return bytes
    }

    /// Decodes a whole payload (a POST body); see ``EngineIOPayloadDecoder`` for the limits.
    public static func decode(_ body: [UInt8], maxPayload: Int) throws(EngineIOError) -> [EngineIOPacket] {
        var decoder = EngineIOPayloadDecoder(maxPayload: maxPayload)
        var packets = try decoder.append(body)
        packets += try decoder.finish()
        return packets
    }

    /// Decodes one record: `b…` is a base64 binary message, anything else a text packet.
    static func decodeRecord(_ record: ArraySlice<UInt8>) throws(EngineIOError) -> EngineIOPacket {
        if record.first == UInt8(ascii: "b") {
            guard let binary = Base64.decode(String(decoding: record.dropFirst(), as: UTF8.self)) else {
                throw .badPacket("invalid base64 in a binary record")
            }
            return EngineIOPacket(.message, .binary(binary))
        }
        return try EngineIOPacket.decode(text: record)
    }
}

/// An incremental decoder of a polling payload: bytes in as they arrive, packets out as soon
/// as their separator has been seen; ``finish()`` decodes the last record. Feeding the same
/// body in any split gives the same packets (the drip-feed tests show it).
///
/// Limit: `maxPayload` bytes in all (the `maxPayload` announced in the open packet), checked
/// as bytes arrive, before they are buffered → ``EngineIOError/payloadTooLarge(limit:)``.
public struct EngineIOPayloadDecoder: Sendable {
    /// The most bytes one payload may have.
    public let maxPayload: Int
    private var record: [UInt8] = []
    private var total = 0
    private var sawSeparator = false

    /// Creates a decoder for one payload.
    public init(maxPayload: Int) {
        self.maxPayload = maxPayload
    }

    /// Takes the next bytes; returns the packets whose records are now complete.
    public mutating func append(_ bytes: some Collection<UInt8>) throws(EngineIOError) -> [EngineIOPacket] {
        total += bytes.count
        guard total <= maxPayload else { throw .payloadTooLarge(limit: maxPayload) }
        var packets: [EngineIOPacket] = []
        for byte in bytes {
            if byte == EngineIOPayload.separator {
                sawSeparator = true
                packets.append(try EngineIOPayload.decodeRecord(record[...]))
                record.removeAll(keepingCapacity: true)
            } else {
                record.append(byte)
            }
        }
        return packets
    }

    /// The payload ended: decodes the last record. An empty payload is refused, as is an
    /// empty record (a trailing separator).
    public mutating func finish() throws(EngineIOError) -> [EngineIOPacket] {
        if record.isEmpty { throw .badPacket(sawSeparator ? "empty record" : "empty payload") }
        let packet = try EngineIOPayload.decodeRecord(record[...])
        record = []
        return [packet]
    }
}
