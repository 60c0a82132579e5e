extension HTTP1Parser {
    /// Limits and policies of the request parser. Every limit, when exceeded by one byte or one
    /// field, fails the request with the `HTTP1ParseError` named beside it.
    public struct Configuration: Sendable, Hashable {
        /// Longest request line, excluding its CRLF. Default 8 KiB → `requestLineTooLong` (414).
        public var maxRequestLineLength: Int
        /// Largest header section: every field line with its CRLF, excluding the request line and
        /// the blank line that ends the head. Default 16 KiB → `headerTooLarge` (431).
        /// The same budget applies, separately, to a chunked body's trailer section.
        public var maxHeaderBytes: Int
        /// Most fields in the header section (and, separately, in trailers).
        /// Default 100 → `tooManyHeaders` (431).
        public var maxHeaderCount: Int
        /// Largest body, Content-Length or the sum of all chunks. Default 1 MiB → `bodyTooLarge`
        /// (413). A Content-Length above it fails at the head, before any body byte is read.
        public var maxBodySize: Int
        /// Longest chunk-size line including chunk extensions, excluding CRLF.
        /// Default 1 KiB → `chunkSizeLineTooLong` (400).
        public var maxChunkSizeLineLength: Int
        /// Bare-LF policy. RFC 9112 §2.2 lets a recipient accept a lone LF as a line terminator;
        /// we refuse it by default (`bareLF`, 400) because front ends that disagree on line
        /// ends are a request-smuggling vector. Turn it on only behind a trusted proxy.
        public var allowsBareLF: Bool

        /// Creates a configuration; every parameter defaults to the documented value.
        public init(
            maxRequestLineLength: Int = 8 * 1024,
            maxHeaderBytes: Int = 16 * 1024,
            maxHeaderCount: Int = 100,
            maxBodySize: Int = 1024 * 1024,
            maxChunkSizeLineLength: Int = 1024,
            allowsBareLF: Bool = false
        ) {
            self.maxRequestLineLength = maxRequestLineLength
            self.maxHeaderBytes = maxHeaderBytes
            self.maxHeaderCount = maxHeaderCount
            self.maxBodySize = maxBodySize
            self.maxChunkSizeLineLength = maxChunkSizeLineLength
            self.allowsBareLF = allowsBareLF
        }
    }
}
