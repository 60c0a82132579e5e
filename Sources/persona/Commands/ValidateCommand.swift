import CLI
import Foundation
import Diagnostics
import JSON
import Personality

/// `persona validate`: checks personality, limits and routing files and reports every problem
/// as `file:line:col: error: message`, so authors fix everything in one pass.
enum ValidateCommand {
    /// Output formats.
    enum Format: String, CaseIterable {
        case text, json
    }

    /// The command's declaration.
    static let command = Command(
        name: "validate",
        abstract: "Check personality files and report every problem with its location.",
        discussion: """
            Reads every *.yaml / *.yml under the given paths (subfolders included): \
            limits.yaml and routing.yaml are the rule files, every other file a personality. \
            A personality file given on its own is checked with the limits.yaml and \
            routing.yaml beside it, as the server would load it. Exits 1 when there is any \
            error; warnings alone exit 0.
            """,
        arguments: [
            Argument("path", .zeroOrMore, default: "Personalities", help: "Files or folders to check.")
        ],
        options: [
            .option("format", type: .choice(of: Format.self), default: "text", help: "How to print the report."),
            .flag("run-tests", help: "Also run every personality's tests: after a clean validation."),
        ],
        run: run)

    /// `paths` plus the rule files beside each personality file given on its own, unless a rule
    /// file of that kind was given: a personality's `limits: strict` means the `strict` of the
    /// limits.yaml next to it, and checking it against none would report a false error.
    static func withRuleFilesBeside(_ paths: [String]) -> [String] {
        let ruleNames = ["limits.yaml", "limits.yml", "routing.yaml", "routing.yml"]
        let givenRoles: Set<String> = Set(
            paths.map { URL(fileURLWithPath: $0).lastPathComponent }.filter { ruleNames.contains($0) }
                .map { String($0.prefix { $0 != "." }) })
        var result = paths
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            let url = URL(fileURLWithPath: path)
            guard !ruleNames.contains(url.lastPathComponent) else { continue }
            for role in ["limits", "routing"] where !givenRoles.contains(role) {
                for name in ["\(role).yaml", "\(role).yml"] {
                    let sibling = (path as NSString).deletingLastPathComponent
                    let candidate = sibling.isEmpty ? name : (sibling as NSString).appendingPathComponent(name)
                    if FileManager.default.fileExists(atPath: candidate), !result.contains(candidate) {
                        result.append(candidate)
                    }
                }
            }
        }
        return result
    }

    /// Validates, prints the report, and fails when there is an error.
    static func run(_ values: ParsedValues, _ context: CommandContext) async throws {
        let paths = withRuleFilesBeside(values.strings("path"))
        let (files, readProblems) = SourceTree().read(paths)
        let result = RegistryBuilder(catalog: BuiltInEngines.catalog, environment: ProcessInfo.processInfo.environment).build(files, readDiagnostics: readProblems)
        let diagnostics = result.diagnostics
        switch try values.choice("format", as: Format.self) {
        case .text:
            for diagnostic in diagnostics { context.stdout.writeLine(diagnostic.description) }
            context.stdout.writeLine(
                "Checked \(DiagnosticRendering.counted(files.count, "file")) (\(DiagnosticRendering.counted(result.personalities.count, "personality", plural: "personalities"))): \(DiagnosticRendering.summary(diagnostics)).")
        case .json:
            let report: JSONValue = .object([
                "files": .integer(Int64(files.count)),
                "personalities": .array(result.personalities.map { .string($0.id) }),
                "errors": .integer(Int64(diagnostics.filter { $0.severity == .error }.count)),
                "warnings": .integer(Int64(diagnostics.filter { $0.severity == .warning }.count)),
                "diagnostics": .array(diagnostics.map(DiagnosticRendering.json)),
            ])
            context.stdout.writeLine(report.serialized(pretty: true))
        }
        if diagnostics.containsErrors {
            throw CommandFailure("validation failed: \(DiagnosticRendering.summary(diagnostics))")
        }
        if values.flag("run-tests"), let snapshot = result.snapshot {
            try await AuthorTests.run(snapshot.personalities, context: context)
        }
    }
}
