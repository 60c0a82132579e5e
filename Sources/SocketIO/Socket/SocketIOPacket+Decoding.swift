import JSON

extension SocketIOPacket {
    /// Limits of the decoder, each refused with a ``SocketIOPacketError``.
    public struct DecodingLimits: Sendable, Hashable {
        /// Longest namespace, in bytes. Default 256.
        public var maxNamespaceBytes: Int
        /// Most binary attachments one packet may announce. Default 10.
        public var maxAttachments: Int
        /// Most bytes the attachments of one packet may weigh together (each is also bounded by
        /// the Engine.IO `maxPayload`). Default 1,000,000, the Engine.IO default `maxPayload`.
        public var maxAttachmentBytes: Int
        /// JSON nesting and size limits for the payload.
        public var json: JSONParser.Configuration

        /// Creates limits with the documented defaults.
        public init(
            maxNamespaceBytes: Int = 256, maxAttachments: Int = 10, maxAttachmentBytes: Int = 1_000_000,
            json: JSONParser.Configuration = .default
        ) {
            self.maxNamespaceBytes = maxNamespaceBytes
            self.maxAttachments = maxAttachments
            self.maxAttachmentBytes = maxAttachmentBytes
            self.json = json
        }
    }

    /// Decodes one packet from the text of an Engine.IO message, checking the payload shape
    /// each type requires (Socket.IO v5): CONNECT — none or an object; DISCONNECT — none;
    /// EVENT — a non-empty array starting with a string; ACK — an array; CONNECT_ERROR — an
    /// object or a string; binary types — at least one attachment, and every placeholder
    /// (`{"_placeholder":true,"num":i}`) naming one of them.
    public static func decode(
        _ text: some Collection<UInt8>, limits: DecodingLimits = DecodingLimits()
    ) throws(SocketIOPacketError) -> SocketIOPacket {
        // `withContiguousStorageIfAvailable` rethrows untyped errors; carry the typed one in a Result.
        let borrowed = text.withContiguousStorageIfAvailable { buffer in
            Result { () throws(SocketIOPacketError) in try decode(buffer: buffer, limits: limits) }
        }
        if let borrowed { return try borrowed.get() }
        let copy = Array(text)
        return try copy.withUnsafeBufferPointer { buffer in
            Result { () throws(SocketIOPacketError) in try decode(buffer: buffer, limits: limits) }
        }.get()
    }

    private static func decode(
        buffer bytes: UnsafeBufferPointer<UInt8>, limits: DecodingLimits
    ) throws(SocketIOPacketError) -> SocketIOPacket {
        guard let first = bytes.first else { throw SocketIOPacketError("empty packet") }
        guard first >= UInt8(ascii: "0"), let type = SocketIOPacketType(rawValue: first &- UInt8(ascii: "0")) else {
            throw SocketIOPacketError("unknown packet type")
        }
        var index = 1
        var attachments = 0
        if type == .binaryEvent || type == .binaryAck {
            let start = index
            while index < bytes.count, isDigit(bytes[index]) {
                index += 1
                guard index - start <= 3 else { throw SocketIOPacketError("too many attachments") }
            }
            guard index > start, index < bytes.count, bytes[index] == UInt8(ascii: "-") else {
                throw SocketIOPacketError("binary packet without an attachment count")
            }
            attachments = Int(String(decoding: bytes[start..<index], as: UTF8.self)) ?? 0
            guard attachments >= 1, attachments <= limits.maxAttachments else {
                throw SocketIOPacketError("attachment count \(attachments) outside 1...\(limits.maxAttachments)")
            }
            index += 1
        }
        var namespace = "/"
        if index < bytes.count, bytes[index] == UInt8(ascii: "/") {
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: ",") {
                index += 1
                guard index - start <= limits.maxNamespaceBytes else {
                    throw SocketIOPacketError("namespace longer than \(limits.maxNamespaceBytes) bytes")
                }
            }
            namespace = String(decoding: bytes[start..<index], as: UTF8.self)
            if index < bytes.count { index += 1 }  // the comma
        }
        var ackID: UInt64?
        let digitsStart = index
        while index < bytes.count, isDigit(bytes[index]) {
            index += 1
            // 15 digits stay below 2^53, the largest id a JavaScript peer can round-trip.
            guard index - digitsStart <= 15 else { throw SocketIOPacketError("ack id too long") }
        }
        if index > digitsStart { ackID = UInt64(String(decoding: bytes[digitsStart..<index], as: UTF8.self)) }
        var data: JSONValue?
        if index < bytes.count {
            do {
                let payload = UnsafeBufferPointer(rebasing: bytes[index...])
                data = try JSONParser(configuration: limits.json).parse(payload)
            } catch {
                throw SocketIOPacketError("payload is not JSON (\(error))")
            }
        }
        // Checked before the packet is made, so that the parts move into it: validating the made
        // packet copied it (retaining every part) on each decode.
        try validateShape(type, ackID: ackID, attachments: attachments, data: data)
        return SocketIOPacket(type, namespace: namespace, ackID: ackID, attachments: attachments, data: data)
    }

    private static func validateShape(
        _ type: SocketIOPacketType, ackID: UInt64?, attachments: Int, data: JSONValue?
    ) throws(SocketIOPacketError) {
        switch type {
        case .connect:
            if let data, data.objectValue == nil { throw SocketIOPacketError("CONNECT payload must be an object") }
        case .disconnect:
            if data != nil { throw SocketIOPacketError("DISCONNECT has no payload") }
        case .event, .binaryEvent:
            guard let array = data?.arrayValue, let name = array.first, name.stringValue != nil else {
                throw SocketIOPacketError("EVENT payload must be a non-empty array starting with the event name")
            }
            if type == .binaryEvent { try validatePlaceholders(in: .array(array), attachments: attachments) }
        case .ack, .binaryAck:
            guard ackID != nil, let array = data?.arrayValue else {
                throw SocketIOPacketError("ACK needs an id and an array payload")
            }
            if type == .binaryAck { try validatePlaceholders(in: .array(array), attachments: attachments) }
        case .connectError:
            guard let data, data.objectValue != nil || data.stringValue != nil else {
                throw SocketIOPacketError("CONNECT_ERROR payload must be an object or a string")
            }
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
