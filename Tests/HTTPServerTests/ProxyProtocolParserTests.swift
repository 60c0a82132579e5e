import HTTPServer
import PersonaTestSupport
import Reactor
import Testing

@Suite("PROXY protocol header parser (versions 1 and 2)")
struct ProxyProtocolParserTests {
    /// A v2 PROXY header for TCP over IPv6, 2001:db8::1 port 4000 → 2001:db8::2 port 443, with
    /// one TLV (type 0x04 NOOP, 3 bytes) after the addresses.
    static let v2IPv6Header: [UInt8] = {
        var bytes: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, 0x21]
        let source: [UInt8] = [0x20, 0x01, 0x0D, 0xB8] + Array(repeating: 0, count: 11) + [1]
        let destination: [UInt8] = [0x20, 0x01, 0x0D, 0xB8] + Array(repeating: 0, count: 11) + [2]
        let block = source + destination + [0x0F, 0xA0, 0x01, 0xBB] + [0x04, 0x00, 0x00]
        bytes += [UInt8(block.count >> 8), UInt8(block.count & 0xFF)] + block
        return bytes
    }()

    static let v2IPv4Header: [UInt8] =
        [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, 0x11, 0x00, 0x0C]
        + [203, 0, 113, 7, 10, 0, 0, 1, 0xC3, 0x50, 0x01, 0xBB]

    static let v2Local: [UInt8] =
        [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x20, 0x00, 0x00, 0x00]

    static let valid: [[UInt8]] = [
        Array("PROXY TCP4 203.0.113.44 10.0.0.1 51000 443\r\n".utf8),
        Array("PROXY TCP6 2001:db8::9 2001:db8::1 1 65535\r\n".utf8),
        Array("PROXY UNKNOWN ff ee\r\n".utf8),
        v2IPv4Header, v2IPv6Header, v2Local,
    ]

    /// Feeds `chunks` in order; the outcome once a header is complete (remainder included), or
    /// the error, or needMore.
    static func run(_ chunks: [[UInt8]]) -> String {
        var parser = ProxyProtocolParser()
        var remainder: [UInt8] = []
        var header: ProxyHeader?
        for chunk in chunks {
            if header != nil {
                remainder += chunk
                continue
            }
            do {
                if case .header(let parsed, let rest) = try parser.feed(chunk) {
                    header = parsed
                    remainder = rest
                }
            } catch {
                return "error \(error)"
            }
        }
        guard let header else { return "needMore" }
        return "\(header) + \(remainder)"
    }

    @Test("parses v1 TCP4, TCP6 and UNKNOWN and v2 IPv4, IPv6 (TLVs skipped) and LOCAL")
    func parses() throws {
        let expectations: [(ProxyHeader?, Int)] = [
            (ProxyHeader(source: try SocketAddress(host: "203.0.113.44", port: 51_000),
                destination: try SocketAddress(host: "10.0.0.1", port: 443), version: 1), 1),
            (ProxyHeader(source: try SocketAddress(host: "2001:db8::9", port: 1),
                destination: try SocketAddress(host: "2001:db8::1", port: 65_535), version: 1), 1),
            (ProxyHeader(source: nil, destination: nil, version: 1), 1),
            (ProxyHeader(source: try SocketAddress(host: "203.0.113.7", port: 50_000),
                destination: try SocketAddress(host: "10.0.0.1", port: 443), version: 2), 2),
            (ProxyHeader(source: try SocketAddress(host: "2001:db8::1", port: 4_000),
                destination: try SocketAddress(host: "2001:db8::2", port: 443), version: 2), 2),
            (ProxyHeader(source: nil, destination: nil, version: 2), 2),
        ]
        for (input, (expected, _)) in zip(Self.valid, expectations) {
            var parser = ProxyProtocolParser()
            let outcome = try parser.feed(input + Array("GET /".utf8))
            #expect(outcome == .header(expected!, remainder: Array("GET /".utf8)), "\(input)")
        }
    }

    @Test("gives the same result whole, byte by byte and split at every index")
    func dripFeed() {
        for header in Self.valid {
            let input = header + Array("GET / HTTP/1.1\r\n".utf8)
            let whole = Self.run([input])
            #expect(whole.hasPrefix("ProxyHeader"), "\(whole)")
            for chunks in DripFeed.splits(of: input) {
                #expect(Self.run(chunks) == whole, "split \(chunks.map(\.count))")
            }
        }
    }

    @Test("refuses what is not a PROXY header at the first wrong byte")
    func refusesEarly() {
        #expect(Self.run([Array("G".utf8)]) == "error missingHeader")
        #expect(Self.run([Array("PROXZ".utf8)]) == "error missingHeader")
        #expect(Self.run([[0x0D, 0x0A, 0x0D, 0x0B]]) == "error missingHeader")
        #expect(Self.run([Array("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n".utf8)]) == "error malformed")
        #expect(Self.run([Array("PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n".utf8)]) == "error malformed")
        #expect(Self.run([Array("PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n".utf8)]) == "error malformed")
        #expect(Self.run([Array("PROXY TCP6 1.2.3.4 5.6.7.8 1 2\r\n".utf8)]) == "error malformed")
        var badVersion = Self.v2IPv4Header
        badVersion[12] = 0x31
        #expect(Self.run([badVersion]) == "error malformed")
        var badCommand = Self.v2IPv4Header
        badCommand[12] = 0x22
        #expect(Self.run([badCommand]) == "error malformed")
        var shortBlock = Self.v2IPv4Header
        shortBlock[15] = 8
        #expect(Self.run([Array(shortBlock.prefix(24))]) == "error malformed")
    }

    @Test("accepts a v1 line of exactly 107 bytes and refuses one of 108")
    func v1LengthLimit() {
        let base = "PROXY UNKNOWN "
        let fits = base + String(repeating: "x", count: 107 - base.count - 2) + "\r\n"
        #expect(fits.utf8.count == 107)
        #expect(Self.run([Array(fits.utf8)]).hasPrefix("ProxyHeader"))
        let over = base + String(repeating: "x", count: 108 - base.count - 2) + "\r\n"
        #expect(Self.run([Array(over.utf8)]) == "error tooLong")
        #expect(Self.run([Array(String(repeating: "x", count: 200).utf8).withPrefix("PROXY ")]) == "error tooLong")
    }

    @Test("accepts a v2 block of exactly 1,024 bytes and refuses 1,025 from its length field")
    func v2LengthLimit() {
        let signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x20, 0x00]
        let fits = signature + [0x04, 0x00] + Array(repeating: 0, count: 1_024)
        #expect(Self.run([fits]).hasPrefix("ProxyHeader"))
        #expect(Self.run([signature + [0x04, 0x01]]) == "error tooLong")
    }

    @Test("never crashes or hangs on seeded random and mutated input, and splitting never changes the answer")
    func fuzz() {
        let seed: UInt64 = 0x15A_F022
        var generator = SeededGenerator(seed: seed)
        for round in 0..<3_000 {
            var input: [UInt8]
            if round % 3 == 0 {
                input = (0..<Int.random(in: 0...140, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                if Bool.random(using: &generator) { input = Array("PROXY ".utf8) + input }
            } else {
                input = Self.valid[Int.random(in: 0..<Self.valid.count, using: &generator)]
                for _ in 0..<Int.random(in: 1...4, using: &generator) where !input.isEmpty {
                    input[Int.random(in: 0..<input.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
            }
            let whole = Self.run([input])
            let chunks = DripFeed.randomChunks(of: input, maxChunk: 7, using: &generator)
            #expect(Self.run(chunks) == whole, "seed \(seed) round \(round) input \(input)")
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate func withPrefix(_ text: String) -> [UInt8] { Array(text.utf8) + self }
}
