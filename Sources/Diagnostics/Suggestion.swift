/// "Did you mean …?" — the nearest known word to a misspelt one.
///
/// Uses the optimal-string-alignment edit distance (Levenshtein plus adjacent
/// transpositions), so `greting`, `geeting` and `gretting` all find `greeting`.
public enum Suggestion {
    /// The candidate closest to `word`, or `nil` when none is close enough to be a likely typo.
    ///
    /// A candidate qualifies when its distance is at most a third of the longer word's length
    /// (at least 1, at most 3). Ties go to the candidate listed first, so callers control
    /// preference by order.
    public static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
        let lowered = word.lowercased()
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let limit = min(3, max(1, max(lowered.count, candidate.count) / 3))
            let distance = editDistance(lowered, candidate.lowercased())
            guard distance <= limit, distance < (best?.distance ?? Int.max) else { continue }
            best = (candidate, distance)
        }
        return best?.candidate
    }

    /// Optimal string alignment distance between two strings, counted in Unicode scalars.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }

    /// `did you mean 'x'?` for a near miss, or an empty string.
    public static func didYouMean(_ word: String, among candidates: some Sequence<String>) -> String {
        guard let match = closest(to: word, among: candidates) else { return "" }
        return "did you mean '\(match)'?"
    }
}
