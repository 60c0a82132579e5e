import Engines

/// Cuts a reply into tokens exactly as ``Engines/Tokenizer`` does, with a byte-level fast path
/// for ASCII text.
///
/// Why: measured with the hub benchmark, `Tokenizer`'s per-`Character` property lookups were
/// the largest single cost of a reply at cadence 0. For ASCII the classes are plain byte
/// ranges — letters and digits form words (with an apostrophe between two word bytes), the six
/// ASCII whitespace bytes form space runs (`\r\n` is one `Character` but both bytes are
/// whitespace, so runs agree), every other byte stands alone — so the result is identical
/// (a test checks it against `Tokenizer` on random ASCII). Anything else goes to `Tokenizer`.
package enum ReplyTokenizer {
    /// The tokens of `text`, in order; joined they give `text` back.
    package static func tokens(of text: String) -> [String] {
        var text = text
        let fast: [String]? = text.withUTF8 { bytes in
            var tokens: [String] = []
            tokens.reserveCapacity(bytes.count / 3 + 1)
            var start = 0
            var currentKind: UInt8 = 0  // 0 none, 1 word, 2 space, 3 other
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x80 else { return nil }
                var kind = classify(byte)
                if kind == 3, byte == UInt8(ascii: "'"), currentKind == 1, index + 1 < bytes.count,
                    classify(bytes[index + 1]) == 1
                {
                    kind = 1
                }
                if kind == currentKind, kind != 3 { continue }
                if index > start {
                    tokens.append(
                        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                }
                start = index
                currentKind = kind
            }
            if bytes.count > start {
                tokens.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
            }
            return tokens
        }
        return fast ?? Tokenizer.tokens(of: text)
    }

    private static func classify(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            1
        case 0x09...0x0D, 0x20: 2
        default: 3
        }
    }
}
