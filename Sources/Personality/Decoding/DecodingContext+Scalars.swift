import Diagnostics
import Policies
import YAML

/// Typed readers for scalar values. Each reports a precise error — naming the key, the type
/// it wanted and what it found — and returns `nil`, so decoding carries on.
extension DecodingContext {
    /// A string: any non-null scalar. Numbers and booleans written plain are accepted as their
    /// text, because authors write `name: 42` and mean the text.
    public mutating func string(_ node: YAMLNode, _ what: String) -> String? {
        guard let scalar = node.scalar, !scalar.isNull else {
            error("wrong-type", at: node, "'\(what)' must be a string, found \(node.kindDescription)")
            return nil
        }
        return scalar.text
    }

    /// A non-empty string after trimming whitespace.
    public mutating func nonEmptyString(_ node: YAMLNode, _ what: String) -> String? {
        guard let text = string(node, what) else { return nil }
        if text.allSatisfy(\.isWhitespace) {
            error("empty-value", at: node, "'\(what)' must not be empty")
            return nil
        }
        return text
    }

    /// A whole number written plain, optionally within `range`.
    public mutating func int(_ node: YAMLNode, _ what: String, range: ClosedRange<Int>? = nil) -> Int? {
        guard let scalar = node.scalar, scalar.isPlain, !scalar.isNull,
            let value = Int(String(scalar.text.filter { $0 != "_" }))
        else {
            error("wrong-type", at: node, "'\(what)' must be a whole number, found \(describe(node))")
            return nil
        }
        if let range, !range.contains(value) {
            error("out-of-range", at: node, "'\(what)' must be between \(range.lowerBound) and \(range.upperBound), found \(value)")
            return nil
        }
        return value
    }

    /// A number written plain, optionally within `range`.
    public mutating func double(_ node: YAMLNode, _ what: String, range: ClosedRange<Double>? = nil) -> Double? {
        guard let scalar = node.scalar, scalar.isPlain, !scalar.isNull,
            let value = Double(scalar.text), value.isFinite
        else {
            error("wrong-type", at: node, "'\(what)' must be a number, found \(describe(node))")
            return nil
        }
        if let range, !range.contains(value) {
            error("out-of-range", at: node, "'\(what)' must be between \(format(range.lowerBound)) and \(format(range.upperBound)), found \(scalar.text)")
            return nil
        }
        return value
    }

    /// `true` or `false` written plain (YAML 1.2 core schema; `yes`/`no` are refused because
    /// YAML 1.1 and 1.2 disagree about them).
    public mutating func bool(_ node: YAMLNode, _ what: String) -> Bool? {
        guard let scalar = node.scalar, scalar.isPlain else {
            error("wrong-type", at: node, "'\(what)' must be true or false, found \(describe(node))")
            return nil
        }
        switch scalar.text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default:
            error("wrong-type", at: node, "'\(what)' must be true or false, found \(describe(node))")
            return nil
        }
    }

    /// A list of strings; a single string is accepted as a list of one.
    public mutating func strings(_ node: YAMLNode, _ what: String, allowEmpty: Bool = false) -> [String]? {
        if let items = node.sequence {
            if items.isEmpty && !allowEmpty {
                error("empty-value", at: node, "'\(what)' must list at least one value")
                return nil
            }
            var result: [String] = []
            for item in items {
                if let text = string(item, what) { result.append(text) }
            }
            return result.count == items.count ? result : nil
        }
        return string(node, what).map { [$0] }
    }

    /// A list; reports an error when the node is not one.
    public mutating func list(_ node: YAMLNode, _ what: String) -> [YAMLNode]? {
        guard let items = node.sequence else {
            error("wrong-type", at: node, "'\(what)' must be a list, found \(node.kindDescription)")
            return nil
        }
        return items
    }

    /// One of a fixed set of words, listing the allowed values (and a near miss) when wrong.
    public mutating func choice<Value: RawRepresentable & CaseIterable>(
        _ node: YAMLNode, _ what: String, as type: Value.Type = Value.self
    ) -> Value? where Value.RawValue == String {
        guard let text = string(node, what) else { return nil }
        if let value = Value(rawValue: text) { return value }
        let allowed = Value.allCases.map(\.rawValue)
        var message = "'\(what)' must be one of \(allowed.joined(separator: ", ")); found '\(text)'"
        if let near = Suggestion.closest(to: text, among: allowed) { message += "; did you mean '\(near)'?" }
        error("invalid-value", at: node, message)
        return nil
    }

    /// A duration such as `250ms`, `10s`, `5m`, `1h30m` or `2d`, optionally within `range`.
    public mutating func duration(_ node: YAMLNode, _ what: String, range: ClosedRange<Duration>? = nil) -> Duration? {
        guard let text = string(node, what) else { return nil }
        guard let value = DurationText.parse(text) else {
            error("invalid-duration", at: node, "'\(what)' must be a duration such as 500ms, 10s, 5m, 1h or 1h30m; found '\(text)'")
            return nil
        }
        if let range, !range.contains(value) {
            error("out-of-range", at: node, "'\(what)' must be between \(DurationText.format(range.lowerBound)) and \(DurationText.format(range.upperBound)), found '\(text)'")
            return nil
        }
        return value
    }

    /// A rate such as `30/min`, `5/s`, `1000/day` or `10/30s` — the rate limiter's own
    /// syntax (``Policies/Rate/init(parsing:)``), so the file and the limiter cannot disagree.
    public mutating func rate(_ node: YAMLNode, _ what: String) -> Rate? {
        guard let text = string(node, what) else { return nil }
        do {
            return try Rate(parsing: text)
        } catch {
            self.error("invalid-rate", at: node, "'\(what)' must be a rate such as 30/min, 5/s, 100/h or 1000/day (count > 0); found '\(text)'")
            return nil
        }
    }

    private func describe(_ node: YAMLNode) -> String {
        guard let scalar = node.scalar, !scalar.isNull else { return node.kindDescription }
        return "'\(scalar.text)'"
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
