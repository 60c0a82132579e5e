/// An incremental parser for a response's status line and header section (RFC 9112 §4), for
/// clients such as the WebSocket client handshake. It reads the head only; whatever follows
/// (a body, or the first WebSocket frames) is handed back untouched.
///
/// It uses the request parser's field rules and `Configuration` limits (request-line limit for
/// the status line, header bytes and count); bodies are the caller's business.
public struct HTTP1ResponseHeadParser: Sendable {
    /// The limits in force.
    public let configuration: HTTP1Parser.Configuration
    private var buffer: [UInt8] = []
    private var status: HTTPStatus?
    private var version = HTTPVersion.http1_1
    private var fields = HTTPHeaders()
    private var fieldBytes = 0
    private var failure: HTTP1ParseError?

    /// Creates a parser.
    public init(configuration: HTTP1Parser.Configuration = .init()) {
        self.configuration = configuration
    }

    /// Appends bytes and returns the head once complete, plus the bytes that followed it.
    /// Returns nil while more bytes are needed. Interim 1xx responses other than 101 are
    /// skipped (RFC 9110 §15.2).
    public mutating func feed(
        _ bytes: some Sequence<UInt8>
    ) throws(HTTP1ParseError) -> (head: HTTP1ResponseHead, remainder: [UInt8])? {
        if let failure { throw failure }
        buffer.append(contentsOf: bytes)
        while let lf = buffer.firstIndex(of: 0x0A) {
            let hasCR = lf > 0 && buffer[lf - 1] == 0x0D
            let line = buffer[0..<(hasCR ? lf - 1 : lf)]
            // Length before line ending, as while waiting for an LF, so the error does not
            // depend on how the bytes arrived.
            if line.count > currentLineLimit {
                throw fail(status == nil ? .requestLineTooLong : .headerTooLarge)
            }
            if !hasCR && !configuration.allowsBareLF { throw fail(.bareLF) }
            let rest = Array(buffer[(lf + 1)...])
            if status == nil {
                status = try parseStatusLine(line)
            } else if line.isEmpty {
                let head = HTTP1ResponseHead(status: status!, version: version, headers: fields)
                status = nil
                fields = HTTPHeaders()
                fieldBytes = 0
                buffer = rest
                if head.status.code >= 100 && head.status.code < 200 && head.status.code != 101 {
                    continue
                }
                buffer = []
                return (head, rest)
            } else {
                if fields.count >= configuration.maxHeaderCount { throw fail(.tooManyHeaders) }
                switch HTTP1FieldLine.parse(line) {
                case .success(let field): fields.add(name: field.name, value: field.value)
                case .failure(let error): throw fail(error)
                }
                fieldBytes += line.count + 2
            }
            buffer = rest
        }
        // Without an LF, the pending bytes can be at most the line limit plus a CR.
        if buffer.count > currentLineLimit + 1 {
            throw fail(status == nil ? .requestLineTooLong : .headerTooLarge)
        }
        return nil
    }

    /// The longest the next line may be: the status line limit, or what is left of the
    /// header budget after the line's CRLF.
    private var currentLineLimit: Int {
        status == nil
            ? configuration.maxRequestLineLength : max(0, configuration.maxHeaderBytes - fieldBytes - 2)
    }

    private mutating func fail(_ error: HTTP1ParseError) -> HTTP1ParseError {
        failure = error
        return error
    }

    /// `HTTP-version SP status-code SP [ reason-phrase ]`.
    private mutating func parseStatusLine(_ line: ArraySlice<UInt8>) throws(HTTP1ParseError) -> HTTPStatus {
        let bytes = Array(line)
        let isDigit = { (byte: UInt8) in byte >= 0x30 && byte <= 0x39 }
        guard bytes.count >= 12, bytes[0..<5].elementsEqual("HTTP/".utf8), isDigit(bytes[5]),
            bytes[6] == 0x2E, isDigit(bytes[7]), bytes[8] == 0x20,
            bytes[9...11].allSatisfy(isDigit), bytes.count == 12 || bytes[12] == 0x20
        else { throw fail(.invalidRequestLine) }
        version = HTTPVersion(major: Int(bytes[5] - 0x30), minor: Int(bytes[7] - 0x30))
        guard version == .http1_1 || version == .http1_0 else { throw fail(.unsupportedVersion) }
        let code = bytes[9...11].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        let reason = bytes.count > 13 ? bytes[13...] : []
        guard reason.allSatisfy(HTTPSyntax.isFieldValueByte) else { throw fail(.invalidRequestLine) }
        return HTTPStatus(code: code, reasonPhrase: String(decoding: reason, as: UTF8.self))
    }
}
