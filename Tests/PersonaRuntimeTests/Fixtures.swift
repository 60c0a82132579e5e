import Personality

/// Personalities written like the shipped ones, inline, built with the real registry builder
/// and run by the real script engine.
enum Fixtures {
    static let parrot = """
        id: parrot
        name: Polly the Parrot
        description: Repeats names and counts to ten.
        tags: [fun, bird]
        language: en
        engine: script
        greeting: "Squawk! Hello!"
        farewell: "Bye bye, squawk!"
        limits: { use: base, responses_per_session: 3 }
        stream: { tokens_per_second: 0 }
        script:
          rules:
            - match: "my name is *"
              reply: "Nice to meet you, {star}!"
              set: { name: "{star}" }
            - match: "what is my name"
              reply: "Your name is {get name|unknown}."
            - match: "count"
              reply: "one two three four five six seven eight nine ten"
            - match: "email"
              reply: "Write to polly@example.com any time."
          fallback: ["I hear you."]
        """

    static let snail = """
        id: snail
        name: Slow Snail
        tags: [slow]
        language: en
        engine: script
        greeting: "Hello... slowly."
        farewell: "Farewell..."
        limits: base
        stream: { tokens_per_second: 10 }
        script:
          rules:
            - match: "count"
              reply: "one two three"
          fallback: ["I am slow."]
        """

    static let hanna = """
        id: hanna
        name: Hanna
        tags: [fun]
        language: de
        engine: script
        greeting: "Hallo!"
        farewell: "Tschüss!"
        limits: base
        script:
          fallback: ["Wie bitte?"]
        """

    static let ada = """
        id: ada
        name: Ada
        tags: [helpful]
        language: en
        engine: script
        greeting: "Hi, I'm Ada."
        farewell: "Goodbye from Ada."
        limits: base
        cache: { mode: exact, ttl: 10m }
        script:
          rules:
            - match: "hello"
              reply: "Hello! How can I help?"
          fallback: ["Tell me more."]
        """

    static let limits = """
        default: base
        sets:
          base:
            max_input_chars: 50
            max_reply_tokens: 100
            idle_timeout: 10m
            session_timeout: 2h
          strict:
            extends: base
            responses_per_session: 2
            on_limit: error
        """

    static let routing = """
        matchmaking:
          timeout: 5s
          humans_first: true
        fallback:
          default: ada
          candidates:
            - { personality: ada, weight: 1 }
            - { personality: hanna, weight: 1 }
        """

    static func files(
        parrot: String = Fixtures.parrot, limits: String = Fixtures.limits,
        routing: String = Fixtures.routing,
        extra: [String] = []
    ) -> [SourceFile] {
        var files = [
            SourceFile(name: "parrot.yaml", text: parrot), SourceFile(name: "snail.yaml", text: snail),
            SourceFile(name: "hanna.yaml", text: hanna), SourceFile(name: "ada.yaml", text: ada),
            SourceFile(name: "limits.yaml", text: limits), SourceFile(name: "routing.yaml", text: routing),
        ]
        for (index, text) in extra.enumerated() {
            files.append(SourceFile(name: "extra\(index).yaml", text: text))
        }
        return files
    }
}
