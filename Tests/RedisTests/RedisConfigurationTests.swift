import Redis
import Testing

@Suite("Redis configuration")
struct RedisConfigurationTests {
    @Test("reads host, port, user, password, database and TLS from a URL")
    func fullURL() throws {
        let configuration = try RedisConfiguration(url: "rediss://alice:p%40ss%3Aword@cache.example:6380/3")
        #expect(configuration.host == "cache.example")
        #expect(configuration.port == 6380)
        #expect(configuration.username == "alice")
        #expect(configuration.password == "p@ss:word")
        #expect(configuration.database == 3)
        #expect(configuration.usesTLS)
        #expect(configuration.redactedURL == "rediss://alice:***@cache.example:6380/3")
    }

    @Test("fills in the defaults a short URL leaves out")
    func defaults() throws {
        let configuration = try RedisConfiguration(url: "redis://127.0.0.1")
        #expect(configuration.port == 6379)
        #expect(configuration.username == nil && configuration.password == nil)
        #expect(configuration.database == 0 && !configuration.usesTLS)
        #expect(configuration.protocolVersion == .resp3)
    }

    @Test("reads a password without a user, and a bracketed IPv6 host")
    func passwordAndIPv6() throws {
        let onlyPassword = try RedisConfiguration(url: "redis://:secret@[::1]:7000/")
        #expect(onlyPassword.username == nil && onlyPassword.password == "secret")
        #expect(onlyPassword.host == "::1" && onlyPassword.port == 7000)
        #expect(try RedisConfiguration(url: "redis://secret@h").password == "secret")
    }

    @Test(
        "refuses URLs it cannot read faithfully",
        arguments: [
            "http://h:6379", "redis://", "redis://h:0", "redis://h:65536", "redis://h:x", "redis://h/db",
            "redis://h/-1", "redis://h?timeout=1", "redis://[::1", "redis://a:%zz@h",
        ])
    func invalid(url: String) {
        #expect(throws: RedisError.self) { try RedisConfiguration(url: url) }
    }
}
