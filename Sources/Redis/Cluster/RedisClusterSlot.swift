/// Redis Cluster key slots (https://redis.io/docs/reference/cluster-spec/, "Key distribution
/// model"): `CRC16(key) mod 16384`, where CRC16 is the XMODEM variant (polynomial 0x1021, initial
/// value 0) and only the hash tag is hashed when the key has one — the bytes between the first
/// `{` and the first `}` after it, if not empty. Keys sharing a tag share a slot, which is how
/// every multi-key operation keeps its keys on one node.
public enum RedisClusterSlot {
    /// The number of slots.
    public static let count = 16_384

    /// The slot of `key`.
    public static func slot(of key: [UInt8]) -> Int {
        Int(crc16(hashedPart(of: key)[...]) % UInt16(count))
    }

    /// The slot of a text key.
    public static func slot(of key: String) -> Int {
        slot(of: Array(key.utf8))
    }

    /// The bytes that are hashed: the hash tag when there is a non-empty one, else the key.
    public static func hashedPart(of key: [UInt8]) -> ArraySlice<UInt8> {
        guard let open = key.firstIndex(of: UInt8(ascii: "{")),
            let close = key[(open + 1)...].firstIndex(of: UInt8(ascii: "}")),
            close > open + 1
        else { return key[...] }
        return key[(open + 1)..<close]
    }

    /// CRC16/XMODEM, bit by bit (keys are short; a table would be faster and is not needed yet).
    public static func crc16(_ bytes: ArraySlice<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc ^= UInt16(byte) << 8
            for _ in 0..<8 {
                crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1
            }
        }
        return crc
    }
}
