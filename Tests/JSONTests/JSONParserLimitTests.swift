import JSON
import Testing

@Suite("JSON parser limits, each exceeded by exactly one")
struct JSONParserLimitTests {
    static func nested(_ depth: Int) -> String {
        String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    }

    @Test("accepts nesting at maxDepth and refuses one level more")
    func depth() throws {
        let parser = JSONParser()
        #expect(parser.configuration.maxDepth == 64)
        _ = try parser.parse(Self.nested(64))
        #expect(throws: JSONError(.depthLimitExceeded(64), at: 64)) { try parser.parse(Self.nested(65)) }
        let objects = String(repeating: "{\"a\":", count: 65) + "1" + String(repeating: "}", count: 65)
        #expect(throws: JSONError(.depthLimitExceeded(64), at: 64 * 5)) { try parser.parse(objects) }
        let small = JSONParser(configuration: .init(maxDepth: 2))
        _ = try small.parse("[{\"a\":1}]")
        #expect(throws: JSONError(.depthLimitExceeded(2), at: 6)) { try small.parse("[{\"a\":[]}]") }
    }

    @Test("accepts input of maxInputBytes and refuses one byte more")
    func inputBytes() throws {
        let parser = JSONParser()
        #expect(parser.configuration.maxInputBytes == 1 << 20)
        let limit = 1 << 20
        let exact =
            Array("\"".utf8) + [UInt8](repeating: UInt8(ascii: " "), count: limit - 3) + Array("\" ".utf8)
        #expect(exact.count == limit)
        let custom = JSONParser(configuration: .init(maxStringBytes: limit))
        _ = try custom.parse(exact)
        #expect(throws: JSONError(.inputTooLarge(limit), at: limit)) { try custom.parse(exact + [0x20]) }
    }

    @Test("accepts a string of maxStringBytes and refuses one byte more, escaped or not")
    func stringBytes() throws {
        let parser = JSONParser()
        #expect(parser.configuration.maxStringBytes == 256 << 10)
        let small = JSONParser(configuration: .init(maxStringBytes: 8))
        #expect(try small.parse("\"12345678\"") == "12345678")
        #expect(throws: JSONError(.stringTooLong(8), at: 0)) { try small.parse("\"123456789\"") }
        #expect(try small.parse(#""1234567\n""#) == "1234567\n")
        #expect(throws: JSONError(.stringTooLong(8), at: 1)) { try small.parse(#"["12345678\n"]"#) }
        #expect(try small.parse("\"123456é\"") == "123456é")
        #expect(throws: JSONError(.stringTooLong(8), at: 5)) { try small.parse("{\"a\":\"€€€\"}") }
        #expect(throws: JSONError(.stringTooLong(8), at: 1)) { try small.parse("{\"abcdefghi\":1}") }
    }
}
