import PersonaTestSupport
import Policies
import Testing

@Suite("Rate strings")
struct RateTests {
    @Test(
        "parses count/unit forms",
        arguments: [
            ("30/min", 30, Duration.seconds(60)), ("5/s", 5, .seconds(1)), ("1000/h", 1000, .seconds(3600)),
            ("10/30s", 10, .seconds(30)), ("100 / 5 minutes", 100, .seconds(300)),
            ("2/day", 2, .seconds(86_400)),
            ("50/100ms", 50, .milliseconds(100)), ("7/SEC", 7, .seconds(1)), ("1/m", 1, .seconds(60)),
        ])
    func parses(text: String, count: Int, period: Duration) throws {
        let rate = try Rate(parsing: text)
        #expect(rate.count == count)
        #expect(rate.period == period)
    }

    @Test(
        "rejects malformed strings with a typed error",
        arguments: [
            ("", RateParseError.empty), ("   ", .empty), ("30", .missingSlash),
            ("abc/min", .invalidCount("abc")),
            ("0/min", .invalidCount("0")), ("-3/s", .invalidCount("-3")),
            ("30/fortnight", .unknownUnit("fortnight")),
            ("30/", .unknownUnit("")), ("30/0s", .invalidPeriod("0s")),
            ("1000000001/s", .countTooLarge("1000000001")),
            ("5/1.5s", .unknownUnit(".5s")),
        ])
    func rejects(text: String, error: RateParseError) {
        #expect(throws: error) { try Rate(parsing: text) }
    }

    @Test("the canonical spelling parses back to the same rate")
    func roundTrips() throws {
        for text in ["30/min", "5/s", "1000/h", "10/30s", "2/d", "50/100ms", "3/90s"] {
            let rate = try Rate(parsing: text)
            #expect(try Rate(parsing: rate.description) == rate, "\(text) -> \(rate)")
        }
    }

    @Test("never crashes on random input")
    func fuzz() {
        var generator = SeededGenerator(seed: 0x5EED_0001)
        let alphabet = Array("0123456789/ smhdinecourayMS-+.\u{00A0}x".unicodeScalars)
        for _ in 0..<5_000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...12, using: &generator) {
                text.append(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)])
            }
            let input = String(text)
            if let rate = try? Rate(parsing: input) {
                #expect(rate.count >= 1 && rate.period > .zero, "seed \(generator.seed) input \(input)")
            }
        }
    }
}
