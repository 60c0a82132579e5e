import ChatProtocol
import Dispatch
import Foundation
import HTTP1
import HTTPServer
import Observability
import PersonaRuntime
import PersonaServer
import PersonaTestSupport
import Personality
import Reactor
import Testing

@Suite("Connection ids and the connection gauge across loops")
struct ChatServerGaugeTests {
    let fixtures = PersonaBinary.packageRoot.appendingPathComponent("Tests/PersonaTests/Fixtures/chat").path

    @Test("sixteen connections spread over two loops get sixteen different connection ids")
    func uniqueConnectionIDs() throws {
        let snapshot = try RegistryLoader(personalities: fixtures).load().snapshot
        let group = try EventLoopGroup(loops: 2)
        defer { group.shutdown() }
        let clients = try EventLoopGroup(loops: 1)
        defer { clients.shutdown() }
        let server = ChatServer(snapshot: snapshot, group: group)
        defer { server.shutdown() }
        let port = try server.start(at: SocketAddress(host: "127.0.0.1", port: 0)).port
        var ids: [String] = []
        var open: [ChatTestClient] = []
        for _ in 0..<16 {
            let client = try ChatTestClient(port: port, loop: clients.loops[0])
            open.append(client)
            guard case .welcome(let connection, _, _, _) = client.until({ $0.type == "welcome" })?.last else {
                Issue.record("no welcome")
                return
            }
            ids.append(connection)
        }
        #expect(Set(ids).count == 16, "ids: \(ids)")
        for client in open { client.close() }
    }

    @Test("persona_connections counts chat and echo WebSockets, not the HTTP connection scraping /metrics")
    func gaugeIgnoresTheScrape() throws {
        let snapshot = try RegistryLoader(personalities: fixtures).load().snapshot
        let operations = try ServerOperations(
            configuration: ServerOperations.Configuration(
                adminAddress: SocketAddress(host: "127.0.0.1", port: 0), adminToken: "gauge-test-token"),
            registry: Registry(snapshot), loading: { (snapshot, []) },
            logger: Logger(label: "persona", sink: MemoryLogSink(), clock: FixedLogClock()))
        let group = try EventLoopGroup(loops: 2)
        defer { group.shutdown() }
        let clients = try EventLoopGroup(loops: 1)
        defer { clients.shutdown() }
        let server = ChatServer(snapshot: snapshot, group: group) { router in
            router.webSocket("/v1/echo") { _ in operations.webSockets.counting(WebSocketEchoHandler()) }
            operations.addPublicRoutes(&router)
        }
        defer { server.shutdown() }
        operations.attach(server)
        let port = try server.start(at: SocketAddress(host: "127.0.0.1", port: 0)).port
        let chat = try (0..<2).map { _ in try ChatTestClient(port: port, loop: clients.loops[0]) }
        for client in chat { #expect(client.until { $0.type == "welcome" } != nil) }
        let echo = try ChatTestClient(port: port, loop: clients.loops[0], path: "/v1/echo")
        #expect(echo.waitOpen())
        let url = try HTTPClientURL(parsing: "http://127.0.0.1:\(port)")
        func gauge() throws -> Int? {
            let text = try HTTPClient.perform(method: .get, url: url, path: "/metrics").text
            let line = text.split(separator: "\n").first { $0.hasPrefix("persona_connections ") }
            return line.flatMap { Int($0.split(separator: " ")[1]) }
        }
        #expect(try gauge() == 3)
        for client in chat + [echo] {
            client.close()
            _ = client.closeCode()
        }
        // The server learns of each close a moment after the client does.
        let deadline = Date().addingTimeInterval(5)
        var last = try gauge()
        while last != 0, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            last = try gauge()
        }
        #expect(last == 0)
    }
}
