import Reactor

/// What a PROXY protocol header said about the connection.
public struct ProxyHeader: Hashable, Sendable {
    /// The client's address (`nil` for `UNKNOWN`, `LOCAL` or a non-IP family: the connection
    /// is then the proxy's own, and the TCP peer stays the client).
    public var source: SocketAddress?
    /// The address the client connected to, when given.
    public var destination: SocketAddress?
    /// 1 (text) or 2 (binary).
    public var version: Int

    /// Creates a header.
    public init(source: SocketAddress?, destination: SocketAddress?, version: Int) {
        self.source = source
        self.destination = destination
        self.version = version
    }
}

/// Why a connection's PROXY header was refused (the connection is then closed without an
/// answer, as the protocol asks: what follows cannot be trusted to be HTTP).
public enum ProxyProtocolError: Error, Hashable, Sendable {
    /// The first bytes are neither `PROXY ` nor the version 2 signature.
    case missingHeader
    /// The header breaks the format (fields, addresses, ports, version, command).
    case malformed
    /// Longer than version 1's 107 bytes, or a version 2 header over ``ProxyProtocolParser/maxV2Length``.
    case tooLong
}

/// An incremental parser of the PROXY protocol header (HAProxy's specification, versions 1
/// and 2) that a load balancer puts before the client's first byte: bytes in, a
/// ``ProxyHeader`` and the bytes after it out. It decides as early as the bytes allow — a
/// wrong first byte fails at once — and never buffers more than one header.
///
/// Version 1: `PROXY TCP4|TCP6 <src> <dst> <srcport> <dstport>\r\n` or `PROXY UNKNOWN…\r\n`,
/// at most 107 bytes. Version 2: the 12-byte signature, version/command, family/transport,
/// a 2-byte length, the addresses (IPv4 12 bytes, IPv6 36), then TLVs, which are skipped.
public struct ProxyProtocolParser: Sendable {
    /// The outcome of feeding bytes.
    public enum Outcome: Hashable, Sendable {
        /// The header is not complete yet.
        case needMore
        /// The header, and the bytes that followed it (the start of the real stream).
        case header(ProxyHeader, remainder: [UInt8])
    }

    /// The largest version 2 header accepted (address block plus TLVs): 1,024 bytes.
    public static let maxV2Length = 1_024
    /// The version 2 signature.
    static let signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]
    static let v1Prefix = Array("PROXY ".utf8)

    private var buffer: [UInt8] = []
    private var failure: ProxyProtocolError?

    /// Creates a parser expecting a header.
    public init() {}

    /// Feeds received bytes; throws the same error on every call once the input broke a rule.
    public mutating func feed(_ bytes: some Collection<UInt8>) throws(ProxyProtocolError) -> Outcome {
        if let failure { throw failure }
        buffer.append(contentsOf: bytes)
        do {
            return try parse()
        } catch {
            failure = error
            buffer = []
            throw error
        }
    }

    private mutating func parse() throws(ProxyProtocolError) -> Outcome {
        guard let first = buffer.first else { return .needMore }
        if first == Self.signature[0] {
            let prefix = min(buffer.count, Self.signature.count)
            guard buffer[0..<prefix].elementsEqual(Self.signature[0..<prefix]) else { throw .missingHeader }
            return try parseV2()
        }
        let prefix = min(buffer.count, Self.v1Prefix.count)
        guard buffer[0..<prefix].elementsEqual(Self.v1Prefix[0..<prefix]) else { throw .missingHeader }
        return try parseV1()
    }

    private mutating func parseV1() throws(ProxyProtocolError) -> Outcome {
        guard let newline = buffer.firstIndex(of: 0x0A) else {
            if buffer.count >= 107 { throw .tooLong }
            return .needMore
        }
        guard newline + 1 <= 107, newline > 0, buffer[newline - 1] == 0x0D else {
            throw newline + 1 > 107 ? .tooLong : .malformed
        }
        let line = String(decoding: buffer[Self.v1Prefix.count..<(newline - 1)], as: UTF8.self)
        let remainder = Array(buffer[(newline + 1)...])
        buffer = []
        let fields = line.split(separator: " ", omittingEmptySubsequences: false)
        guard let family = fields.first else { throw .malformed }
        if family == "UNKNOWN" {
            return .header(ProxyHeader(source: nil, destination: nil, version: 1), remainder: remainder)
        }
        guard family == "TCP4" || family == "TCP6", fields.count == 5,
            let sourcePort = Self.port(fields[3]), let destinationPort = Self.port(fields[4]),
            let sourceBytes = IPNetwork.addressBytes(String(fields[1])),
            let destinationBytes = IPNetwork.addressBytes(String(fields[2])),
            sourceBytes.count == (family == "TCP4" ? 4 : 16), destinationBytes.count == sourceBytes.count
        else { throw .malformed }
        let header = ProxyHeader(
            source: Self.address(sourceBytes, port: sourcePort),
            destination: Self.address(destinationBytes, port: destinationPort), version: 1)
        return .header(header, remainder: remainder)
    }

    /// A decimal port without sign or leading zeros, 0–65535.
    private static func port(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }),
            text == "0" || !text.hasPrefix("0"), let value = Int(text), value <= 65_535
        else { return nil }
        return value
    }

    private mutating func parseV2() throws(ProxyProtocolError) -> Outcome {
        guard buffer.count >= 16 else { return .needMore }
        let versionCommand = buffer[12]
        guard versionCommand >> 4 == 2 else { throw .malformed }
        let command = versionCommand & 0x0F
        guard command <= 1 else { throw .malformed }
        let familyTransport = buffer[13]
        let length = Int(buffer[14]) << 8 | Int(buffer[15])
        guard length <= Self.maxV2Length else { throw .tooLong }
        guard buffer.count >= 16 + length else { return .needMore }
        let block = Array(buffer[16..<(16 + length)])
        let remainder = Array(buffer[(16 + length)...])
        buffer = []
        var header = ProxyHeader(source: nil, destination: nil, version: 2)
        // LOCAL (command 0): the proxy's own connection (health checks); addresses ignored.
        guard command == 1 else { return .header(header, remainder: remainder) }
        switch familyTransport >> 4 {
        case 0x1:  // AF_INET
            guard block.count >= 12 else { throw .malformed }
            header.source = Self.address(Array(block[0..<4]), port: Int(block[8]) << 8 | Int(block[9]))
            header.destination = Self.address(Array(block[4..<8]), port: Int(block[10]) << 8 | Int(block[11]))
        case 0x2:  // AF_INET6
            guard block.count >= 36 else { throw .malformed }
            header.source = Self.address(Array(block[0..<16]), port: Int(block[32]) << 8 | Int(block[33]))
            header.destination = Self.address(Array(block[16..<32]), port: Int(block[34]) << 8 | Int(block[35]))
        case 0x0, 0x3:  // AF_UNSPEC, AF_UNIX: no IP client to report
            break
        default:
            throw .malformed
        }
        return .header(header, remainder: remainder)
    }

    private static func address(_ bytes: [UInt8], port: Int) -> SocketAddress? {
        try? SocketAddress(host: IPNetwork.text(of: bytes), port: port)
    }
}
