import HTTP1
import Testing

@Suite("IMF-fixdate (RFC 9110 §5.6.7)")
struct HTTPDateTests {
    @Test(
        "formats an injected instant",
        arguments: [
            (Int64(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT"),  // the RFC's own example
            (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
            (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
            (4_107_542_399, "Sun, 28 Feb 2100 23:59:59 GMT"),
            (4_107_542_400, "Mon, 01 Mar 2100 00:00:00 GMT"),
            (1_795_000_000, "Wed, 18 Nov 2026 11:06:40 GMT"),  // checked with `date -u -d @1795000000`
            (-1, "Wed, 31 Dec 1969 23:59:59 GMT"),
            (253_402_300_799, "Fri, 31 Dec 9999 23:59:59 GMT"),
        ])
    func formats(seconds: Int64, expected: String) {
        #expect(HTTPDate.imfFixdate(secondsSince1970: seconds) == expected)
    }

    @Test("advances one calendar day per 86 400 seconds across 1970–2100")
    func dayByDay() {
        // Cross-check the era arithmetic against naive day counting.
        var year = 1970
        var month = 1
        var day = 1
        let daysInMonth = { (y: Int, m: Int) -> Int in
            switch m {
            case 2: (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
            case 4, 6, 9, 11: 30
            default: 31
            }
        }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        for dayNumber in stride(from: Int64(0), to: 47_482, by: 1) {
            let text = HTTPDate.imfFixdate(secondsSince1970: dayNumber * 86_400 + 43_200)
            let expectedDay = day < 10 ? "0\(day)" : "\(day)"
            if !text.hasPrefix("\(text.prefix(5))\(expectedDay) \(months[month - 1]) \(year) ") {
                Issue.record("day \(dayNumber): \(text)")
                return
            }
            day += 1
            if day > daysInMonth(year, month) {
                day = 1
                month += 1
                if month > 12 {
                    month = 1
                    year += 1
                }
            }
        }
    }
}
