import Policies
import Testing

@Suite("PII accuracy on the labelled fixture")
struct PIIAccuracyTests {
    @Test("the fixture holds at least 300 messages with every type represented")
    func fixtureIsLargeEnough() {
        let messages = LabelledMessage.all
        #expect(messages.count >= 300)
        let types = Set(messages.flatMap { $0.entities.map(\.type) })
        #expect(types == PIIType.defaultTypes)
        #expect(messages.filter { $0.entities.isEmpty }.count >= 100, "hard negatives")
    }

    @Test("precision and recall are at least 0.95 overall, per type printed")
    func precisionAndRecall() throws {
        let scrubber = Scrubber()
        var truePositives: [PIIType: Int] = [:]
        var falsePositives: [PIIType: Int] = [:]
        var falseNegatives: [PIIType: Int] = [:]
        var report: [String] = []
        for message in LabelledMessage.all {
            let found = try scrubber.scan(message.text)
            let expected = Set(message.entities)
            for entity in found {
                if expected.contains(entity) {
                    truePositives[entity.type, default: 0] += 1
                } else {
                    falsePositives[entity.type, default: 0] += 1
                    report.append(
                        "FP #\(message.id) \(entity) '\(message.slice(entity))' in: \(message.text)")
                }
            }
            for entity in expected where !found.contains(entity) {
                falseNegatives[entity.type, default: 0] += 1
                report.append(
                    "FN #\(message.id) \(entity) '\(message.slice(entity))' in: \(message.text) found \(found)"
                )
            }
        }
        var lines = ["type              precision  recall   tp  fp  fn"]
        for type in PIIType.allCases {
            let tp = truePositives[type, default: 0]
            let fp = falsePositives[type, default: 0]
            let fn = falseNegatives[type, default: 0]
            lines.append(Self.row(type.rawValue, tp, fp, fn))
        }
        let tp = truePositives.values.reduce(0, +)
        let fp = falsePositives.values.reduce(0, +)
        let fn = falseNegatives.values.reduce(0, +)
        lines.append(Self.row("overall", tp, fp, fn))
        print(lines.joined(separator: "\n"))
        if !report.isEmpty { print(report.joined(separator: "\n")) }
        let precision = Double(tp) / Double(max(1, tp + fp))
        let recall = Double(tp) / Double(max(1, tp + fn))
        #expect(precision >= 0.95, "overall precision \(precision)")
        #expect(recall >= 0.95, "overall recall \(recall)")
    }

    static func row(_ name: String, _ tp: Int, _ fp: Int, _ fn: Int) -> String {
        let precision = tp + fp == 0 ? 1.0 : Double(tp) / Double(tp + fp)
        let recall = tp + fn == 0 ? 1.0 : Double(tp) / Double(tp + fn)
        func pad(_ text: String, _ width: Int) -> String {
            text + String(repeating: " ", count: max(0, width - text.count))
        }
        func fixed(_ value: Double) -> String {
            let scaled = Int((value * 1000).rounded())
            return "\(scaled / 1000).\(String(scaled % 1000).leftPadded(to: 3))"
        }
        return pad(name, 18) + pad(fixed(precision), 11) + pad(fixed(recall), 8) + pad("\(tp)", 4)
            + pad("\(fp)", 4) + "\(fn)"
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
