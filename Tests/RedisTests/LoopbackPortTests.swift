import PersonaTestSupport
import Testing

/// The ports live tests restart their servers on.
@Suite("Loopback ports for restartable test servers")
struct LoopbackPortTests {
    @Test("are handed out below the kernel's ephemeral range and never twice in one process")
    func belowTheEphemeralRangeAndUnique() throws {
        let ports = try (0..<50).map { _ in try LoopbackPort.reserve() }
        #expect(Set(ports).count == ports.count, "\(ports)")
        #expect(ports.allSatisfy { (20_000..<32_768).contains($0) }, "\(ports)")
    }

    @Test("a restarted server comes back on its own port and is the one answering there")
    func restartOnTheSamePort() throws {
        let server = try RedisServerProcess()
        let first = try #require(server.pid)
        server.kill()
        #expect(server.pid == nil)
        try server.start()
        let second = try #require(server.pid)
        #expect(second != first)
        #expect(RedisServerProcess.processID(servingPort: server.port) == second)
    }
}
