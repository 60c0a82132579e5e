import Foundation

extension ResponseCacheKey {
    /// The form inputs are compared in, so trivially different spellings share a reply.
    ///
    /// Steps, in order:
    /// 1. Unicode NFKC (compatibility composition): full-width letters and digits, ligatures
    ///    and other compatibility forms become their plain equivalents (`ＨＩ` → `HI`).
    /// 2. Case folding via Unicode full lowercase mapping (`String.lowercased()`), so `Hello`
    ///    and `HELLO` match. This is "NFKC-ish casefold": it does not apply the few special
    ///    case-fold expansions that differ from lowercasing (`ß` stays `ß`), a deliberate
    ///    approximation because those inputs rarely differ only by that.
    /// 3. Default-ignorable format characters (zero-width space/joiners, BOM, soft hyphen)
    ///    are removed.
    /// 4. Every run of whitespace (any Unicode White_Space, including NBSP) becomes one space;
    ///    leading and trailing whitespace is dropped.
    ///
    /// Punctuation is kept: "hi!" and "hi?" may deserve different replies.
    public static func normalize(_ input: String) -> String {
        let isASCII = input.utf8.allSatisfy { $0 < 0x80 }
        let folded =
            isASCII ? input.lowercased() : input.precomposedStringWithCompatibilityMapping.lowercased()
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in folded.unicodeScalars {
            switch scalar.value {
            case 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD: continue
            default: break
            }
            if scalar.properties.isWhitespace {
                pendingSpace = !scalars.isEmpty
                continue
            }
            if pendingSpace {
                scalars.append(" ")
                pendingSpace = false
            }
            scalars.append(scalar)
        }
        return String(scalars)
    }
}
