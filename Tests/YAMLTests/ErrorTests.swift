import Diagnostics
import Testing
import YAML

@Suite("Errors: class, location and message")
struct ErrorTests {
    @Test("refuses a duplicate key, naming where it first appeared")
    func duplicateKey() {
        let error = parseError("id: a\nname: x\n\nname: y\n")
        #expect(
            error == YAMLError(.duplicateKey, at: at(4, 1), "duplicate key 'name' (first defined at 2:1)"))
        #expect(
            error?.diagnostic
                == .error("yaml-duplicate-key", at: at(4, 1), "duplicate key 'name' (first defined at 2:1)"))
    }

    @Test(
        "refuses every explicit tag, showing it as written",
        arguments: [
            ("a: !!python/object x\n", 1, 4, "!!python/object"),
            ("a: !!str x\n", 1, 4, "!!str"),
            ("a: !foo\n  b: 1\n", 1, 4, "!foo"),
            ("- ! x\n", 1, 3, "!"),
            ("a: !<tag:example.com,2000:x> [1]\n", 1, 4, "tag:example.com,2000:x"),
            ("%TAG !e! tag:example.com,2000:\n---\na: !e!x y\n", 3, 4, "tag:example.com,2000:x"),
        ])
    func tag(source: String, line: Int, column: Int, tag: String) {
        let error = parseError(source)
        #expect(
            error
                == YAMLError(
                    .unsupportedTag, at: at(line, column),
                    "explicit tag '\(tag)' is not supported; personality files use plain YAML, so remove the tag (quote the value if it must stay a string)"
                ))
        #expect(error?.diagnostic.code == "yaml-tag")
    }

    @Test("refuses an undeclared tag handle as a tag")
    func undeclaredHandle() {
        let error = parseError("a: !x!y z\n")
        #expect(error?.reason == .unsupportedTag)
        #expect(error?.location == at(1, 4))
        #expect(error?.message.hasPrefix("found undefined tag handle") == true)
    }

    @Test(
        "refuses a second document at its start",
        arguments: [
            ("a: 1\n---\nb: 2\n", 2, 1),
            ("--- a\n--- b\n", 2, 1),
            ("a: 1\n...\n---\n", 3, 1),
        ])
    func multipleDocuments(source: String, line: Int, column: Int) {
        let error = parseError(source)
        #expect(
            error
                == YAMLError(
                    .multipleDocuments, at: at(line, column),
                    "a second YAML document starts here; a file holds exactly one document (remove the '---' line or split the file)"
                ))
        #expect(error?.diagnostic.code == "yaml-multiple-documents")
    }

    @Test("accepts one explicit document with an end marker")
    func oneExplicitDocument() throws {
        let node = try parse("%YAML 1.1\n---\na: 1\n...\n# trailing comment\n")
        #expect(node["a"]?.text == "1")
    }

    @Test(
        "turns libyaml syntax errors into readable messages at the problem",
        arguments: [
            (
                "a: b\n  c: d\n", 2, 4,
                "mapping values are not allowed in this context; a value that contains ': ' must be quoted"
            ),
            (
                "a: \"x\n", 2, 1,
                "found unexpected end of stream (while scanning a quoted scalar that starts at 1:4)"
            ),
            (
                "a: [1, 2\n", 2, 1,
                "did not find expected ',' or ']' (while parsing a flow sequence that starts at 1:4)"
            ),
            (
                "key: |\n  text\n bad: 1\n", 3, 2,
                "did not find expected key (while parsing a block mapping that starts at 1:1); check the indentation of this line"
            ),
            (
                "a: @x\n", 1, 4,
                "found character that cannot start any token (while scanning for the next token that starts at 1:4); tabs cannot indent YAML, and values starting with '@' or '`' must be quoted"
            ),
        ])
    func syntax(source: String, line: Int, column: Int, message: String) {
        let error = parseError(source)
        #expect(error == YAMLError(.syntax, at: at(line, column), message))
        #expect(error?.diagnostic.code == "yaml-syntax")
    }

    @Test("reports an error at the end of a text without a final line break on its last line")
    func endOfText() {
        let error = parseError("a: \"x")
        #expect(
            error
                == YAMLError(
                    .syntax, at: at(1, 6),
                    "found unexpected end of stream (while scanning a quoted scalar that starts at 1:4)"))
        #expect(parseError("a: [1, é")?.location == at(1, 9))
    }

    @Test("reports syntax errors after multi-byte text at the right column")
    func syntaxAfterMultibyte() {
        let error = parseError("ä: ö: ü\n")
        #expect(error?.reason == .syntax)
        #expect(error?.location == at(1, 5))
    }

    @Test("refuses an undefined alias")
    func undefinedAlias() {
        let error = parseError("a: *nope\n")
        #expect(
            error
                == YAMLError(
                    .undefinedAlias, at: at(1, 4),
                    "alias '*nope' refers to no anchor; define '&nope' before using it"))
    }

    @Test("renders as file:line:col: error: message")
    func rendering() {
        let error = parseError("a: *nope\n")
        #expect(
            error?.description
                == "test.yaml:1:4: error: alias '*nope' refers to no anchor; define '&nope' before using it")
    }
}

