import HTTP1
import Testing

@Suite("Server-Sent Events framing (WHATWG HTML §9.2)")
struct ServerSentEventTests {
    static func text(_ event: ServerSentEvent) -> String { String(decoding: event.encoded(), as: UTF8.self) }

    @Test("writes a single-line data event ending with a blank line")
    func singleLine() {
        #expect(Self.text(ServerSentEvent(data: "hello")) == "data: hello\n\n")
    }

    @Test("splits multi-line data at LF, CRLF and CR into one data line each")
    func multiLine() {
        #expect(Self.text(ServerSentEvent(data: "a\nb\r\nc\rd")) == "data: a\ndata: b\ndata: c\ndata: d\n\n")
        #expect(Self.text(ServerSentEvent(data: "trailing\n")) == "data: trailing\ndata: \n\n")
    }

    @Test("writes event, id and retry fields before the data")
    func fields() {
        let event = ServerSentEvent(event: "token", data: "{\"t\":1}", id: "42", retryMilliseconds: 3000)
        #expect(Self.text(event) == "event: token\nid: 42\nretry: 3000\ndata: {\"t\":1}\n\n")
    }

    @Test("drops line breaks from event and id so they cannot inject fields")
    func sanitisesFields() {
        let event = ServerSentEvent(event: "a\ndata: x", data: "d", id: "1\r\n2\u{0}")
        #expect(Self.text(event) == "event: adata: x\nid: 12\ndata: d\n\n")
    }

    @Test("keeps a leading space in data (the client strips exactly one)")
    func leadingSpace() {
        #expect(Self.text(ServerSentEvent(data: " x")) == "data:  x\n\n")
    }

    @Test("writes comment heartbeats")
    func comments() {
        #expect(String(decoding: ServerSentEvent.comment("ping"), as: UTF8.self) == ": ping\n\n")
        #expect(String(decoding: ServerSentEvent.comment(), as: UTF8.self) == ":\n\n")
        #expect(String(decoding: ServerSentEvent.comment("a\nb"), as: UTF8.self) == ": a b\n\n")
    }
}
