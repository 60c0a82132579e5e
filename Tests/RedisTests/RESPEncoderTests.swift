import Redis
import Testing

@Suite("RESP encoder")
struct RESPEncoderTests {
    @Test("writes a command as an array of bulk strings, binary-safe")
    func command() {
        let bytes = RESPEncoder.command([Array("SET".utf8), Array("k".utf8), [0, 13, 10, 255]])
        #expect(bytes == Array("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\n".utf8) + [0, 13, 10, 255, 13, 10])
    }

    @Test("writes null as _ in RESP3 and $-1 in RESP2")
    func nullSpelling() {
        #expect(RESPEncoder.encode(.null, version: .resp3) == Array("_\r\n".utf8))
        #expect(RESPEncoder.encode(.null, version: .resp2) == Array("$-1\r\n".utf8))
    }

    @Test("writes doubles so they parse back exactly, infinities spelled out")
    func doubles() throws {
        for number in [0.1, -2.5e-300, 1e300, 123_456.789, Double.infinity, -Double.infinity] {
            #expect(try RESPParser.parseAll(RESPEncoder.encode(.double(number))) == [.double(number)])
        }
        #expect(RESPEncoder.encode(.double(.nan)) == Array(",nan\r\n".utf8))
    }
}
