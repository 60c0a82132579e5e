import ChatProtocol

/// The bytes of ``NodeMail`` on a node's pub/sub channel: a version byte, then one or more
/// mails back to back (a node may batch what it sends one node in one `PUBLISH`).
///
/// ```
/// payload = version:u8(=1) mail+
/// mail    = kind:u8 hub:u16 session:str body
/// body    = paired(1):  node:str hub:u16 session:str
///         | relay(2):   text:u32-length bytes
///         | typing(3):  on:u8 (0 or 1)
///         | left(4):    reason:str (an EndReason raw value)
///         | release(5): (nothing; hub is 0 and every hub is asked)
/// str     = length:u16 UTF-8 bytes
/// ```
/// Integers are big-endian. A pub/sub message always arrives whole, so the decoder works on
/// a complete payload, but it never trusts a length: each is checked against what remains
/// (and relayed text against ``Limits/maxTextBytes``) before anything is read or copied.
package enum NodeMailCodec {
    /// The format version written and accepted.
    package static let version: UInt8 = 1

    /// Bounds on what one payload may hold.
    package struct Limits: Hashable, Sendable {
        /// Longest relayed text, in bytes. Default 1 MiB (the chat protocol's own frame cap,
        /// 64 KiB, keeps real texts far below).
        package var maxTextBytes: Int
        /// Most mails in one payload. Default 1,024.
        package var maxMails: Int

        /// The defaults.
        package init(maxTextBytes: Int = 1 << 20, maxMails: Int = 1_024) {
            self.maxTextBytes = maxTextBytes
            self.maxMails = maxMails
        }
    }

    /// Encodes `mails` as one payload.
    package static func encode(_ mails: [NodeMail]) -> [UInt8] {
        var bytes: [UInt8] = [version]
        bytes.reserveCapacity(64)
        for mail in mails { encode(mail, into: &bytes) }
        return bytes
    }

    /// Appends one mail (without the version byte) to `bytes`.
    package static func encode(_ mail: NodeMail, into bytes: inout [UInt8]) {
        func u16(_ value: Int) {
            bytes.append(UInt8(truncatingIfNeeded: value >> 8))
            bytes.append(UInt8(truncatingIfNeeded: value))
        }
        func string(_ text: String) {
            // Ids and reasons are short; a longer string is cut at the 64 KiB field bound.
            let utf8 = Array(text.utf8.prefix(Int(UInt16.max)))
            u16(utf8.count)
            bytes.append(contentsOf: utf8)
        }
        func head(_ kind: UInt8, _ session: String) {
            bytes.append(kind)
            u16(mail.hub)
            string(session)
        }
        switch mail.body {
        case .paired(let session, let partner):
            head(1, session)
            string(partner.node)
            u16(partner.hub)
            string(partner.session)
        case .relay(let session, let text):
            head(2, session)
            let utf8 = text.utf8
            let count = utf8.count
            for shift in [24, 16, 8, 0] { bytes.append(UInt8(truncatingIfNeeded: count >> shift)) }
            bytes.append(contentsOf: utf8)
        case .typing(let session, let on):
            head(3, session)
            bytes.append(on ? 1 : 0)
        case .partnerLeft(let session, let reason):
            head(4, session)
            string(reason.rawValue)
        case .release(let session):
            head(5, session)
        }
    }

    /// Decodes a whole payload, or throws the first problem found.
    package static func decode(_ payload: [UInt8], limits: Limits = Limits()) throws(NodeMailError) -> [NodeMail] {
        var reader = Reader(bytes: payload)
        let version = try reader.u8()
        guard version == Self.version else { throw .unsupportedVersion(version) }
        var mails: [NodeMail] = []
        while !reader.atEnd {
            guard mails.count < limits.maxMails else { throw .tooManyMails(limit: limits.maxMails) }
            let kind = try reader.u8()
            let hub = try reader.u16()
            let session = try reader.string()
            let body: NodeMail.Body
            switch kind {
            case 1:
                let node = try reader.string()
                let partnerHub = try reader.u16()
                let partnerSession = try reader.string()
                body = .paired(session: session, partner: NodeAddress(node: node, hub: partnerHub, session: partnerSession))
            case 2:
                let length = try reader.u32()
                guard length <= limits.maxTextBytes else { throw .textTooLong(length, limit: limits.maxTextBytes) }
                body = .relay(session: session, text: try reader.text(length))
            case 3:
                let flag = try reader.u8()
                guard flag <= 1 else { throw .invalidFlag(flag) }
                body = .typing(session: session, on: flag == 1)
            case 4:
                let raw = try reader.string()
                guard let reason = EndReason(rawValue: raw) else { throw .unknownReason(raw) }
                body = .partnerLeft(session: session, reason: reason)
            case 5:
                body = .release(session: session)
            default:
                throw .unknownKind(kind)
            }
            mails.append(NodeMail(hub: hub, body))
        }
        guard !mails.isEmpty else { throw .empty }
        return mails
    }

    /// Reads fields off a payload, checking each length against what remains.
    struct Reader {
        let bytes: [UInt8]
        var offset = 0

        var atEnd: Bool { offset == bytes.count }

        mutating func u8() throws(NodeMailError) -> UInt8 {
            guard offset < bytes.count else { throw .truncated }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func u16() throws(NodeMailError) -> Int {
            Int(try u8()) << 8 | Int(try u8())
        }

        mutating func u32() throws(NodeMailError) -> Int {
            try u16() << 16 | u16()
        }

        mutating func string() throws(NodeMailError) -> String {
            try text(try u16())
        }

        mutating func text(_ length: Int) throws(NodeMailError) -> String {
            guard length <= bytes.count - offset else { throw .truncated }
            let slice = bytes[offset..<(offset + length)]
            offset += length
            guard let text = String(validating: slice, as: UTF8.self) else { throw .invalidUTF8 }
            return text
        }
    }
}
