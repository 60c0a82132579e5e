import Diagnostics
import Engines
import PersonaTestSupport
import Testing

@Suite("Trigger index")
struct ScriptIndexTests {
    @Test(
        "the indexed lookup finds exactly the trigger a linear scan in sort order finds",
        arguments: [3 as UInt64, 4])
    func agreesWithLinearScan(seed: UInt64) throws {
        let workload = ScriptWorkload(rules: 400, inputs: 600, seed: seed)
        let harness = ScriptHarness(yaml: workload.yaml)
        let section = try #require(harness.section, "\(harness.errors)")
        let matcher = try #require(section.brain.topics["random"])
        var generator = SeededGenerator(seed: seed)
        for input in workload.inputs {
            // Also try each input with a random extra word in front, to exercise anchors.
            for text in [
                input, "zz " + input, input + " " + String(Int.random(in: 1...99, using: &generator)),
            ] {
                let words = section.normalizer.words(text)
                let indexed = section.brain.firstMatch(
                    topic: "random", words: words, lastReply: nil, maxSteps: 10_000)
                let linear = matcher.entries.first {
                    PatternMatcher.match($0.pattern, words, maxSteps: 10_000) != nil
                }
                #expect(indexed?.entry.ruleIndex == linear?.ruleIndex, "seed \(seed) input \"\(text)\"")
                #expect(indexed?.entry.triggerIndex == linear?.triggerIndex, "seed \(seed) input \"\(text)\"")
            }
        }
    }

    @Test("canonically equivalent spellings match: precomposed and decomposed accents")
    func canonicalEquivalence() {
        let harness = ScriptHarness(script: "rules:\n  - { match: \"caf\u{E9} *\", reply: \"{star}\" }")
        #expect(harness.say("CAFE\u{301} cre\u{300}me") == "cre\u{300}me")
    }
}
