import ChatProtocol
import Foundation
import PersonaRuntime
import PersonaTestSupport
import Reactor
import Redis
import Synchronization
import Testing

@testable import PersonaServer

/// The shared queue's Lua scripts against a real `redis-server`, called the way a node calls
/// them (one `EVAL` each), from two connections standing for two nodes.
@Suite(
    "Shared match queue scripts (live redis-server)",
    .enabled(if: FileManager.default.isExecutableFile(atPath: RedisServerProcess.executable), "needs redis-server"))
struct SharedMatchQueueLiveTests {
    final class Link: Sendable {
        let server: RedisServerProcess
        let group: EventLoopGroup
        let clients: [LoopBound<RedisClient>]

        init() throws {
            server = try RedisServerProcess()
            group = try EventLoopGroup(loops: 1)
            let loop = group.loops[0]
            let configuration = try RedisConfiguration(url: "redis://127.0.0.1:\(server.port)")
            clients = try (0..<2).map { _ in LoopBound(try RedisClient(configuration: configuration, loop: loop), loop: loop) }
        }

        deinit { group.shutdown() }

        /// Sends every command (all in flight together, in order) and waits for every reply.
        func send(_ commands: [(client: Int, arguments: [String])]) throws -> [Result<RESPValue, RedisError>] {
            let replies = Mutex<[Int: Result<RESPValue, RedisError>]>([:])
            let waiter = Waiter()
            let clients = clients
            group.loops[0].execute {
                for (index, command) in commands.enumerated() {
                    let client = clients[command.client].value
                    client.start()
                    client.send(command.arguments) { result in
                        let done = replies.withLock {
                            $0[index] = result
                            return $0.count == commands.count
                        }
                        if done { waiter.signal() }
                    }
                }
            }
            guard waiter.wait(seconds: 5) else { throw RedisError.timeout(.seconds(5)) }
            return replies.withLock { dict in commands.indices.map { dict[$0]! } }
        }

        func one(_ client: Int, _ arguments: [String]) throws -> Result<RESPValue, RedisError> {
            try send([(client, arguments)])[0]
        }
    }

    static func ticket(
        _ node: String, hub: Int = 0, session: String, connection: UInt64 = 1, language: String? = nil,
        tags: [String] = [], tenant: String? = nil
    ) -> String {
        MatchTicketFields.encode(
            node: node,
            MatchTicket(
                address: PeerAddress(hub: hub, session: session), connection: ConnectionID(connection),
                filters: RandomFilters(language: language, tags: tags, tenant: tenant)))
    }

    static func claim(_ ticket: String, lifetime: Int = 60_000, max: Int = 100) -> [String] {
        ["EVAL", MatchTicketFields.claimOrWait, "1", "persona:match:queue", ticket, String(lifetime), String(max)]
    }

    static func withdraw(_ node: String, hub: Int = 0, session: String) -> [String] {
        ["EVAL", MatchTicketFields.withdraw, "1", "persona:match:queue", node, String(hub), session]
    }

    /// The session of the ticket a claim took, or nil when it waits.
    static func taken(_ result: Result<RESPValue, RedisError>) throws -> String? {
        guard let raw = try result.get().string else { return nil }
        return MatchTicketFields.owner(raw)?.session
    }

    @Test("two nodes claiming at the same instant never take the same waiting ticket")
    func atomicClaim() throws {
        let link = try Link()
        #expect(try Self.taken(link.one(0, Self.claim(Self.ticket("a", session: "w")))) == nil)
        let replies = try link.send([
            (0, Self.claim(Self.ticket("a", session: "x", connection: 2))),
            (1, Self.claim(Self.ticket("b", session: "y"))),
        ])
        let takers = try replies.map(Self.taken)
        #expect(takers.compactMap { $0 } == ["w"], "exactly one claim took w: \(takers)")
        #expect(try link.one(0, ["LLEN", "persona:match:queue"]).get().int == 1, "the other one waits")
    }

    @Test("tenants never meet, languages must agree, tags need one in common; a connection never meets itself")
    func filters() throws {
        let link = try Link()
        _ = try link.one(0, Self.claim(Self.ticket("a", session: "w", language: "de", tags: ["chess", "go"], tenant: "t1")))
        #expect(try Self.taken(link.one(1, Self.claim(Self.ticket("b", session: "t", language: "de", tags: ["go"], tenant: "t2")))) == nil)
        #expect(try Self.taken(link.one(1, Self.claim(Self.ticket("b", session: "l", language: "en", tags: ["go"], tenant: "t1")))) == nil)
        #expect(try Self.taken(link.one(1, Self.claim(Self.ticket("b", session: "g", language: "de", tags: ["poker"], tenant: "t1")))) == nil)
        #expect(try Self.taken(link.one(0, Self.claim(Self.ticket("a", session: "self", language: "de", tags: ["go"], tenant: "t1")))) == nil)
        #expect(try Self.taken(link.one(1, Self.claim(Self.ticket("b", session: "ok", tags: ["go"], tenant: "t1")))) == "w")
    }

    @Test("withdraw removes a waiting ticket once (1, then 0) and finds a claimed one gone (0)")
    func withdraw() throws {
        let link = try Link()
        _ = try link.one(0, Self.claim(Self.ticket("a", session: "w")))
        #expect(try link.one(0, Self.withdraw("a", session: "w")).get().int == 1)
        #expect(try link.one(0, Self.withdraw("a", session: "w")).get().int == 0)
        _ = try link.one(0, Self.claim(Self.ticket("a", session: "v")))
        #expect(try Self.taken(link.one(1, Self.claim(Self.ticket("b", session: "c")))) == "v")
        #expect(try link.one(0, Self.withdraw("a", session: "v")).get().int == 0)
    }

    @Test("an expired ticket is never claimed and is dropped by the next scan")
    func expiry() throws {
        let link = try Link()
        _ = try link.one(0, Self.claim(Self.ticket("a", session: "old"), lifetime: -1))
        #expect(try Self.taken(link.one(1, Self.claim(Self.ticket("b", session: "new")))) == nil)
        #expect(try link.one(0, ["LRANGE", "persona:match:queue", "0", "-1"]).get().elements?.count == 1)
        #expect(try link.one(0, Self.withdraw("a", session: "old")).get().int == 0)
    }

    @Test("the queue holds maxWaiting tickets; one more is refused with a typed error")
    func full() throws {
        let link = try Link()
        for index in 0..<3 {
            #expect(try Self.taken(link.one(0, Self.claim(Self.ticket("a", session: "s\(index)", tenant: "t\(index)"), max: 3))) == nil)
        }
        let refused = try link.one(0, Self.claim(Self.ticket("a", session: "s3", tenant: "t3"), max: 3))
        guard case .failure(.server(let message)) = refused else {
            Issue.record("\(refused)")
            return
        }
        #expect(message.contains("FULL"))
    }
}
