import Diagnostics
import Testing
import YAML

@Suite("Anchors and aliases")
struct AliasTests {
    @Test("replaces an alias with a copy of its anchored node, located at the anchored node (its anchor)")
    func copy() throws {
        let node = try parse("base: &b\n  x: 1\n  y: [2, 3]\ncopy: *b\n")
        #expect(node["copy"] == node["base"])
        #expect(node["copy"]?.location == at(1, 7))
        #expect(node["copy"]?["y"]?.location == at(3, 6))
    }

    @Test("aliases a scalar")
    func scalar() throws {
        let node = try parse("a: &greeting 'Ahoy'\nb: [*greeting, *greeting]\n")
        #expect(
            node["b"]?.sequence?.map(\.scalar) == [
                YAMLScalar("Ahoy", style: .singleQuoted), YAMLScalar("Ahoy", style: .singleQuoted),
            ])
        #expect(node["b"]?.sequence?[0].location == at(1, 4))
    }

    @Test("uses the latest definition of a redefined anchor")
    func redefinition() throws {
        let node = try parse("a: &x 1\nb: *x\nc: &x 2\nd: *x\n")
        #expect(node["b"]?.text == "1")
        #expect(node["d"]?.text == "2")
    }

    @Test("aliases a key")
    func key() throws {
        let node = try parse("k: &name id\nlist:\n  - *name : 7\n")
        #expect(node["list"]?.sequence?[0]["id"]?.text == "7")
    }

    @Test("refuses an alias used before its anchor")
    func forward() {
        let error = parseError("a: *x\nb: &x 1\n")
        #expect(
            error
                == YAMLError(
                    .undefinedAlias, at: at(1, 4),
                    "alias '*x' refers to no anchor; define '&x' before using it"))
        #expect(error?.diagnostic.code == "yaml-undefined-alias")
    }

    @Test("refuses an alias inside the node it names")
    func recursive() {
        let error = parseError("a: &x\n  b: *x\n")
        #expect(
            error
                == YAMLError(
                    .undefinedAlias, at: at(2, 6),
                    "alias '*x' refers to a node that contains it; recursive structures are not allowed"))
    }
}

@Suite("Merge keys")
struct MergeKeyTests {
    @Test("merges one mapping in place of the merge key")
    func single() throws {
        let node = try parse("base: &b {x: 1, y: 2}\nthing:\n  name: n\n  <<: *b\n  z: 3\n")
        let thing = try #require(node["thing"]?.mapping)
        #expect(thing.map(\.key.text) == ["name", "x", "y", "z"])
        #expect(node["thing"]?["x"]?.location == at(1, 14))
    }

    @Test("lets explicit keys win, whether written before or after the merge key")
    func explicitWins() throws {
        let node = try parse("b: &b {x: 1, y: 2, z: 3}\nt:\n  x: mine\n  <<: *b\n  z: also mine\n")
        let pairs = try #require(node["t"]?.mapping)
        #expect(pairs.map(\.key.text) == ["x", "y", "z"])
        #expect(node["t"]?["x"]?.text == "mine")
        #expect(node["t"]?["y"]?.text == "2")
        #expect(node["t"]?["z"]?.text == "also mine")
    }

    @Test("merges a list of mappings, the first listed winning")
    func list() throws {
        let node = try parse("a: &a {x: a, p: 1}\nb: &b {x: b, q: 2}\nt:\n  <<: [*a, *b]\n")
        let pairs = try #require(node["t"]?.mapping)
        #expect(pairs.map(\.key.text) == ["x", "p", "q"])
        #expect(node["t"]?["x"]?.text == "a")
    }

    @Test("merges an inline mapping and nested merges")
    func nested() throws {
        let node = try parse("a: &a {x: 1}\nb: &b\n  <<: *a\n  y: 2\nc:\n  <<: *b\n  <<z: not a merge\n")
        #expect(node["c"]?.mapping?.map(\.key.text) == ["x", "y", "<<z"])
        let inline = try parse("t:\n  <<: {k: v}\n")
        #expect(inline["t"]?["k"]?.text == "v")
    }

    @Test("treats a quoted '<<' as an ordinary key")
    func quoted() throws {
        let node = try parse("t:\n  '<<': {k: v}\n")
        #expect(node["t"]?["<<"]?["k"]?.text == "v")
    }

    @Test(
        "refuses a merge of something other than mappings",
        arguments: [
            ("t:\n  <<: text\n", 2, 7, "a string"),
            ("t:\n  <<: [{a: 1}, [x]]\n", 2, 16, "a list"),
        ])
    func badValue(source: String, line: Int, column: Int, kind: String) {
        let error = parseError(source)
        #expect(
            error
                == YAMLError(
                    .syntax, at: at(line, column),
                    "merge key '<<' takes a mapping or a list of mappings (such as '*base' or '[*a, *b]'), not \(kind)"
                ))
    }

    @Test("refuses two merge keys in one mapping as a duplicate")
    func twice() {
        let error = parseError("a: &a {x: 1}\nt:\n  <<: *a\n  <<: *a\n")
        #expect(error == YAMLError(.duplicateKey, at: at(4, 3), "duplicate key '<<' (first defined at 3:3)"))
    }
}
