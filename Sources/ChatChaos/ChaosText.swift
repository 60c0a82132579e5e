/// Message texts for the chaos model: from the empty string to one past the input limit, in
/// scripts and shapes that break naive code — emoji (with ZWJ sequences and skin tones),
/// combining marks, right-to-left text, mixed.
///
/// Texts meant to be relayed carry a tag (`~abc~`, letters only) so the checker can tell
/// whose message a partner received.
public enum ChaosText {
    /// One grapheme each (a Swift `Character`), so a repetition's length is exact.
    static let graphemes = [
        "a", "Z", "é", "e\u{301}", "ñ", "ß", "日", "😀", "👩‍👩‍👧", "👍🏽", "🇩🇪", "ש", "ع", "ﷺ", "Ω", "क्षि",
        "a\u{301}\u{316}\u{35C}",
    ]
    static let words = [
        "hello", "count", "my name is Ivy", "what is my name", "hi there", "שלום עולם", "مرحبا بالعالم",
        "naïve café", "zalgo z\u{301}\u{316}a\u{35C}", "emoji 😀👍🏽🇩🇪", "mixed עברית and English",
        "\u{202E}reversed\u{202C}", "tab\tand\nnewline", "quote \" and backslash \\",
    ]

    /// A random text: empty, a phrase, a grapheme soup, or exactly `limit` / `limit + 1`
    /// characters for one of `limits`.
    public static func random(tag: String, limits: [Int], using random: inout ChaosGenerator) -> String {
        let roll = Int.random(in: 0..<100, using: &random)
        switch roll {
        case 0..<3:
            return ""
        case 3..<10:
            let limit = limits.randomElement(using: &random) ?? 50
            let grapheme = graphemes.randomElement(using: &random)!
            let extra = Bool.random(using: &random) ? 1 : 0
            return String(repeating: grapheme, count: limit + extra)
        case 10..<30:
            let count = Int.random(in: 1...12, using: &random)
            let soup = (0..<count).map { _ in graphemes.randomElement(using: &random)! }.joined()
            return "~\(tag)~ " + soup
        default:
            return "~\(tag)~ " + words.randomElement(using: &random)!
        }
    }

    /// The tag in a relayed text, if it carries one.
    public static func tag(in text: String) -> String? {
        guard text.hasPrefix("~"), let close = text.dropFirst().firstIndex(of: "~") else { return nil }
        return String(text[text.index(after: text.startIndex)..<close])
    }

    /// A short letters-only tag for the number `n`.
    public static func tag(_ n: Int) -> String {
        var n = n
        var letters: [Character] = []
        repeat {
            letters.append(Character(UnicodeScalar(UInt8(97 + n % 26))))
            n /= 26
        } while n > 0
        return String(letters)
    }
}
