import PersonaTestSupport
import HTTP1
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// By-hand micro-benchmarks, skipped unless `PERSONA_BENCH=1`. They print throughput and assert
/// only that the work was done — never a time. Run in release:
/// `PERSONA_BENCH=1 swift test -c release --filter HTTP1Benchmarks`
@Suite("HTTP1 micro-benchmarks", .serialized, .enabled(if: Benchmark.isEnabled))
struct HTTP1Benchmarks {
    static let request = Array(
        ("GET /v1/personalities/captain-redbeard?tier=free HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
            + "User-Agent: persona-bench/1.0\r\nAccept: application/json\r\nAccept-Encoding: gzip, deflate\r\n"
            + "Connection: keep-alive\r\nX-Request-Id: 3f2a9c4e-1b7d-4e8a-9c1f-2d3e4f5a6b7c\r\n\r\n").utf8)

    @Test("parses pipelined requests")
    func pipelinedRequests() throws {
        let perBuffer = 64
        let buffer = Array([[UInt8]](repeating: Self.request, count: perBuffer).joined())
        let rounds = 3000
        var parser = HTTP1Parser()
        var heads = 0
        let elapsed = try Benchmark.measure {
            for _ in 0..<rounds {
                parser.append(buffer)
                while let event = try parser.next() {
                    if case .head = event { heads += 1 }
                }
            }
        }
        #expect(heads == rounds * perBuffer)
        Benchmark.report(
            "HTTP1 parse (\(Self.request.count)-byte GET, 7 headers, pipelined)", count: heads,
            unit: "requests",
            bytes: rounds * buffer.count, elapsed: elapsed)
    }

    @Test("parses a chunked body")
    func chunkedBody() throws {
        var body: [UInt8] = []
        let chunk = [UInt8](repeating: 0x61, count: 16 * 1024)
        for _ in 0..<63 { HTTP1ResponseEncoder.encodeChunk(chunk, into: &body) }
        HTTP1ResponseEncoder.encodeFinalChunk(into: &body)
        let message = Array("POST /u HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n".utf8) + body
        var bodyBytes = 0
        let rounds = 300
        let elapsed = try Benchmark.measure {
            for _ in 0..<rounds {
                var parser = HTTP1Parser()
                parser.append(message)
                while let event = try parser.next() {
                    if case .body(let piece) = event { bodyBytes += piece.count }
                }
            }
        }
        #expect(bodyBytes == rounds * 63 * chunk.count)
        Benchmark.report(
            "HTTP1 chunked body (16 KiB chunks)", count: rounds, unit: "bodies", bytes: bodyBytes,
            elapsed: elapsed)
    }

    @Test("encodes responses with a JSON error body and a date")
    func encodeResponses() {
        var total = 0
        let rounds = 100_000
        let elapsed = Benchmark.measure {
            var out: [UInt8] = []
            for second in 0..<rounds {
                out.removeAll(keepingCapacity: true)
                HTTP1ResponseEncoder.encodeJSONError(
                    for: .headerTooLarge, date: HTTPDate.imfFixdate(secondsSince1970: Int64(second)),
                    into: &out)
                total += out.count
            }
        }
        #expect(total > 0)
        Benchmark.report(
            "HTTP1 encode error response + IMF-fixdate", count: rounds, unit: "responses", bytes: total,
            elapsed: elapsed)
    }
}
