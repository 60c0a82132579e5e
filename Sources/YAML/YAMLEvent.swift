internal import Diagnostics

/// One libyaml parse event, copied out of C memory into Swift values so the C event can be
/// freed at once.
enum YAMLEvent {
    /// Node properties shared by scalars and collection starts.
    struct Properties {
        /// `&name`, without the ampersand.
        var anchor: String?
        /// The explicit tag, if any (always refused by the tree builder).
        var tag: String?
        /// Where the node (including its properties) starts.
        var location: SourceLocation
    }

    case streamStart
    case streamEnd
    case documentStart(SourceLocation)
    case documentEnd
    case alias(String, SourceLocation)
    case scalar(YAMLScalar, Properties)
    case sequenceStart(Properties)
    case sequenceEnd
    case mappingStart(Properties)
    case mappingEnd
}
