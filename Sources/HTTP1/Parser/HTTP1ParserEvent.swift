/// What the request parser produces, in order, for every request on a connection:
/// one `head`, zero or more `body` pieces, one `end`.
public enum HTTP1ParserEvent: Sendable, Hashable {
    /// A complete, validated request head.
    case head(HTTP1RequestHead)
    /// A piece of the request body (already de-chunked). Pieces follow the wire's arrival.
    case body([UInt8])
    /// The request is complete. `trailers` holds the chunked trailer section (RFC 9112 §7.1.2),
    /// empty for other framings.
    case end(trailers: HTTPHeaders)
}
