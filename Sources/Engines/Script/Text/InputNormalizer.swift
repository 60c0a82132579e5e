/// Turns a message into the words triggers are matched against, as RiveScript does: split
/// into words (Unicode-aware, punctuation dropped), substitutions applied on the lowercased
/// words, then apostrophes removed. Each word keeps the user's original spelling for captures.
public struct InputNormalizer: Hashable, Sendable {
    /// The `substitutions:` table.
    public var substitutions: PhraseTable

    /// Creates a normaliser.
    public init(substitutions: PhraseTable = PhraseTable()) {
        self.substitutions = substitutions
    }

    /// The normalised words of `text`.
    public func words(_ text: String) -> [InputWord] {
        let raw = WordSplitter.rawWords(text)
        if substitutions.isEmpty {
            return raw.map { InputWord(key: WordSplitter.key($0), original: $0) }
        }
        let lowered = raw.map { WordSplitter.fold($0) }
        var result: [InputWord] = []
        result.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            if let (length, replacement) = substitutions.longestMatch(in: lowered, at: index) {
                for word in WordSplitter.rawWords(replacement) {
                    result.append(InputWord(key: WordSplitter.key(word), original: word))
                }
                index += length
            } else {
                result.append(InputWord(key: WordSplitter.key(raw[index]), original: raw[index]))
                index += 1
            }
        }
        return result
    }
}
