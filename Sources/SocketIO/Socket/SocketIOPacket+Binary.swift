import JSON

extension SocketIOPacket {
    /// The Engine.IO messages of a BINARY_EVENT named `name`: the packet text
    /// (`5<N>-[<namespace>,][<ack id>]["name",…]`) followed by the `N` attachments, one binary
    /// message each. `arguments` carry the placeholders (`{"_placeholder":true,"num":i}`) as
    /// they are; the caller keeps them and `attachments` in step. Without attachments this is
    /// a plain EVENT.
    public static func binaryEventMessages(
        _ name: String, _ arguments: [JSONValue], attachments: [[UInt8]], namespace: String = "/",
        ackID: UInt64? = nil
    ) -> [EngineIOData] {
        messages(
            attachments.isEmpty ? .event : .binaryEvent, namespace: namespace, ackID: ackID,
            data: .array([.string(name)] + arguments), attachments: attachments)
    }

    /// The Engine.IO messages of a BINARY_ACK answering `id`: the packet text
    /// (`6<N>-[<namespace>,]<id>[…]`) followed by the `N` attachments. Without attachments this
    /// is a plain ACK.
    public static func binaryAckMessages(
        _ namespace: String, id: UInt64, arguments: [JSONValue], attachments: [[UInt8]]
    ) -> [EngineIOData] {
        messages(
            attachments.isEmpty ? .ack : .binaryAck, namespace: namespace, ackID: id, data: .array(arguments),
            attachments: attachments)
    }

    private static func messages(
        _ type: SocketIOPacketType, namespace: String, ackID: UInt64?, data: JSONValue, attachments: [[UInt8]]
    ) -> [EngineIOData] {
        let packet = SocketIOPacket(
            type, namespace: namespace, ackID: ackID, attachments: attachments.count, data: data)
        return [.text(packet.encoded)] + attachments.map(EngineIOData.binary)
    }

    /// Checks every placeholder in `value` (an object whose `_placeholder` is `true`) names an
    /// attachment the packet announced: its `num` an integer in `0..<attachments`.
    static func validatePlaceholders(in value: JSONValue, attachments: Int) throws(SocketIOPacketError) {
        switch value {
        case .array(let elements):
            for element in elements { try validatePlaceholders(in: element, attachments: attachments) }
        case .object(let object):
            if object["_placeholder"] == .bool(true) {
                guard case .integer(let num)? = object["num"] else {
                    throw SocketIOPacketError("placeholder without an integer num")
                }
                guard num >= 0, num < attachments else {
                    throw SocketIOPacketError("placeholder num \(num) outside 0..<\(attachments)")
                }
                return
            }
            for (_, member) in object { try validatePlaceholders(in: member, attachments: attachments) }
        default:
            return
        }
    }
}
