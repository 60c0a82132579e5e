import Diagnostics
import Personality
import Policies
import Testing

@Suite("Personality files: each error class reported with its exact location")
struct PersonalityDecoderTests {
    @Test("decodes every core key of a valid personality")
    func decodesValidPersonality() throws {
        let text = """
            id: captain-redbeard
            name: Captain Redbeard
            description: A salty pirate.
            tags: [fun, en]
            language: en
            engine: [script, echo]
            greeting: ["Ahoy!", "Arr, who goes there?"]
            farewell: Fair winds!
            limits: { use: default, responses_per_session: 30 }
            stream: { tokens_per_second: 25 }
            cache: { mode: exact, ttl: 5m, safe: true }
            pii: { replace: "<{type}_{n}>", types: [email, phone, url] }
            script: { reply: Arr }
            echo: { reply: Echo }
            tests:
              - say: hello
                expect: Ahoy!
            """
        let limits = "sets: { default: { responses_per_session: 20 } }\ndefault: default"
        let result = RegistryBuilder.testing.build([
            SourceFile(name: "captain.yaml", text: text), SourceFile(name: "limits.yaml", text: limits),
        ])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let captain = try #require(result.snapshot?.personality("captain-redbeard"))
        #expect(captain.name == "Captain Redbeard")
        #expect(captain.tags == ["fun", "en"])
        #expect(captain.engines == ["script", "echo"])
        #expect(captain.greetings == ["Ahoy!", "Arr, who goes there?"])
        #expect(captain.farewells == ["Fair winds!"])
        #expect(captain.stream.tokensPerSecond == 25)
        #expect(captain.cache == CacheSettings(mode: .exact, ttl: .seconds(300), cacheUnsafeReplies: true))
        #expect(captain.pii.replace == "<{type}_{n}>")
        #expect(captain.pii.types == [.email, .phone, .url])
        #expect(captain.section(for: "script", as: TestEngineDecoder.Section.self)?.reply == "Arr")
        #expect(captain.tests.count == 1)
        #expect(result.snapshot?.limits(for: captain).responsesPerSession == 30)
        #expect(captain.source.location == SourceLocation(file: "captain.yaml", line: 1, column: 5))
    }

    @Test(
        "reports each problem as file:line:col with a message that teaches",
        arguments: [
            // YAML syntax
            ("id: a\nname: [unclosed\n", "p.yaml:3:1: error: "),
            // unknown key with a suggestion
            (personalityYAML(extra: "greting: Hello"), "p.yaml:7:1: error: unknown key 'greting' in personality; did you mean 'greeting'?"),
            // wrong type
            (personalityYAML(extra: "tags: fun"), "p.yaml:7:7: error: 'tags' must be a list, found a string"),
            (personalityYAML(extra: "stream: fast"), "p.yaml:7:9: error: 'stream' must be a mapping, found a string"),
            (personalityYAML(extra: "stream: { tokens_per_second: lots }"), "p.yaml:7:30: error: 'tokens_per_second' must be a whole number, found 'lots'"),
            // missing required field
            ("id: captain\nengine: script\nscript: { reply: x }\ndescription: d\n", "p.yaml:1:1: error: personality is missing required key 'name'"),
            // bad id, with a suggested spelling
            (personalityYAML(id: "Captain_Redbeard"), "p.yaml:1:5: error: invalid id 'Captain_Redbeard': ids use lowercase letters a-z, digits and '-', start with a letter, do not end with '-', and are at most 64 characters; try 'captain-redbeard'"),
            // invalid durations and enums
            (personalityYAML(extra: "cache: { mode: exact, ttl: 10 }"), "p.yaml:7:28: error: 'ttl' must be a duration such as 500ms, 10s, 5m, 1h or 1h30m; found '10'"),
            (personalityYAML(extra: "cache: { mode: exakt }"), "p.yaml:7:16: error: 'mode' must be one of off, exact; found 'exakt'; did you mean 'exact'?"),
            // invalid rate inline
            (personalityYAML(extra: "limits: { session_rate: 20 per minute }"), "p.yaml:7:25: error: 'session_rate' must be a rate such as 30/min, 5/s, 100/h or 1000/day (count > 0); found '20 per minute'"),
            // an engine no plugin provides
            ("id: a\nname: A\ndescription: d\nengine: scirpt\n", "p.yaml:4:9: error: no engine named 'scirpt'; did you mean 'script'? (available engines: echo, script)"),
            // engine without its section
            ("id: a\nname: A\ndescription: d\nengine: script\n", "p.yaml:1:1: error: engine 'script' needs a 'script:' section"),
            // an undefined limit set
            (personalityYAML(extra: "limits: strict"), "p.yaml:7:9: error: limit set 'strict' is not defined: there is no limits.yaml beside the personalities"),
            // bad PII template
            (personalityYAML(extra: "pii: { replace: \"<{kind}>\" }"), "p.yaml:7:17: error: unknown placeholder '{kind}' in 'replace'; use {type} and {n}"),
            // unknown PII type
            (personalityYAML(extra: "pii: { types: [email, urls] }"), "p.yaml:7:15: error: unknown PII type 'urls'; known: email, phone, credit_card, iban, ssn, ip_address, credential_url, api_key, jwt, private_key, secret, password, mac_address, crypto_wallet, url"),
            // language tag
            (personalityYAML(extra: "language: English"), "p.yaml:7:11: error: 'language' must be a language tag such as en, de or pt-BR; found 'English'"),
            // an empty file
            ("", "p.yaml:1:1: error: the file is empty; a personality needs at least 'id', 'name' and 'engine'"),
            // a non-mapping document
            ("- a\n- b\n", "p.yaml:1:1: error: 'personality' must be a mapping, found a list"),
            // tests: conflicting expectations and bad regex
            (personalityYAML(extra: "tests:\n  - say: hi\n    expect_match: \"(unclosed\""), "p.yaml:9:19: error: 'expect_match' is not a valid regular expression: '(unclosed'"),
            (personalityYAML(extra: "tests:\n  - say: hi\n    expect: a\n    expect_match: b"), "p.yaml:8:5: error: a turn has at most one of 'expect', 'expect_one_of' and 'expect_match'"),
        ])
    func reportsProblem(text: String, expected: String) {
        let found = diagnostics(of: text)
        #expect(found.contains { $0.hasPrefix(expected) }, "expected \(expected)\nfound \(found)")
    }

