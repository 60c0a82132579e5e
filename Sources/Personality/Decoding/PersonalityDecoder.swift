import Diagnostics
import Policies
import YAML

/// Turns one personality file's YAML tree into a ``Personality``, reporting every problem
/// with its location. Cross-file checks (duplicate ids, undefined limit sets) happen later,
/// in ``RegistryBuilder``, because they need all files.
public struct PersonalityDecoder: Sendable {
    /// The keys every personality file understands, besides engine sections.
    public static let coreKeys = [
        "id", "name", "description", "tags", "language", "tenant", "engine", "greeting", "farewell",
        "limits", "stream", "cache", "pii", "tests",
    ]

    /// Longest accepted id.
    public static let maxIDLength = 64

    /// The engines whose sections this decoder can read.
    public let catalog: EngineCatalog

    /// Creates a decoder for the engines in `catalog`.
    public init(catalog: EngineCatalog) {
        self.catalog = catalog
    }

    /// Decodes `root` (the file's document) into a personality stamped with `version`;
    /// returns `nil` when the file has errors (they are in `context`).
    public func decode(_ root: YAMLNode, version: PersonalityVersion, context: inout DecodingContext) -> Personality? {
        if root.isNull {
            context.error("empty-file", at: root, "the file is empty; a personality needs at least 'id', 'name' and 'engine'")
            return nil
        }
        guard var fields = MappingFields(root, "personality", context: &context) else { return nil }
        let errorsBefore = context.diagnostics.filter { $0.severity == .error }.count

        let idNode = fields.required("id", in: "personality", context: &context)
        let id = idNode.flatMap { node in context.string(node, "id").flatMap { validateID($0, at: node, context: &context) } }
        let name = fields.required("name", in: "personality", context: &context).flatMap { context.nonEmptyString($0, "name") }
        let description = fields.string("description", context: &context) ?? ""
        if !fields.contains("description") {
            context.warning("missing-description", at: root, "personality has no 'description'; people choosing a personality see it")
        }
        let tags = decodeTags(&fields, context: &context)
        let language = decodeLanguage(&fields, context: &context)
        let tenant = fields.string("tenant", context: &context)
        let engines = decodeEngines(&fields, context: &context)
        let greetings = fields.strings("greeting", context: &context) ?? []
        let farewells = fields.strings("farewell", context: &context) ?? []
        let limits = fields.value("limits").flatMap { LimitValuesDecoder.decodeReference($0, context: &context) } ?? LimitsReference()
        let stream = fields.value("stream").flatMap { decodeStream($0, context: &context) } ?? StreamSettings()
        let cache = fields.value("cache").flatMap { decodeCache($0, context: &context) } ?? CacheSettings()
        let pii = fields.value("pii").flatMap { decodePII($0, context: &context) } ?? PIISettings()
        let tests = fields.value("tests").flatMap { PersonalityTestDecoder.decode($0, context: &context) } ?? []

        // Engine sections: any key naming a known engine.
        var sections: [String: any EngineSection] = [:]
        for key in fields.keys where !Self.coreKeys.contains(key) {
            guard let decoder = catalog[key], let node = fields.value(key) else { continue }
            if let engines, !engines.contains(key) {
                context.warning("unused-section", at: node, "section '\(key)' is unused because 'engine' does not list '\(key)'")
            }
            if let section = decoder.decodeSection(node, context: &context) { sections[key] = section }
        }
        for engine in engines ?? [] {
            guard let decoder = catalog[engine], decoder.requiresSection, !fields.contains(engine) else { continue }
            context.error("missing-section", at: root, "engine '\(engine)' needs a '\(engine):' section")
        }
        fields.reportUnknownKeys(in: "personality", known: Self.coreKeys + catalog.names, context: &context)

        let errorsAfter = context.diagnostics.filter { $0.severity == .error }.count
        guard errorsAfter == errorsBefore, let id, let name, let engines else { return nil }
        let personality = Personality(
            id: id, name: name, description: description, tags: tags, language: language, tenant: tenant,
            engines: engines, greetings: greetings, farewells: farewells, limits: limits, stream: stream,
            cache: cache, pii: pii, engineSections: sections, tests: tests,
            source: PersonalitySource(file: context.file, location: idNode?.location ?? root.location),
            version: version)
        for (engine, section) in sections {
            catalog[engine]?.lint(section, of: personality, context: &context)
        }
        return personality
    }

    /// Checks an id's shape; on failure suggests a valid spelling.
    func validateID(_ id: String, at node: YAMLNode, context: inout DecodingContext) -> String? {
        if Self.isValidID(id) { return id }
        var message = "invalid id '\(id)': ids use lowercase letters a-z, digits and '-', start with a letter, do not end with '-', and are at most \(Self.maxIDLength) characters"
        let slug = Self.slug(id)
        if Self.isValidID(slug) { message += "; try '\(slug)'" }
        context.error("invalid-id", at: node, message)
        return nil
    }

