/// A generated script personality for benchmarks: `rules` rules over a vocabulary of made-up
/// words, in the shapes real scripts use (plain phrases, trailing and inner wildcards,
/// optionals, alternatives, numbers, a few leading wildcards that defeat the first-word
/// index), plus inputs that hit rules and inputs that fall through to the fallback.
public struct ScriptWorkload: Sendable {
    /// The personality file.
    public var yaml: String
    /// Messages to answer, in order.
    public var inputs: [String]

    /// Generates a workload; the same seed gives the same workload.
    public init(rules: Int, inputs count: Int, seed: UInt64) {
        var random = SessionRandom(seed: seed)
        let syllables = [
            "ka", "lo", "mi", "ra", "te", "su", "no", "vi", "pe", "da", "zo", "ri", "fu", "ge", "ba", "ny",
        ]
        var vocabulary: [String] = []
        for a in syllables { for b in syllables { vocabulary.append(a + b) } }  // 256 words
        for a in syllables.prefix(8) {
            for b in syllables { for c in syllables.prefix(4) { vocabulary.append(a + b + c) } }
        }
        func word() -> String { vocabulary.randomElement(using: &random)! }
        func words(_ n: Int) -> [String] { (0..<n).map { _ in word() } }

        var yaml =
            "id: bench-script\nname: Bench\ndescription: Generated for persona bench script.\nengine: script\nscript:\n"
        yaml += "  substitutions: { \"what's\": \"what is\", \"i'm\": \"i am\" }\n  rules:\n"
        var samples: [String] = []
        for index in 0..<rules {
            let base = words(Int.random(in: 2...5, using: &random))
            let trigger: String
            let sample: String
            switch index % 10 {
            case 0, 1, 2, 3:
                trigger = base.joined(separator: " ")
                sample = trigger
            case 4, 5:
                trigger = base.joined(separator: " ") + " *"
                sample = base.joined(separator: " ") + " " + words(2).joined(separator: " ")
            case 6:
                trigger = base[0] + " * " + base.dropFirst().joined(separator: " ")
                sample = base[0] + " " + word() + " " + base.dropFirst().joined(separator: " ")
            case 7:
                trigger = "[\(word())] " + base.joined(separator: " ")
                sample = base.joined(separator: " ")
            case 8:
                trigger = "(\(base[0])|\(word())) " + base.dropFirst().joined(separator: " ") + " #"
                sample = base.joined(separator: " ") + " 42"
            default:
                if index % 100 == 9 {
                    trigger = "* " + base.joined(separator: " ")
                    sample = word() + " " + base.joined(separator: " ")
                } else {
                    trigger = base.joined(separator: " ") + " [*]"
                    sample = base.joined(separator: " ") + " " + word()
                }
            }
            yaml += "    - { match: \"\(trigger)\", reply: \"Reply \(index): {star}\" }\n"
            samples.append(sample)
        }
        yaml += "  fallback: \"No idea.\"\n"
        self.yaml = yaml
        var inputs: [String] = []
        for index in 0..<count {
            if index % 4 == 3 {
                inputs.append(words(Int.random(in: 2...6, using: &random)).joined(separator: " "))
            } else {
                inputs.append(samples.randomElement(using: &random)!)
            }
        }
        self.inputs = inputs
    }
}
