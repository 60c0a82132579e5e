import JSON
import Policies

/// The work behind `persona scrub --score FILE.jsonl`: reads labelled messages, scans each
/// with the scrubber and renders a ``PIIScorecard``.
///
/// Input lines (JSON Lines; blank lines skipped):
/// `{"id": <any>, "text": "<string>", "entities": [{"type": "<name>", "start": S, "end": E}],
/// "decoys": [{"kind": "<free text>", "start": S, "end": E}]}` — offsets in Unicode code
/// points, end exclusive; `entities` may be empty (a clean message) and `decoys` is optional.
/// Type names are canonicalised by ``PIIScorecard/canonicalType(_:)``. A malformed line is an
/// error naming its line number: a scorecard over a silently shortened set would mislead.
struct ScrubScore {
    /// A line that could not be read, with its 1-based number.
    struct LineError: Error, CustomStringConvertible {
        var line: Int
        var problem: String
        var description: String { "line \(line): \(problem)" }
    }

    /// The scrubber's settings.
    var configuration: ScrubberConfiguration
    /// Whether to list misses and false alarms after the table.
    var listMistakes = true

    /// Parses the labelled set in `bytes`.
    static func messages(in bytes: [UInt8]) throws(LineError) -> [LabelledMessage] {
        let parser = JSONParser()
        var messages: [LabelledMessage] = []
        var number = 0
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let value: JSONValue
            do {
                value = try Array(line).withUnsafeBufferPointer { try parser.parse($0) }
            } catch {
                throw LineError(line: number, problem: "invalid JSON: \(error)")
            }
            guard let object = value.objectValue, let id = object["id"] else {
                throw LineError(line: number, problem: "expected an object with \"id\"")
            }
            guard let text = object["text"]?.stringValue else {
                throw LineError(line: number, problem: "\"text\" must be a string")
            }
            let scalarCount = text.unicodeScalars.count
            func spans(_ key: String, typeKey: String) throws(LineError) -> [LabelledMessage.Span] {
                guard let value = object[key] else {
                    if key == "decoys" { return [] }
                    throw LineError(line: number, problem: "missing \"\(key)\"")
                }
                guard let array = value.arrayValue else {
                    throw LineError(line: number, problem: "\"\(key)\" must be an array")
                }
                var result: [LabelledMessage.Span] = []
                for element in array {
                    guard let item = element.objectValue, let name = item[typeKey]?.stringValue,
                        let start = item["start"]?.intValue, let end = item["end"]?.intValue
                    else {
                        throw LineError(
                            line: number, problem: "each of \"\(key)\" needs \"\(typeKey)\", \"start\", \"end\"")
                    }
                    guard 0 <= start, start < end, end <= scalarCount else {
                        throw LineError(
                            line: number,
                            problem: "span [\(start), \(end)) is outside the text (\(scalarCount) code points)")
                    }
                    let type = key == "entities" ? PIIScorecard.canonicalType(name) : name
                    result.append(LabelledMessage.Span(type: type, start: start, end: end))
                }
                return result
            }
            let idText = id.stringValue ?? id.serialized()
            messages.append(
                LabelledMessage(
                    id: idText, text: text, entities: try spans("entities", typeKey: "type"),
                    decoys: try spans("decoys", typeKey: "kind")))
        }
        return messages
    }

    /// Scores `messages`; a message the scrubber refuses (too large) counts as found-nothing.
    func score(_ messages: [LabelledMessage]) -> PIIScorecard {
        let scrubber = Scrubber(configuration: configuration)
        var card = PIIScorecard()
        for message in messages {
            card.add(message, found: (try? scrubber.scan(message.text)) ?? [])
        }
        return card
    }

    /// The types to scan for: `requested` (a comma-separated list of type names, or `all`)
    /// when given; otherwise the default types plus every type the set labels, since a type
    /// someone labelled is a type they want found.
    static func types(requested: String?, labelled messages: [LabelledMessage]) throws(LineError) -> Set<PIIType> {
        if let requested {
            if requested == "all" { return Set(PIIType.allCases) }
            var types = Set<PIIType>()
            for name in requested.split(separator: ",") {
                let canonical = PIIScorecard.canonicalType(String(name).trimmingSpaces())
                guard let type = PIIType(rawValue: canonical) else {
                    throw LineError(
                        line: 0,
                        problem: "unknown type '\(name)'; known: \(PIIType.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                types.insert(type)
            }
            return types
        }
        var types = PIIType.defaultTypes
        for message in messages {
            for span in message.entities { if let type = PIIType(rawValue: span.type) { types.insert(type) } }
        }
        return types
    }

    /// The report: a table per type, the pooled figures, and (when asked) every miss and false alarm.
    func render(_ card: PIIScorecard, source: String) -> String {
        let overall = card.overall
        var lines: [String] = []
        lines.append(
            "scorecard for \(source): \(card.messages) messages (\(card.cleanMessages) clean), "
                + "\(overall.labelled) labelled spans, \(overall.found) findings")
        lines.append(
            ScrubScore.row(["type", "labelled", "found", "matched", "precision", "recall", "f1", "full-span"]))
        let names = card.types.keys.sorted { left, right in
            let l = PIIType(rawValue: left).map { PIIType.allCases.firstIndex(of: $0)! } ?? Int.max
            let r = PIIType(rawValue: right).map { PIIType.allCases.firstIndex(of: $0)! } ?? Int.max
            return l == r ? left < right : l < r
        }
        for name in names {
            let score = card.types[name]!
            lines.append(ScrubScore.row(name, score))
        }
        lines.append(ScrubScore.row("typed (all)", overall))
        lines.append(
            "full-span recall: \(ScrubScore.fixed(overall.fullSpanRecall)) "
                + "(\(overall.covered) of \(overall.labelled) labelled spans wholly redacted)")
        lines.append(
            "typed: precision \(ScrubScore.fixed(overall.precision)), recall \(ScrubScore.fixed(overall.recall)), "
                + "F1 \(ScrubScore.fixed(overall.f1))")
        lines.append(
            "clean false alarms: \(ScrubScore.fixed(card.cleanFalseAlarmRate)) "
                + "(\(card.cleanFalseAlarms) of \(card.cleanMessages) clean messages had a finding)")
        if card.decoys > 0 { lines.append("decoys hit: \(card.decoysHit) of \(card.decoys)") }
        if listMistakes {
            lines.append("misses (\(card.misses.count)):")
            for miss in card.misses {
                let found = miss.overlapping.isEmpty ? "nothing" : miss.overlapping.map(\.description).joined(separator: ", ")
                lines.append(
                    "  \(miss.id) \(miss.span.type)[\(miss.span.start),\(miss.span.end)) \(quoted(miss.text)) — found \(found)")
            }
            lines.append("false alarms (\(card.falseAlarms.count)):")
            for alarm in card.falseAlarms {
                lines.append(
                    "  \(alarm.id) \(alarm.entity) \(quoted(alarm.text))\(alarm.onDecoy ? " (a marked decoy)" : "")")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func quoted(_ text: String) -> String {
        JSONValue.string(text).serialized()
    }

    static func row(_ name: String, _ score: PIIScorecard.TypeScore) -> String {
        row([
            name, "\(score.labelled)", "\(score.found)", "\(score.matched)", fixed(score.precision),
            fixed(score.recall), fixed(score.f1), fixed(score.fullSpanRecall),
        ])
    }

    static func row(_ cells: [String]) -> String {
        let widths = [16, 9, 6, 8, 10, 7, 6, 9]
        var line = ""
        for (index, cell) in cells.enumerated() {
            let width = widths[min(index, widths.count - 1)]
            if index == 0 {
                line += cell + String(repeating: " ", count: max(1, width - cell.count))
            } else {
                line += String(repeating: " ", count: max(1, width - cell.count)) + cell
            }
        }
        return line
    }

    /// Three decimals, rounded.
    static func fixed(_ value: Double) -> String {
        let scaled = Int((value * 1000).rounded())
        let fraction = String(scaled % 1000)
        return "\(scaled / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var view = self[...]
        while view.first == " " { view.removeFirst() }
        while view.last == " " { view.removeLast() }
        return String(view)
    }
}
