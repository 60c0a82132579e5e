/// A table of word phrases and their replacements — `substitutions:` for input and
/// `person:` for `{person …}` — applied in one left-to-right pass, longest phrase first at
/// each position, so `i am → you are` and `you are → i am` swap instead of undoing each other.
public struct PhraseTable: Hashable, Sendable {
    struct Entry: Hashable, Sendable {
        var phrase: [String]
        var replacement: String
    }

    /// Entries by their first word (lowercased, apostrophes kept), longest phrase first.
    private var entries: [String: [Entry]] = [:]

    /// True when the table has no entries.
    public var isEmpty: Bool { entries.isEmpty }

    /// Builds a table from phrase → replacement pairs, in the order written.
    public init(_ pairs: [(String, String)] = []) {
        for (phrase, replacement) in pairs {
            let words = WordSplitter.rawWords(phrase).map { WordSplitter.fold($0) }
            guard let first = words.first else { continue }
            entries[first, default: []].append(Entry(phrase: words, replacement: replacement))
        }
        for key in entries.keys { entries[key]!.sort { $0.phrase.count > $1.phrase.count } }
    }

    /// The longest phrase starting at `index` of `lowered`, as (length, replacement).
    func longestMatch(in lowered: [String], at index: Int) -> (length: Int, replacement: String)? {
        guard let candidates = entries[lowered[index]] else { return nil }
        for entry in candidates where index + entry.phrase.count <= lowered.count {
            if lowered[index..<(index + entry.phrase.count)].elementsEqual(entry.phrase) {
                return (entry.phrase.count, entry.replacement)
            }
        }
        return nil
    }

    /// Applies the table to free text (for `{person …}`): phrases are found among the text's
    /// space-separated words, ignoring case and surrounding punctuation, which is kept.
    public func apply(toText text: String) -> String {
        guard !entries.isEmpty else { return text }
        let chunks = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let lowered = chunks.map { chunk in WordSplitter.rawWords(chunk).first.map(WordSplitter.fold) ?? "" }
        var output: [String] = []
        var index = 0
        while index < chunks.count {
            if !lowered[index].isEmpty, let (length, replacement) = longestMatch(in: lowered, at: index),
                lowered[index..<(index + length)].allSatisfy({ !$0.isEmpty })
            {
                let lastChunk = chunks[index + length - 1]
                let trailing = String(
                    lastChunk.reversed().prefix { !WordSplitter.isWordCharacter($0) }.reversed())
                let firstChunk = chunks[index]
                let leading = String(firstChunk.prefix { !WordSplitter.isWordCharacter($0) })
                output.append(leading + replacement + trailing)
                index += length
            } else {
                output.append(chunks[index])
                index += 1
            }
        }
        return output.joined(separator: " ")
    }
}
