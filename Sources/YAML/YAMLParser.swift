internal import Diagnostics

/// Parses one untrusted YAML document into a ``YAMLNode`` tree, within ``YAMLLimits``.
///
/// The only door to libyaml in Persona. The result is a plain tree: aliases expanded (capped by
/// `maxAliasExpansion`), merge keys applied, duplicate keys, explicit tags and second documents
/// refused, and every node carrying its 1-based line and column in Unicode scalars.
///
/// Locations: a node starts at its first property when it has one (`&anchor`), else at its
/// first character; a block collection starts at its first key or `-`; an implicit null value
/// (`key:` with nothing after it) sits just after the colon. A merge key given something other
/// than mappings is reported as `.syntax`.
///
/// What it deliberately does not do: resolve types. Every scalar stays text plus style, and
/// decoders decide what `yes`, `0o17` or `1e3` mean for the key they expect.
public struct YAMLParser: Sendable {
    /// The limits every document is held to.
    public var limits: YAMLLimits

    /// Creates a parser.
    public init(limits: YAMLLimits = .default) {
        self.limits = limits
    }

    /// Parses `bytes` as one YAML document. `file` is used as ``SourceLocation/file`` in every
    /// location. An empty stream (or one holding only comments) is a null plain scalar at 1:1.
    public func parse(_ bytes: [UInt8], file: String) throws(YAMLError) -> YAMLNode {
        guard bytes.count <= limits.maxDocumentBytes else {
            throw tooLarge(file: file)
        }
        let input = try YAMLInput(bytes, file: file)
        let events = try YAMLEventStream(input)
        var builder = YAMLTreeBuilder(limits: limits)
        while true {
            let event = try events.next()
            try builder.apply(event)
            if case .streamEnd = event { break }
        }
        return builder.root
            ?? YAMLNode(.scalar(YAMLScalar("")), location: SourceLocation(file: file, line: 1, column: 1))
    }

    func tooLarge(file: String) -> YAMLError {
        YAMLError(
            .limitExceeded(.maxDocumentBytes), at: SourceLocation(file: file, line: 1, column: 1),
            "document is larger than \(limits.maxDocumentBytes) bytes (limit \(YAMLLimit.maxDocumentBytes.rawValue))"
        )
    }
}
