extension HTTP1ResponseEncoder {
    /// A complete error response with the JSON body `{"error":{"code":…,"message":…}}`,
    /// `Content-Type: application/json` and, unless `keepAlive`, `Connection: close`.
    /// `date` is an already formatted IMF-fixdate (see `HTTPDate`), omitted when nil.
    public static func encodeJSONError(
        status: HTTPStatus, code: String, message: String, date: String? = nil,
        extraHeaders: HTTPHeaders = [:], keepAlive: Bool = false, into buffer: inout [UInt8]
    ) {
        var headers = HTTPHeaders()
        if let date { headers.add(name: "Date", value: date) }
        headers.add(name: "Content-Type", value: "application/json")
        for field in extraHeaders { headers.add(name: field.name, value: field.value) }
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let body = jsonErrorBody(code: code, message: message)
        encode(HTTP1ResponseHead(status: status, headers: headers), body: body, into: &buffer)
    }

    /// The error response for a refused request: its status, code and message; always closes.
    public static func encodeJSONError(
        for error: HTTP1ParseError, date: String? = nil, into buffer: inout [UInt8]
    ) {
        encodeJSONError(
            status: HTTPStatus(code: error.statusCode), code: error.code, message: error.message,
            date: date, into: &buffer)
    }

    /// `{"error":{"code":"…","message":"…"}}` with both strings escaped per RFC 8259 §7.
    public static func jsonErrorBody(code: String, message: String) -> [UInt8] {
        var body: [UInt8] = Array(#"{"error":{"code":"#.utf8)
        appendJSONString(code, into: &body)
        body.append(contentsOf: #","message":"#.utf8)
        appendJSONString(message, into: &body)
        body.append(contentsOf: "}}".utf8)
        return body
    }

    /// Appends `text` as a quoted JSON string (RFC 8259 §7): quote, backslash and control
    /// characters escaped; everything else passes through as UTF-8.
    package static func appendJSONString(_ text: String, into buffer: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        buffer.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): buffer.append(contentsOf: [0x5C, UInt8(ascii: "\"")])
            case 0x5C: buffer.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: buffer.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: buffer.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: buffer.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x00..<0x20:
                buffer.append(contentsOf: Array(#"\u00"#.utf8))
                buffer.append(hex[Int(byte >> 4)])
                buffer.append(hex[Int(byte & 0xF)])
            default: buffer.append(byte)
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }
}
