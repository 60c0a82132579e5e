/// Splits a byte stream into newline-delimited JSON values (JSON Lines / NDJSON), for protocols
/// that frame one JSON text per line — the `process` engine's stdin/stdout, log tails.
///
/// Incremental: ``feed(_:)`` bytes as they arrive in any chunking, then call ``next()`` until it
/// returns `nil`; at end of stream ``finish()`` yields a last line that had no newline. Blank
/// lines are skipped and a `\r` before the `\n` is ordinary JSON whitespace, so CRLF works.
///
/// A bad line does not poison the stream: ``next()`` throws for that line and the following
/// call continues with the next one. A line longer than ``Configuration/maxLineBytes`` is
/// refused as soon as the limit is crossed — without buffering the rest of it — and skipped up
/// to its newline.
public struct JSONLinesDecoder: Sendable {
    /// Limits for the decoder.
    public struct Configuration: Sendable, Hashable {
        /// Longest line accepted, in bytes, excluding the newline. Default 1 MiB.
        public var maxLineBytes: Int
        /// Limits for each line's JSON text (its `maxInputBytes` is capped by `maxLineBytes`).
        public var parser: JSONParser.Configuration

        /// Creates a configuration; every parameter defaults to the documented default.
        public init(maxLineBytes: Int = 1 << 20, parser: JSONParser.Configuration = .default) {
            self.maxLineBytes = maxLineBytes
            self.parser = parser
        }
    }

    /// Why a line was refused.
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// The line (1-based) is not valid JSON.
        case invalidJSON(JSONError, line: Int)
        /// The line (1-based) is longer than the limit.
        case lineTooLong(limit: Int, line: Int)

        /// `line N: <problem>`.
        public var description: String {
            switch self {
            case .invalidJSON(let error, let line): return "line \(line): \(error)"
            case .lineTooLong(let limit, let line): return "line \(line): longer than \(limit) bytes"
            }
        }
    }

    /// The limits in force.
    public let configuration: Configuration
    private var buffer: [UInt8] = []
    /// Where the first unconsumed line starts in `buffer`.
    private var start = 0
    /// How far `buffer` is known to hold no newline, so each byte is scanned once.
    private var scanned = 0
    /// The 1-based number of the line starting at `start`.
    private var line = 1
    /// Whether the current line already exceeded the limit and is being skipped.
    private var discarding = false

    /// Creates a decoder.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Appends bytes from the stream.
    public mutating func feed(_ bytes: some Sequence<UInt8>) {
        // Drop consumed lines first: one move per feed instead of one per line.
        if start > 0 {
            buffer.removeSubrange(..<start)
            scanned -= start
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete value, or `nil` when no complete line is buffered yet.
    public mutating func next() throws(Failure) -> JSONValue? {
        while let newline = findNewline() {
            let number = line
            let result: Result<JSONValue?, Failure>
            if discarding {
                result = .success(nil)
            } else if newline - start > configuration.maxLineBytes {
                result = .failure(.lineTooLong(limit: configuration.maxLineBytes, line: number))
            } else {
                let bytes = buffer[start..<newline]
                result = Result { () throws(Failure) in try parseLine(bytes, number: number) }
            }
            start = newline + 1
            scanned = start
            line += 1
            discarding = false
            switch result {
            case .failure(let failure): throw failure
            case .success(let value?): return value
            case .success(nil): continue
            }
        }
        if discarding {
            skipBuffered()
        } else if buffer.count - start > configuration.maxLineBytes {
            discarding = true
            skipBuffered()
            throw .lineTooLong(limit: configuration.maxLineBytes, line: line)
        }
        return nil
    }

    /// At end of stream: the value on a last line without a newline, or `nil`.
    public mutating func finish() throws(Failure) -> JSONValue? {
        if let value = try next() { return value }
        defer { skipBuffered() }
        if discarding || start == buffer.count { return nil }
        return try parseLine(buffer[start...], number: line)
    }

    private mutating func skipBuffered() {
        buffer.removeAll(keepingCapacity: true)
        start = 0
        scanned = 0
    }

    private mutating func findNewline() -> Int? {
        while scanned < buffer.count {
            if buffer[scanned] == UInt8(ascii: "\n") { return scanned }
            scanned += 1
        }
        return nil
    }

    /// The line's value, or `nil` for a blank line.
    private func parseLine(_ bytes: ArraySlice<UInt8>, number: Int) throws(Failure) -> JSONValue? {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return nil }
        var limits = configuration.parser
        limits.maxInputBytes = min(limits.maxInputBytes, configuration.maxLineBytes)
        do {
            return try JSONParser(configuration: limits).parse(bytes)
        } catch {
            throw .invalidJSON(error, line: number)
        }
    }
}
