import Personality
import Testing

@Suite("Registry diff: what a reload changed")
struct RegistryDiffTests {
    private func snapshot(_ files: [(String, String)]) throws -> RegistrySnapshot {
        let result = RegistryBuilder.testing.build(files.map { SourceFile(name: $0.0, text: $0.1) })
        return try #require(result.snapshot, "\(result.diagnostics)")
    }

    @Test("reports added, removed and changed personalities with their old and new versions")
    func personalities() throws {
        let old = try snapshot([
            ("a.yaml", personalityYAML(id: "alpha")), ("b.yaml", personalityYAML(id: "beta")),
            ("c.yaml", personalityYAML(id: "gamma")),
        ])
        let new = try snapshot([
            ("a.yaml", personalityYAML(id: "alpha")),
            ("c.yaml", personalityYAML(id: "gamma", extra: "greeting: Ahoy")),
            ("d.yaml", personalityYAML(id: "delta")),
        ])
        let diff = RegistryDiff(from: old, to: new)
        #expect(diff.added.map(\.id) == ["delta"])
        #expect(diff.added.first?.version == new.personality("delta")?.version)
        #expect(diff.removed.map(\.id) == ["beta"])
        #expect(diff.removed.first?.version == old.personality("beta")?.version)
        #expect(diff.changed.map(\.id) == ["gamma"])
        #expect(diff.changed.first?.oldVersion == old.personality("gamma")?.version)
        #expect(diff.changed.first?.newVersion == new.personality("gamma")?.version)
        #expect(diff.changed.first?.fields == ["greeting"])
        #expect(diff.oldVersion == old.version && diff.newVersion == new.version)
        #expect(!diff.isEmpty)
    }

    @Test("an edit that only touches a comment is a content change")
    func commentOnly() throws {
        let old = try snapshot([("a.yaml", personalityYAML(id: "alpha"))])
        let new = try snapshot([("a.yaml", personalityYAML(id: "alpha", extra: "# a comment"))])
        let diff = RegistryDiff(from: old, to: new)
        #expect(diff.changed.map(\.fields) == [["content"]])
    }

    @Test("identical snapshots give an empty diff that renders as 'no changes'")
    func identical() throws {
        let files = [
            ("a.yaml", personalityYAML(id: "alpha")),
            ("limits.yaml", "sets:\n  strict: { responses_per_session: 5 }\n"),
        ]
        let diff = RegistryDiff(from: try snapshot(files), to: try snapshot(files))
        #expect(diff.isEmpty)
        #expect(diff.summary == ["no changes"])
    }

    @Test("reports limit sets added, removed and changed, and rule changes, ignoring moved lines")
    func limits() throws {
        let old = try snapshot([
            ("a.yaml", personalityYAML(id: "alpha")),
            (
                "limits.yaml",
                "sets:\n  strict: { responses_per_session: 5 }\n  loose: { responses_per_session: 50 }\n  gone: { responses_per_session: 1 }\n"
            ),
        ])
        let new = try snapshot([
            ("a.yaml", personalityYAML(id: "alpha")),
            (
                "limits.yaml",
                "\n\nsets:\n  strict: { responses_per_session: 6 }\n  loose: { responses_per_session: 50 }\n  fresh: { responses_per_session: 2 }\nrules:\n  - { tier: free, use: strict }\n"
            ),
        ])
        let diff = RegistryDiff(from: old, to: new)
        #expect(diff.limitSetsAdded == ["fresh"])
        #expect(diff.limitSetsRemoved == ["gone"])
        #expect(diff.limitSetsChanged == ["strict"])
        #expect(diff.limitRulesChanged)
        #expect(diff.changed.isEmpty)
        #expect(
            diff.summary == ["limits: set fresh added; set gone removed; set strict changed; rules changed"])
    }

    @Test("reports which routing settings changed")
    func routing() throws {
        let people = [("a.yaml", personalityYAML(id: "alpha")), ("b.yaml", personalityYAML(id: "beta"))]
        let old = try snapshot(
            people + [
                (
                    "routing.yaml",
                    "matchmaking: { timeout: 5s }\nfallback:\n  candidates:\n    - { personality: alpha }\n"
                )
            ])
        let new = try snapshot(
            people + [
                (
                    "routing.yaml",
                    "matchmaking: { timeout: 7s }\nfallback:\n  candidates:\n    - { personality: beta }\n"
                )
            ])
        #expect(RegistryDiff(from: old, to: new).routingChanges == ["matchmaking_timeout", "fallback"])
    }

    @Test("renders every change on its own line for people")
    func summary() throws {
        let old = try snapshot([
            ("b.yaml", personalityYAML(id: "beta")), ("c.yaml", personalityYAML(id: "gamma")),
        ])
        let new = try snapshot([
            ("c.yaml", personalityYAML(id: "gamma", extra: "tags: [x]")),
            ("d.yaml", personalityYAML(id: "delta")),
        ])
        let diff = RegistryDiff(from: old, to: new)
        let delta = try #require(new.personality("delta")).version
        let beta = try #require(old.personality("beta")).version
        let gammaOld = try #require(old.personality("gamma")).version
        let gammaNew = try #require(new.personality("gamma")).version
        #expect(
            diff.summary == [
                "+ delta \(delta)", "- beta \(beta)", "~ gamma \(gammaOld) -> \(gammaNew) (tags)",
            ])
    }

    @Test("renders JSON with every section, escaping ids safely")
    func json() throws {
        let old = try snapshot([("b.yaml", personalityYAML(id: "beta"))])
        let new = try snapshot([("d.yaml", personalityYAML(id: "delta"))])
        let diff = RegistryDiff(from: old, to: new)
        let text = diff.json
        #expect(
            text.hasPrefix(
                #"{"old_version":"\#(old.version)","new_version":"\#(new.version)","added":[{"id":"delta""#))
        #expect(
            text.contains(
                #""removed":[{"id":"beta","version":"\#(try #require(old.personality("beta")).version)"}]"#))
        #expect(
            text.contains(
                #""limits":{"sets_added":[],"sets_removed":[],"sets_changed":[],"rules_changed":false},"routing":[]}"#
            ))
        #expect(RegistryDiff.jsonString("a\"b\\c\n\u{01}") == #""a\"b\\c\n\u0001""#)
    }
}
