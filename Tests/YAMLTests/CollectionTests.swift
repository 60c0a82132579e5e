import Diagnostics
import Testing
import YAML

@Suite("Sequences")
struct SequenceTests {
    @Test("reads a block sequence in order with locations")
    func block() throws {
        let node = try parse("- a\n- b\n-   c\n")
        let items = try #require(node.sequence)
        #expect(items.map(\.text) == ["a", "b", "c"])
        #expect(items.map(\.location) == [at(1, 3), at(2, 3), at(3, 5)])
        #expect(node.location == at(1, 1))
    }

    @Test("nests sequences and mappings inside sequences")
    func nested() throws {
        let node = try parse("- - x\n  - y\n- k: v\n  j: w\n-\n")
        let items = try #require(node.sequence)
        #expect(items.count == 3)
        #expect(items[0].sequence?.map(\.text) == ["x", "y"])
        #expect(items[0].location == at(1, 3))
        #expect(items[1]["j"]?.text == "w")
        #expect(items[1].location == at(3, 3))
        #expect(items[2].isNull)
    }

    @Test("reads an indentless sequence under a key")
    func indentless() throws {
        let node = try parse("list:\n- 1\n- 2\n")
        #expect(node["list"]?.sequence?.map(\.text) == ["1", "2"])
        #expect(node["list"]?.location == at(2, 1))
    }
}

@Suite("Mappings")
struct MappingTests {
    @Test("keeps pairs in document order")
    func order() throws {
        let node = try parse("z: 1\na: 2\nm: 3\n")
        #expect(node.mapping?.map(\.key.text) == ["z", "a", "m"])
        #expect(node.mapping?.map(\.value.text) == ["1", "2", "3"])
    }

    @Test("nests mappings with locations")
    func nested() throws {
        let node = try parse("outer:\n  inner:\n    leaf: 1\n")
        let leaf = try #require(node["outer"]?["inner"]?["leaf"])
        #expect(leaf.text == "1")
        #expect(leaf.location == at(3, 11))
        #expect(node["outer"]?.location == at(2, 3))
        #expect(node["outer"]?["inner"]?.location == at(3, 5))
    }

    @Test("treats quoted and plain spellings of a key as the same key")
    func quotedDuplicate() {
        let error = parseError("name: a\n\"name\": b\n")
        #expect(
            error == YAMLError(.duplicateKey, at: at(2, 1), "duplicate key 'name' (first defined at 1:1)"))
    }

    @Test("refuses a duplicate key in a nested mapping")
    func nestedDuplicate() {
        let error = parseError("a:\n  x: 1\n  y: 2\n  x: 3\nb:\n  x: 4\n")
        #expect(error == YAMLError(.duplicateKey, at: at(4, 3), "duplicate key 'x' (first defined at 2:3)"))
    }

    @Test("allows the same key in sibling mappings")
    func siblings() throws {
        let node = try parse("- x: 1\n- x: 2\n")
        #expect(node.sequence?.compactMap { $0["x"]?.text } == ["1", "2"])
    }

    @Test("accepts complex keys and refuses them twice")
    func complexKeys() throws {
        let node = try parse("? [a, b]\n: 1\n? [a, c]\n: 2\n")
        #expect(node.mapping?.count == 2)
        #expect(node.mapping?[0].key.sequence?.map(\.text) == ["a", "b"])
        let error = parseError("? [a, b]\n: 1\n? [a, b]\n: 2\n")
        #expect(
            error == YAMLError(.duplicateKey, at: at(3, 3), "duplicate key 'a list' (first defined at 1:3)"))
    }
}

@Suite("Flow style")
struct FlowStyleTests {
    @Test("reads flow sequences and mappings with locations")
    func flow() throws {
        let node = try parse("{a: [1, 2], b: {c: d}, e: []}")
        #expect(node.location == at(1, 1))
        #expect(node["a"]?.sequence?.map(\.text) == ["1", "2"])
        #expect(node["a"]?.location == at(1, 5))
        #expect(node["a"]?.sequence?[1].location == at(1, 9))
        #expect(node["b"]?["c"]?.text == "d")
        #expect(node["b"]?.location == at(1, 16))
        #expect(node["e"]?.sequence == [])
    }

    @Test("mixes flow collections into block style across lines")
    func mixed() throws {
        let node = try parse("tags: [fun,\n  en]\nstream: { tokens_per_second: 25 }\n")
        #expect(node["tags"]?.sequence?.map(\.text) == ["fun", "en"])
        #expect(node["tags"]?.sequence?[1].location == at(2, 3))
        #expect(node["stream"]?["tokens_per_second"]?.text == "25")
    }

    @Test("reads a flow pair inside a flow sequence as a one-pair mapping")
    func flowPair() throws {
        let node = try parse("[a: 1, b]")
        let items = try #require(node.sequence)
        #expect(items[0]["a"]?.text == "1")
        #expect(items[1].text == "b")
    }
}
