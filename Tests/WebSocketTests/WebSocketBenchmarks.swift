import PersonaTestSupport
import Reactor
import Testing
import WebSocket

#if canImport(Glibc)
    import Glibc
#endif

/// By-hand micro-benchmarks, skipped unless `PERSONA_BENCH=1`. They print throughput and assert
/// only that the work was done — never a time. Run in release:
/// `PERSONA_BENCH=1 swift test -c release --filter WebSocketBenchmarks`
@Suite("WebSocket micro-benchmarks", .serialized, .enabled(if: Benchmark.isEnabled))
struct WebSocketBenchmarks {
    @Test("decodes and unmasks 64 KiB client frames")
    func decodeLargeFrames() throws {
        let frame = clientFrame(.binary, [UInt8](repeating: 0x5A, count: 64 * 1024))
        let batch = Array([[UInt8]](repeating: frame, count: 16).joined())
        let rounds = 256
        var parser = WebSocketFrameParser(role: .server)
        var payloadBytes = 0
        let elapsed = try Benchmark.measure {
            for _ in 0..<rounds {
                parser.append(batch)
                while let decoded = try parser.next() { payloadBytes += decoded.payload.count }
            }
        }
        #expect(payloadBytes == rounds * 16 * 64 * 1024)
        Benchmark.report(
            "frame decode 64 KiB masked", count: rounds * 16, unit: "frames", bytes: payloadBytes,
            elapsed: elapsed)
    }

    @Test("unmasks in place")
    func unmask() {
        var data = [UInt8](repeating: 0x33, count: 1 << 20)
        let key = WebSocketMaskingKey(1, 2, 3, 4)
        let rounds = 1000
        let elapsed = Benchmark.measure {
            for round in 0..<rounds { key.apply(to: &data, offset: round) }
        }
        #expect(data[0] != 0x33 || rounds % 2 == 0)
        Benchmark.report(
            "unmask (word at a time)", count: rounds, unit: "MiB", bytes: rounds << 20, elapsed: elapsed)
    }

    @Test("validates UTF-8")
    func utf8() {
        let ascii = [UInt8](repeating: 0x61, count: 1 << 20)
        let mixed = Array(String(repeating: "héllo wörld — 日本語 🎉 ", count: 1 << 20 / 40).utf8)
        for (name, input) in [("ASCII", ascii), ("mixed", mixed)] {
            var ok = true
            let rounds = 300
            let elapsed = Benchmark.measure {
                for _ in 0..<rounds {
                    var validator = UTF8Validator()
                    ok = validator.consume(input) && validator.isComplete && ok
                }
            }
            #expect(ok)
            Benchmark.report(
                "UTF-8 validate \(name)", count: rounds, unit: "buffers", bytes: rounds * input.count,
                elapsed: elapsed)
        }
    }

    @Test("handles small text messages through the connection state machine")
    func smallMessages() {
        var input: [UInt8] = []
        for index in 0..<1000 { input += clientText("{\"type\":\"message\",\"text\":\"hello \(index)\"}") }
        let rounds = 200
        var delivered = 0
        let elapsed = Benchmark.measure {
            for _ in 0..<rounds {
                var connection = WebSocketConnection.server(now: MonotonicInstant.zero)
                for case .deliver in connection.receive(input, now: .zero) { delivered += 1 }
            }
        }
        #expect(delivered == rounds * 1000)
        Benchmark.report(
            "connection receive small text", count: delivered, unit: "messages", bytes: rounds * input.count,
            elapsed: elapsed)
    }

    @Test("encodes server frames")
    func encode() {
        var connection = WebSocketConnection.server(now: MonotonicInstant.zero)
        let rounds = 200_000
        var bytes = 0
        let elapsed = Benchmark.measure {
            for _ in 0..<rounds {
                for case .write(let out) in connection.send(.text("{\"type\":\"token\",\"delta\":\"Arr\"}")) {
                    bytes += out.count
                }
            }
        }
        #expect(bytes > 0)
        Benchmark.report(
            "frame encode small text", count: rounds, unit: "frames", bytes: bytes, elapsed: elapsed)
    }

    @Test("computes Sec-WebSocket-Accept")
    func accept() {
        let rounds = 50_000
        var last = ""
        let elapsed = Benchmark.measure {
            for _ in 0..<rounds { last = WebSocketAccept.value(forKey: "dGhlIHNhbXBsZSBub25jZQ==") }
        }
        #expect(last == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        Benchmark.report(
            "Sec-WebSocket-Accept (SHA-1 + Base64)", count: rounds, unit: "handshakes", bytes: rounds * 60,
            elapsed: elapsed)
    }
}
