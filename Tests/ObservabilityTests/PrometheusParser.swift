import Foundation
import JSON
import PersonaTestSupport

/// Runs the real `prometheus_client` text parser (Tests/PersonaTests/Python/ops_parse_metrics.py)
/// on exposition text and returns what it understood.
enum PrometheusParser {
    /// Whether python3 with `prometheus_client` is installed (CI installs Tests/requirements.txt).
    static let isAvailable: Bool = {
        let result = try? ProcessResult.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import prometheus_client"])
        return result?.status == 0
    }()

    /// One parsed sample.
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: JSONValue
    }

    /// One parsed family.
    struct Family {
        var name: String
        var type: String
        var help: String
        var samples: [Sample]
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Parses `text`; throws with the parser's message if it rejects it.
    static func parse(_ text: String) throws -> [Family] {
        let script = PersonaBinary.packageRoot.appendingPathComponent(
            "Tests/PersonaTests/Python/ops_parse_metrics.py")
        let result = try ProcessResult.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path], input: text)
        guard result.status == 0 else {
            throw Failure(description: result.stderr + "\n--- input ---\n" + text)
        }
        let root = try JSONValue(parsing: result.stdout)
        return (root["families"]?.arrayValue ?? []).map { family in
            Family(
                name: family["name"]?.stringValue ?? "", type: family["type"]?.stringValue ?? "",
                help: family["help"]?.stringValue ?? "",
                samples: (family["samples"]?.arrayValue ?? []).map { sample in
                    var labels: [String: String] = [:]
                    for (key, value) in sample["labels"]?.objectValue ?? [:] {
                        labels[key] = value.stringValue
                    }
                    return Sample(
                        name: sample["name"]?.stringValue ?? "", labels: labels,
                        value: sample["value"] ?? .null)
                })
        }
    }
}

extension JSONValue {
    /// The value as a double, whether the parser wrote an integer or a float.
    var number: Double? { doubleValue ?? int64Value.map(Double.init) }
}
