import HTTP1

/// The pure half of a client exchange: response bytes in, response events out (RFC 9112 §6:
/// the head, then a body framed by `Content-Length`, chunked coding, or the connection's close).
/// A `text/event-stream` body is further cut into events when the request asked for it.
///
/// Incremental: any split of the input gives the same events (drip-fed in the tests).
public struct UpstreamResponseReader: Sendable {
    /// What a feed produced.
    public enum Output: Equatable, Sendable {
        /// The status and header fields.
        case head(HTTP1ResponseHead)
        /// Body bytes (decoded from the chunked coding when it was used).
        case body([UInt8])
        /// Server-sent events of an event-stream body.
        case events([ServerSentEvent])
        /// The response is complete; `reusable` says whether the connection may carry another.
        case end(reusable: Bool)
    }

    /// Limits.
    public struct Configuration: Hashable, Sendable {
        /// Event-stream limits (longest line, largest event).
        public var events = ServerSentEventParser.Configuration()
        /// Head limits.
        public var head = HTTP1Parser.Configuration()
        /// Creates the defaults.
        public init() {}
    }

    private enum Framing: Sendable {
        case length(remaining: Int)
        case chunked(ChunkedBodyDecoder)
        case untilClose
        case empty
    }

    private var headParser: HTTP1ResponseHeadParser
    private var framing: Framing?
    private var events: ServerSentEventParser?
    private let wantsEvents: Bool
    private let isHeadRequest: Bool
    private let configuration: Configuration
    private var keepAlive = true
    /// Whether the response has ended.
    public private(set) var isComplete = false
    /// Whether any byte arrived (a reused connection that fails before one may be retried).
    public private(set) var receivedAnything = false

    /// Creates a reader for one response; `events` asks for event-stream bodies as events.
    public init(events: Bool, isHeadRequest: Bool = false, configuration: Configuration = Configuration()) {
        self.wantsEvents = events
        self.isHeadRequest = isHeadRequest
        self.configuration = configuration
        headParser = HTTP1ResponseHeadParser(configuration: configuration.head)
    }

    /// Feeds response bytes.
    public mutating func feed(_ bytes: [UInt8]) throws(UpstreamError) -> [Output] {
        guard !isComplete else { return [] }
        if !bytes.isEmpty { receivedAnything = true }
        var outputs: [Output] = []
        var body = bytes
        if framing == nil {
            let parsed: (head: HTTP1ResponseHead, remainder: [UInt8])?
            do {
                parsed = try headParser.feed(bytes)
            } catch {
                throw .malformed("response head: \(error)")
            }
            guard let (head, remainder) = parsed else { return [] }
            outputs.append(.head(head))
            framing = try Self.framing(of: head, isHeadRequest: isHeadRequest)
            keepAlive =
                head.version == .http1_1 && !head.headers.containsToken("close", in: "Connection")
            if wantsEvents, head.status.code / 100 == 2,
                (head.headers["Content-Type"] ?? "").lowercased().hasPrefix("text/event-stream")
            {
                events = ServerSentEventParser(configuration: configuration.events)
            }
            body = remainder
            if case .empty = framing {
                isComplete = true
                outputs.append(.end(reusable: keepAlive))
                return outputs
            }
            if case .length(0) = framing {
                isComplete = true
                outputs.append(.end(reusable: keepAlive))
                return outputs
            }
        }
        guard !body.isEmpty else { return outputs }
        var data: [UInt8]
        switch framing {
        case .length(let remaining):
            data = Array(body.prefix(remaining))
            let left = remaining - data.count
            framing = .length(remaining: left)
            if left == 0 { isComplete = true }
            if body.count > data.count { keepAlive = false }  // bytes past the body: do not reuse
        case .chunked(var decoder):
            do {
                data = try decoder.feed(body)
            } catch {
                throw .malformed("chunked body: \(error)")
            }
            if decoder.isComplete {
                isComplete = true
                if !decoder.remainder.isEmpty { keepAlive = false }
            }
            framing = .chunked(decoder)
        case .untilClose:
            data = body
        case .empty, nil:
            data = []
        }
        if !data.isEmpty { outputs.append(try deliver(data)) }
        if isComplete { outputs.append(.end(reusable: keepAlive)) }
        return outputs
    }

    /// The peer closed: completes a close-delimited body, fails anything else.
    public mutating func feedEOF() throws(UpstreamError) -> [Output] {
        guard !isComplete else { return [] }
        if case .untilClose = framing {
            isComplete = true
            return [.end(reusable: false)]
        }
        throw .reset(framing == nil ? "closed before the response head" : "closed before the body ended")
    }

    private mutating func deliver(_ data: [UInt8]) throws(UpstreamError) -> Output {
        guard var parser = events else { return .body(data) }
        do {
            let parsed = try parser.feed(data)
            events = parser
            return .events(parsed)
        } catch {
            switch error {
            case .lineTooLong:
                throw .tooLarge("an event-stream line exceeds \(configuration.events.maxLineLength) bytes")
            case .eventTooLarge:
                throw .tooLarge("an event exceeds \(configuration.events.maxEventBytes) bytes")
            }
        }
    }

    /// RFC 9112 §6.3, in its order: no body for HEAD, 1xx, 204 and 304; chunked wins over a
    /// length; a valid length; otherwise the body runs until the close.
    private static func framing(of head: HTTP1ResponseHead, isHeadRequest: Bool) throws(UpstreamError) -> Framing {
        let code = head.status.code
        if isHeadRequest || code == 204 || code == 304 || code / 100 == 1 { return .empty }
        if let coding = head.headers["Transfer-Encoding"] {
            guard head.headers.containsToken("chunked", in: "Transfer-Encoding") else {
                throw .malformed("unsupported transfer coding '\(coding)'")
            }
            return .chunked(ChunkedBodyDecoder())
        }
        if let lengthText = head.headers["Content-Length"] {
            guard let length = Int(lengthText), length >= 0 else {
                throw .malformed("invalid Content-Length '\(lengthText)'")
            }
            return .length(remaining: length)
        }
        return .untilClose
    }
}
