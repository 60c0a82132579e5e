/// Ways to cut one input into chunks, so a parser can be shown to give the same output
/// whether its input arrives whole, byte by byte, or split at any index.
public enum DripFeed {
    /// The input whole, byte by byte, and split in two at every index.
    public static func splits(of bytes: [UInt8]) -> [[[UInt8]]] {
        var result: [[[UInt8]]] = [[bytes], bytes.map { [$0] }]
        if bytes.count > 1 {
            for index in 1..<bytes.count {
                result.append([Array(bytes[..<index]), Array(bytes[index...])])
            }
        }
        return result
    }

    /// The input cut into random-length chunks (1...maxChunk bytes) by a seeded generator.
    public static func randomChunks(
        of bytes: [UInt8], maxChunk: Int, using generator: inout SeededGenerator
    ) -> [[UInt8]] {
        var chunks: [[UInt8]] = []
        var index = 0
        while index < bytes.count {
            let length = Int.random(in: 1...max(1, maxChunk), using: &generator)
            let end = min(bytes.count, index + length)
            chunks.append(Array(bytes[index..<end]))
            index = end
        }
        return chunks
    }
}
