import JSON
import Testing

@Suite("JSON serialization and JSONWriter")
struct JSONSerializationTests {
    static let sample: JSONValue = [
        "type": "reply",
        "seq": 42,
        "ok": true,
        "score": 0.5,
        "missing": nil,
        "tokens": ["Ahoy", "!"],
        "empty": [:],
        "none": [],
    ]

    @Test("writes compact JSON with members in insertion order")
    func compact() {
        #expect(
            Self.sample.serialized()
                == #"{"type":"reply","seq":42,"ok":true,"score":0.5,"missing":null,"tokens":["Ahoy","!"],"empty":{},"none":[]}"#
        )
    }

    @Test("writes pretty JSON indented two spaces, empty containers kept short")
    func pretty() {
        #expect(
            Self.sample.serialized(pretty: true) == """
                {
                  "type": "reply",
                  "seq": 42,
                  "ok": true,
                  "score": 0.5,
                  "missing": null,
                  "tokens": [
                    "Ahoy",
                    "!"
                  ],
                  "empty": {},
                  "none": []
                }
                """)
    }

    @Test(
        "escapes per RFC 8259 §7: quote, backslash and control characters only",
        arguments: [
            ("say \"hi\"", #""say \"hi\"""#), ("back\\slash", #""back\\slash""#), ("a/b", #""a/b""#),
            ("\u{08}\u{0C}\n\r\t", #""\b\f\n\r\t""#), ("\u{0}\u{1}\u{1F}", #""\u0000\u0001\u001f""#),
            ("\u{7F}", "\"\u{7F}\""), ("héllo 日本 😀", "\"héllo 日本 😀\""), ("\u{2028}", "\"\u{2028}\""),
        ])
    func escaping(input: String, expected: String) throws {
        let text = JSONValue.string(input).serialized()
        #expect(text == expected)
        #expect(try JSONValue(parsing: text) == .string(input))
    }

    @Test(
        "writes numbers in a form that reads back as the same kind and value",
        arguments: [
            (JSONValue.integer(0), "0"), (.integer(-7), "-7"), (.integer(.max), "9223372036854775807"),
            (.integer(.min), "-9223372036854775808"), (.double(1), "1.0"), (.double(-0.0), "-0.0"),
            (.double(0.1), "0.1"), (.double(1e-5), "1e-05"), (.double(1e300), "1e+300"),
            (.double(.infinity), "null"), (.double(.nan), "null"),
        ])
    func numbers(value: JSONValue, expected: String) throws {
        #expect(value.serialized() == expected)
        if case .double(let double) = value, !double.isFinite { return }
        #expect(try JSONValue(parsing: expected) == value)
    }

    @Test("builds a frame with JSONWriter identical to serializing the value")
    func writerMatchesValue() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("type")
        writer.string("reply")
        writer.key("seq")
        writer.int(42)
        writer.key("ok")
        writer.bool(true)
        writer.key("score")
        writer.double(0.5)
        writer.key("missing")
        writer.null()
        writer.key("tokens")
        writer.beginArray()
        writer.string("Ahoy")
        writer.string("!")
        writer.endArray()
        writer.key("empty")
        writer.beginObject()
        writer.endObject()
        writer.key("none")
        writer.beginArray()
        writer.endArray()
        writer.endObject()
        #expect(writer.bytes == Self.sample.serializedBytes())

        writer.removeAll()
        writer.beginArray()
        writer.int(1)
        writer.endArray()
        #expect(writer.text == "[1]")
        #expect(writer.finish() == Array("[1]".utf8))
        #expect(writer.bytes.isEmpty)
    }

    @Test("writes members in one call and embeds raw fragments as values")
    func membersAndRaw() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.member("type", "delta")
        writer.member("seq", 7)
        writer.member("big", Int64.max)
        writer.member("ratio", 0.25)
        writer.member("final", false)
        writer.nullMember("error")
        writer.member("tokens", ["a", 1])
        writer.key("cached")
        writer.raw(Array(#"{"x":[1,2]}"#.utf8))
        writer.endObject()
        #expect(
            writer.text
                == #"{"type":"delta","seq":7,"big":9223372036854775807,"ratio":0.25,"final":false,"error":null,"tokens":["a",1],"cached":{"x":[1,2]}}"#
        )
    }

    @Test("writes pretty output from JSONWriter too")
    func prettyWriter() {
        var writer = JSONWriter(pretty: true)
        Self.sample.write(to: &writer)
        #expect(writer.text == Self.sample.serialized(pretty: true))
    }
}
