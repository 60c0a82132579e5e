import FuzzSupport
import WebSocket

/// Fuzzes the streaming UTF-8 validator (RFC 3629, as RFC 6455 §8.1 requires of text frames)
/// against the standard library's decoder: the same verdict for any bytes, however they are
/// split, and a failure is never reported after bytes that are still a valid prefix.
@main
enum UTF8Fuzz {
    static func main() { FuzzDriver.run(testOneInput) }
}

@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzDriver.bytes(data, size)
    let expected = String(validating: bytes, as: UTF8.self) != nil

    var whole = UTF8Validator()
    let wholeAccepted = whole.consume(bytes) && whole.isComplete
    fuzzRequire(
        wholeAccepted == expected,
        "validator says \(wholeAccepted), the standard library \(expected): \(bytes)")

    var pieces = UTF8Validator()
    var failedEarly = false
    for piece in fuzzChunks(bytes) where !failedEarly {
        if !pieces.consume(piece) { failedEarly = true }
    }
    let piecesAccepted = !failedEarly && pieces.isComplete
    fuzzRequire(piecesAccepted == expected, "in pieces the validator says \(piecesAccepted): \(bytes)")
    return 0
}
