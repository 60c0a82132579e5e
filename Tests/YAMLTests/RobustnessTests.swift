import Diagnostics
import PersonaTestSupport
import Testing
import YAML

/// Broken and random input must always come back as a node or a `YAMLError` — never a crash, a
/// hang or a location outside the text — and the same input must always give the same answer.
@Suite("Robustness against truncated, mutated and random documents")
struct RobustnessTests {
    /// A document that touches every feature the parser handles.
    static let rich = """
        # A personality, more or less
        %YAML 1.1
        ---
        id: captain-redbeard
        name: "Captain \\u00e9 Redbeard"
        description: 'A salty pirate who answers in ''pirate'' speak.'
        tags: [fun, en, 日本語]
        greeting: ["Ahoy!", "Arr, who goes there?"]
        base: &base
          stream: { tokens_per_second: 25 }
          cache: { mode: off }
        derived:
          <<: *base
          extra: ~
        merged:
          <<: [*base, {pii: yes}]
        script:
          substitutions: { "what's": "what is" }
          rules:
            - match: "my name is *"
              reply: |
                Arr, {star} be a fine name
                for a pirate! 😀
              remember: { name: "{star}" }
            - match: (hi|hello|ahoy) [there]
              reply: >
                folded
                reply
            - ? complex key
              : value
            - &item plain multi
              line scalar
            - *item
        ...

        """

    private static func run(_ bytes: [UInt8]) -> Result<YAMLNode, YAMLError> {
        Result { () throws(YAMLError) -> YAMLNode in try YAMLParser().parse(bytes, file: "fuzz.yaml") }
    }

    /// Checks the invariants of one parse and describes any violation (empty when fine).
    private static func violations(_ bytes: [UInt8]) -> [String] {
        let first = run(bytes)
        var problems: [String] = []
        if run(bytes) != first { problems.append("two parses disagree") }
        let text = String(decoding: bytes, as: UTF8.self)
        let breaks = text.unicodeScalars.filter { "\n\r\u{85}\u{2028}\u{2029}".unicodeScalars.contains($0) }
            .count
        let maxColumn = text.unicodeScalars.count + 1
        func check(_ location: Diagnostics.SourceLocation, _ what: String) {
            if location.file != "fuzz.yaml" || location.line < 1 || location.line > breaks + 1
                || location.column < 1
                || location.column > maxColumn
            {
                problems.append("\(what) at \(location) is outside the text")
            }
        }
        switch first {
        case .failure(let error):
            check(error.location, "error '\(error.message)'")
            if error.message.isEmpty { problems.append("empty error message") }
        case .success(let root):
            var pending = [root]
            while let node = pending.popLast() {
                check(node.location, "node")
                switch node.content {
                case .scalar: break
                case .sequence(let items): pending.append(contentsOf: items)
                case .mapping(let pairs):
                    for pair in pairs { pending.append(pair.key); pending.append(pair.value) }
                }
            }
        }
        return problems
    }

    @Test("the rich document parses, with every feature resolved")
    func richParses() throws {
        let node = try YAMLParser().parse(Array(Self.rich.utf8), file: "fuzz.yaml")
        #expect(node["derived"]?.mapping?.map(\.key.text) == ["stream", "cache", "extra"])
        #expect(node["merged"]?.mapping?.map(\.key.text) == ["stream", "cache", "pii"])
        #expect(node["script"]?["rules"]?.sequence?[4].text == "plain multi line scalar")
        #expect(Self.violations(Array(Self.rich.utf8)) == [])
    }

    @Test("truncating the rich document at every byte gives a node or an error")
    func truncation() {
        let bytes = Array(Self.rich.utf8)
        for end in 0...bytes.count {
            let problems = Self.violations(Array(bytes[..<end]))
            #expect(
                problems.isEmpty,
                "truncated at \(end): \(problems)\n\(String(decoding: bytes[..<end], as: UTF8.self))")
        }
    }

    @Test("random byte mutations give a node or an error", arguments: [1, 2, 3, 0xC0FFEE] as [UInt64])
    func mutations(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let original = Array(Self.rich.utf8)
        let interesting: [UInt8] =
            Array(":-[]{},&*!|>'\"#%?\n\t \r".utf8) + [0x00, 0xC3, 0xA9, 0xFF, 0x85, 0xE2]
        for round in 0..<300 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: bytes[index] = interesting.randomElement(using: &generator)!
                case 1: bytes[index] = UInt8.random(in: 0...255, using: &generator)
                case 2: bytes.insert(interesting.randomElement(using: &generator)!, at: index)
                default: if bytes.count > 1 { bytes.remove(at: index) }
                }
            }
            let problems = Self.violations(bytes)
            #expect(problems.isEmpty, "seed \(seed) round \(round): \(problems)\ninput: \(bytes)")
        }
    }

    @Test("random token soup gives a node or an error", arguments: [7, 8, 9, 0xBADC0DE] as [UInt64])
    func tokenSoup(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let tokens = [
            "-", "- ", ":", ": ", "[", "]", "{", "}", ",", "&a ", "*a", "&b ", "*b", "<<: ", "? ", "|", ">",
            "|-",
            "'x'", "\"y\\n\"", "!t ", "!!str ", "---", "...", "# c", "\n", " ", "  ", "\t", "key", "é", "日",
            "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "\r\n", "~", "null", "'", "\"", "\\", "@", "`", "\u{85}",
        ]
        for round in 0..<400 {
            var text = ""
            for _ in 0..<Int.random(in: 1...40, using: &generator) {
                text += tokens.randomElement(using: &generator)!
            }
            let problems = Self.violations(Array(text.utf8))
            #expect(
                problems.isEmpty, "seed \(seed) round \(round): \(problems)\ninput: \(text.debugDescription)")
        }
    }
}
