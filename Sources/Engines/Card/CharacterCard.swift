/// A character card as the community formats define it: version 1 (flat fields), version 2
/// (`spec: chara_card_v2`, fields under `data`) and version 3 (`chara_card_v3`, a superset).
/// Only what the importer reads is modelled; everything else is listed in ``leftOver`` so it
/// can be reported rather than dropped silently.
public struct CharacterCard: Hashable, Sendable {
    /// Which format the card was written in.
    public enum Version: String, Hashable, Sendable {
        case v1 = "version 1"
        case v2 = "chara_card_v2"
        case v3 = "chara_card_v3"
    }

    /// The card's format.
    public var version: Version
    /// The character's name (`{{char}}`).
    public var name: String
    /// V3: the name to use in place of `name` when set.
    public var nickname: String
    /// The character's description.
    public var description: String
    /// A summary of its personality.
    public var personality: String
    /// The circumstances of the conversation.
    public var scenario: String
    /// The first message (the greeting).
    public var firstMessage: String
    /// Example dialogue, `<START>`-separated blocks of `{{user}}:` / `{{char}}:` lines.
    public var exampleMessages: String
    /// The card's own system prompt (may contain `{{original}}`).
    public var systemPrompt: String
    /// Instructions meant to follow the chat history.
    public var postHistoryInstructions: String
    /// Further greetings.
    public var alternateGreetings: [String]
    /// Tags.
    public var tags: [String]
    /// Who made the card.
    public var creator: String
    /// The card's own version.
    public var characterVersion: String
    /// Fields the importer does not carry over but that hold something, by path (`data.character_book`),
    /// with a short note of what they hold.
    public var leftOver: [(path: String, note: String)]

    /// Equality ignores nothing but compares ``leftOver`` pairwise.
    public static func == (lhs: CharacterCard, rhs: CharacterCard) -> Bool {
        lhs.version == rhs.version && lhs.name == rhs.name && lhs.nickname == rhs.nickname
            && lhs.description == rhs.description && lhs.personality == rhs.personality
            && lhs.scenario == rhs.scenario
            && lhs.firstMessage == rhs.firstMessage && lhs.exampleMessages == rhs.exampleMessages
            && lhs.systemPrompt == rhs.systemPrompt
            && lhs.postHistoryInstructions == rhs.postHistoryInstructions
            && lhs.alternateGreetings == rhs.alternateGreetings && lhs.tags == rhs.tags
            && lhs.creator == rhs.creator
            && lhs.characterVersion == rhs.characterVersion
            && lhs.leftOver.map(\.path) == rhs.leftOver.map(\.path)
            && lhs.leftOver.map(\.note) == rhs.leftOver.map(\.note)
    }

    /// Hashes the fields.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(version)
        hasher.combine(name)
        hasher.combine(description)
        hasher.combine(firstMessage)
        for item in leftOver { hasher.combine(item.path) }
    }

    /// Creates a card (empty text fields by default).
    public init(
        version: Version, name: String, nickname: String = "", description: String = "",
        personality: String = "",
        scenario: String = "", firstMessage: String = "", exampleMessages: String = "",
        systemPrompt: String = "",
        postHistoryInstructions: String = "", alternateGreetings: [String] = [], tags: [String] = [],
        creator: String = "", characterVersion: String = "", leftOver: [(path: String, note: String)] = []
    ) {
        self.version = version
        self.name = name
        self.nickname = nickname
        self.description = description
        self.personality = personality
        self.scenario = scenario
        self.firstMessage = firstMessage
        self.exampleMessages = exampleMessages
        self.systemPrompt = systemPrompt
        self.postHistoryInstructions = postHistoryInstructions
        self.alternateGreetings = alternateGreetings
        self.tags = tags
        self.creator = creator
        self.characterVersion = characterVersion
        self.leftOver = leftOver
    }
}
