import Diagnostics
import YAML

/// Collects every problem found while decoding one file, so an author sees all of them in
/// one run instead of fixing them one at a time.
///
/// Decoders never throw on bad author input: they report a diagnostic here, skip the bad
/// value, and carry on, so the rest of the file is still checked.
public struct DecodingContext: Sendable {
    /// The file being decoded, as shown in diagnostics.
    public let file: String
    /// Everything reported so far, in report order.
    public private(set) var diagnostics: [Diagnostic] = []

    /// Creates a context for one file.
    public init(file: String) {
        self.file = file
    }

    /// True when at least one error (not warning) has been reported.
    public var hasErrors: Bool { diagnostics.containsErrors }

    /// Reports an error at a node.
    public mutating func error(_ code: String, at node: YAMLNode, _ message: String) {
        diagnostics.append(.error(code, at: node.location, message))
    }

    /// Reports an error at a location.
    public mutating func error(_ code: String, at location: SourceLocation?, _ message: String) {
        diagnostics.append(.error(code, at: location, message))
    }

    /// Reports a warning at a node.
    public mutating func warning(_ code: String, at node: YAMLNode, _ message: String) {
        diagnostics.append(.warning(code, at: node.location, message))
    }

    /// Reports a warning at a location.
    public mutating func warning(_ code: String, at location: SourceLocation?, _ message: String) {
        diagnostics.append(.warning(code, at: location, message))
    }

    /// Adds diagnostics found elsewhere (by the YAML parser, or another pass).
    public mutating func append(contentsOf other: [Diagnostic]) {
        diagnostics.append(contentsOf: other)
    }
}
