/// An incremental HTTP/1.1 request parser for the server side (RFC 9112): bytes in, events out.
///
/// Feed bytes with `append(_:)` and pull events with `next()` (or do both with `feed(_:into:)`).
/// Every request produces `.head`, zero or more `.body`, then `.end`; pipelined requests in one
/// buffer come out in order. The parser never touches a socket or a clock.
///
/// Strictness (the request-smuggling rules of RFC 9112 §6.1, §6.3 and §11.2): a request with
/// both Content-Length and Transfer-Encoding, a repeated or non-digit Content-Length, any
/// transfer coding list not ending in a single `chunked`, obsolete line folding, a bare CR,
/// a bare LF (by default), whitespace before a colon, or a control character in a field is
/// refused with a typed `HTTP1ParseError`. After an error the parser stays failed: the server
/// answers the error once and closes, because the framing of later bytes is unknowable.
///
/// Upgrades: after the `.end` of a request whose head `isUpgradeRequest`, the parser pauses
/// (`next()` returns nil) so bytes of the new protocol are never parsed as HTTP. The server
/// either accepts — `takeUnconsumedBytes()` hands over what already arrived — or declines with
/// `declineUpgrade()` and parsing continues.
///
/// Deliberately not enforced: the request-target's URI grammar beyond its character set and
/// form, and the meaning of header values other than the framing and connection fields.
public struct HTTP1Parser: Sendable {
    /// The parser's position in the message grammar.
    enum State: Sendable, Hashable {
        /// Waiting for (or skipping blank lines before) a request line.
        case requestLine
        /// Reading field lines of the head.
        case headerLines
        /// Reading a Content-Length body; `remaining` > 0.
        case fixedBody(remaining: Int)
        /// Reading a chunk-size line.
        case chunkSizeLine
        /// Reading chunk data; `remaining` > 0.
        case chunkData(remaining: Int)
        /// Expecting the CRLF after chunk data.
        case chunkDataEnd
        /// Reading trailer field lines.
        case trailerLines
        /// The message is complete; the next call emits `.end`.
        case endOfMessage
        /// An upgrade request ended; waiting for the server to accept or decline.
        case upgradePending
        /// A request was refused; the error repeats forever.
        case failed(HTTP1ParseError)
    }

    /// The limits and policies in force.
    public let configuration: Configuration

    private var state: State = .requestLine
    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// Where the search for the next LF resumes, so a line arriving in pieces is scanned once.
    private var scanIndex = 0

    // The message under construction. Kept outside `state` so appending a field never copies
    // the field array (an enum payload would be copied on every write).
    private var method = HTTPMethod.get
    private var target = ""
    private var version = HTTPVersion.http1_1
    private var fields = HTTPHeaders()
    private var fieldBytes = 0
    private var chunkedBodyTotal = 0
    private var messageIsUpgrade = false

