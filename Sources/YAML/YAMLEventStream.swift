internal import CYAML
internal import Diagnostics

/// Owns one libyaml parser and hands out its events as Swift values.
///
/// A class so that `deinit` frees the parser and the input copy on every path, thrown errors
/// included. This is the only type in Persona that holds libyaml pointers.
final class YAMLEventStream {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private let input: YAMLInput
    private var finished = false

    /// Prepares a parser over the checked input. libyaml reads the bytes in place, so they are
    /// copied into a buffer this stream owns for as long as the parser lives.
    init(_ input: YAMLInput) throws(YAMLError) {
        self.input = input
        buffer = .allocate(capacity: max(input.text.count, 1))
        _ = buffer.initialize(from: input.text)
        parser = .allocate(capacity: 1)
        guard yaml_parser_initialize(parser) == 1 else {
            parser.deallocate()
            buffer.deallocate()
            throw YAMLError(
                .syntax, at: SourceLocation(file: input.file, line: 1, column: 1),
                "libyaml could not allocate a parser")
        }
        yaml_parser_set_input_string(parser, buffer.baseAddress, input.text.count)
        // The input is already known to be UTF-8 without a byte order mark; saying so keeps
        // libyaml from guessing.
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        buffer.deallocate()
    }

    /// The next event; after `.streamEnd` or an error the stream must not be asked again.
    func next() throws(YAMLError) -> YAMLEvent {
        precondition(!finished, "YAMLEventStream read past its end")
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else {
            finished = true
            throw parserError()
        }
        defer { yaml_event_delete(&event) }
        let location = self.location(event.start_mark)
        switch event.type {
        case YAML_STREAM_START_EVENT:
            return .streamStart
        case YAML_STREAM_END_EVENT:
            finished = true
            return .streamEnd
        case YAML_DOCUMENT_START_EVENT:
            return .documentStart(location)
        case YAML_DOCUMENT_END_EVENT:
            return .documentEnd
        case YAML_ALIAS_EVENT:
            return .alias(string(event.data.alias.anchor) ?? "", location)
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let text =
                data.value.map {
                    String(decoding: UnsafeBufferPointer(start: $0, count: data.length), as: UTF8.self)
                } ?? ""
            let scalar = YAMLScalar(text, style: style(data.style))
            return .scalar(
                scalar, .init(anchor: string(data.anchor), tag: string(data.tag), location: location))
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            return .sequenceStart(
                .init(anchor: string(data.anchor), tag: string(data.tag), location: location))
        case YAML_SEQUENCE_END_EVENT:
            return .sequenceEnd
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            return .mappingStart(
                .init(anchor: string(data.anchor), tag: string(data.tag), location: location))
        case YAML_MAPPING_END_EVENT:
            return .mappingEnd
        default:
            finished = true
            throw YAMLError(.syntax, at: location, "libyaml produced an unexpected event")
        }
    }

    /// libyaml 0.2.5 counts mark lines and columns from 0, and columns in characters (it
    /// decodes before counting), so they only need shifting to 1-based. Tests pin this with
    /// multi-byte text.
    ///
    /// At the end of a text without a final line break libyaml pretends one is there and marks
    /// the start of a line that does not exist; such marks are moved back to the real end.
    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        let location = SourceLocation(
            file: input.file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
        return location > input.end ? input.end : location
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    private func style(_ style: yaml_scalar_style_t) -> YAMLScalar.Style {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: return .literal
        case YAML_FOLDED_SCALAR_STYLE: return .folded
        default: return .plain
        }
    }

    /// libyaml's problem and context strings turned into one sentence at the problem's place.
    private func parserError() -> YAMLError {
        let state = parser.pointee
        let problem = state.problem.map { String(cString: $0) } ?? "the document could not be parsed"
        switch state.error {
        case YAML_MEMORY_ERROR:
            return YAMLError(
                .syntax, at: SourceLocation(file: input.file, line: 1, column: 1),
                "libyaml ran out of memory")
        case YAML_READER_ERROR:
            // Reader problems carry a byte offset rather than a mark. Input checks catch these
            // first; this path stays for safety.
            return YAMLError(
                .invalidEncoding, at: input.location(ofByteOffset: Int(state.problem_offset)), problem)
        default:
            var message = problem
            if let context = state.context.map({ String(cString: $0) }) {
                let start = location(state.context_mark)
                message += " (\(context) that starts at \(start.line):\(start.column))"
            }
            if let hint = Self.hint(for: problem) { message += "; \(hint)" }
            // A tag handle libyaml cannot resolve (`!foo!bar`) is still a tag, and refused as one.
            let reason: YAMLError.Reason = problem == "found undefined tag handle" ? .unsupportedTag : .syntax
            return YAMLError(reason, at: location(state.problem_mark), message)
        }
    }

    /// A plain-words hint for the libyaml problems authors meet most.
    private static func hint(for problem: String) -> String? {
        switch problem {
        case "mapping values are not allowed in this context":
            return "a value that contains ': ' must be quoted"
        case "found character that cannot start any token":
            return "tabs cannot indent YAML, and values starting with '@' or '`' must be quoted"
        case "did not find expected key":
            return "check the indentation of this line"
        case "found undefined tag handle":
            return "explicit tags are not supported, so remove the tag"
        default:
            return nil
        }
    }
}
