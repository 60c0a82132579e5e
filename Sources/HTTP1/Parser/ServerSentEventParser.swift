/// An incremental parser for an `text/event-stream` body (WHATWG HTML §9.2.6 "Interpreting an
/// event stream"), for clients reading streamed API responses.
///
/// Lines end in CRLF, LF or CR; a line starting with `:` is a comment (servers use them as
/// keep-alives); `field: value` drops exactly one space after the colon; `data` lines of one
/// event are joined with LF; a blank line dispatches the event, and an event without `data`
/// is not dispatched. A leading byte-order mark is skipped. Unknown fields are ignored.
///
/// Limits (checked as soon as they are exceeded, before buffering more): a line longer than
/// ``Configuration/maxLineLength`` and an event whose data exceeds
/// ``Configuration/maxEventBytes`` fail the stream — a peer cannot make us buffer without end.
public struct ServerSentEventParser: Sendable {
    /// Limits.
    public struct Configuration: Hashable, Sendable {
        /// Longest line, without its line ending. Default 256 KiB.
        public var maxLineLength: Int
        /// Largest `data` of one event. Default 1 MiB.
        public var maxEventBytes: Int

        /// Creates limits.
        public init(maxLineLength: Int = 256 * 1024, maxEventBytes: Int = 1 << 20) {
            self.maxLineLength = maxLineLength
            self.maxEventBytes = maxEventBytes
        }
    }

    /// Why a stream was refused.
    public enum ParseError: Error, Hashable, Sendable {
        /// A line exceeded ``Configuration/maxLineLength``.
        case lineTooLong
        /// An event's data exceeded ``Configuration/maxEventBytes``.
        case eventTooLarge
    }

    /// The limits in force.
    public let configuration: Configuration
    private var line: [UInt8] = []
    private var afterCR = false
    private var atStart = true
    private var data: [UInt8] = []
    private var hasData = false
    private var eventType: String?
    private var lastID: String?
    private var retry: Int?
    private var failure: ParseError?

    /// Creates a parser.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Parses `bytes`; returns the events they completed, in order.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(ParseError) -> [ServerSentEvent] {
        if let failure { throw failure }
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if afterCR {
                afterCR = false
                if byte == 0x0A { continue }
            }
            if byte == 0x0A || byte == 0x0D {
                afterCR = byte == 0x0D
                try endLine(into: &events)
                continue
            }
            line.append(byte)
            if line.count > configuration.maxLineLength { throw fail(.lineTooLong) }
        }
        return events
    }

    /// Convenience for arrays.
    public mutating func feed(_ bytes: [UInt8]) throws(ParseError) -> [ServerSentEvent] {
        var result: Result<[ServerSentEvent], ParseError> = .success([])
        bytes.withUnsafeBytes { raw in result = Result { () throws(ParseError) in try feed(raw) } }
        return try result.get()
    }

    private mutating func endLine(into events: inout [ServerSentEvent]) throws(ParseError) {
        defer { line.removeAll(keepingCapacity: true) }
        if atStart {
            atStart = false
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        }
        if line.isEmpty {
            if hasData {
                events.append(
                    ServerSentEvent(
                        event: eventType, data: String(decoding: data, as: UTF8.self), id: lastID,
                        retryMilliseconds: retry))
            }
            data.removeAll(keepingCapacity: true)
            hasData = false
            eventType = nil
            retry = nil
            return
        }
        if line.first == 0x3A { return }
        let colon = line.firstIndex(of: 0x3A)
        let name = colon.map { line[..<$0] } ?? line[...]
        var value = colon.map { line[($0 + 1)...] } ?? []
        if value.first == 0x20 { value = value.dropFirst() }
        switch String(decoding: name, as: UTF8.self) {
        case "data":
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            hasData = true
            if data.count > configuration.maxEventBytes { throw fail(.eventTooLarge) }
        case "event":
            eventType = String(decoding: value, as: UTF8.self)
        case "id":
            if !value.contains(0) { lastID = String(decoding: value, as: UTF8.self) }
        case "retry":
            if !value.isEmpty, value.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), value.count < 10 {
                retry = Int(String(decoding: value, as: UTF8.self))
            }
        default:
            break
        }
    }

    private mutating func fail(_ error: ParseError) -> ParseError {
        failure = error
        return error
    }
}
