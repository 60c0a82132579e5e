import Diagnostics
import YAML

/// Parses `text` as the file `test.yaml`.
func parse(_ text: String, limits: YAMLLimits = .default) throws(YAMLError) -> YAMLNode {
    try YAMLParser(limits: limits).parse(Array(text.utf8), file: "test.yaml")
}

/// The error parsing `text` throws, or `nil` when it parses.
func parseError(_ text: String, limits: YAMLLimits = .default) -> YAMLError? {
    parseError(bytes: Array(text.utf8), limits: limits)
}

/// The error parsing `bytes` throws, or `nil` when they parse.
func parseError(bytes: [UInt8], limits: YAMLLimits = .default) -> YAMLError? {
    do {
        _ = try YAMLParser(limits: limits).parse(bytes, file: "test.yaml")
        return nil
    } catch {
        return error
    }
}

/// A location in `test.yaml`.
func at(_ line: Int, _ column: Int) -> SourceLocation {
    SourceLocation(file: "test.yaml", line: line, column: column)
}

extension YAMLNode {
    /// The value for a scalar key, for terse assertions.
    subscript(key: String) -> YAMLNode? {
        mapping?.first { $0.key.scalar?.text == key }?.value
    }

    /// The scalar text, for terse assertions.
    var text: String? { scalar?.text }
}

/// The error reading and parsing the file at `path` throws, or `nil` when it parses.
func fileError(atPath path: String, limits: YAMLLimits = .default) -> YAMLError? {
    do {
        _ = try YAMLParser(limits: limits).parseFile(atPath: path)
        return nil
    } catch {
        return error
    }
}
