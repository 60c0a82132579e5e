import JSON
import Testing

@Suite("JSON parsing (RFC 8259)")
struct JSONParserTests {
    @Test("parses the RFC 8259 §13 image example")
    func rfcImageExample() throws {
        let text = """
            {
              "Image": {
                  "Width":  800,
                  "Height": 600,
                  "Title":  "View from 15th Floor",
                  "Thumbnail": {
                      "Url":    "http://www.example.com/image/481989943",
                      "Height": 125,
                      "Width":  100
                  },
                  "Animated" : false,
                  "IDs": [116, 943, 234, 38793]
                }
            }
            """
        let value = try JSONValue(parsing: text)
        #expect(value["Image"]?["Width"] == 800)
        #expect(value["Image"]?["Title"]?.stringValue == "View from 15th Floor")
        #expect(value["Image"]?["Thumbnail"]?["Url"] == "http://www.example.com/image/481989943")
        #expect(value["Image"]?["Animated"]?.boolValue == false)
        #expect(value["Image"]?["IDs"] == [116, 943, 234, 38793])
        #expect(
            value["Image"]?.objectValue?.keys == ["Width", "Height", "Title", "Thumbnail", "Animated", "IDs"])
    }

    @Test("parses the RFC 8259 §13 array-of-objects example")
    func rfcArrayExample() throws {
        let text = """
            [
              {
                 "precision": "zip",
                 "Latitude":  37.7668,
                 "Longitude": -122.3959,
                 "Address":   "",
                 "City":      "SAN FRANCISCO",
                 "State":     "CA",
                 "Zip":       "94107",
                 "Country":   "US"
              },
              {
                 "precision": "zip",
                 "Latitude":  37.371991,
                 "Longitude": -122.026020,
                 "Address":   "",
                 "City":      "SUNNYVALE",
                 "State":     "CA",
                 "Zip":       "94085",
                 "Country":   "US"
              }
            ]
            """
        let value = try JSONValue(parsing: text)
        #expect(value.arrayValue?.count == 2)
        #expect(value[0]?["Latitude"] == .double(37.7668))
        #expect(value[1]?["Longitude"]?.doubleValue == -122.026020)
        #expect(value[1]?["City"] == "SUNNYVALE")
    }

    @Test(
        "parses the RFC 8259 §13 top-level scalars and whitespace",
        arguments: [
            ("\"Hello world!\"", JSONValue.string("Hello world!")), ("42", .integer(42)),
            ("true", .bool(true)),
            (" \t\r\n null \n", .null), ("false", .bool(false)), ("[]", .array([])), ("{}", .object([:])),
            ("[ 1 , [ ] , { } ]", .array([1, .array([]), .object([:])])),
        ])
    func topLevelScalars(text: String, expected: JSONValue) throws {
        #expect(try JSONValue(parsing: text) == expected)
    }

    @Test(
        "keeps integers as integers and everything else as doubles",
        arguments: [
            ("0", JSONValue.integer(0)), ("-1", .integer(-1)),
            ("9223372036854775807", .integer(.max)), ("-9223372036854775808", .integer(.min)),
            ("9223372036854775808", .double(9_223_372_036_854_775_808)), ("1.0", .double(1)),
            ("-0.0", .double(-0.0)),
            ("1e2", .double(100)), ("1E+2", .double(100)), ("25e-1", .double(2.5)), ("0.1", .double(0.1)),
            ("1.7976931348623157e308", .double(.greatestFiniteMagnitude)),
            ("5e-324", .double(.leastNonzeroMagnitude)),
            ("1e-400", .double(0)),
        ])
    func numbers(text: String, expected: JSONValue) throws {
        #expect(try JSONValue(parsing: text) == expected)
    }

    @Test("reads -0 as a negative-zero double, keeping its sign through a round trip")
    func negativeZero() throws {
        let value = try JSONValue(parsing: "-0")
        #expect(value.doubleValue?.sign == .minus)
        #expect(value.serialized() == "-0.0")
        #expect(try JSONValue(parsing: "-0e0").doubleValue?.sign == .minus)
    }

    @Test(
        "unescapes every RFC 8259 §7 escape and keeps UTF-8 text",
        arguments: [
            (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{08}\u{0C}\n\r\t"), (#""\u0041\u00e9\u20AC""#, "Aé€"),
            (#""\uD83D\uDE00""#, "😀"), (#""\ud834\udd1e x""#, "𝄞 x"), (#""a\u0000b""#, "a\u{0}b"),
            ("\"héllo wörld 日本 😀\"", "héllo wörld 日本 😀"), (#""""#, ""), (#""\u005C""#, "\\"),
        ])
    func strings(text: String, expected: String) throws {
        #expect(try JSONValue(parsing: text) == .string(expected))
    }

    /// One refused input, the reason, and the byte offset that must be reported.
    struct Refused: Sendable, CustomTestStringConvertible {
        var bytes: [UInt8]
        var reason: JSONError.Reason
        var offset: Int
        init(_ text: String, _ reason: JSONError.Reason, at offset: Int) {
            self.bytes = Array(text.utf8)
            self.reason = reason
            self.offset = offset
        }
        init(bytes: [UInt8], _ reason: JSONError.Reason, at offset: Int) {
            self.bytes = bytes
            self.reason = reason
            self.offset = offset
        }
        var testDescription: String { String(decoding: bytes, as: UTF8.self).debugDescription }
    }

    static let refused: [Refused] = [
        Refused("", .unexpectedEnd, at: 0),
        Refused("   ", .unexpectedEnd, at: 3),
        Refused("[1, 2", .unexpectedEnd, at: 5),
        Refused("{\"a\"", .unexpectedEnd, at: 4),
        Refused("\"abc", .unexpectedEnd, at: 4),
        Refused("nul", .unexpectedEnd, at: 3),
        Refused("nulL", .unexpectedByte(UInt8(ascii: "L")), at: 3),
        Refused("True", .unexpectedByte(UInt8(ascii: "T")), at: 0),
        Refused("[1,]", .trailingComma, at: 2),
        Refused("{\"a\":1 , }", .trailingComma, at: 7),
        Refused("[,1]", .unexpectedByte(UInt8(ascii: ",")), at: 1),
        Refused("[1 2]", .unexpectedByte(UInt8(ascii: "2")), at: 3),
        Refused("{\"a\" 1}", .unexpectedByte(UInt8(ascii: "1")), at: 5),
        Refused("{a:1}", .unexpectedByte(UInt8(ascii: "a")), at: 1),
        Refused("{'a':1}", .unexpectedByte(UInt8(ascii: "'")), at: 1),
        Refused("[1] x", .trailingContent, at: 4),
        Refused("1 2", .trailingContent, at: 2),
        Refused("[1] // comment", .trailingContent, at: 4),
        Refused("/* c */ 1", .unexpectedByte(UInt8(ascii: "/")), at: 0),
        Refused("01", .leadingZero, at: 0),
        Refused("-012", .leadingZero, at: 1),
        Refused("+1", .unexpectedByte(UInt8(ascii: "+")), at: 0),
        Refused(".5", .unexpectedByte(UInt8(ascii: ".")), at: 0),
        Refused("-", .missingDigits, at: 1),
        Refused("-a", .missingDigits, at: 1),
        Refused("1.", .missingDigits, at: 2),
        Refused("1.e5", .missingDigits, at: 2),
        Refused("1e", .missingDigits, at: 2),
        Refused("1e+", .missingDigits, at: 3),
        Refused("NaN", .unexpectedByte(UInt8(ascii: "N")), at: 0),
        Refused("-Infinity", .missingDigits, at: 1),
        Refused("1e400", .numberOutOfRange, at: 0),
        Refused("[-1e400]", .numberOutOfRange, at: 1),
        Refused(#""\x""#, .invalidEscape(UInt8(ascii: "x")), at: 1),
        Refused(#""ab\'""#, .invalidEscape(UInt8(ascii: "'")), at: 3),
        Refused(#""\u12G4""#, .invalidUnicodeEscape, at: 1),
        Refused(#""\u12"#, .unexpectedEnd, at: 5),
        Refused(#""\uD83D""#, .loneSurrogate(0xD83D), at: 1),
        Refused(#""\uD83Dx""#, .loneSurrogate(0xD83D), at: 1),
        Refused(#""\uD83D\u0041""#, .loneSurrogate(0xD83D), at: 1),
        Refused(#""a\uDE00""#, .loneSurrogate(0xDE00), at: 2),
        Refused(#""\uD83D\uZZZZ""#, .invalidUnicodeEscape, at: 7),
        Refused("\"a\u{01}b\"", .controlCharacterInString(0x01), at: 2),
        Refused("\"tab\there\"", .controlCharacterInString(0x09), at: 4),
        Refused("\"line\nbreak\"", .controlCharacterInString(0x0A), at: 5),
        Refused(bytes: [0x22, 0xFF, 0x22], .invalidUTF8, at: 1),
        Refused(bytes: [0x22, 0xC0, 0xAF, 0x22], .invalidUTF8, at: 1),  // overlong '/'
        Refused(bytes: [0x22, 0xE0, 0x80, 0xAF, 0x22], .invalidUTF8, at: 1),  // overlong
        Refused(bytes: [0x22, 0xED, 0xA0, 0x80, 0x22], .invalidUTF8, at: 1),  // encoded surrogate
        Refused(bytes: [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], .invalidUTF8, at: 1),  // beyond U+10FFFF
        Refused(bytes: [0x22, 0x61, 0xC3, 0x22], .invalidUTF8, at: 2),  // truncated sequence
        Refused(bytes: [0x22, 0xE2, 0x82], .unexpectedEnd, at: 3),
        Refused(bytes: [0xEF, 0xBB, 0xBF, 0x31], .unexpectedByte(0xEF), at: 0),  // byte order mark
        Refused("{\"a\":1,\"a\":2}", .duplicateKey("a"), at: 7),
        Refused("{\"a\":{\"b\":1,\"c\":2,\"b\":3}}", .duplicateKey("b"), at: 18),
    ]

    @Test("refuses malformed JSON with the reason and byte offset", arguments: refused)
    func refusesMalformed(_ example: Refused) {
        #expect(throws: JSONError(example.reason, at: example.offset)) {
            try JSONParser().parse(example.bytes)
        }
    }

    @Test("finds a duplicate key among many by set once the object is large")
    func duplicateKeyInLargeObject() {
        var text = "{"
        for index in 0..<40 { text += "\"k\(index)\":\(index)," }
        text += "\"k33\":0}"
        let offset = text.utf8.count - 8
        #expect(throws: JSONError(.duplicateKey("k33"), at: offset)) { try JSONValue(parsing: text) }
    }

    @Test("describes an error with its message and offset")
    func describesError() {
        #expect(JSONError(.trailingComma, at: 7).description == "trailing comma at byte 7")
        #expect(JSONError(.unexpectedByte(0x01), at: 0).description == "unexpected byte 0x01 at byte 0")
        #expect(
            JSONError(.loneSurrogate(0xD83D), at: 1).description
                == "unpaired UTF-16 surrogate \\uD83D at byte 1")
        #expect(
            JSONError(.controlCharacterInString(0x0A), at: 5).description
                == "unescaped control character U+000A in string at byte 5")
    }
}
