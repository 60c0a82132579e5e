/// The name of one of the hard limits in ``YAMLLimits``, as it appears in error messages.
///
/// The raw values are the snake_case names authors and operators see ("limit max_depth"), so a
/// message can be searched for in the documentation.
public enum YAMLLimit: String, Hashable, Sendable, CaseIterable {
    /// ``YAMLLimits/maxDocumentBytes``.
    case maxDocumentBytes = "max_document_bytes"
    /// ``YAMLLimits/maxDepth``.
    case maxDepth = "max_depth"
    /// ``YAMLLimits/maxNodes``.
    case maxNodes = "max_nodes"
    /// ``YAMLLimits/maxAliasExpansion``.
    case maxAliasExpansion = "max_alias_expansion"
}
