import Personality

/// Turns a ``CharacterCard`` into a personality file answered by the `llm` engine (with a
/// `script` fallback line so it answers something without an upstream), and lists everything
/// it could not carry over.
///
/// | card | personality |
/// |---|---|
/// | `name` (V3: `nickname` when set) | `name`, and `id` unless given |
/// | `description`, `personality`, `scenario`, `system_prompt` (`{{original}}` = the rest), `post_history_instructions` | `llm.system`, in that order |
/// | first line of `description` | `description` |
/// | `first_mes`, `alternate_greetings` | `greeting` |
/// | `mes_example` | `llm.examples` (user/character pairs) |
/// | `tags` | `tags` (lowercase, spaces as `-`) |
///
/// `{{char}}` and `{{user}}` stay as they are (the `llm` engine replaces them); version 1's
/// `<BOT>` and `<USER>` become them. Other `{{macros}}` are kept as literal text and reported.
public struct CharacterCardImporter: Sendable {
    /// The imported personality.
    public struct Output: Sendable {
        /// The personality's id.
        public var id: String
        /// The YAML text.
        public var text: String
        /// What could not be carried over (or was changed on the way), one sentence each.
        public var warnings: [String]
    }

    /// Longest `description` line taken from the card.
    public static let maxDescriptionCharacters = 200

    /// Creates an importer.
    public init() {}

    /// Converts `card`; `id` overrides the one made from the name; `upstream` is the
    /// `upstreams.yaml` name the `llm` section calls; `source` names the file in the header.
    public func convert(
        _ card: CharacterCard, id: String? = nil, upstream: String = "local", source: String = ""
    )
        -> Output
    {
        var warnings: [String] = []
        let name = (card.nickname.trimmingWhitespace().isEmpty ? card.name : card.nickname)
            .trimmingWhitespace()
        if !card.nickname.trimmingWhitespace().isEmpty, card.nickname != card.name {
            warnings.append(
                "the nickname '\(card.nickname)' is used as the name ('\(card.name)' is not kept)")
        }
        let personalityID = id ?? Self.slug(name)
        var macros = Set<String>()

        var system = Self.template(card.systemPrompt, macros: &macros, original: true)
        let parts = [
            "You are {{char}}.", Self.template(card.description, macros: &macros),
            card.personality.isEmpty
                ? "" : "{{char}}'s personality: " + Self.template(card.personality, macros: &macros),
            card.scenario.isEmpty ? "" : "Scenario: " + Self.template(card.scenario, macros: &macros),
        ].filter { !$0.trimmingWhitespace().isEmpty }
        let base = parts.joined(separator: "\n\n")
        if system.contains(Self.originalMarker) {
            system = system.replacingAll(Self.originalMarker, with: base)
        } else {
            system = [system, base].filter { !$0.trimmingWhitespace().isEmpty }.joined(separator: "\n\n")
        }
        if !card.postHistoryInstructions.trimmingWhitespace().isEmpty {
            system += "\n\n" + Self.template(card.postHistoryInstructions, macros: &macros)
            warnings.append(
                "post_history_instructions were put at the end of the system prompt (there is no place after the history)"
            )
        }
        if system.count > LLMSectionDecoder.maxSystemCharacters {
            warnings.append(
                "the system prompt has \(system.count) characters; it was cut to \(LLMSectionDecoder.maxSystemCharacters)"
            )
            system = String(system.prefix(LLMSectionDecoder.maxSystemCharacters))
            while system.hasSuffix("{") && !system.hasSuffix("{{") { system.removeLast() }
        }

        let (examples, dropped) = Self.examples(Self.plain(card.exampleMessages), characterName: card.name)
        if dropped > 0 {
            warnings.append(
                "\(dropped) example line(s) in mes_example had no user line to pair with and were left out")
        }
        if examples.count > LLMSectionDecoder.maxExamples {
            warnings.append(
                "mes_example holds \(examples.count) exchanges; the first \(LLMSectionDecoder.maxExamples) were kept"
            )
        }
        let greetings = ([card.firstMessage] + card.alternateGreetings).map(Self.plain).filter {
            !$0.trimmingWhitespace().isEmpty
        }
        var tags: [String] = []
        for tag in card.tags {
            let normalized = Self.tag(tag)
            if !normalized.isEmpty, !tags.contains(normalized) { tags.append(normalized) }
        }
        for macro in macros.sorted() {
            warnings.append("the macro \(macro) is not supported; it was kept as literal text")
        }
        for item in card.leftOver {
            warnings.append("\(item.path) (\(item.note)) was not carried over")
        }

        var pairs: [(String, YAMLValue)] = [
            ("id", .string(personalityID)), ("name", .string(name)),
            ("description", .string(Self.summary(card.description, name: name))),
        ]
        if !tags.isEmpty { pairs.append(("tags", .list(tags.map(YAMLValue.string)))) }
        pairs.append(("engine", .list([.string("llm"), .string("script")])))
        if !greetings.isEmpty { pairs.append(("greeting", .list(greetings.map(YAMLValue.string)))) }
        var llm: [(String, YAMLValue)] = [("upstream", .string(upstream)), ("system", .string(system))]
        if !examples.isEmpty {
            llm.append(
                (
                    "examples",
                    .list(
                        examples.prefix(LLMSectionDecoder.maxExamples).map {
                            .map([("user", .string($0.user)), ("assistant", .string($0.assistant))])
                        })
                ))
        }
        pairs.append(("llm", .map(llm)))
        pairs.append(
            (
                "script",
                .map([
                    (
                        "rules",
                        .list([
                            .map([
                                ("match", .string("*")),
                                ("reply", .string("I cannot answer right now. Please try again later.")),
                            ])
                        ])
                    )
                ])
            ))
        var header = "# Imported by `persona import card`"
        if !source.isEmpty { header += " from \(source)" }
        header += " (\(card.version.rawValue)"
        if !card.creator.isEmpty { header += ", by \(card.creator.replacingAll("\n", with: " "))" }
        if !card.characterVersion.isEmpty {
            header += ", version \(card.characterVersion.replacingAll("\n", with: " "))"
        }
        header +=
            ").\n# The llm engine answers through the upstream named below (Personalities/upstreams.yaml).\n"
        return Output(id: personalityID, text: header + YAMLValue.map(pairs).document(), warnings: warnings)
    }

