import PersonaTestSupport
import Redis
import Testing

@Suite("RESP parser")
struct RESPParserTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Examples from the protocol specification, one per type.
    static let examples: [(String, RESPValue)] = [
        ("+OK\r\n", .simpleString("OK")),
        ("-ERR unknown command 'x'\r\n", .error("ERR unknown command 'x'")),
        (":1000\r\n", .integer(1000)),
        (":-42\r\n", .integer(-42)),
        ("$5\r\nhello\r\n", .bulkString(bytes("hello"))),
        ("$0\r\n\r\n", .bulkString([])),
        ("$-1\r\n", .null),
        ("*-1\r\n", .null),
        ("_\r\n", .null),
        ("*0\r\n", .array([])),
        ("*2\r\n$3\r\nfoo\r\n:7\r\n", .array([.bulkString(bytes("foo")), .integer(7)])),
        ("*2\r\n*1\r\n+a\r\n*0\r\n", .array([.array([.simpleString("a")]), .array([])])),
        ("#t\r\n", .boolean(true)),
        ("#f\r\n", .boolean(false)),
        (",3.25\r\n", .double(3.25)),
        (",inf\r\n", .double(.infinity)),
        (",-inf\r\n", .double(-.infinity)),
        (",1e-05\r\n", .double(1e-05)),
        ("(3492890328409238509324850943850943825024385\r\n", .bigNumber("3492890328409238509324850943850943825024385")),
        ("!21\r\nSYNTAX invalid syntax\r\n", .bulkError(bytes("SYNTAX invalid syntax"))),
        ("=15\r\ntxt:Some string\r\n", .verbatimString(format: "txt", text: bytes("Some string"))),
        (
            "%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n",
            .map([RESPPair(.simpleString("first"), .integer(1)), RESPPair(.simpleString("second"), .integer(2))])
        ),
        ("~2\r\n+a\r\n+b\r\n", .set([.simpleString("a"), .simpleString("b")])),
        (
            "|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.1923\r\n*1\r\n:2039123\r\n",
            .attributed(
                [RESPPair(.simpleString("key-popularity"), .map([RESPPair(.bulkString(bytes("a")), .double(0.1923))]))],
                .array([.integer(2_039_123)]))
        ),
        (">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", .push([.bulkString(bytes("message")), .bulkString(bytes("ch")), .bulkString(bytes("hi"))])),
    ]

    @Test("decodes every RESP2 and RESP3 type from the specification's examples")
    func examplesDecode() throws {
        for (text, expected) in Self.examples {
            #expect(try RESPParser.parseAll(Self.bytes(text)) == [expected], "\(text.debugDescription)")
        }
    }

    @Test("gives the same values whole, byte by byte and split at every index")
    func dripFeed() throws {
        let stream = Self.examples.flatMap { Self.bytes($0.0) }
        let expected = Self.examples.map(\.1)
        for chunks in DripFeed.splits(of: stream) {
            var parser = RESPParser()
            var values: [RESPValue] = []
            for chunk in chunks {
                parser.append(chunk)
                while let value = try parser.next() { values.append(value) }
            }
            #expect(values == expected, "chunks \(chunks.map(\.count))")
            #expect(!parser.isMidValue)
        }
    }

    @Test("reports nothing until a value is complete, then exactly that value")
    func partialValues() throws {
        var parser = RESPParser()
        parser.append(Self.bytes("*2\r\n$5\r\nhel"))
        #expect(try parser.next() == nil)
        #expect(parser.isMidValue)
        parser.append(Self.bytes("lo\r\n:1\r\n+ne"))
        #expect(try parser.next() == .array([.bulkString(Self.bytes("hello")), .integer(1)]))
        #expect(try parser.next() == nil)
        parser.append(Self.bytes("xt\r\n"))
        #expect(try parser.next() == .simpleString("next"))
    }

    @Test(
        "refuses malformed input with a typed error",
        arguments: [
            ("?x\r\n", RESPError.unknownType(UInt8(ascii: "?"))),
            (":12a\r\n", .malformed("integer")),
            (":\r\n", .malformed("integer")),
            (":99999999999999999999\r\n", .malformed("integer")),
            ("$-2\r\n", .malformed("bulk length -2")),
            ("*-5\r\n", .malformed("aggregate length -5")),
            ("$3\r\nabcd\r\n", .malformed("bulk value: no CRLF after it")),
            ("+a\nb\r\n", .malformed("line: LF without CR")),
            ("+a\rb\r\n", .malformed("line: a bare CR")),
            ("#x\r\n", .malformed("boolean")),
            (",1.5x\r\n", .malformed("double")),
            (",0x10\r\n", .malformed("double")),
            ("(12z\r\n", .malformed("big number")),
            ("_x\r\n", .malformed("null")),
            ("~-1\r\n", .malformed("aggregate length -1")),
            ("=2\r\nab\r\n", .malformed("verbatim string format")),
            ("=5\r\n\u{7F}xy:z\r\n", .malformed("verbatim string format")),
            ("$?\r\n", .streamedUnsupported),
            ("*?\r\n", .streamedUnsupported),
        ])
    func malformed(_ input: String, _ expected: RESPError) {
        #expect(throws: expected) { try RESPParser.parseAll(Self.bytes(input)) }
    }

    @Test("refuses a verbatim format that is not three ASCII bytes (found by RESPFuzz)")
    func verbatimFormatBytes() {
        let input: [UInt8] = Array("=5\r\n".utf8) + [0xF4] + Array("tx:z\r\n".utf8)
        #expect(throws: RESPError.malformed("verbatim string format")) { try RESPParser.parseAll(input) }
    }

    @Test("stays failed after an error: the stream is out of step")
    func staysFailed() throws {
        var parser = RESPParser()
        parser.append(Self.bytes("?\r\n+OK\r\n"))
        #expect(throws: RESPError.unknownType(UInt8(ascii: "?"))) { try parser.next() }
        #expect(throws: RESPError.unknownType(UInt8(ascii: "?"))) { try parser.next() }
    }

    // MARK: Limits, each at its edge and one past it

    @Test("takes a bulk value of exactly maxBulkBytes and refuses one byte more before buffering it")
    func bulkLimit() throws {
        let configuration = RESPParser.Configuration(maxBulkBytes: 8)
        #expect(try RESPParser.parseAll(Self.bytes("$8\r\n12345678\r\n"), configuration: configuration).count == 1)
        var parser = RESPParser(configuration: configuration)
        parser.append(Self.bytes("$9\r\n"))  // refused from the header alone
        #expect(throws: RESPError.bulkTooLong(length: 9, limit: 8)) { try parser.next() }
        #expect(throws: RESPError.bulkTooLong(length: 9, limit: 8)) {
            try RESPParser.parseAll(Self.bytes("!9\r\n123456789\r\n"), configuration: configuration)
        }
    }

    @Test("takes an aggregate of exactly maxAggregateCount elements and refuses one more")
    func aggregateLimit() throws {
        let configuration = RESPParser.Configuration(maxAggregateCount: 3)
        #expect(try RESPParser.parseAll(Self.bytes("*3\r\n:1\r\n:2\r\n:3\r\n"), configuration: configuration).count == 1)
        #expect(throws: RESPError.aggregateTooLong(count: 4, limit: 3)) {
            try RESPParser.parseAll(Self.bytes("*4\r\n"), configuration: configuration)
        }
        #expect(throws: RESPError.aggregateTooLong(count: 4, limit: 3)) {
            try RESPParser.parseAll(Self.bytes("%4\r\n"), configuration: configuration)
        }
        // A huge announced count is refused without reserving memory for it.
        #expect(throws: RESPError.aggregateTooLong(count: 1 << 40, limit: 3)) {
            try RESPParser.parseAll(Self.bytes("*\(1 << 40)\r\n"), configuration: configuration)
        }
    }

    @Test("nests exactly maxDepth aggregates and refuses one level more")
    func depthLimit() throws {
        let configuration = RESPParser.Configuration(maxDepth: 4)
        let four = String(repeating: "*1\r\n", count: 4) + ":1\r\n"
        #expect(try RESPParser.parseAll(Self.bytes(four), configuration: configuration).count == 1)
        let five = String(repeating: "*1\r\n", count: 5) + ":1\r\n"
        #expect(throws: RESPError.tooDeep(limit: 4)) {
            try RESPParser.parseAll(Self.bytes(five), configuration: configuration)
        }
    }

    @Test("takes a line of exactly maxLineBytes and refuses one byte more, complete or still arriving")
    func lineLimit() throws {
        let configuration = RESPParser.Configuration(maxLineBytes: 10)
        let ten = String(repeating: "a", count: 10)
        #expect(try RESPParser.parseAll(Self.bytes("+\(ten)\r\n"), configuration: configuration) == [.simpleString(ten)])
        #expect(throws: RESPError.lineTooLong(limit: 10)) {
            try RESPParser.parseAll(Self.bytes("+\(ten)a\r\n"), configuration: configuration)
        }
        var parser = RESPParser(configuration: configuration)
        parser.append(Self.bytes("+\(ten)\r"))
        #expect(try parser.next() == nil)  // ten bytes and CR: the LF may still come
        parser.append(Self.bytes("b"))
        #expect(throws: RESPError.lineTooLong(limit: 10)) { try parser.next() }
        parser = RESPParser(configuration: configuration)
        parser.append(Self.bytes("+\(ten)a"))
        #expect(try parser.next() == nil)  // it counts bytes only: a type byte, ten and one more fit "ten and a CR"
        parser.append(Self.bytes("b"))
        #expect(throws: RESPError.lineTooLong(limit: 10)) { try parser.next() }
    }
}
