import Foundation
import PersonaTestSupport
import Testing

@testable import persona

@Suite("persona bench echo")
struct EchoBenchTests {
    @Test("200 concurrent connections each echo through a live server with no errors")
    func twoHundredConnections() throws {
        let server = try ServeProcess()
        let result = try ProcessResult.persona([
            "bench", "echo", "--url", "ws://127.0.0.1:\(server.port)/v1/echo", "--connections", "200",
            "--in-flight", "2", "--messages", "4000", "--json", "--server-pid",
            String(server.process.processIdentifier),
        ])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(summary?["connections_opened"] as? Int == 200)
        #expect(summary?["messages"] as? Int == 4000)
        #expect(summary?["errors"] as? Int == 0)
        #expect((summary?["server_rss_after_connect_kib"] as? Int ?? 0) > 0)
    }

    @Test("refuses a URL it cannot use with a usage error")
    func badURL() throws {
        let result = try ProcessResult.persona(["bench", "echo", "--url", "http://example.com/"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--url"))
    }

    @Test("histogram percentiles stay within 1.6% of the exact sorted-sample value", arguments: [1, 7, 99])
    func histogramAccuracy(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var histogram = BenchLatencyHistogram()
        var samples: [UInt64] = []
        for _ in 0..<10_000 {
            let value = UInt64.random(in: 1...50_000_000, using: &generator)
            samples.append(value)
            histogram.record(value)
        }
        samples.sort()
        for q in [0.5, 0.9, 0.99] {
            let exact = Double(samples[Int((q * Double(samples.count)).rounded(.up)) - 1])
            let estimate = Double(histogram.value(atQuantile: q))
            #expect(abs(estimate - exact) / exact <= 0.016, "seed \(seed) q \(q): \(estimate) vs \(exact)")
        }
        #expect(histogram.maximum == samples.last)
    }
}
