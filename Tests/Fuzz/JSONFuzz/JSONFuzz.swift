import FuzzSupport
import JSON

/// Fuzzes the JSON parser (RFC 8259) with small limits: any bytes either parse or fail with a
/// typed error, and whatever parses serialises (compact and pretty) to text that parses back
/// to the same value.
@main
enum JSONFuzz {
    static func main() { FuzzDriver.run(testOneInput) }
}

@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzDriver.bytes(data, size)
    let parser = JSONParser(configuration: .init(maxDepth: 16, maxInputBytes: 8192, maxStringBytes: 1024))
    guard let value = try? parser.parse(bytes) else { return 0 }
    for pretty in [false, true] {
        let text = value.serializedBytes(pretty: pretty)
        let again = try? JSONParser(
            configuration: .init(maxDepth: 16, maxInputBytes: 1 << 20, maxStringBytes: 1 << 20)
        ).parse(text)
        fuzzRequire(
            again == value,
            "\(value) serialised as \(String(decoding: text, as: UTF8.self)) parsed back as \(String(describing: again))"
        )
    }
    return 0
}
