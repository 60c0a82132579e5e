import FuzzSupport
import HTTP1

/// Fuzzes the HTTP/1.1 response-head parser (RFC 9112 §4) the WebSocket client uses: any
/// bytes, whole or in pieces, give the same head, the same remainder and the same error.
@main
enum HTTPResponseFuzz {
    static func main() { FuzzDriver.run(testOneInput) }

    struct Outcome: Equatable {
        var head: HTTP1ResponseHead?
        var remainder: [UInt8] = []
        var error: HTTP1ParseError?
    }

    static func parse(_ pieces: [ArraySlice<UInt8>], configuration: HTTP1Parser.Configuration) -> Outcome {
        var parser = HTTP1ResponseHeadParser(configuration: configuration)
        var outcome = Outcome()
        for (index, piece) in pieces.enumerated() {
            do {
                if let (head, remainder) = try parser.feed(piece) {
                    outcome.head = head
                    // Whatever follows the head belongs to the caller, including later pieces.
                    outcome.remainder = remainder + pieces[(index + 1)...].flatMap { $0 }
                    return outcome
                }
            } catch {
                outcome.error = error
                return outcome
            }
        }
        return outcome
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzDriver.bytes(data, size)
    let configuration = HTTP1Parser.Configuration(
        maxRequestLineLength: 64, maxHeaderBytes: 256, maxHeaderCount: 8,
        allowsBareLF: bytes.count % 2 == 0)
    let whole = HTTPResponseFuzz.parse([bytes[...]], configuration: configuration)
    let pieces = HTTPResponseFuzz.parse(fuzzChunks(bytes), configuration: configuration)
    fuzzRequire(whole == pieces, "whole \(whole) != in pieces \(pieces)")
    return 0
}