@Suite("Encoding")
struct EncodingTests {
    @Test(
        "refuses input that is not UTF-8 before libyaml sees it",
        arguments: [
            (Array("a: b\nc: ".utf8) + [0xFF], 2, 4, "invalid UTF-8 (byte 0xFF); save the file as UTF-8"),
            (Array("é: ".utf8) + [0xC3], 1, 4, "invalid UTF-8 (byte 0xC3); save the file as UTF-8"),
            (Array("a: ".utf8) + [0xC0, 0xAF], 1, 4, "invalid UTF-8 (byte 0xC0); save the file as UTF-8"),
            (
                Array("a: ".utf8) + [0xE0, 0x80, 0xAF], 1, 4,
                "invalid UTF-8 (byte 0xE0); save the file as UTF-8"
            ),
            (
                Array("a: ".utf8) + [0xED, 0xA0, 0x80], 1, 4,
                "invalid UTF-8 (byte 0xED); save the file as UTF-8"
            ),
            (
                Array("a: ".utf8) + [0xF4, 0x90, 0x80, 0x80], 1, 4,
                "invalid UTF-8 (byte 0xF4); save the file as UTF-8"
            ),
            (Array("a: x".utf8) + [0x80], 1, 5, "invalid UTF-8 (byte 0x80); save the file as UTF-8"),
        ])
    func invalidUTF8(bytes: [UInt8], line: Int, column: Int, message: String) {
        #expect(parseError(bytes: bytes) == YAMLError(.invalidEncoding, at: at(line, column), message))
    }

    @Test(
        "refuses UTF-16 and UTF-32 byte order marks",
        arguments: [
            ([0xFF, 0xFE, 0x61, 0x00], "UTF-16"),
            ([0xFE, 0xFF, 0x00, 0x61], "UTF-16"),
            ([0xFF, 0xFE, 0x00, 0x00, 0x61, 0x00, 0x00, 0x00], "UTF-32"),
            ([0x00, 0x00, 0xFE, 0xFF, 0x00, 0x00, 0x00, 0x61], "UTF-32"),
        ] as [([UInt8], String)])
    func byteOrderMarks(bytes: [UInt8], encoding: String) {
        #expect(
            parseError(bytes: bytes)
                == YAMLError(
                    .invalidEncoding, at: at(1, 1),
                    "the file is \(encoding) encoded (it starts with a \(encoding) byte order mark); save it as UTF-8"
                ))
    }

    @Test("refuses a NUL byte, suspecting UTF-16")
    func nul() {
        let error = parseError(bytes: Array("a: b\nc".utf8) + [0x00])
        #expect(
            error
                == YAMLError(
                    .invalidEncoding, at: at(2, 2),
                    "the file contains a NUL byte; is it UTF-16 or binary? Save it as UTF-8 text"))
        #expect(error?.diagnostic.code == "yaml-encoding")
    }

    @Test(
        "refuses control characters YAML does not allow",
        arguments: [
            ("a: \u{07}", 1, 4, "0007"), ("a: b\n  c\u{7F}", 2, 4, "007F"), ("é: \u{9B}", 1, 4, "009B"),
            ("x\u{2028}a: \u{FFFE}", 2, 4, "FFFE"),
        ])
    func controlCharacters(source: String, line: Int, column: Int, hex: String) {
        #expect(
            parseError(source)
                == YAMLError(
                    .invalidEncoding, at: at(line, column),
                    "control character U+\(hex) is not allowed in YAML; remove it or write it as an escape in a double-quoted string"
                ))
    }

    @Test("accepts tabs, NEL, and characters from every UTF-8 length")
    func accepted() throws {
        let node = try parse("a: \"x\ty\"\nb: é日😀\nc: \u{85}\n")
        #expect(node["a"]?.text == "x\ty")
        #expect(node["b"]?.text == "é日😀")
    }
}
