import ChatProtocol
import FuzzSupport

/// Fuzzes the chat protocol's client-frame decoder: any bytes decode to a message or a typed
/// protocol error with a message, and every message decodes from its own encoding to itself.
@main
enum ChatProtocolFuzz {
    static func main() { FuzzDriver.run(testOneInput) }
}

@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzDriver.bytes(data, size)
    let decoder = ClientMessageDecoder()
    do {
        let message = try decoder.decode(bytes)
        let encoded = message.encoded()
        let again = try? decoder.decode(encoded)
        fuzzRequire(
            again == message,
            "\(message) encoded as \(String(decoding: encoded, as: UTF8.self)) decoded as \(String(describing: again))"
        )
    } catch {
        fuzzRequire(!error.message.isEmpty, "a refusal without a message for \(bytes)")
    }
    _ = try? ServerMessage(decoding: bytes)
    return 0
}
