/// The text chunks of a PNG file (PNG specification, 3rd edition, §5.3 chunk layout, §11.3.3
/// tEXt, zTXt and iTXt), read without decoding the image.
///
/// Every chunk's length is checked against the file before it is read, and its CRC-32 (§5.5)
/// is verified, so a truncated or corrupted card fails with the offset of the bad chunk.
package struct PNGTextChunks {
    /// One text chunk.
    struct Chunk: Hashable {
        /// The keyword (Latin-1).
        var keyword: String
        /// The text bytes (Latin-1 for tEXt, UTF-8 for iTXt).
        var text: [UInt8]
        /// Whether the text is compressed (zTXt, or iTXt with its compression flag set).
        var compressed: Bool
        /// Where the chunk starts in the file.
        var offset: Int
    }

    /// The eight bytes every PNG file starts with (§5.2).
    package static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Whether `bytes` start like a PNG file.
    static func isPNG(_ bytes: [UInt8]) -> Bool { bytes.starts(with: signature) }

    /// The text chunks of `bytes`, in file order.
    static func read(_ bytes: [UInt8]) throws(CardImportError) -> [Chunk] {
        guard isPNG(bytes) else { throw .png("not a PNG file (bad signature)", offset: 0) }
        var chunks: [Chunk] = []
        var offset = signature.count
        while offset < bytes.count {
            guard bytes.count - offset >= 12 else { throw .png("truncated chunk header", offset: offset) }
            let length = Int(bigEndian(bytes, at: offset))
            let type = Array(bytes[(offset + 4)..<(offset + 8)])
            guard length <= bytes.count - offset - 12 else {
                throw .png(
                    "chunk '\(String(decoding: type, as: UTF8.self))' claims \(length) bytes, past the end of the file",
                    offset: offset)
            }
            let data = Array(bytes[(offset + 8)..<(offset + 8 + length)])
            let stored = bigEndian(bytes, at: offset + 8 + length)
            guard crc32(type + data) == stored else {
                throw .png("chunk '\(String(decoding: type, as: UTF8.self))' has a bad CRC", offset: offset)
            }
            switch String(decoding: type, as: UTF8.self) {
            case "tEXt": chunks.append(try textChunk(data, offset: offset))
            case "zTXt": chunks.append(try compressedTextChunk(data, offset: offset))
            case "iTXt": chunks.append(try internationalChunk(data, offset: offset))
            case "IEND": return chunks
            default: break
            }
            offset += 12 + length
        }
        throw .png("no IEND chunk: the file is truncated", offset: bytes.count)
    }

    private static func keyword(_ data: [UInt8], offset: Int) throws(CardImportError) -> (String, Int) {
        guard let zero = data.firstIndex(of: 0), (1...79).contains(zero) else {
            throw .png("text chunk without a valid keyword", offset: offset)
        }
        return (String(data[..<zero].map { Character(Unicode.Scalar($0)) }), zero + 1)
    }

    private static func textChunk(_ data: [UInt8], offset: Int) throws(CardImportError) -> Chunk {
        let (name, start) = try keyword(data, offset: offset)
        return Chunk(keyword: name, text: Array(data[start...]), compressed: false, offset: offset)
    }

    private static func compressedTextChunk(_ data: [UInt8], offset: Int) throws(CardImportError) -> Chunk {
        let (name, start) = try keyword(data, offset: offset)
        return Chunk(
            keyword: name, text: Array(data[min(start + 1, data.count)...]), compressed: true, offset: offset)
    }

    private static func internationalChunk(_ data: [UInt8], offset: Int) throws(CardImportError) -> Chunk {
        let (name, start) = try keyword(data, offset: offset)
        guard data.count >= start + 2 else { throw .png("truncated iTXt chunk", offset: offset) }
        let compressed = data[start] != 0
        var position = start + 2
        // Language tag and translated keyword, each ended by a NUL.
        for _ in 0..<2 {
            guard let zero = data[position...].firstIndex(of: 0) else {
                throw .png("truncated iTXt chunk", offset: offset)
            }
            position = zero + 1
        }
        return Chunk(keyword: name, text: Array(data[position...]), compressed: compressed, offset: offset)
    }

    private static func bigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }

    private static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    /// CRC-32 as PNG computes it (§5.5, ISO 3309).
    package static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    /// A PNG chunk with its length and CRC (for tests and sample cards).
    package static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        let length = UInt32(data.count)
        let crc = crc32(typeBytes + data)
        return [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: length >> $0) } + typeBytes + data
            + [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: crc >> $0) }
    }
}
