import Personality

/// Generated personality files for benchmarks: realistic shapes (greetings, tags, a limit set,
/// script rules with wildcards, optionals, alternatives, conditions and a topic, and tests),
/// plus the limits and routing files that reference them.
enum RegistryWorkload {
    /// `count` personality files plus `limits.yaml` and `routing.yaml`.
    static func files(count: Int, rulesPerPersonality: Int) -> [SourceFile] {
        var files: [SourceFile] = []
        for index in 0..<count {
            var rules = ""
            for rule in 0..<rulesPerPersonality {
                switch rule % 4 {
                case 0:
                    rules += """
                            - match: "(hello|hi|hey) [there] number \(rule)"
                              reply: ["Hello from bot \(index)!", "Hi, I am bot \(index)."]

                        """
                case 1:
                    rules += """
                            - match: "my name is * and i like \(rule)"
                              reply: "Nice to meet you, {star}!"
                              set: { name: "{star}" }

                        """
                case 2:
                    rules += """
                            - match: "what is # plus \(rule)"
                              conditions:
                                - when: "{star} > 100"
                                  reply: "That is a big number."
                              reply: "{set sum={star}}{add sum=\(rule)}It is {get sum}."

                        """
                default:
                    rules += """
                            - match: "tell me about topic \(rule)"
                              reply: "Let us talk about it."
                              topic: deep

                        """
                }
            }
            let text = """
                id: bot-\(index)
                name: Generated Bot \(index)
                description: A generated personality for load benchmarks.
                tags: [generated, group-\(index % 10)]
                language: en
                engine: script
                greeting: ["Hello!", "Hi there!"]
                farewell: "Goodbye!"
                limits: \(index % 2 == 0 ? "standard" : "strict")
                stream: { tokens_per_second: \(index % 50) }
                script:
                  substitutions: { "what's": "what is", "i'm": "i am" }
                  rules:
                \(rules)
                  topics:
                    deep:
                      inherits: [random]
                      rules:
                        - match: "leave"
                          reply: "Leaving."
                          topic: random
                  fallback: ["I did not understand."]
                tests:
                  - say: "hello there number 0"
                    expect_one_of: ["Hello from bot \(index)!", "Hi, I am bot \(index)."]

                """
            files.append(SourceFile(name: "bot-\(index).yaml", text: text))
        }
        files.append(
            SourceFile(
                name: "limits.yaml",
                text: """
                    default: standard
                    sets:
                      standard: { responses_per_session: 20, session_rate: 20/min, session_burst: 5 }
                      strict: { extends: standard, responses_per_session: 5 }
                    """))
        let candidates = (0..<min(count, 20)).map { "    - { personality: bot-\($0), weight: \($0 % 5 + 1) }" }.joined(separator: "\n")
        files.append(
            SourceFile(
                name: "routing.yaml",
                text: """
                    matchmaking: { timeout: 10s, humans_first: true }
                    fallback:
                      default: bot-0
                      candidates:
                    \(candidates)
                    """))
        return files
    }
}
