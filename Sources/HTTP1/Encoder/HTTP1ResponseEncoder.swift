/// Serialises responses (RFC 9112 §4, §6, §7.1): status line and fields, Content-Length bodies,
/// chunked streaming, interim 100 Continue. Pure: appends bytes to a caller-owned buffer.
///
/// Field names and values are written as given, except that any control character other than
/// HTAB in a value (CR, LF, NUL, …) is replaced by a space and any non-token byte in a name by
/// `-`: a value built from user input can never split the response (CWE-113).
public enum HTTP1ResponseEncoder {
    /// `HTTP/1.1 100 Continue` and an empty header section (RFC 9110 §15.2.1), the interim
    /// answer to `Expect: 100-continue`.
    public static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Appends the status line, every field, and the blank line that ends the head.
    public static func encodeHead(_ head: HTTP1ResponseHead, into buffer: inout [UInt8]) {
        buffer.append(contentsOf: "HTTP/".utf8)
        appendDecimal(head.version.major, into: &buffer)
        buffer.append(UInt8(ascii: "."))
        appendDecimal(head.version.minor, into: &buffer)
        buffer.append(0x20)
        appendDecimal(head.status.code, into: &buffer)
        buffer.append(0x20)
        appendSanitised(head.status.reasonPhrase.utf8, into: &buffer, isName: false)
        buffer.append(contentsOf: [0x0D, 0x0A])
        for field in head.headers {
            appendSanitised(field.name.utf8, into: &buffer, isName: true)
            buffer.append(contentsOf: [UInt8(ascii: ":"), 0x20])
            appendSanitised(field.value.utf8, into: &buffer, isName: false)
            buffer.append(contentsOf: [0x0D, 0x0A])
        }
        buffer.append(contentsOf: [0x0D, 0x0A])
    }

    /// A complete response with a Content-Length body. `Content-Length` replaces any value in
    /// `head`, and `Transfer-Encoding` is removed (RFC 9112 §6.2). For responses to HEAD pass
    /// `omitBody: true`: the length is announced but no body is written (RFC 9110 §9.3.2).
    public static func encode(
        _ head: HTTP1ResponseHead, body: some Collection<UInt8>, omitBody: Bool = false,
        into buffer: inout [UInt8]
    ) {
        var head = head
        head.headers.remove(name: "Transfer-Encoding")
        // RFC 9110 §8.6: no Content-Length on 1xx and 204 responses.
        if head.status.code >= 200 && head.status.code != 204 && head.status.code != 304 {
            head.headers.replaceOrAdd(name: "Content-Length", value: String(body.count))
        }
        encodeHead(head, into: &buffer)
        if !omitBody { buffer.append(contentsOf: body) }
    }

    /// The head of a chunked streaming response: adds `Transfer-Encoding: chunked` and drops
    /// any Content-Length. Follow with `encodeChunk` calls and one `encodeFinalChunk`.
    public static func encodeChunkedHead(_ head: HTTP1ResponseHead, into buffer: inout [UInt8]) {
        var head = head
        head.headers.remove(name: "Content-Length")
        head.headers.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
        encodeHead(head, into: &buffer)
    }

    /// One chunk: hex size, CRLF, data, CRLF. An empty `data` writes nothing, since an empty
    /// chunk would end the body.
    public static func encodeChunk(_ data: some Collection<UInt8>, into buffer: inout [UInt8]) {
        guard !data.isEmpty else { return }
        buffer.append(contentsOf: String(data.count, radix: 16).utf8)
        buffer.append(contentsOf: [0x0D, 0x0A])
        buffer.append(contentsOf: data)
        buffer.append(contentsOf: [0x0D, 0x0A])
    }

    /// The last chunk `0`, optional trailer fields, and the final CRLF (RFC 9112 §7.1).
    public static func encodeFinalChunk(trailers: HTTPHeaders = [:], into buffer: inout [UInt8]) {
        buffer.append(contentsOf: [UInt8(ascii: "0"), 0x0D, 0x0A])
        for field in trailers {
            appendSanitised(field.name.utf8, into: &buffer, isName: true)
            buffer.append(contentsOf: [UInt8(ascii: ":"), 0x20])
            appendSanitised(field.value.utf8, into: &buffer, isName: false)
            buffer.append(contentsOf: [0x0D, 0x0A])
        }
        buffer.append(contentsOf: [0x0D, 0x0A])
    }

    /// The decimal digits of `value` (a status code, a version number).
    private static func appendDecimal(_ value: Int, into buffer: inout [UInt8]) {
        guard value >= 0 else { return buffer.append(contentsOf: String(value).utf8) }
        if value >= 10 { appendDecimal(value / 10, into: &buffer) }
        buffer.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    private static func appendSanitised(
        _ bytes: String.UTF8View, into buffer: inout [UInt8], isName: Bool
    ) {
        // Almost always every byte is allowed: then the text is appended in one piece.
        let clean = bytes.allSatisfy { isName ? HTTPSyntax.isTokenCharacter($0) : HTTPSyntax.isFieldValueByte($0) }
        if clean {
            buffer.append(contentsOf: bytes)
            return
        }
        for byte in bytes {
            if isName {
                buffer.append(HTTPSyntax.isTokenCharacter(byte) ? byte : UInt8(ascii: "-"))
            } else {
                buffer.append(HTTPSyntax.isFieldValueByte(byte) ? byte : 0x20)
            }
        }
    }
}
