import Personality

/// A personality's `llm:` section, validated.
///
/// ```yaml
/// llm:
///   upstream: openai            # a name from upstreams.yaml
///   system: "You are {name}. {description}"
///   examples:
///     - { user: "Hi!", assistant: "Ahoy!" }
///   temperature: 0.7
///   top_p: 1
///   max_tokens: 256             # capped by the limits' max_reply_tokens
///   stop: ["\nUser:"]
///   history_turns: 10           # earlier exchanges sent along
///   fallback: ["Arr, my parrot ate the answer."]
/// ```
public struct LLMSection: UpstreamReferencing, Hashable {
    /// One few-shot exchange.
    public struct Example: Hashable, Sendable {
        /// What the user says.
        public var user: String
        /// What the bot answers.
        public var assistant: String
        /// Creates an example.
        public init(user: String, assistant: String) {
            self.user = user
            self.assistant = assistant
        }
    }

    /// The upstream's name in `upstreams.yaml`.
    public var upstreamName: String
    /// Where the name was written.
    public var upstreamNameLocation: SourceLocationBox
    /// The system prompt template (see ``PromptTemplate``).
    public var system: String
    /// Few-shot exchanges sent before the conversation.
    public var examples: [Example]
    /// Sampling temperature (0...2); `nil` leaves the upstream's default.
    public var temperature: Double?
    /// Nucleus sampling (0...1); `nil` leaves the upstream's default.
    public var topP: Double?
    /// Longest reply asked for; the limits' `max_reply_tokens` caps it.
    public var maxTokens: Int?
    /// Stop sequences (at most 4, as the OpenAI API allows).
    public var stop: [String]
    /// Earlier exchanges of the session sent along. Default 10.
    public var historyTurns: Int
    /// What the bot says when the upstream cannot answer; empty means "let the next engine in
    /// `engine:` answer".
    public var fallback: [String]

    /// Creates a section.
    public init(
        upstreamName: String, upstreamNameLocation: SourceLocationBox, system: String = "", examples: [Example] = [],
        temperature: Double? = nil, topP: Double? = nil, maxTokens: Int? = nil, stop: [String] = [],
        historyTurns: Int = 10, fallback: [String] = []
    ) {
        self.upstreamName = upstreamName
        self.upstreamNameLocation = upstreamNameLocation
        self.system = system
        self.examples = examples
        self.temperature = temperature
        self.topP = topP
        self.maxTokens = maxTokens
        self.stop = stop
        self.historyTurns = historyTurns
        self.fallback = fallback
    }
}
