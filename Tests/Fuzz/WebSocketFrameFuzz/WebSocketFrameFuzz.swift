import FuzzSupport
import WebSocket

/// Fuzzes the WebSocket frame parser (RFC 6455 §5.2) in both roles: whole or in pieces the
/// bytes give the same frames and error, the partial-frame view never runs past what arrived,
/// and every parsed frame encodes back to the bytes it came from.
@main
enum WebSocketFrameFuzz {
    static func main() { FuzzDriver.run(testOneInput) }

    struct Outcome: Equatable {
        var frames: [WebSocketFrame] = []
        var error: WebSocketProtocolError?
    }

    static func parse(_ pieces: [ArraySlice<UInt8>], role: WebSocketRole) -> Outcome {
        // Small limits so "too big" is reachable with short inputs.
        var parser = WebSocketFrameParser(
            role: role, configuration: .init(maxFrameSize: 300, maxMessageSize: 600))
        var outcome = Outcome()
        for piece in pieces {
            parser.append(piece)
            do {
                while let frame = try parser.next() { outcome.frames.append(frame) }
                if let partial = parser.partialFrame() {
                    fuzzRequire(
                        partial.received.count <= parser.bufferedByteCount,
                        "partial frame overruns the buffer")
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
    let role: WebSocketRole = bytes.count % 2 == 0 ? .server : .client
    let whole = WebSocketFrameFuzz.parse([bytes[...]], role: role)
    let pieces = WebSocketFrameFuzz.parse(fuzzChunks(bytes), role: role)
    fuzzRequire(whole == pieces, "whole \(whole) != in pieces \(pieces)")
    // Lengths are minimally encoded by the encoder but not required to be on the wire, so
    // compare frames, not bytes: decode(encode(frame)) == frame.
    for frame in whole.frames {
        var parser = WebSocketFrameParser(
            role: role, configuration: .init(maxFrameSize: 300, maxMessageSize: 600))
        parser.append(WebSocketFrameEncoder.encode(frame))
        let again = try? parser.next()
        fuzzRequire(again == frame, "frame \(frame) re-parsed as \(String(describing: again))")
    }
    return 0
}
