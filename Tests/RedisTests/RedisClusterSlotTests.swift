import Redis
import Testing

@Suite("Redis Cluster slots")
struct RedisClusterSlotTests {
    @Test("CRC16 is the XMODEM variant the cluster specification names (check value 0x31C3)")
    func checkValue() {
        #expect(RedisClusterSlot.crc16(Array("123456789".utf8)[...]) == 0x31C3)
    }

    @Test(
        "maps keys to the slots Redis gives them",
        arguments: [("foo", 12182), ("bar", 5061), ("hello", 866), ("", 0)])
    func knownSlots(key: String, slot: Int) {
        #expect(RedisClusterSlot.slot(of: key) == slot)
    }

    @Test("hashes only the hash tag, so tagged keys share a slot")
    func hashTags() {
        #expect(RedisClusterSlot.slot(of: "{user1000}.following") == RedisClusterSlot.slot(of: "{user1000}.followers"))
        #expect(RedisClusterSlot.slot(of: "{user1000}.following") == RedisClusterSlot.slot(of: "user1000"))
        // The specification's edge cases: an empty tag hashes the whole key; the first '}' after
        // the first '{' ends the tag.
        #expect(RedisClusterSlot.hashedPart(of: Array("foo{}{bar}".utf8)) == Array("foo{}{bar}".utf8)[...])
        #expect(Array(RedisClusterSlot.hashedPart(of: Array("foo{{bar}}zap".utf8))) == Array("{bar".utf8))
        #expect(Array(RedisClusterSlot.hashedPart(of: Array("foo{bar}{zap}".utf8))) == Array("bar".utf8))
        #expect(Array(RedisClusterSlot.hashedPart(of: Array("foo{bar".utf8))) == Array("foo{bar".utf8))
    }

    @Test("reads MOVED and ASK redirections and nothing else")
    func redirects() {
        #expect(RedisRedirect(errorMessage: "MOVED 3999 127.0.0.1:6381") == redirect(.moved, 3999, "127.0.0.1", 6381))
        #expect(RedisRedirect(errorMessage: "ASK 16383 [::1]:7000") == redirect(.ask, 16383, "::1", 7000))
        #expect(RedisRedirect(errorMessage: "MOVED 3999 :6381") == redirect(.moved, 3999, "", 6381))
        #expect(RedisRedirect(errorMessage: "MOVED 16384 127.0.0.1:6381") == nil)
        #expect(RedisRedirect(errorMessage: "ERR unknown command") == nil)
        #expect(RedisRedirect(errorMessage: "MOVED 1 host:0") == nil)
    }

    private func redirect(_ kind: RedisRedirect.Kind, _ slot: Int, _ host: String, _ port: Int) -> RedisRedirect? {
        var value = RedisRedirect(errorMessage: "MOVED 0 a:1")!
        value.kind = kind
        value.slot = slot
        value.host = host
        value.port = port
        return value
    }
}
