import Diagnostics
import Engines
import JSON
import PersonaTestSupport
import Personality
import Testing

@Suite("character cards: decoding JSON and PNG cards, and the personality made from them")
struct CharacterCardTests {
    static let v2 = #"""
        {"spec":"chara_card_v2","spec_version":"2.0","data":{
          "name":"Mira","description":"{{char}} maps caves for <USER>.\nSecond line.","personality":"patient",
          "scenario":"{{user}} is lost.","first_mes":"Hold the lamp, {{user}}.",
          "mes_example":"<START>\n{{user}}: Where are we?\nMira: Deep under the hill.\n<START>\n{{char}}: Alone line.",
          "system_prompt":"","post_history_instructions":"","alternate_greetings":["Careful."],
          "tags":["Caves","Slow Burn"],"creator":"t","character_version":"1","extensions":{},
          "character_book":{"entries":[{"keys":["hill"],"content":"An old hill."}]}}}
        """#

    static let v3 = #"""
        {"spec":"chara_card_v3","spec_version":"3.0","data":{
          "name":"Mira","nickname":"","description":"{{char}} maps caves for <USER>.\nSecond line.","personality":"patient",
          "scenario":"{{user}} is lost.","first_mes":"Hold the lamp, {{user}}.",
          "mes_example":"<START>\n{{user}}: Where are we?\nMira: Deep under the hill.\n<START>\n{{char}}: Alone line.",
          "system_prompt":"","post_history_instructions":"","alternate_greetings":["Careful."],
          "tags":["Caves","Slow Burn"],"creator":"t","character_version":"1","extensions":{},
          "group_only_greetings":[],"assets":[{"type":"icon","uri":"ccdefault:","name":"main","ext":"png"}]}}
        """#

    static func png(_ chunks: [[UInt8]]) -> [UInt8] {
        PNGTextChunks.signature
            + PNGTextChunks.chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]) + chunks.joined()
            + PNGTextChunks.chunk("IEND", [])
    }

    static func text(_ keyword: String, _ json: String) -> [UInt8] {
        PNGTextChunks.chunk("tEXt", Array(keyword.utf8) + [0] + Array(Base64.encode(Array(json.utf8)).utf8))
    }

    static func registry(_ output: CharacterCardImporter.Output, upstream: String = "local")
        -> RegistryBuilder.Result
    {
        RegistryBuilder(catalog: EngineRegistry.builtIn.catalog).build([
            SourceFile(
                name: "P/upstreams.yaml",
                text: "upstreams:\n  - { name: \(upstream), base_url: http://127.0.0.1:1/v1, model: m }\n"),
            SourceFile(name: "P/\(output.id).yaml", text: output.text),
        ])
    }

    @Test("a V2 card carries name, description, personality, scenario, greetings, examples and tags")
    func v2Mapping() throws {
        let card = try CharacterCardDecoder().decode(Array(Self.v2.utf8))
        #expect(card.version == .v2 && card.name == "Mira" && card.alternateGreetings == ["Careful."])
        let output = CharacterCardImporter().convert(card)
        let result = Self.registry(output)
        let personality = try #require(result.snapshot?.personalities.first, "\(result.diagnostics)")
        #expect(
            personality.id == "mira" && personality.name == "Mira"
                && personality.tags == ["caves", "slow-burn"])
        #expect(personality.description == "Mira maps caves for User.")
        #expect(personality.greetings == ["Hold the lamp, {{user}}.", "Careful."])
        let section = try #require(personality.section(for: "llm", as: LLMSection.self))
        #expect(section.examples == [.init(user: "Where are we?", assistant: "Deep under the hill.")])
        #expect(
            section.system.contains("{{char}} maps caves for {{user}}.")
                && section.system.contains("personality: patient"))
        #expect(output.warnings.contains("data.character_book (1 entries) was not carried over"))
        #expect(output.warnings.contains { $0.hasPrefix("1 example line(s)") })
    }

    @Test("a V3 card gives the same personality, and reports its V3-only extras")
    func v3Mapping() throws {
        let v2 = CharacterCardImporter().convert(try CharacterCardDecoder().decode(Array(Self.v2.utf8)))
        let v3 = CharacterCardImporter().convert(try CharacterCardDecoder().decode(Array(Self.v3.utf8)))
        #expect(v2.text.split(separator: "\n").dropFirst() == v3.text.split(separator: "\n").dropFirst())
        #expect(v3.warnings.contains("data.assets (1 item(s)) was not carried over"))
    }

    @Test("a version 1 card (no spec) imports, with <BOT> and <USER> as {{char}} and {{user}}")
    func v1() throws {
        let card = try CharacterCardDecoder().decode(
            Array(
                #"{"name":"Bob","description":"<BOT> helps <user>.","first_mes":"Hi <USER>","mes_example":""}"#
                    .utf8))
        #expect(card.version == .v1)
        let output = CharacterCardImporter().convert(card, id: "bob-the-builder")
        let personality = try #require(Self.registry(output).snapshot?.personalities.first)
        #expect(personality.id == "bob-the-builder" && personality.greetings == ["Hi {{user}}"])
        #expect(
            personality.section(for: "llm", as: LLMSection.self)?.system
                == "You are {{char}}.\n\n{{char}} helps {{user}}.")
    }

    @Test("PNG cards: tEXt and iTXt chunks read; ccv3 preferred over chara")
    func pngCards() throws {
        let fromPNG = try CharacterCardDecoder().decode(Self.png([Self.text("chara", Self.v2)]))
        #expect(fromPNG == (try CharacterCardDecoder().decode(Array(Self.v2.utf8))))
        let itxt = PNGTextChunks.chunk(
            "iTXt", Array("ccv3".utf8) + [0, 0, 0, 0, 0] + Array(Base64.encode(Array(Self.v3.utf8)).utf8))
        let both = try CharacterCardDecoder().decode(Self.png([Self.text("chara", Self.v2), itxt]))
        #expect(both.version == .v3)
    }

    @Test(
        "bad cards fail with a typed, located error",
        arguments: [
            ("not json", "1:2: unexpected character"),
            (#"{"spec":"chara_card_v2","data":{"name":"X",}}"#, "1:43: trailing comma"),
            ("[1]", "not a character card: the JSON is not an object"),
            (#"{"hello":1}"#, "not a character card: no 'spec'"),
            (#"{"spec":"chara_card_v9","data":{}}"#, "unsupported card spec 'chara_card_v9'"),
            (#"{"spec":"chara_card_v2"}"#, "data: missing"),
            (#"{"spec":"chara_card_v2","data":{"name":""}}"#, "data.name: must not be empty"),
            (
                #"{"spec":"chara_card_v2","data":{"name":"X","first_mes":3}}"#,
                "data.first_mes: must be a string"
            ),
            (
                #"{"spec":"chara_card_v2","data":{"name":"X","alternate_greetings":["a",2]}}"#,
                "data.alternate_greetings[1]: must be a string"
            ),
        ])
    func badJSON(input: String, message: String) {
        #expect(throws: CardImportError.self) { try CharacterCardDecoder().decode(Array(input.utf8)) }
        do {
            _ = try CharacterCardDecoder().decode(Array(input.utf8))
        } catch {
            #expect(error.description.hasPrefix(message) || error.description.contains(message), "\(error)")
        }
    }

    @Test("broken PNG cards fail with the byte offset of the bad chunk")
    func badPNG() {
        func failure(_ bytes: [UInt8]) -> String {
            do {
                _ = try CharacterCardDecoder().decode(bytes)
                return "decoded"
            } catch { return error.description }
        }
        let good = Self.png([Self.text("chara", Self.v2)])
        var corrupt = good
        corrupt[45] ^= 0xFF
        #expect(failure(corrupt) == "byte 33: chunk 'tEXt' has a bad CRC")
        #expect(failure(Array(good.prefix(60))).contains("past the end of the file"))
        #expect(failure(Array(good.dropLast(12))).contains("no IEND chunk"))
        #expect(failure(Self.png([])) == CardImportError.noCardChunk.description)
        #expect(
            failure(Self.png([PNGTextChunks.chunk("tEXt", Array("chara".utf8) + [0] + Array("e30=!".utf8))]))
                == "byte 33: the 'chara' chunk is not valid base64 at character 5")
        #expect(
            failure(Self.png([PNGTextChunks.chunk("zTXt", Array("chara".utf8) + [0, 0, 1, 2])])).contains(
                "compressed"))
        #expect(
            failure(Self.png([PNGTextChunks.chunk("tEXt", Array("x".utf8) + [0])]))
                == CardImportError.noCardChunk.description)
    }

    @Test("a file one byte past the size limit is refused before it is parsed")
    func sizeLimit() {
        let big = [UInt8](repeating: 0x20, count: CharacterCardDecoder.maxJSONBytes + 1)
        #expect(throws: CardImportError.tooLarge(bytes: big.count, limit: CharacterCardDecoder.maxJSONBytes))
        {
            try CharacterCardDecoder().decode(big)
        }
    }

    @Test("base64 round-trips random bytes; a bad character is found by index")
    func base64() {
        var random = SeededGenerator(seed: 0xCA4D)
        for _ in 0..<300 {
            let bytes = (0..<Int.random(in: 0..<64, using: &random)).map { _ in
                UInt8.random(in: 0...255, using: &random)
            }
            let decoded = try? Base64.decode(Array(Base64.encode(bytes).utf8)).get()
            #expect(decoded == bytes, "seed \(random.seed), input \(bytes)")
        }
        if case .failure(let bad) = Base64.decode(Array("QUJD*A==".utf8)) {
            #expect(bad.index == 4)
        } else {
            Issue.record("an invalid character was accepted")
        }
    }

    @Test("mutated PNG cards never crash the reader")
    func fuzzPNG() {
        let good = Self.png([Self.text("chara", Self.v2)])
        var random = SeededGenerator(seed: 0x9E6)
        for round in 0..<300 {
            var bytes = good
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(
                    in: 0...255, using: &random)
            }
            if Bool.random(using: &random) {
                bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random)))
            }
            let outcome = Result { try CharacterCardDecoder().decode(bytes) }
            if case .success(let card) = outcome {
                #expect(!card.name.isEmpty, "round \(round), seed \(random.seed)")
            }
        }
    }

    @Test("{{char}} and {{user}} are placeholders in system templates, examples and greetings")
    func placeholders() {
        #expect(
            PromptTemplate.render(
                "I am {{char}}, you are {{User}}; {{x}}", values: ["char": "Mira", "user": "User"])
                == "I am Mira, you are User; {x}")
        #expect(PromptTemplate.unknownPlaceholders(in: "{{char}} {{user}} {nope}") == ["nope"])
        #expect(
            PromptTemplate.substituteNames(in: "Hi {{user}}, {{CHAR}} here {x}", char: "Mira")
                == "Hi User, Mira here {x}")
        let personality = Personality(
            id: "mira", name: "Mira", engines: ["llm"], greetings: ["Hold on, {{user}}. {{char}} is here."],
            engineSections: [:],
            source: PersonalitySource(file: "f", location: .init(file: "f", line: 1, column: 1)),
            version: PersonalityVersion(1))
        let engine = LLMEngine()
        let state = engine.makeState(for: personality, session: EngineSessionContext(sessionID: "s", seed: 1))
        #expect(engine.greeting(for: personality, state: state) == "Hold on, User. Mira is here.")
    }
}

@Suite("an imported card's placeholders reach the upstream as names")
struct CardPlaceholderRequestTests {
    @Test("{{char}} and {{user}} in the system prompt and the examples are sent as the name and User")
    func request() throws {
        let transport = ScriptedTransport()
        let engine = LLMEngine(transport: transport)
        let upstream = try LLMReplyTests.upstream()
        let section = LLMSection(
            upstreamName: "up", upstreamNameLocation: SourceLocationBox(.init(file: "f", line: 1, column: 1)),
            system: "You are {{char}}; greet {{user}}.",
            examples: [.init(user: "{{char}}?", assistant: "Yes, {{user}}, {{char}} here.")])
        let personality = Personality(
            id: "mira", name: "Mira", engines: ["llm"], engineSections: ["llm": section],
            source: PersonalitySource(file: "f", location: .init(file: "f", line: 1, column: 1)),
            version: PersonalityVersion(1))
        let state = engine.makeState(
            for: personality,
            session: EngineSessionContext(sessionID: "s", seed: 1, upstreams: UpstreamsConfiguration([upstream])))
        _ = LLMReplyTests.Run(engine: engine, personality: personality, state: state)
        let body = try JSONParser().parse(try #require(transport.calls.first).body)
        let messages = try #require(body["messages"]?.arrayValue)
        #expect(messages[0]["content"]?.stringValue == "You are Mira; greet User.")
        #expect(messages[1]["content"]?.stringValue == "Mira?")
        #expect(messages[2]["content"]?.stringValue == "Yes, User, Mira here.")
    }
}
