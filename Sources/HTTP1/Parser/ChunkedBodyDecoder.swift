/// An incremental decoder for the chunked transfer coding (RFC 9112 §7.1), for clients that
/// consume a streamed response body as it arrives.
///
/// Feed it any split of the body bytes; it returns the decoded data each feed completed, and
/// reports ``isComplete`` after the last chunk and the trailer section. Chunk extensions
/// (§7.1.1) and trailer fields (§7.1.2) are read and ignored. Bytes after the end are left
/// untouched in ``remainder`` (the next response on a kept-alive connection).
///
/// Limits: a chunk-size line or trailer line longer than ``maxLineLength`` fails, as does a
/// chunk size of more than 15 hex digits; the size of the data itself is the caller's to bound.
public struct ChunkedBodyDecoder: Sendable {
    /// Why a chunked body is malformed.
    public enum DecodeError: Error, Hashable, Sendable {
        /// The chunk-size line is not hex digits (optionally followed by extensions).
        case invalidChunkSize
        /// A chunk's data is not followed by CRLF.
        case missingChunkTerminator
        /// A size or trailer line is longer than ``ChunkedBodyDecoder/maxLineLength``.
        case lineTooLong
    }

    private enum State: Sendable {
        case sizeLine
        case data(remaining: Int)
        case dataCR
        case dataLF
        case trailerLine
        case done
    }

    /// Longest chunk-size or trailer line accepted, without its CRLF. Default 4096.
    public let maxLineLength: Int
    private var state = State.sizeLine
    private var line: [UInt8] = []
    private var failure: DecodeError?
    /// Bytes that followed the end of the body (only after ``isComplete``).
    public private(set) var remainder: [UInt8] = []

    /// Creates a decoder.
    public init(maxLineLength: Int = 4096) {
        self.maxLineLength = maxLineLength
    }

    /// Whether the last chunk and the trailer section have been read.
    public var isComplete: Bool {
        if case .done = state { return true }
        return false
    }

    /// Decodes what `bytes` complete; returns the body data they carried.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> [UInt8] {
        if let failure { throw failure }
        var output: [UInt8] = []
        var index = 0
        let count = bytes.count
        while index < count {
            switch state {
            case .done:
                remainder.append(contentsOf: bytes[index..<count])
                return output
            case .data(let remaining):
                let take = min(remaining, count - index)
                output.append(contentsOf: bytes[index..<(index + take)])
                index += take
                state = remaining - take == 0 ? .dataCR : .data(remaining: remaining - take)
            case .dataCR:
                guard bytes[index] == 0x0D else { throw fail(.missingChunkTerminator) }
                index += 1
                state = .dataLF
            case .dataLF:
                guard bytes[index] == 0x0A else { throw fail(.missingChunkTerminator) }
                index += 1
                state = .sizeLine
            case .sizeLine, .trailerLine:
                let byte = bytes[index]
                index += 1
                if byte != 0x0A {
                    line.append(byte)
                    // +1: a CR may still be waiting for its LF.
                    if line.count > maxLineLength + 1 { throw fail(.lineTooLong) }
                    continue
                }
                if line.last == 0x0D { line.removeLast() }
                if line.count > maxLineLength { throw fail(.lineTooLong) }
                let text = line
                line.removeAll(keepingCapacity: true)
                if case .trailerLine = state {
                    if text.isEmpty { state = .done }
                    continue
                }
                let size = try parseSize(text)
                state = size == 0 ? .trailerLine : .data(remaining: size)
            }
        }
        return output
    }

    /// Convenience for arrays.
    public mutating func feed(_ bytes: [UInt8]) throws(DecodeError) -> [UInt8] {
        var result: Result<[UInt8], DecodeError> = .success([])
        bytes.withUnsafeBytes { raw in
            result = Result { () throws(DecodeError) in try feed(raw) }
        }
        return try result.get()
    }

    /// `chunk-size [ chunk-ext ]`: hex digits, then optional whitespace and `;`-extensions.
    private mutating func parseSize(_ text: [UInt8]) throws(DecodeError) -> Int {
        var size = 0
        var digits = 0
        for byte in text {
            let value: Int
            switch byte {
            case 0x30...0x39: value = Int(byte - 0x30)
            case 0x41...0x46: value = Int(byte - 0x41 + 10)
            case 0x61...0x66: value = Int(byte - 0x61 + 10)
            case 0x3B, 0x20, 0x09:
                guard digits > 0 else { throw fail(.invalidChunkSize) }
                return size
            default: throw fail(.invalidChunkSize)
            }
            digits += 1
            guard digits <= 15 else { throw fail(.invalidChunkSize) }
            size = size * 16 + value
        }
        guard digits > 0 else { throw fail(.invalidChunkSize) }
        return size
    }

    private mutating func fail(_ error: DecodeError) -> DecodeError {
        failure = error
        return error
    }
}
