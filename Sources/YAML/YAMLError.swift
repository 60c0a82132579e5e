public import Diagnostics

/// Why a YAML document was refused, where, and in words an author can act on.
///
/// Thrown (typed) by ``YAMLParser``; callers that report to people use ``diagnostic``, callers
/// that branch use ``reason``.
public struct YAMLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of problem.
    public enum Reason: Hashable, Sendable {
        /// libyaml could not parse the text (bad indentation, unclosed quote, …), or a merge key
        /// (`<<`) was given something other than a mapping or a list of mappings.
        case syntax
        /// The document exceeds one of the hard limits in ``YAMLLimits``.
        case limitExceeded(YAMLLimit)
        /// The document uses an explicit tag (`!foo`, `!!str`, `!!python/object`).
        case unsupportedTag
        /// The stream holds more than one document.
        case multipleDocuments
        /// The bytes are not UTF-8 YAML text: invalid UTF-8, a UTF-16/32 byte order mark, a NUL
        /// byte or a control character YAML forbids.
        case invalidEncoding
        /// A mapping names the same key twice.
        case duplicateKey
        /// An alias (`*name`) names no anchor defined before it, or names a node that contains it.
        case undefinedAlias
        /// The file could not be opened or read.
        case unreadableFile
    }

    /// The class of problem.
    public var reason: Reason
    /// Where the problem is (1-based line and column, counted in Unicode scalars).
    public var location: SourceLocation
    /// A sentence saying what is wrong, without the location.
    public var message: String

    /// Creates an error.
    public init(_ reason: Reason, at location: SourceLocation, _ message: String) {
        self.reason = reason
        self.location = location
        self.message = message
    }

    /// The stable diagnostic code for ``reason``: `yaml-syntax`, `yaml-limit`, `yaml-tag`,
    /// `yaml-multiple-documents`, `yaml-encoding`, `yaml-duplicate-key`, `yaml-undefined-alias`
    /// or `yaml-unreadable`.
    public var code: String {
        switch reason {
        case .syntax: return "yaml-syntax"
        case .limitExceeded: return "yaml-limit"
        case .unsupportedTag: return "yaml-tag"
        case .multipleDocuments: return "yaml-multiple-documents"
        case .invalidEncoding: return "yaml-encoding"
        case .duplicateKey: return "yaml-duplicate-key"
        case .undefinedAlias: return "yaml-undefined-alias"
        case .unreadableFile: return "yaml-unreadable"
        }
    }

    /// The error as a diagnostic, ready to print as `file:line:col: error: message`.
    public var diagnostic: Diagnostic {
        .error(code, at: location, message)
    }

    /// `file:line:col: error: message`.
    public var description: String { diagnostic.description }
}
