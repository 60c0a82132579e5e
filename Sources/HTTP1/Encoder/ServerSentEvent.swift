/// One Server-Sent Event (WHATWG HTML §9.2 "Server-sent events", `text/event-stream`).
///
/// Encoding rules, chosen so no field can break the stream's framing:
/// - `data` is split at every CRLF, CR or LF and each line becomes its own `data:` line; the
///   client joins them back with LF. An empty `data` still writes one `data:` line.
/// - `event` and `id` cannot contain line breaks in the format; CR and LF in them are dropped,
///   as is NUL in `id` (the client would ignore such an id).
/// - Every field is written as `name: value` — the client strips exactly one leading space.
public struct ServerSentEvent: Sendable, Hashable {
    /// The event type (`event:`); nil means the default `message`.
    public var event: String?
    /// The payload (`data:` lines).
    public var data: String
    /// The last-event id (`id:`), echoed by reconnecting clients in `Last-Event-ID`.
    public var id: String?
    /// The reconnection delay in milliseconds (`retry:`).
    public var retryMilliseconds: Int?

    /// Creates an event.
    public init(event: String? = nil, data: String, id: String? = nil, retryMilliseconds: Int? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retryMilliseconds = retryMilliseconds
    }

    /// The response headers a stream of events needs.
    public static let responseHeaders: HTTPHeaders = [
        "Content-Type": "text/event-stream",
        "Cache-Control": "no-cache",
    ]

    /// The event's bytes, ending with the blank line that dispatches it.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        if let event {
            appendField("event", value: event.utf8.filter { $0 != 0x0A && $0 != 0x0D }, into: &out)
        }
        if let id {
            appendField("id", value: id.utf8.filter { $0 != 0x0A && $0 != 0x0D && $0 != 0 }, into: &out)
        }
        if let retryMilliseconds {
            appendField("retry", value: Array(String(max(0, retryMilliseconds)).utf8), into: &out)
        }
        var line: [UInt8] = []
        var previousWasCR = false
        for byte in data.utf8 {
            if byte == 0x0A && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = byte == 0x0D
            if byte == 0x0A || byte == 0x0D {
                appendField("data", value: line, into: &out)
                line.removeAll(keepingCapacity: true)
            } else {
                line.append(byte)
            }
        }
        appendField("data", value: line, into: &out)
        out.append(0x0A)
        return out
    }

    /// A comment line (`: text`), ignored by clients: the usual heartbeat that keeps proxies
    /// from timing out an idle stream. Line breaks in `text` are replaced by spaces.
    public static func comment(_ text: String = "") -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: ":")]
        if !text.isEmpty {
            out.append(0x20)
            out.append(contentsOf: text.utf8.map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 })
        }
        out.append(contentsOf: [0x0A, 0x0A])
        return out
    }

    private func appendField(_ name: String, value: [UInt8], into out: inout [UInt8]) {
        out.append(contentsOf: name.utf8)
        out.append(contentsOf: [UInt8(ascii: ":"), 0x20])
        out.append(contentsOf: value)
        out.append(0x0A)
    }
}
