import Diagnostics
import Testing
import YAML

@Suite("Scalars, styles and locations")
struct ScalarTests {
    @Test("reads each scalar style with its text and style")
    func styles() throws {
        let node = try parse(
            """
            plain: hello world
            single: 'it''s'
            double: "tab\\there"
            literal: |
              line one
              line two
            folded: >
              folded
              text
            """)
        #expect(node["plain"]?.scalar == YAMLScalar("hello world", style: .plain))
        #expect(node["single"]?.scalar == YAMLScalar("it's", style: .singleQuoted))
        #expect(node["double"]?.scalar == YAMLScalar("tab\there", style: .doubleQuoted))
        #expect(node["literal"]?.scalar == YAMLScalar("line one\nline two\n", style: .literal))
        #expect(node["folded"]?.scalar == YAMLScalar("folded text", style: .folded))
    }

    @Test("gives every node its 1-based line and column")
    func locations() throws {
        let node = try parse("a: 1\nbb:\n  ccc: 'x'\n")
        let pairs = try #require(node.mapping)
        #expect(node.location == at(1, 1))
        #expect(pairs[0].key.location == at(1, 1))
        #expect(pairs[0].value.location == at(1, 4))
        #expect(pairs[1].key.location == at(2, 1))
        #expect(pairs[1].value.location == at(3, 3))
        #expect(pairs[1].value["ccc"]?.location == at(3, 8))
    }

    @Test("counts columns in Unicode scalars after multi-byte characters")
    func multibyteColumns() throws {
        let node = try parse("é: ä\n日本語: 'x' # c\n")
        let pairs = try #require(node.mapping)
        #expect(pairs[0].value.location == at(1, 4))
        #expect(pairs[1].value.location == at(2, 6))
        let emoji = try parse("[😀😀, x]")
        #expect(emoji.sequence?[1].location == at(1, 6))
    }

    @Test(
        "turns an empty document into a null plain scalar at 1:1",
        arguments: ["", "# only a comment\n", "\n\n  \n"])
    func emptyDocument(text: String) throws {
        let node = try parse(text)
        #expect(node.isNull)
        #expect(node.scalar == YAMLScalar("", style: .plain))
        #expect(node.location == at(1, 1))
    }

    @Test("ignores a UTF-8 byte order mark without shifting columns")
    func byteOrderMark() throws {
        let node = try YAMLParser().parse([0xEF, 0xBB, 0xBF] + Array("a: b".utf8), file: "test.yaml")
        #expect(node["a"]?.text == "b")
        #expect(node["a"]?.location == at(1, 4))
    }
}

@Suite("Scalars: nulls, keys and multi-line text")
struct ScalarDetailTests {
    @Test("gives a key without a value a null plain scalar")
    func missingValue() throws {
        let node = try parse("a:\nb: 1\n")
        #expect(node["a"]?.isNull == true)
        #expect(node["a"]?.scalar?.style == .plain)
        #expect(node["a"]?.location == at(1, 3))
        #expect(node["b"]?.text == "1")
    }

    @Test(
        "keeps scalar text exactly, leaving type resolution to decoders",
        arguments: [
            ("yes", "yes"), ("0o17", "0o17"), ("1e3", "1e3"), ("~", "~"), ("'null'", "null"),
            ("\"\\u00e9\"", "é"),
        ])
    func untypedText(source: String, text: String) throws {
        let node = try parse("v: \(source)\n")
        #expect(node["v"]?.text == text)
    }

    @Test("folds a multi-line plain scalar and locates it at its first line")
    func multilinePlain() throws {
        let node = try parse("a: one\n  two\n  three\nb: x\n")
        #expect(node["a"]?.text == "one two three")
        #expect(node["a"]?.location == at(1, 4))
        #expect(node["b"]?.location == at(4, 4))
    }

    @Test("locates nodes after CRLF line ends")
    func crlf() throws {
        let node = try parse("a: 1\r\nb: 2\r\n")
        #expect(node["b"]?.location == at(2, 4))
    }

    @Test("locates a node with properties at its first property")
    func anchoredLocation() throws {
        let node = try parse("a: &x hello\n")
        #expect(node["a"]?.location == at(1, 4))
    }

    @Test("parses a lone scalar document")
    func loneScalar() throws {
        let node = try parse("  just text\n")
        #expect(node.scalar == YAMLScalar("just text"))
        #expect(node.location == at(1, 3))
    }
}

@Suite("Line breaks")
struct LineBreakTests {
    @Test(
        "counts every YAML line break the same way in node and encoding-error locations",
        arguments: ["\n", "\r", "\r\n", "\u{2028}", "\u{2029}"])
    func breaks(lineBreak: String) throws {
        let node = try parse("a: 1\(lineBreak)bé: 2")
        #expect(node["bé"]?.location == at(2, 5))
        let error = parseError(bytes: Array("a: 1\(lineBreak)bé: ".utf8) + [0xFE])
        #expect(error?.location == at(2, 5))
    }
}

@Suite("Concurrency")
struct ConcurrencyTests {
    @Test("parses the same document from many tasks at once with identical results")
    func parallel() async throws {
        let bytes = Array(RobustnessTests.rich.utf8)
        let expected = try YAMLParser().parse(bytes, file: "fuzz.yaml")
        let results = await withTaskGroup(of: YAMLNode?.self) { group in
            for _ in 0..<16 {
                group.addTask { try? YAMLParser().parse(bytes, file: "fuzz.yaml") }
            }
            var all: [YAMLNode?] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 16)
        #expect(results.allSatisfy { $0 == expected })
    }
}
