import PersonaTestSupport
import Policies
import Testing

@testable import persona

@Suite("persona bench relay: the send instant carried in each message")
struct BenchRelayStampTests {
    @Test("a stamp reads back as its instant and passes the inbound scrubber untouched; as bare digits, card-like instants would not")
    func stampsSurviveTheScrubber() throws {
        var scrubber = Scrubber()
        var scrubbedAsDigits = 0
        // Monotonic nanoseconds after about 14 hours of uptime: 14 digits starting with 50.
        var generator = SeededGenerator(seed: 21)
        for _ in 0..<200 {
            let instant = UInt64.random(in: 50_800_000_000_000..<50_900_000_000_000, using: &generator)
            let stamp = BenchRelayWorker.stamp(instant)
            #expect(BenchRelayWorker.instant(stamp) == instant)
            #expect(try scrubber.scrub(stamp) == stamp, "\(stamp)")
            if try scrubber.scrub(String(instant)) != String(instant) { scrubbedAsDigits += 1 }
        }
        #expect(scrubbedAsDigits > 0, "digits with a card prefix that pass the Luhn check read as a card number")
        #expect(BenchRelayWorker.stamp(0) == "a")
        #expect(BenchRelayWorker.instant(BenchRelayWorker.stamp(UInt64.max)) == UInt64.max)
        for text in ["", "12", "[CREDIT_CARD]", "bz", "bcdefghijabcdefghijab"] {
            #expect(BenchRelayWorker.instant(text) == nil, "\(text)")
        }
    }
}
