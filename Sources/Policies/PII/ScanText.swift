/// The byte view detectors run on, with a map back to the original UTF-8 offsets.
///
/// Normalisation exists so that look-alike characters cannot smuggle an entity past ASCII
/// detectors: full-width forms (U+FF01–FF5E, e.g. `４１１１`, `＠`) become ASCII, the Unicode
/// spaces (NBSP, U+2000–200A, U+202F, U+205F, U+3000) become a space, Unicode hyphens and
/// minus (U+2010–2015, U+2212) become `-`, and invisible characters (zero-width space and
/// joiners U+200B–200D, word joiner U+2060, BOM U+FEFF, soft hyphen U+00AD) are dropped.
/// Every other byte is copied. Findings are mapped back, so offsets always refer to the
/// original text. Pure-ASCII input (the common case) skips all of this.
struct ScanText {
    /// Normalised bytes.
    var bytes: [UInt8] = []
    /// `originalOffsets[i]` is the original byte offset of normalised byte `i`; one extra
    /// element holds the original length.
    var originalOffsets: [Int32] = []

    /// Normalises `original` (which must contain at least one non-ASCII byte).
    init(normalizing original: UnsafeBufferPointer<UInt8>) {
        bytes.reserveCapacity(original.count)
        originalOffsets.reserveCapacity(original.count + 1)
        var index = 0
        let count = original.count
        while index < count {
            let lead = original[index]
            let offset = Int32(index)
            if lead < 0x80 {
                bytes.append(lead)
                originalOffsets.append(offset)
                index += 1
                continue
            }
            let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
            guard index + length <= count else {
                bytes.append(lead)
                originalOffsets.append(offset)
                index += 1
                continue
            }
            var replacement: UInt8? = nil
            var drop = false
            if length == 2 {
                let second = original[index + 1]
                if lead == 0xC2 && second == 0xA0 { replacement = 0x20 }  // NBSP
                if lead == 0xC2 && second == 0xAD { drop = true }  // soft hyphen
            } else if length == 3 {
                let second = original[index + 1]
                let third = original[index + 2]
                switch (lead, second) {
                case (0xEF, 0xBC) where third >= 0x81:  // U+FF01–FF3F
                    replacement = (third & 0x3F) + 0x20
                case (0xEF, 0xBD) where third <= 0x9E:  // U+FF40–FF5E
                    replacement = (third & 0x3F) + 0x60
                case (0xEF, 0xBB) where third == 0xBF: drop = true  // BOM
                case (0xE2, 0x80):
                    switch third {
                    case 0x80...0x8A, 0xAF: replacement = 0x20
                    case 0x8B...0x8D: drop = true
                    case 0x90...0x95: replacement = 0x2D
                    default: break
                    }
                case (0xE2, 0x81):
                    if third == 0x9F { replacement = 0x20 }
                    if third == 0xA0 { drop = true }
                case (0xE2, 0x88) where third == 0x92: replacement = 0x2D  // minus sign
                case (0xE3, 0x80) where third == 0x80: replacement = 0x20  // ideographic space
                default: break
                }
            }
            if drop {
                index += length
                continue
            }
            if let replacement {
                bytes.append(replacement)
                originalOffsets.append(offset)
            } else {
                for k in 0..<length {
                    bytes.append(original[index + k])
                    originalOffsets.append(offset + Int32(k))
                }
            }
            index += length
        }
        originalOffsets.append(Int32(count))
    }
}
