import PersonaTestSupport
import HTTP1

/// One HTTP response as the tests see it.
struct ReceivedResponse {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
    var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Reads complete responses (Content-Length or chunked) off a ``BlockingClient``.
final class ResponseReader {
    let client: BlockingClient
    var buffer: [UInt8] = []

    init(_ client: BlockingClient) { self.client = client }

    private func fill() -> Bool {
        let more = client.receiveSome()
        buffer += more
        return !more.isEmpty
    }

    /// The next response, or nil if the connection closed first.
    func next() -> ReceivedResponse? {
        var parser = HTTP1ResponseHeadParser()
        var head: HTTP1ResponseHead?
        var rest: [UInt8] = []
        var fed = 0
        while head == nil {
            if fed < buffer.count {
                if let (h, remainder) = try? parser.feed(buffer[fed...]) {
                    head = h
                    rest = remainder
                    break
                }
                fed = buffer.count
            }
            guard fill() else { return nil }
        }
        buffer = rest
        guard let head else { return nil }
        if head.status.code == 100 || head.status.code == 101 {
            return ReceivedResponse(status: head.status.code, headers: head.headers, body: [])
        }
        var body: [UInt8] = []
        if let length = head.headers["Content-Length"].flatMap(Int.init) {
            while buffer.count < length { guard fill() else { return nil } }
            body = Array(buffer[0..<length])
            buffer.removeFirst(length)
        } else if head.headers["Transfer-Encoding"] == "chunked" {
            while true {
                while !containsCRLF() { guard fill() else { return nil } }
                let line = takeLine()
                let size = Int(line.split(separator: ";").first ?? "", radix: 16) ?? 0
                if size == 0 {
                    // Trailers until the empty line.
                    while true {
                        while !containsCRLF() { guard fill() else { return nil } }
                        if takeLine().isEmpty { break }
                    }
                    break
                }
                while buffer.count < size + 2 { guard fill() else { return nil } }
                body += buffer[0..<size]
                buffer.removeFirst(size + 2)
            }
        } else {
            while fill() {}
            body = buffer
            buffer = []
        }
        return ReceivedResponse(status: head.status.code, headers: head.headers, body: body)
    }

    /// Reads chunked-body pieces as they arrive (for SSE): the raw bytes seen so far.
    func readUntil(_ marker: String) -> String {
        let needle = Array(marker.utf8)
        while !buffer.windows(ofCount: needle.count).contains(where: { $0.elementsEqual(needle) }) {
            guard fill() else { break }
        }
        return String(decoding: buffer, as: UTF8.self)
    }

    private func containsCRLF() -> Bool {
        buffer.count >= 2 && zip(buffer, buffer.dropFirst()).contains { $0 == 13 && $1 == 10 }
    }

    private func takeLine() -> String {
        let index = zip(buffer.indices, buffer.dropFirst()).first { buffer[$0.0] == 13 && $0.1 == 10 }!.0
        let line = String(decoding: buffer[0..<index], as: UTF8.self)
        buffer.removeFirst(index + 2)
        return line
    }
}

extension Array where Element == UInt8 {
    fileprivate func windows(ofCount count: Int) -> [ArraySlice<UInt8>] {
        guard self.count >= count else { return [] }
        return (0...(self.count - count)).map { self[$0..<$0 + count] }
    }
}
