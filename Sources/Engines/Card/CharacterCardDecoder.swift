import JSON
import Personality

/// Reads a character card from a file's bytes: JSON (versions 1, 2 and 3), or a PNG carrying
/// the JSON base64-encoded in a `ccv3` (preferred) or `chara` text chunk.
public struct CharacterCardDecoder: Sendable {
    /// Largest file read: 32 MiB (cards carry an avatar image; the JSON inside is far smaller).
    public static let maxFileBytes = 32 << 20
    /// Largest card JSON: 8 MiB.
    public static let maxJSONBytes = 8 << 20

    /// Creates a decoder.
    public init() {}

    /// The card in `bytes` (a PNG or JSON file).
    public func decode(_ bytes: [UInt8]) throws(CardImportError) -> CharacterCard {
        guard bytes.count <= Self.maxFileBytes else {
            throw .tooLarge(bytes: bytes.count, limit: Self.maxFileBytes)
        }
        if PNGTextChunks.isPNG(bytes) { return try decode(json: try Self.cardJSON(inPNG: bytes)) }
        return try decode(json: bytes)
    }

    /// The card JSON carried by a PNG.
    static func cardJSON(inPNG bytes: [UInt8]) throws(CardImportError) -> [UInt8] {
        let chunks = try PNGTextChunks.read(bytes)
        guard
            let chunk = chunks.first(where: { $0.keyword == "ccv3" })
                ?? chunks.first(where: { $0.keyword == "chara" })
        else { throw .noCardChunk }
        if chunk.compressed { throw .compressedChunk(keyword: chunk.keyword, offset: chunk.offset) }
        switch Base64.decode(chunk.text) {
        case .success(let json): return json
        case .failure(let bad): throw .base64(keyword: chunk.keyword, offset: chunk.offset, index: bad.index)
        }
    }

    /// The card in a JSON text.
    public func decode(json bytes: [UInt8]) throws(CardImportError) -> CharacterCard {
        guard bytes.count <= Self.maxJSONBytes else {
            throw .tooLarge(bytes: bytes.count, limit: Self.maxJSONBytes)
        }
        let value: JSONValue
        do {
            value = try JSONParser(
                configuration: .init(
                    maxDepth: 64, maxInputBytes: Self.maxJSONBytes, maxStringBytes: Self.maxJSONBytes)
            ).parse(bytes)
        } catch {
            let (line, column) = Self.lineAndColumn(of: error.offset, in: bytes)
            throw .json(error.message, line: line, column: column)
        }
        guard let root = value.objectValue else { throw .notACard("the JSON is not an object") }
        if let specValue = root["spec"] {
            guard let spec = specValue.stringValue else {
                throw .field(path: "spec", problem: "must be a string")
            }
            let version: CharacterCard.Version
            switch spec {
            case "chara_card_v2": version = .v2
            case "chara_card_v3": version = .v3
            default: throw .unsupportedSpec(spec)
            }
            guard let data = root["data"]?.objectValue else {
                throw .field(path: "data", problem: root["data"] == nil ? "missing" : "must be an object")
            }
            var reader = FieldReader(object: data, prefix: "data.")
            return try reader.card(version: version)
        }
        guard root["name"] != nil, root["first_mes"] != nil || root["description"] != nil else {
            throw .notACard(
                "no 'spec', and not the fields of a version 1 card (name, description, first_mes)")
        }
        var reader = FieldReader(object: root, prefix: "")
        return try reader.card(version: .v1)
    }

    /// 1-based line and column (in characters) of byte `offset`.
    static func lineAndColumn(of offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        let column =
            String(decoding: bytes[lineStart..<min(max(offset, lineStart), bytes.count)], as: UTF8.self).count
            + 1
        return (line, column)
    }
}

/// Reads the card fields of one object, remembering which it used.
private struct FieldReader {
    let object: JSONObject
    let prefix: String
    var used: Set<String> = []

    init(object: JSONObject, prefix: String) {
        self.object = object
        self.prefix = prefix
    }

    /// Fields a V1 card may carry at its root, next to `spec`/`data` in V2/V3 exports.
    static let ignored: Set<String> = [
        "spec", "spec_version", "data", "avatar", "chat", "create_date", "talkativeness", "fav",
        "creatorcomment",
    ]

    mutating func string(_ key: String) throws(CardImportError) -> String {
        used.insert(key)
        guard let value = object[key], !value.isNull else { return "" }
        guard let text = value.stringValue else {
            throw .field(path: prefix + key, problem: "must be a string")
        }
        return text
    }

    mutating func strings(_ key: String) throws(CardImportError) -> [String] {
        used.insert(key)
        guard let value = object[key], !value.isNull else { return [] }
        guard let items = value.arrayValue else {
            throw .field(path: prefix + key, problem: "must be a list of strings")
        }
        var out: [String] = []
        for (index, item) in items.enumerated() {
            guard let text = item.stringValue else {
                throw .field(path: "\(prefix)\(key)[\(index)]", problem: "must be a string")
            }
            out.append(text)
        }
        return out
    }

    mutating func card(version: CharacterCard.Version) throws(CardImportError) -> CharacterCard {
        let name = try string("name")
        guard !name.trimmingWhitespace().isEmpty else {
            throw .field(
                path: prefix + "name", problem: object["name"] == nil ? "missing" : "must not be empty")
        }
        var card = CharacterCard(
            version: version, name: name, nickname: version == .v3 ? try string("nickname") : "",
            description: try string("description"), personality: try string("personality"),
            scenario: try string("scenario"), firstMessage: try string("first_mes"),
            exampleMessages: try string("mes_example"))
        if version != .v1 {
            card.systemPrompt = try string("system_prompt")
            card.postHistoryInstructions = try string("post_history_instructions")
            card.alternateGreetings = try strings("alternate_greetings")
            card.tags = try strings("tags")
            card.creator = try string("creator")
            card.characterVersion = try string("character_version")
        }
        for (key, value) in object
        where !used.contains(key) && !(version == .v1 && Self.ignored.contains(key)) {
            if let note = Self.note(value) { card.leftOver.append((prefix + key, note)) }
        }
        return card
    }

    /// What a left-over value holds, or `nil` when it holds nothing worth reporting.
    static func note(_ value: JSONValue) -> String? {
        switch value {
        case .null: return nil
        case .bool, .integer, .double: return nil
        case .string(let text): return text.trimmingWhitespace().isEmpty ? nil : "\(text.count) characters"
        case .array(let items): return items.isEmpty ? nil : "\(items.count) item(s)"
        case .object(let members):
            if let entries = members["entries"]?.arrayValue {
                return entries.isEmpty ? nil : "\(entries.count) entries"
            }
            return members.isEmpty ? nil : "keys \(members.keys.sorted().joined(separator: ", "))"
        }
    }
}