    /// Creates a parser with the given limits.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Appends received bytes to the parser's buffer. Call `next()` to read events.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        if readIndex > 0 && readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
            scanIndex = 0
        } else if readIndex >= 4096 && readIndex * 2 >= buffer.count {
            // Compact only when the consumed prefix dominates, keeping appends amortised O(1).
            buffer.removeSubrange(0..<readIndex)
            scanIndex -= readIndex
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Appends `bytes` and appends every event they complete to `events`. Events produced
    /// before an error stay in `events` (earlier pipelined requests may still be answered).
    public mutating func feed(
        _ bytes: some Sequence<UInt8>, into events: inout [HTTP1ParserEvent]
    ) throws(HTTP1ParseError) {
        append(bytes)
        while let event = try next() {
            events.append(event)
        }
    }

    /// Whether no message is in progress and no bytes are buffered: a peer closing now loses
    /// nothing, and an idle timeout may close the connection cleanly.
    public var isAtMessageBoundary: Bool {
        state == .requestLine && readIndex == buffer.count
    }

    /// Whether the parser paused after an upgrade request (see the type's documentation).
    public var isUpgradePending: Bool { state == .upgradePending }

    /// Number of received bytes not yet turned into events.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Resumes HTTP parsing after the server declined an upgrade request.
    public mutating func declineUpgrade() {
        if state == .upgradePending { state = .requestLine }
    }

    /// Hands over the bytes received after the upgrade request (the first bytes of the new
    /// protocol) and empties the buffer. The parser stays paused for good.
    public mutating func takeUnconsumedBytes() -> [UInt8] {
        let rest = Array(buffer[readIndex...])
        buffer.removeAll()
        readIndex = 0
        scanIndex = 0
        return rest
    }

    /// The next event the buffered bytes complete, or nil when more bytes are needed (or an
    /// upgrade is pending). Throws the same error on every call once a request was refused.
    public mutating func next() throws(HTTP1ParseError) -> HTTP1ParserEvent? {
        while true {
            switch state {
            case .failed(let error):
                throw error
            case .upgradePending:
                return nil
            case .requestLine:
                guard
                    let line = try nextLine(
                        limit: configuration.maxRequestLineLength, tooLong: .requestLineTooLong)
                else { return nil }
                // RFC 9112 §2.2: a server SHOULD ignore empty lines received before the
                // request line (old clients send CRLF after a POST body).
                if line.isEmpty { continue }
                try parseRequestLine(line)
                fields = HTTPHeaders()
                fieldBytes = 0
                state = .headerLines
            case .headerLines:
                let remaining = configuration.maxHeaderBytes - fieldBytes
                guard let line = try nextLine(limit: max(0, remaining - 2), tooLong: .headerTooLarge)
                else { return nil }
                if line.isEmpty {
                    return .head(try finishHead())
                }
                try appendField(line)
            case .fixedBody(let remaining):
                let available = buffer.count - readIndex
                if available == 0 { return nil }
                let count = min(remaining, available)
                let piece = Array(buffer[readIndex..<readIndex + count])
                consume(count)
                state = remaining == count ? .endOfMessage : .fixedBody(remaining: remaining - count)
                return .body(piece)
            case .chunkSizeLine:
                guard
                    let line = try nextLine(
                        limit: configuration.maxChunkSizeLineLength, tooLong: .chunkSizeLineTooLong)
                else { return nil }
                let size = try parseChunkSize(line)
                if size == 0 {
                    fields = HTTPHeaders()
                    fieldBytes = 0
                    state = .trailerLines
                } else {
                    chunkedBodyTotal += size
                    state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let available = buffer.count - readIndex
                if available == 0 { return nil }
                let count = min(remaining, available)
                let piece = Array(buffer[readIndex..<readIndex + count])
                consume(count)
                state = remaining == count ? .chunkDataEnd : .chunkData(remaining: remaining - count)
                return .body(piece)
            case .chunkDataEnd:
                guard try consumeChunkTerminator() else { return nil }
                state = .chunkSizeLine
            case .trailerLines:
                let remaining = configuration.maxHeaderBytes - fieldBytes
                guard let line = try nextLine(limit: max(0, remaining - 2), tooLong: .headerTooLarge)
                else { return nil }
                if line.isEmpty {
                    state = .endOfMessage
                } else {
                    try appendField(line)
                }
            case .endOfMessage:
                let trailers = fields
                fields = HTTPHeaders()
                state = messageIsUpgrade ? .upgradePending : .requestLine
                return .end(trailers: trailers)
            }
        }
    }

    // MARK: - Lines

    /// Takes the next complete line (without its terminator) out of the buffer, or returns nil
    /// if no LF has arrived yet. Fails as soon as the line provably exceeds `limit`, so an
    /// endless line never grows the buffer past the limit (RFC 9112 §2.2 line endings).
    private mutating func nextLine(
        limit: Int, tooLong: HTTP1ParseError
    ) throws(HTTP1ParseError) -> ArraySlice<UInt8>? {
        let start = readIndex
        guard let lf = buffer[max(scanIndex, start)...].firstIndex(of: 0x0A) else {
            // Without an LF, the pending bytes can be at most `limit` content bytes plus a CR.
            if buffer.count - start > limit + 1 { throw fail(tooLong) }
            scanIndex = buffer.count
            return nil
        }
        let hasCR = lf > start && buffer[lf - 1] == 0x0D
        let end = hasCR ? lf - 1 : lf
        if end - start > limit { throw fail(tooLong) }
        if !hasCR && !configuration.allowsBareLF { throw fail(.bareLF) }
        readIndex = lf + 1
        scanIndex = readIndex
        return buffer[start..<end]
    }

    private mutating func consume(_ count: Int) {
        readIndex += count
        scanIndex = readIndex
    }

    private mutating func fail(_ error: HTTP1ParseError) -> HTTP1ParseError {
        state = .failed(error)
        return error
    }

    /// Consumes the CRLF after chunk data; nil-equivalent `false` when it has not fully arrived.
    private mutating func consumeChunkTerminator() throws(HTTP1ParseError) -> Bool {
        let available = buffer.count - readIndex
        guard available > 0 else { return false }
        let first = buffer[readIndex]
        if first == 0x0A && configuration.allowsBareLF {
            consume(1)
            return true
        }
        guard first == 0x0D else { throw fail(.invalidChunkTerminator) }
        guard available > 1 else { return false }
        guard buffer[readIndex + 1] == 0x0A else { throw fail(.invalidChunkTerminator) }
        consume(2)
        return true
    }

    // MARK: - Request line (RFC 9112 §3)

    private mutating func parseRequestLine(_ line: ArraySlice<UInt8>) throws(HTTP1ParseError) {
        if line.contains(0x0D) { throw fail(.bareCR) }
        // Exactly `method SP request-target SP HTTP-version`; single SPs only. RFC 9112 §3
        // permits lenient whitespace splitting; we don't, as lenient parsers disagree.
        guard let firstSpace = line.firstIndex(of: 0x20),
            let secondSpace = line[(firstSpace + 1)...].firstIndex(of: 0x20),
            !line[(secondSpace + 1)...].contains(0x20),
            firstSpace > line.startIndex, secondSpace > firstSpace + 1, secondSpace + 1 < line.endIndex
        else { throw fail(.invalidRequestLine) }
        let methodBytes = line[..<firstSpace]
        let targetBytes = line[(firstSpace + 1)..<secondSpace]
        let versionBytes = line[(secondSpace + 1)...]

        guard methodBytes.allSatisfy(HTTPSyntax.isTokenCharacter) else { throw fail(.invalidMethod) }
        let method = HTTPMethod(rawValue: String(decoding: methodBytes, as: UTF8.self))

        guard targetBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw fail(.invalidTarget) }
        let target = String(decoding: targetBytes, as: UTF8.self)
        // RFC 9112 §3.2: origin-form, absolute-form, authority-form (CONNECT only) or
        // asterisk-form (OPTIONS only).
        let validForm: Bool
        if target.hasPrefix("/") {
            validForm = true
        } else if target == "*" {
            validForm = method == .options
        } else if method == .connect {
            validForm = true
        } else {
            validForm = target.contains("://")
        }
        guard validForm else { throw fail(.invalidTarget) }

        let version = try parseVersion(versionBytes)
        self.method = method
        self.target = target
        self.version = version
    }

    /// `HTTP-version = HTTP-name "/" DIGIT "." DIGIT`, HTTP-name case-sensitive (RFC 9112 §2.3).
    private mutating func parseVersion(_ bytes: ArraySlice<UInt8>) throws(HTTP1ParseError) -> HTTPVersion {
        let isDigit = { (byte: UInt8) in byte >= 0x30 && byte <= 0x39 }
        let at = bytes.startIndex
        guard bytes.count == 8, bytes[at] == UInt8(ascii: "H"), bytes[at + 1] == UInt8(ascii: "T"),
            bytes[at + 2] == UInt8(ascii: "T"), bytes[at + 3] == UInt8(ascii: "P"),
            bytes[at + 4] == UInt8(ascii: "/"),
            isDigit(bytes[at + 5]), bytes[at + 6] == 0x2E, isDigit(bytes[at + 7])
        else { throw fail(.invalidVersion) }
        let version = HTTPVersion(major: Int(bytes[at + 5] - 0x30), minor: Int(bytes[at + 7] - 0x30))
        guard version == .http1_1 || version == .http1_0 else { throw fail(.unsupportedVersion) }
        return version
    }

    // MARK: - Fields (RFC 9112 §5, RFC 9110 §5)

    private mutating func appendField(_ line: ArraySlice<UInt8>) throws(HTTP1ParseError) {
        let field: HTTPField
        switch HTTP1FieldLine.parse(line) {
        case .success(let parsed): field = parsed
        case .failure(let error): throw fail(error)
        }
        if fields.count >= configuration.maxHeaderCount { throw fail(.tooManyHeaders) }
        fieldBytes += line.count + 2
        fields.add(name: field.name, value: field.value)
    }

    /// The fields that decide framing and connection handling, found in one pass over the head
    /// (one length switch per field; the arrays allocate only when such a field is present).
    struct ControlFields {
        var hostCount = 0
        var contentLengths: [String] = []
        var transferEncodings: [String] = []
        var connectionOptions: [String] = []
        var expectations: [String] = []
        var hasUpgrade = false

        init(_ headers: HTTPHeaders) {
            for field in headers.fields {
                let name = field.name
                switch name.utf8.count {
                case 4 where HTTPHeaders.namesEqual(name, "Host"): hostCount += 1
                case 6 where HTTPHeaders.namesEqual(name, "Expect"): expectations.append(field.value)
                case 7 where HTTPHeaders.namesEqual(name, "Upgrade"): hasUpgrade = true
                case 10 where HTTPHeaders.namesEqual(name, "Connection"):
                    connectionOptions.append(field.value)
                case 14 where HTTPHeaders.namesEqual(name, "Content-Length"):
                    contentLengths.append(field.value)
                case 17 where HTTPHeaders.namesEqual(name, "Transfer-Encoding"):
                    transferEncodings.append(field.value)
                default: break
                }
            }
        }
    }

    /// Decides keep-alive, framing and expectations once the whole head is known.
    private mutating func finishHead() throws(HTTP1ParseError) -> HTTP1RequestHead {
        let headers = fields
        fields = HTTPHeaders()
        fieldBytes = 0
        let control = ControlFields(headers)

        // RFC 9112 §3.2: exactly one Host on HTTP/1.1; never more than one.
        if control.hostCount > 1 { throw fail(.duplicateHost) }
        if control.hostCount == 0 && version == .http1_1 { throw fail(.missingHost) }

        let framing = try bodyFraming(of: control)

        var expectsContinue = false
        if !control.expectations.isEmpty {
            let expectations = HTTPSyntax.listElements(control.expectations)
            guard expectations.allSatisfy({ HTTPHeaders.namesEqual($0, "100-continue") }) else {
                throw fail(.unsupportedExpectation)
            }
            // RFC 9110 §10.1.1: a server MUST ignore 100-continue received in HTTP/1.0; and
            // without a body there is nothing to wait for.
            expectsContinue = version == .http1_1 && framing != .none
        }

        let keepAlive: Bool
        if HTTPSyntax.list(control.connectionOptions, containsToken: "close") {
            keepAlive = false
        } else if version == .http1_0 {
            keepAlive = HTTPSyntax.list(control.connectionOptions, containsToken: "keep-alive")
        } else {
            keepAlive = true
        }
        messageIsUpgrade =
            control.hasUpgrade && HTTPSyntax.list(control.connectionOptions, containsToken: "upgrade")

        switch framing {
        case .none, .contentLength(0):
            state = .endOfMessage
        case .contentLength(let length):
            state = .fixedBody(remaining: length)
        case .chunked:
            chunkedBodyTotal = 0
            state = .chunkSizeLine
        }
        return HTTP1RequestHead(
            method: method, target: target, version: version, headers: headers,
            keepAlive: keepAlive, bodyFraming: framing, expectsContinue: expectsContinue)
    }

    /// RFC 9112 §6.1 and §6.3, applied strictly.
    private mutating func bodyFraming(of control: ControlFields) throws(HTTP1ParseError) -> HTTP1BodyFraming {
        let lengths = control.contentLengths
        if !control.transferEncodings.isEmpty {
            if !lengths.isEmpty { throw fail(.contentLengthWithTransferEncoding) }
            // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 means the framing is faulty.
            if version == .http1_0 { throw fail(.invalidTransferEncoding) }
            let codings = HTTPSyntax.listElements(control.transferEncodings)
            let chunkedCount = codings.filter { HTTPHeaders.namesEqual($0, "chunked") }.count
            guard let last = codings.last, HTTPHeaders.namesEqual(last, "chunked"), chunkedCount == 1 else {
                throw fail(.invalidTransferEncoding)
            }
            // Codings before chunked (gzip, ...) would need decoding we don't do (§6.1: 501).
            if codings.count > 1 { throw fail(.unsupportedTransferCoding) }
            return .chunked
        }
        guard let text = lengths.first else { return .none }
        // A repeated Content-Length, even with equal values, is refused: fronts that merge or
        // pick differently disagree on where the body ends.
        if lengths.count > 1 { throw fail(.duplicateContentLength) }
        var length = 0
        var digits = 0
        for byte in text.utf8 {
            guard byte >= 0x30 && byte <= 0x39 else { throw fail(.invalidContentLength) }
            digits += 1
            // Syntactically fine but absurdly large values are "too large", not "malformed";
            // keep scanning so a later non-digit still reports the syntax error.
            if digits <= 18 { length = length * 10 + Int(byte - 0x30) }
        }
        if digits == 0 { throw fail(.invalidContentLength) }
        if digits > 18 || length > configuration.maxBodySize { throw fail(.bodyTooLarge) }
        return length == 0 ? .none : .contentLength(length)
    }

    // MARK: - Chunked (RFC 9112 §7.1)

    /// `chunk-size [ chunk-ext ]`: hex digits, then extensions which are tolerated (checked
    /// only for control characters) and ignored.
    private mutating func parseChunkSize(_ line: ArraySlice<UInt8>) throws(HTTP1ParseError) -> Int {
        if line.contains(0x0D) { throw fail(.bareCR) }
        var index = line.startIndex
        var size = 0
        var digits = 0
        while index < line.endIndex, let value = HTTPSyntax.hexValue(line[index]) {
            if size > (Int.max >> 4) { throw fail(.bodyTooLarge) }
            size = size << 4 | Int(value)
            digits += 1
            index += 1
        }
        guard digits > 0 else { throw fail(.invalidChunkSize) }
        if index < line.endIndex {
            while index < line.endIndex, HTTPSyntax.isWhitespace(line[index]) { index += 1 }
            guard index < line.endIndex, line[index] == UInt8(ascii: ";") else {
                throw fail(.invalidChunkSize)
            }
            guard line[index...].allSatisfy(HTTPSyntax.isFieldValueByte) else {
                throw fail(.invalidChunkSize)
            }
        }
        if size > configuration.maxBodySize - chunkedBodyTotal { throw fail(.bodyTooLarge) }
        return size
    }
}
