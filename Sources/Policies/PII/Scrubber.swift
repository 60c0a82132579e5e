/// Finds and replaces personal data and secrets in chat text.
///
/// Use one per event loop: ``scan(_:)`` is pure; ``scrub(_:)`` also counts redactions by
/// type in ``counters``. Offsets in ``PIIEntity`` are Unicode-scalar offsets into the text as
/// given, half-open. What is detected, and how each detector validates, is documented on
/// ``PIIType`` and the detector methods; look-alike characters are normalised first (see
/// the note on normalisation below).
///
/// Normalisation: full-width forms, Unicode spaces and hyphens, and zero-width characters
/// cannot hide an entity (`４１１１ １１１１…`, `555\u{200B}-0100`); findings still point at
/// the original text.
///
/// Replacement: ``PIIReplacement/label(template:)`` or per-session placeholders. Scrubbing is
/// idempotent for the built-in replacements: labels and placeholders are never detected, so
/// `scrub(scrub(x)) == scrub(x)`.
///
/// Failure is closed: input over ``ScrubberConfiguration/maxInputBytes`` throws
/// ``ScrubError/inputTooLarge(bytes:limit:)``; the caller refuses the message.
public struct Scrubber: Sendable {
    /// The settings in force.
    public let configuration: ScrubberConfiguration
    /// Redactions performed by ``scrub(_:)`` and ``scrub(_:session:)``, by type.
    public private(set) var counters = RedactionCounters()
    let labels: [String]
    let enabled: [Bool]
    let reportURLs: Bool

    /// Creates a scrubber.
    public init(configuration: ScrubberConfiguration = ScrubberConfiguration()) {
        self.configuration = configuration
        var labels: [String] = []
        var enabled: [Bool] = []
        for type in PIIType.allCases {
            switch configuration.replacement {
            case .label(let template): labels.append(template.replacing("{type}", with: type.label))
            case .placeholder: labels.append("<\(type.label)>")
            }
            enabled.append(configuration.types.contains(type))
        }
        self.labels = labels
        self.enabled = enabled
        reportURLs = configuration.types.contains(.url)
    }

    /// The findings in `text`, in order, non-overlapping.
    public func scan(_ text: String) throws(ScrubError) -> [PIIEntity] {
        var text = text
        let limit = configuration.maxInputBytes
        if text.utf8.count > limit { throw .inputTooLarge(bytes: text.utf8.count, limit: limit) }
        return text.withUTF8 { buffer in
            let spans = findings(in: buffer, from: 0)
            return Scrubber.entities(spans, in: buffer)
        }
    }

    /// `text` with every finding replaced by its label (or, in placeholder mode, by a
    /// placeholder from a fresh session).
    public mutating func scrub(_ text: String) throws(ScrubError) -> String {
        var session = ScrubSession()
        return try scrub(text, session: &session)
    }

    /// `text` with every finding replaced; placeholders come from `session`.
    public mutating func scrub(_ text: String, session: inout ScrubSession) throws(ScrubError) -> String {
        var text = text
        let limit = configuration.maxInputBytes
        if text.utf8.count > limit { throw .inputTooLarge(bytes: text.utf8.count, limit: limit) }
        let original = text
        return text.withUTF8 { buffer in
            let spans = findings(in: buffer, from: 0)
            if spans.isEmpty { return original }
            return render(buffer, spans, range: 0..<buffer.count, session: &session)
        }
    }

    /// Findings in original byte offsets, starting at or after `from` (earlier bytes are
    /// context), filtered by the configured types.
    func findings(in buffer: UnsafeBufferPointer<UInt8>, from: Int) -> [RawMatch] {
        var ascii = true
        for byte in buffer where byte >= 0x80 {
            ascii = false
            break
        }
        var matches: [RawMatch]
        if ascii {
            matches = PIIScanner.scan(buffer, from: from, reportURLs: reportURLs)
        } else {
            let text = ScanText(normalizing: buffer)
            // `from` is a byte offset in the original; find the first normalised byte at or after it.
            var normalisedFrom = 0
            while normalisedFrom < text.bytes.count && Int(text.originalOffsets[normalisedFrom]) < from {
                normalisedFrom += 1
            }
            matches = text.bytes.withUnsafeBufferPointer {
                PIIScanner.scan($0, from: normalisedFrom, reportURLs: reportURLs)
            }
            for index in matches.indices {
                matches[index].start = Int(text.originalOffsets[matches[index].start])
                matches[index].end = Int(text.originalOffsets[matches[index].end])
                matches[index].anchor = Int(text.originalOffsets[matches[index].anchor])
            }
        }
        if configuration.types.count != PIIType.allCases.count {
            matches.removeAll { !enabled[$0.type.ordinal] }
        }
        return matches
    }

    /// Converts byte spans to scalar-offset entities.
    static func entities(_ spans: [RawMatch], in buffer: UnsafeBufferPointer<UInt8>) -> [PIIEntity] {
        guard !spans.isEmpty else { return [] }
        var result: [PIIEntity] = []
        result.reserveCapacity(spans.count)
        var scalars = 0
        var byte = 0
        func advance(to target: Int) {
            while byte < target {
                if buffer[byte] & 0xC0 != 0x80 { scalars += 1 }
                byte += 1
            }
        }
        for span in spans {
            advance(to: span.start)
            let start = scalars
            advance(to: span.end)
            result.append(PIIEntity(type: span.type, start: start, end: scalars))
        }
        return result
    }

    /// The bytes in `range` with the spans (all inside `range`) replaced.
    mutating func render(
        _ buffer: UnsafeBufferPointer<UInt8>, _ spans: [RawMatch], range: Range<Int>,
        session: inout ScrubSession
    ) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(range.count + spans.count * 16)
        var cursor = range.lowerBound
        for span in spans {
            output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[cursor..<span.start]))
            switch configuration.replacement {
            case .label:
                output.append(contentsOf: labels[span.type.ordinal].utf8)
            case .placeholder:
                let value = String(
                    decoding: UnsafeBufferPointer(rebasing: buffer[span.start..<span.end]), as: UTF8.self)
                output.append(contentsOf: session.placeholder(for: span.type, value: value[...]).utf8)
            }
            counters.count(span.type)
            cursor = span.end
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[cursor..<range.upperBound]))
        return String(decoding: output, as: UTF8.self)
    }
}
