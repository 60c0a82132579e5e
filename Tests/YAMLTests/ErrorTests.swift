import Diagnostics
import Testing
import YAML

@Suite("Errors: class, location and message")
struct ErrorTests {
    @Test("refuses a duplicate key, naming where it first appeared")
    func duplicateKey() {
        let error = parseError("id: a\nname: x\n\nname: y\n")
        #expect(error == YAMLError(.duplicateKey, at: at(4, 1), "duplicate key 'name' (first defined at 2:1)"))
        #expect(error?.diagnostic.code == "yaml-duplicate-key")
    }

    @Test("refuses an explicit tag")
    func tag() {
        let error = parseError("a: !!python/object x\n")
        #expect(error?.reason == .unsupportedTag)
        #expect(error?.location == at(1, 4))
        #expect(error?.message.contains("tag:yaml.org,2002:python/object") == true)
        #expect(error?.diagnostic.code == "yaml-tag")
    }

    @Test("refuses a second document")
    func multipleDocuments() {
        let error = parseError("a: 1\n---\nb: 2\n")
        #expect(error?.reason == .multipleDocuments)
        #expect(error?.location == at(2, 1))
        #expect(error?.diagnostic.code == "yaml-multiple-documents")
    }

    @Test("reports a libyaml syntax error at the problem")
    func syntax() {
        let error = parseError("a: b\n  c: d\n")
        #expect(error?.reason == .syntax)
        #expect(error?.location == at(2, 4))
        #expect(error?.diagnostic.code == "yaml-syntax")
    }

    @Test("refuses an undefined alias")
    func undefinedAlias() {
        let error = parseError("a: *nope\n")
        #expect(error == YAMLError(.undefinedAlias, at: at(1, 4), "alias '*nope' refers to no anchor; define '&nope' before using it"))
    }

    @Test("refuses invalid UTF-8 before libyaml sees it")
    func encoding() {
        let error = parseError(bytes: Array("a: b\nc: ".utf8) + [0xFF])
        #expect(error?.reason == .invalidEncoding)
        #expect(error?.location == at(2, 4))
        #expect(error?.diagnostic.code == "yaml-encoding")
    }
}
