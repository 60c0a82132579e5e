import FuzzSupport
import HTTPServer
import Reactor

/// Fuzzes the PROXY protocol header parser (versions 1 and 2): whole or in pieces the bytes
/// give the same header, remainder and error; a header never takes more than its version's
/// limit and its remainder is exactly the bytes after it; an error stays the answer to every
/// later feed; and every header with addresses, written again in its own version, parses back
/// to itself.
@main
enum ProxyProtocolFuzz {
    static func main() { FuzzDriver.run(testOneInput) }

    /// What feeding a sequence of pieces came to.
    enum Outcome: Equatable {
        case needMore
        case header(ProxyHeader, remainder: [UInt8])
        case error(ProxyProtocolError)
    }

    static func parse(_ pieces: [ArraySlice<UInt8>]) -> Outcome {
        var parser = ProxyProtocolParser()
        var index = 0
        while index < pieces.count {
            do {
                if case .header(let header, let remainder) = try parser.feed(pieces[index]) {
                    // What arrives after the header is the caller's, not the parser's.
                    let later = pieces[(index + 1)...].flatMap { $0 }
                    return .header(header, remainder: remainder + later)
                }
            } catch {
                var again = parser
                do {
                    _ = try again.feed([0x0A])
                    fuzzRequire(false, "a parser that failed with \(error) accepted more input")
                } catch let repeated {
                    fuzzRequire(repeated == error, "failed with \(error), then with \(repeated)")
                }
                return .error(error)
            }
            index += 1
        }
        return .needMore
    }

    /// The header written back in its own version (TCP over IPv4 or IPv6, command PROXY).
    static func encode(_ header: ProxyHeader) -> [UInt8]? {
        guard let source = header.source, let destination = header.destination,
            let sourceBytes = IPNetwork.addressBytes(source.host),
            let destinationBytes = IPNetwork.addressBytes(destination.host),
            sourceBytes.count == destinationBytes.count
        else { return nil }
        if header.version == 1 {
            let family = sourceBytes.count == 4 ? "TCP4" : "TCP6"
            return Array(
                "PROXY \(family) \(source.host) \(destination.host) \(source.port) \(destination.port)\r\n".utf8)
        }
        let signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]
        let ports: [UInt8] = [
            UInt8(source.port >> 8), UInt8(source.port & 0xFF),
            UInt8(destination.port >> 8), UInt8(destination.port & 0xFF),
        ]
        let block = sourceBytes + destinationBytes + ports
        let family: UInt8 = sourceBytes.count == 4 ? 0x11 : 0x21
        return signature + [0x21, family, 0x00, UInt8(block.count)] + block
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzDriver.bytes(data, size)
    let whole = ProxyProtocolFuzz.parse([bytes[...]])
    let pieces = ProxyProtocolFuzz.parse(fuzzChunks(bytes))
    let byteByByte = ProxyProtocolFuzz.parse(bytes.indices.map { bytes[$0...$0] })
    fuzzRequire(whole == pieces, "whole \(whole) != in pieces \(pieces)")
    fuzzRequire(whole == byteByByte, "whole \(whole) != byte by byte \(byteByByte)")
    guard case .header(let header, let remainder) = whole else { return 0 }
    let consumed = bytes.count - remainder.count
    fuzzRequire(consumed >= 0 && bytes.suffix(remainder.count).elementsEqual(remainder), "remainder is not the input's tail")
    let limit = header.version == 1 ? 107 : 16 + ProxyProtocolParser.maxV2Length
    fuzzRequire(consumed <= limit, "a version \(header.version) header took \(consumed) bytes")
    fuzzRequire(
        bytes.first == (header.version == 1 ? UInt8(ascii: "P") : 0x0D),
        "version \(header.version) from first byte \(bytes.first ?? 0)")
    fuzzRequire((header.source == nil) == (header.destination == nil), "only one address in \(header)")
    if let encoded = ProxyProtocolFuzz.encode(header) {
        let again = ProxyProtocolFuzz.parse([encoded[...]])
        fuzzRequire(again == .header(header, remainder: []), "\(header) re-parsed as \(again)")
    }
    return 0
}
