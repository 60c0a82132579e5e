import Diagnostics
import Testing
import YAML

@Suite("Limits: each accepted at the limit and refused one past it")
struct LimitTests {
    private func limits(bytes: Int = 1 << 20, depth: Int = 64, nodes: Int = 100_000, expansion: Int = 10_000)
        -> YAMLLimits
    {
        YAMLLimits(maxDocumentBytes: bytes, maxDepth: depth, maxNodes: nodes, maxAliasExpansion: expansion)
    }

    @Test("max_document_bytes")
    func documentBytes() throws {
        let text = "a: [1, 2]\n"
        let size = text.utf8.count
        #expect(try parse(text, limits: limits(bytes: size))["a"]?.sequence?.count == 2)
        #expect(
            parseError(text, limits: limits(bytes: size - 1))
                == YAMLError(
                    .limitExceeded(.maxDocumentBytes), at: at(1, 1),
                    "document is larger than \(size - 1) bytes (limit max_document_bytes)"))
    }

    @Test("max_depth counts nested collections, checked where the collection starts")
    func depth() throws {
        #expect(try parse("[[[x]]]", limits: limits(depth: 3)).sequence?.count == 1)
        #expect(
            parseError("[[[x]]]", limits: limits(depth: 2))
                == YAMLError(
                    .limitExceeded(.maxDepth), at: at(1, 3),
                    "document nests deeper than 2 levels (limit max_depth)"))
        #expect(try parse("a:\n  b:\n    - x\n", limits: limits(depth: 3)).mapping?.count == 1)
        #expect(parseError("a:\n  b:\n    - x\n", limits: limits(depth: 2))?.location == at(3, 5))
        #expect(try parse("scalar", limits: limits(depth: 0)).text == "scalar")
    }

    @Test("max_depth also holds for the tree an alias pastes in")
    func aliasDepth() throws {
        let text = "a: &x [[1]]\nb: [*x]\n"
        #expect(try parse(text, limits: limits(depth: 4))["b"]?.sequence?.first?.sequence?.count == 1)
        #expect(
            parseError(text, limits: limits(depth: 3))
                == YAMLError(
                    .limitExceeded(.maxDepth), at: at(2, 5),
                    "document nests deeper than 3 levels (limit max_depth)"))
    }

    @Test("max_nodes counts every scalar and collection")
    func nodes() throws {
        // root, key, list, 1, 2 = 5 nodes
        #expect(try parse("a: [1, 2]", limits: limits(nodes: 5))["a"] != nil)
        #expect(
            parseError("a: [1, 2]", limits: limits(nodes: 4))
                == YAMLError(
                    .limitExceeded(.maxNodes), at: at(1, 8),
                    "document has more than 4 nodes (limit max_nodes)"))
    }

    @Test("max_nodes counts aliases as expanded")
    func nodesWithAliases() throws {
        // root, a, [1, 2] (3), b, *x (3) = 9 nodes
        let text = "a: &x [1, 2]\nb: *x\n"
        #expect(try parse(text, limits: limits(nodes: 9))["b"]?.sequence?.count == 2)
        #expect(
            parseError(text, limits: limits(nodes: 8))
                == YAMLError(
                    .limitExceeded(.maxNodes), at: at(2, 4),
                    "document has more than 8 nodes (limit max_nodes)"))
    }

    @Test("max_alias_expansion counts the nodes aliases add")
    func aliasExpansion() throws {
        let text = "a: &x [1, 2]\nb: *x\nc: *x\n"
        #expect(try parse(text, limits: limits(expansion: 6))["c"]?.sequence?.count == 2)
        #expect(
            parseError(text, limits: limits(expansion: 5))
                == YAMLError(
                    .limitExceeded(.maxAliasExpansion), at: at(3, 4),
                    "aliases expand to more than 5 nodes (limit max_alias_expansion)"))
    }

    @Test("the documented defaults")
    func defaults() {
        #expect(
            YAMLLimits.default
                == YAMLLimits(
                    maxDocumentBytes: 1_048_576, maxDepth: 64, maxNodes: 100_000, maxAliasExpansion: 10_000))
        #expect(
            YAMLLimit.allCases.map(\.rawValue) == [
                "max_document_bytes", "max_depth", "max_nodes", "max_alias_expansion",
            ])
    }

    @Test("every limit error carries the yaml-limit code")
    func code() {
        #expect(parseError("[[x]]", limits: limits(depth: 1))?.diagnostic.code == "yaml-limit")
    }
}

@Suite("Hostile documents under the default limits")
struct HostileDocumentTests {
    /// The classic "billion laughs": ten levels of ten aliases each, 10^9 strings if expanded.
    static let billionLaughs: String = {
        var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            lines.append("a\(level): &a\(level) [\(refs)]")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test("refuses a billion-laughs document, naming max_alias_expansion")
    func billionLaughs() {
        let error = parseError(Self.billionLaughs)
        #expect(error?.reason == .limitExceeded(.maxAliasExpansion))
        #expect(error?.message == "aliases expand to more than 10000 nodes (limit max_alias_expansion)")
        #expect(error?.location.line == 4)
    }

    @Test("refuses a 100-level-deep document, naming max_depth")
    func hundredDeep() {
        var text = ""
        for level in 0..<100 { text += String(repeating: "  ", count: level) + "k\(level):\n" }
        text += String(repeating: "  ", count: 100) + "leaf\n"
        let error = parseError(text)
        #expect(
            error
                == YAMLError(
                    .limitExceeded(.maxDepth), at: at(65, 129),
                    "document nests deeper than 64 levels (limit max_depth)"))
    }

    @Test("accepts 64 levels of flow nesting and refuses 65")
    func flowNesting() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        var node = try parse(ok)
        var levels = 0
        while let items = node.sequence {
            levels += 1
            guard let first = items.first else { break }
            node = first
        }
        #expect(levels == 64)
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(parseError(deep)?.location == at(1, 65))
    }

    @Test("refuses a megabyte of opening brackets at the depth limit, not later")
    func bracketFlood() {
        let flood = String(repeating: "[", count: 1 << 20)
        #expect(parseError(flood)?.reason == .limitExceeded(.maxDepth))
    }

    @Test("accepts exactly 100,000 nodes")
    func exactlyMaxNodes() throws {
        let text = "[" + String(repeating: "1,", count: 99_999) + "]"
        #expect(try parse(text).sequence?.count == 99_999)
    }

    @Test("refuses more than 100,000 nodes, naming max_nodes")
    func manyNodes() {
        let text = "[" + String(repeating: "1,", count: 100_000) + "]"
        let error = parseError(text)
        #expect(error?.reason == .limitExceeded(.maxNodes))
        #expect(error?.message == "document has more than 100000 nodes (limit max_nodes)")
        #expect(error?.location == at(1, 2 + 2 * 99_999))
    }
}
