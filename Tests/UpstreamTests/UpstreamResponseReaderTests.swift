import HTTP1
import PersonaTestSupport
import Testing
import Upstream

@Suite("Upstream response reader")
struct UpstreamResponseReaderTests {
    /// A chunked event stream whose chunk borders fall inside events.
    static let streamed: [UInt8] = {
        var bytes = Array(
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        for piece in ["data: {\"a\":1}", "\n\n", "data: [DONE]\n\n"] {
            bytes += Array(String(piece.utf8.count, radix: 16).utf8) + [13, 10] + Array(piece.utf8) + [13, 10]
        }
        return bytes + Array("0\r\n\r\n".utf8)
    }()

    static func run(_ chunks: [[UInt8]], events: Bool = true) throws -> [UpstreamResponseReader.Output] {
        var reader = UpstreamResponseReader(events: events)
        var outputs: [UpstreamResponseReader.Output] = []
        for chunk in chunks { outputs += try reader.feed(chunk) }
        // Event batches may be split differently; compare their concatenation.
        var merged: [UpstreamResponseReader.Output] = []
        for output in outputs {
            if case .events(let new) = output {
                if new.isEmpty { continue }
                if case .events(let old)? = merged.last {
                    merged[merged.count - 1] = .events(old + new)
                    continue
                }
            }
            merged.append(output)
        }
        return merged
    }

    @Test("reads a chunked event stream into events and a reusable end, however it is split")
    func dripFeed() throws {
        let whole = try Self.run([Self.streamed])
        #expect(whole.count == 3)
        #expect(whole.last == .end(reusable: true))
        #expect(whole.dropFirst().first == .events([ServerSentEvent(data: "{\"a\":1}"), ServerSentEvent(data: "[DONE]")]))
        for split in DripFeed.splits(of: Self.streamed) {
            #expect(try Self.run(split) == whole, "split \(split.map(\.count))")
        }
    }

    @Test("a Content-Length body ends exactly at its length; Connection: close is not reused")
    func contentLength() throws {
        let bytes = Array("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}".utf8)
        let outputs = try Self.run([bytes])
        #expect(outputs.last == .end(reusable: false))
        #expect(outputs.contains(.body(Array("{}".utf8))))
    }

    @Test("a close before the body ends is a reset; a close-delimited body ends at the close")
    func eof() throws {
        var cut = UpstreamResponseReader(events: false)
        _ = try cut.feed(Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".utf8))
        #expect(throws: UpstreamError.self) { try cut.feedEOF() }
        var open = UpstreamResponseReader(events: false)
        _ = try open.feed(Array("HTTP/1.0 200 OK\r\n\r\nabc".utf8))
        #expect(try open.feedEOF() == [.end(reusable: false)])
    }

    @Test("an event line one byte over the limit fails the response as too large")
    func oversized() throws {
        var configuration = UpstreamResponseReader.Configuration()
        configuration.events = .init(maxLineLength: 8, maxEventBytes: 64)
        var reader = UpstreamResponseReader(events: true, configuration: configuration)
        _ = try reader.feed(Array("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n".utf8))
        _ = try reader.feed(Array("data: xx\n".utf8))
        #expect(throws: UpstreamError.tooLarge("an event-stream line exceeds 8 bytes")) {
            _ = try reader.feed(Array("data: xxx".utf8))
        }
    }
}