    /// True for `[a-z][a-z0-9-]*` not ending in `-`, at most ``maxIDLength`` characters.
    public static func isValidID(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard let first = bytes.first, bytes.count <= maxIDLength, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first),
            bytes.last != UInt8(ascii: "-")
        else { return false }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-")
        }
    }

    /// A best-effort valid id from any text (`Captain_Redbeard` → `captain-redbeard`).
    static func slug(_ text: String) -> String {
        var result = ""
        for character in text.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber {
                result.append(character)
            } else if !result.isEmpty, result.last != "-" {
                result.append("-")
            }
        }
        while result.hasSuffix("-") { result.removeLast() }
        return String(result.prefix(maxIDLength))
    }

    private func decodeTags(_ fields: inout MappingFields, context: inout DecodingContext) -> [String] {
        guard let node = fields.value("tags"), let items = context.list(node, "tags") else { return [] }
        var tags: [String] = []
        for item in items {
            guard let tag = context.nonEmptyString(item, "tags") else { continue }
            if tag.contains(where: \.isWhitespace) {
                context.error("invalid-tag", at: item, "tag '\(tag)' must not contain spaces; use '-' between words")
            } else if tags.contains(tag) {
                context.warning("duplicate-tag", at: item, "tag '\(tag)' is listed twice")
            } else {
                tags.append(tag)
            }
        }
        return tags
    }

    private func decodeLanguage(_ fields: inout MappingFields, context: inout DecodingContext) -> String {
        guard let node = fields.value("language"), let text = context.string(node, "language") else { return "en" }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let valid =
            (2...3).contains(parts[0].count) && parts[0].allSatisfy { $0.isASCII && $0.isLowercase }
            && parts.dropFirst().allSatisfy { (2...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
        if !valid {
            context.error("invalid-language", at: node, "'language' must be a language tag such as en, de or pt-BR; found '\(text)'")
        }
        return text
    }

    private func decodeEngines(_ fields: inout MappingFields, context: inout DecodingContext) -> [String]? {
        guard let node = fields.required("engine", in: "personality", context: &context),
            let names = context.strings(node, "engine")
        else { return nil }
        var engines: [String] = []
        var valid = true
        let items = node.sequence ?? [node]
        for (name, item) in zip(names, items) {
            if catalog[name] == nil {
                var message = "no engine named '\(name)'"
                if let near = Suggestion.closest(to: name, among: catalog.names) { message += "; did you mean '\(near)'?" }
                message += " (available engines: \(catalog.names.joined(separator: ", ")))"
                context.error("unknown-engine", at: item, message)
                valid = false
            } else if engines.contains(name) {
                context.error("duplicate-engine", at: item, "engine '\(name)' is listed twice")
                valid = false
            } else {
                engines.append(name)
            }
        }
        return valid ? engines : nil
    }

    private func decodeStream(_ node: YAMLNode, context: inout DecodingContext) -> StreamSettings? {
        guard var fields = MappingFields(node, "stream", context: &context) else { return nil }
        var settings = StreamSettings()
        if let rate = fields.int("tokens_per_second", range: 0...StreamSettings.maxTokensPerSecond, context: &context) {
            settings.tokensPerSecond = rate
        }
        fields.reportUnknownKeys(in: "stream", context: &context)
        return settings
    }

    private func decodeCache(_ node: YAMLNode, context: inout DecodingContext) -> CacheSettings? {
        guard var fields = MappingFields(node, "cache", context: &context) else { return nil }
        var settings = CacheSettings()
        if let mode = fields.choice("mode", as: CacheSettings.Mode.self, context: &context) { settings.mode = mode }
        if let ttl = fields.duration("ttl", range: .seconds(1)...(.seconds(7 * 86_400)), context: &context) { settings.ttl = ttl }
        if let safe = fields.bool("safe", context: &context) { settings.cacheUnsafeReplies = safe }
        fields.reportUnknownKeys(in: "cache", context: &context)
        return settings
    }

    private func decodePII(_ node: YAMLNode, context: inout DecodingContext) -> PIISettings? {
        guard var fields = MappingFields(node, "pii", context: &context) else { return nil }
        var settings = PIISettings()
        if let replaceNode = fields.value("replace"), let template = context.nonEmptyString(replaceNode, "replace") {
            if let problem = Self.templateProblem(template) {
                context.error("invalid-template", at: replaceNode, problem)
            } else {
                settings.replace = template
            }
        }
        if let typesNode = fields.value("types"), let names = context.strings(typesNode, "types") {
            var types = Set<PIIType>()
            for name in names {
                if let type = PIIType(rawValue: name) {
                    types.insert(type)
                } else {
                    context.error(
                        "invalid-pii-type", at: typesNode,
                        "unknown PII type '\(name)'; known: \(PIIType.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }
            settings.types = types
        }
        fields.reportUnknownKeys(in: "pii", context: &context)
        return settings
    }

    /// Why a PII replacement template is invalid, or `nil`: only `{type}` and `{n}` may appear
    /// in braces, and braces must pair.
    static func templateProblem(_ template: String) -> String? {
        var rest = Substring(template)
        while let open = rest.firstIndex(where: { $0 == "{" || $0 == "}" }) {
            guard rest[open] == "{", let close = rest[open...].firstIndex(of: "}") else {
                return "unbalanced braces in 'replace' template '\(template)'"
            }
            let name = rest[rest.index(after: open)..<close]
            guard name == "type" || name == "n" else {
                var message = "unknown placeholder '{\(name)}' in 'replace'; use {type} and {n}"
                if let near = Suggestion.closest(to: String(name), among: ["type", "n"]) { message += " (did you mean '{\(near)}'?)" }
                return message
            }
            rest = rest[rest.index(after: close)...]
        }
        return nil
    }
}
