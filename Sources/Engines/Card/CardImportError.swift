/// Why a file could not be read as a character card: typed where it arises, with where in the
/// file it went wrong (a byte offset in a PNG, a line and column in JSON, a field path).
public enum CardImportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file is larger than ``CharacterCardDecoder/maxFileBytes``.
    case tooLarge(bytes: Int, limit: Int)
    /// The PNG structure is broken at `offset` (truncated chunk, bad CRC, …).
    case png(String, offset: Int)
    /// The PNG has no `ccv3` or `chara` text chunk.
    case noCardChunk
    /// A card chunk is compressed (zTXt, or iTXt with compression), which is not supported.
    case compressedChunk(keyword: String, offset: Int)
    /// A card chunk's text is not valid base64 at character `index`.
    case base64(keyword: String, offset: Int, index: Int)
    /// The JSON is malformed at a line and column of the JSON text.
    case json(String, line: Int, column: Int)
    /// The JSON is not a card: neither a `spec` nor the fields of a version 1 card.
    case notACard(String)
    /// The `spec` names a card format this version does not read.
    case unsupportedSpec(String)
    /// A field has the wrong type, or a required one is missing.
    case field(path: String, problem: String)

    /// The message, without the file name (the CLI adds it).
    public var description: String {
        switch self {
        case .tooLarge(let bytes, let limit):
            return "the file has \(bytes) bytes, more than the limit of \(limit)"
        case .png(let problem, let offset): return "byte \(offset): \(problem)"
        case .noCardChunk: return "the PNG holds no character card (no 'ccv3' or 'chara' text chunk)"
        case .compressedChunk(let keyword, let offset):
            return
                "byte \(offset): the '\(keyword)' chunk is compressed, which is not supported (export the card again)"
        case .base64(let keyword, let offset, let index):
            return "byte \(offset): the '\(keyword)' chunk is not valid base64 at character \(index + 1)"
        case .json(let problem, let line, let column): return "\(line):\(column): \(problem)"
        case .notACard(let why): return "not a character card: \(why)"
        case .unsupportedSpec(let spec):
            return
                "unsupported card spec '\(spec)' (known: chara_card_v2, chara_card_v3, and version 1 cards without a spec)"
        case .field(let path, let problem): return "\(path): \(problem)"
        }
    }
}
