/// The text form of durations in personality files and on the command line: one or more `<number><unit>` parts with
/// units `ms`, `s`, `m`, `h`, `d` — `250ms`, `10s`, `1h30m`. A bare number is refused, because
/// "10" could mean seconds or milliseconds and authors should not have to guess.
public enum DurationText {
    /// Parses a duration; `nil` when the text is not one.
    public static func parse(_ text: String) -> Duration? {
        let scalars = Array(text.unicodeScalars.drop { $0.properties.isWhitespace }.reversed().drop { $0.properties.isWhitespace }.reversed())
        guard !scalars.isEmpty else { return nil }
        var total: Duration = .zero
        var index = 0
        while index < scalars.count {
            var digits = ""
            while index < scalars.count, scalars[index].properties.numericType != nil, scalars[index].isASCII {
                digits.unicodeScalars.append(scalars[index])
                index += 1
            }
            var unit = ""
            while index < scalars.count, scalars[index].properties.isAlphabetic {
                unit.unicodeScalars.append(scalars[index])
                index += 1
            }
            guard let amount = Int64(digits), amount <= 1_000_000_000, !unit.isEmpty else { return nil }
            switch unit {
            case "ms": total += .milliseconds(amount)
            case "s": total += .seconds(amount)
            case "m", "min": total += .seconds(amount * 60)
            case "h": total += .seconds(amount * 3_600)
            case "d": total += .seconds(amount * 86_400)
            default: return nil
            }
        }
        return total
    }

    /// The shortest text that parses back to `duration` (whole milliseconds).
    public static func format(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1_000 + duration.components.attoseconds / 1_000_000_000_000_000
        if milliseconds == 0 { return "0s" }
        if milliseconds % 1_000 != 0 { return "\(milliseconds)ms" }
        var seconds = milliseconds / 1_000
        var text = ""
        for (unit, size) in [("d", Int64(86_400)), ("h", 3_600), ("m", 60), ("s", 1)] where seconds >= size {
            text += "\(seconds / size)\(unit)"
            seconds %= size
        }
        return text
    }
}