    // MARK: Text

    static let originalMarker = "\u{1}original\u{1}"

    /// Card text as a `system` template: `{{char}}`/`{{user}}` kept, `<BOT>`/`<USER>` turned
    /// into them, `{{original}}` marked (system prompts only), every other brace doubled.
    static func template(_ text: String, macros: inout Set<String>, original: Bool = false) -> String {
        var out = ""
        var index = text.startIndex
        while index < text.endIndex {
            let rest = text[index...]
            if let (name, length) = PromptTemplate.cardPlaceholder(at: rest) {
                out += "{{\(name)}}"
                index = text.index(index, offsetBy: length)
                continue
            }
            if let (name, length) = legacyPlaceholder(at: rest) {
                out += "{{\(name)}}"
                index = text.index(index, offsetBy: length)
                continue
            }
            if original, rest.lowercased().hasPrefix("{{original}}") {
                out += originalMarker
                index = text.index(index, offsetBy: 12)
                continue
            }
            if rest.hasPrefix("{{"), let close = rest.firstIndex(of: "}"), rest[close...].hasPrefix("}}") {
                macros.insert(String(rest[...rest.index(after: close)]))
            }
            switch text[index] {
            case "{": out += "{{"
            case "}": out += "}}"
            default: out.append(text[index])
            }
            index = text.index(after: index)
        }
        return out
    }

    /// Card text that is not a template: only `<BOT>`/`<USER>` become `{{char}}`/`{{user}}`.
    static func plain(_ text: String) -> String {
        PromptTemplate.rewrite(text) { rest in
            legacyPlaceholder(at: rest).map { name, length in ("{{\(name)}}", length) }
        }
    }

    /// Version 1's `<BOT>` and `<USER>`, any case.
    static func legacyPlaceholder(at text: Substring) -> (String, Int)? {
        guard text.first == "<" else { return nil }
        if text.prefix(5).lowercased() == "<bot>" { return ("char", 5) }
        if text.prefix(6).lowercased() == "<user>" { return ("user", 6) }
        return nil
    }

    /// The `{user, assistant}` pairs of `mes_example`, and how many lines had no partner.
    static func examples(_ text: String, characterName: String) -> ([LLMSection.Example], Int) {
        enum Speaker { case user, character }
        var examples: [LLMSection.Example] = []
        var dropped = 0
        var pendingUser: String?
        var current: (speaker: Speaker, text: String)?
        func close() {
            guard let turn = current else { return }
            current = nil
            let text = turn.text.trimmingWhitespace()
            guard !text.isEmpty else { return }
            switch turn.speaker {
            case .user:
                if pendingUser != nil { dropped += 1 }
                pendingUser = text
            case .character:
                if let user = pendingUser {
                    examples.append(.init(user: user, assistant: text))
                    pendingUser = nil
                } else {
                    dropped += 1
                }
            }
        }
        let prefixes: [(String, Speaker)] = [
            ("{{user}}:", .user), ("{{char}}:", .character), (characterName.lowercased() + ":", .character),
        ]
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(rawLine).trimmingWhitespace()
            if line.lowercased().hasPrefix("<start>") {
                close()
                if pendingUser != nil { dropped += 1 }
                pendingUser = nil
                continue
            }
            if let (prefix, speaker) = prefixes.first(where: {
                !$0.0.hasPrefix(":") && line.lowercased().hasPrefix($0.0)
            }) {
                close()
                current = (speaker, String(line.dropFirst(prefix.count)))
            } else if current != nil {
                current!.text += "\n" + line
            } else if !line.isEmpty {
                dropped += 1
            }
        }
        close()
        if pendingUser != nil { dropped += 1 }
        return (examples, dropped)
    }

    /// The personality's one-line description: the card description's first line, names
    /// substituted, at most ``maxDescriptionCharacters``.
    static func summary(_ description: String, name: String) -> String {
        let firstLine = plain(description).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        var text = PromptTemplate.substituteNames(in: firstLine, char: name).trimmingWhitespace()
        if text.isEmpty { return "Imported from a character card." }
        if text.count > maxDescriptionCharacters {
            text = String(text.prefix(maxDescriptionCharacters - 1)) + "…"
        }
        return text
    }

    /// An id from a name: lowercase letters and digits, other runs as `-`, starting with a letter.
    static func slug(_ name: String) -> String {
        var out = ""
        for scalar in name.lowercased().unicodeScalars {
            if (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty, !out.hasSuffix("-") {
                out += "-"
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        if out.first.map({ !$0.isLetter }) ?? true { out = out.isEmpty ? "card" : "card-" + out }
        if out.count > 63 { out = String(out.prefix(63)) }
        while out.hasSuffix("-") { out.removeLast() }
        return out
    }

    /// A tag: lowercase, whitespace runs as `-`.
    static func tag(_ text: String) -> String {
        text.trimmingWhitespace().lowercased().split(whereSeparator: \.isWhitespace).joined(separator: "-")
    }
}

extension String {
    /// Every occurrence of `target` replaced by `replacement` (no Foundation in this module).
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        return PromptTemplate.rewrite(self) { rest in
            rest.hasPrefix(target) ? (replacement, target.count) : nil
        }
    }
}