    @Test("the engine's own section reports its problems through the same context")
    func engineSectionProblems() {
        let found = diagnostics(of: "id: a\nname: A\ndescription: d\nengine: script\nscript: { replly: x }\n")
        #expect(found.contains("p.yaml:5:9: error: 'script' section is missing required key 'reply'"))
        #expect(found.contains("p.yaml:5:11: error: unknown key 'replly' in 'script' section; did you mean 'reply'?"))
    }

    @Test("accepts tokens_per_second at its limit and refuses one past it")
    func tokensPerSecondLimit() {
        let atLimit = diagnostics(of: personalityYAML(extra: "stream: { tokens_per_second: 10000 }"))
        #expect(atLimit.isEmpty, "\(atLimit)")
        let past = diagnostics(of: personalityYAML(extra: "stream: { tokens_per_second: 10001 }"))
        #expect(past == ["p.yaml:7:30: error: 'tokens_per_second' must be between 0 and 10000, found 10001"])
    }

    @Test("accepts a 64-character id and refuses 65")
    func idLengthLimit() {
        let ok = String(repeating: "a", count: 64)
        #expect(diagnostics(of: personalityYAML(id: ok)).isEmpty)
        let long = String(repeating: "a", count: 65)
        #expect(diagnostics(of: personalityYAML(id: long)).first?.hasPrefix("p.yaml:1:5: error: invalid id '\(long)'") == true)
    }

    @Test("warns about a missing description without failing the build")
    func missingDescriptionIsAWarning() {
        let result = RegistryBuilder.testing.build([SourceFile(name: "p.yaml", text: "id: a\nname: A\nengine: echo\necho: { reply: x }\n")])
        #expect(result.snapshot != nil)
        #expect(result.diagnostics.map(\.description) == ["p.yaml:1:1: warning: personality has no 'description'; people choosing a personality see it"])
    }

    @Test("reports every problem of one file, not just the first")
    func reportsAllProblemsOfAFile() {
        let found = diagnostics(of: "id: Bad_Id\nname: [x]\ndescription: d\nengine: nope\ncolour: red\n")
        #expect(found.count == 4, "\(found)")
        #expect(found.map { $0.prefix(11) } == ["p.yaml:1:5:", "p.yaml:2:7:", "p.yaml:4:9:", "p.yaml:5:1:"])
    }
}
