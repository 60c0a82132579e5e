/// Writes metric families in the Prometheus text exposition format, version 0.0.4
/// (`Content-Type: text/plain; version=0.0.4; charset=utf-8`).
///
/// Each family gets `# HELP` and `# TYPE` lines, then its samples. Histograms are written as
/// cumulative `name_bucket{le="…"}` lines ending with `le="+Inf"`, then `name_sum` and
/// `name_count`. Label values escape `\` `"` and newline; HELP text escapes `\` and newline.
/// Values are written as integers when they are whole (and exact), else in the shortest form
/// that reads back the same; non-finite values as `+Inf`, `-Inf`, `NaN`.
///
/// Names are checked: an invalid metric or label name is a programming error (the families are
/// fixed in code), so it traps rather than writing a line scrapers would reject.
public struct PrometheusExposition: Sendable {
    /// The content type to answer with.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The text so far.
    public private(set) var text = ""
    private var written: Set<String> = []

    /// Creates an empty exposition.
    public init() {}

    /// Adds a counter family. `name` should end in `_total` by convention.
    public mutating func counter(_ name: String, help: String, _ samples: [MetricSample]) {
        family(name, help: help, type: "counter", samples)
    }

    /// Adds a gauge family.
    public mutating func gauge(_ name: String, help: String, _ samples: [MetricSample]) {
        family(name, help: help, type: "gauge", samples)
    }

    /// Adds a histogram family: one series per label set.
    public mutating func histogram(
        _ name: String, help: String, _ series: [(labels: [MetricLabel], histogram: Histogram)]
    ) {
        header(name, help: help, type: "histogram")
        for (labels, histogram) in series {
            precondition(!labels.contains { $0.name == "le" }, "'le' is reserved in histogram \(name)")
            for (bound, cumulative) in zip(histogram.upperBounds + [.infinity], histogram.cumulativeCounts) {
                line(name + "_bucket", labels + [MetricLabel("le", Self.format(bound))], Double(cumulative))
            }
            line(name + "_sum", labels, histogram.sum)
            line(name + "_count", labels, Double(histogram.count))
        }
    }

    private mutating func family(_ name: String, help: String, type: String, _ samples: [MetricSample]) {
        header(name, help: help, type: type)
        for sample in samples { line(name, sample.labels, sample.value) }
    }

    private mutating func header(_ name: String, help: String, type: String) {
        precondition(Self.isValidMetricName(name), "invalid metric name '\(name)'")
        precondition(written.insert(name).inserted, "metric family '\(name)' written twice")
        text += "# HELP \(name) \(Self.escapeHelp(help))\n# TYPE \(name) \(type)\n"
    }

    private mutating func line(_ name: String, _ labels: [MetricLabel], _ value: Double) {
        text += name
        if !labels.isEmpty {
            text += "{"
            for (index, label) in labels.enumerated() {
                precondition(Self.isValidLabelName(label.name), "invalid label name '\(label.name)'")
                if index > 0 { text += "," }
                text += label.name + "=\"" + Self.escapeLabelValue(label.value) + "\""
            }
            text += "}"
        }
        text += " " + Self.format(value) + "\n"
    }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    public static func isValidMetricName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !isDigit(first) else { return false }
        return name.utf8.allSatisfy {
            isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ":")
        }
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`, not starting with `__`.
    public static func isValidLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !isDigit(first), !name.hasPrefix("__") else { return false }
        return name.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    /// A label value with `\`, `"` and line feed escaped.
    public static func escapeLabelValue(_ value: String) -> String {
        var out = ""
        for character in value.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// HELP text with `\` and line feed escaped.
    public static func escapeHelp(_ help: String) -> String {
        var out = ""
        for character in help.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// A sample value as the format writes it.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == .infinity { return "+Inf" }
        if value == -.infinity { return "-Inf" }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return "\(value)"
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
}
