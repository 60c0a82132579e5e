import Engines
import FuzzSupport

/// Fuzzes the script engine's reply-template compiler: any text compiles to a template or
/// fails with a located error whose offset lies inside the text.
@main
enum TemplateFuzz {
    static func main() { FuzzDriver.run(testOneInput) }
}

@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: FuzzDriver.bytes(data, size), as: UTF8.self)
    do {
        _ = try TemplateParser.parse(text)
    } catch {
        fuzzRequire(
            !error.message.isEmpty && (0...text.count).contains(error.offset),
            "refusal '\(error.message)' at offset \(error.offset) of '\(text)'")
    }
    return 0
}
