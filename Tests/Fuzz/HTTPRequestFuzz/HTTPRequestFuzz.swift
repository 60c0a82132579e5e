import FuzzSupport
import HTTP1

/// Fuzzes the HTTP/1.1 request parser (RFC 9112): any bytes, whole or in pieces, give the same
/// requests and the same error — an arrival pattern must never change what a request means.
@main
enum HTTPRequestFuzz {
    static func main() { FuzzDriver.run(testOneInput) }

    /// What a parse produced: the events (body pieces joined, since pieces follow arrival) and
    /// the error that stopped it, if any.
    struct Outcome: Equatable {
        var events: [HTTP1ParserEvent] = []
        var error: HTTP1ParseError?

        mutating func record(_ event: HTTP1ParserEvent) {
            if case .body(let more) = event, case .body(let earlier)? = events.last {
                events[events.count - 1] = .body(earlier + more)
            } else {
                events.append(event)
            }
        }
    }

    static func drain(_ parser: inout HTTP1Parser, into outcome: inout Outcome) {
        do {
            while true {
                if let event = try parser.next() {
                    outcome.record(event)
                } else if parser.isUpgradePending {
                    parser.declineUpgrade()
                } else {
                    return
                }
            }
        } catch {
            outcome.error = error
        }
    }

    static func parse(_ pieces: [ArraySlice<UInt8>], configuration: HTTP1Parser.Configuration) -> Outcome {
        var parser = HTTP1Parser(configuration: configuration)
        var outcome = Outcome()
        for piece in pieces where outcome.error == nil {
            parser.append(piece)
            drain(&parser, into: &outcome)
        }
        return outcome
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzDriver.bytes(data, size)
    // Small limits so the fuzzer reaches every "too large" edge with short inputs.
    let configuration = HTTP1Parser.Configuration(
        maxRequestLineLength: 64, maxHeaderBytes: 256, maxHeaderCount: 8, maxBodySize: 512,
        maxChunkSizeLineLength: 24, allowsBareLF: bytes.count % 2 == 0)
    let whole = HTTPRequestFuzz.parse([bytes[...]], configuration: configuration)
    let pieces = HTTPRequestFuzz.parse(fuzzChunks(bytes), configuration: configuration)
    fuzzRequire(whole == pieces, "whole \(whole) != in pieces \(pieces)")
    return 0
}
