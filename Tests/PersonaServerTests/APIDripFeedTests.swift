import Foundation
import JSON
import PersonaServer
import PersonaTestSupport
import Personality
import Reactor
import Testing

@Suite("HTTP API request bodies arriving in pieces")
struct APIDripFeedTests {
    let fixtures = PersonaBinary.packageRoot.appendingPathComponent("Tests/PersonaTests/Fixtures/api").path

    /// The status line and the reply text of one chat completion sent in `pieces`.
    func complete(port: Int, pieces: [[UInt8]]) throws -> (status: String, content: String?) {
        let client = BlockingClient(port: port)
        for piece in pieces { client.send(piece) }
        let response = String(decoding: client.receiveUntilClose(), as: UTF8.self)
        let status = response.range(of: "\r\n").map { String(response[..<$0.lowerBound]) } ?? response
        guard let split = response.range(of: "\r\n\r\n") else { return (status, nil) }
        let body = try JSONParser().parse(String(response[split.upperBound...]))
        return (status, body["choices"]?[0]?["message"]?["content"]?.stringValue)
    }

    @Test("a chat completion whose request arrives whole, byte by byte or split at any index is answered the same")
    func dripFeed() throws {
        let snapshot = try RegistryLoader(personalities: fixtures).load().snapshot
        let group = try EventLoopGroup(loops: 1)
        defer { group.shutdown() }
        var configuration = ChatServerConfiguration()
        configuration.connectionRateLimit = nil
        let server = ChatServer(configuration: configuration, snapshot: snapshot, group: group)
        let port = try server.start(at: SocketAddress(host: "127.0.0.1", port: 0)).port
        defer { server.shutdown() }
        let body = #"{"model":"echo","messages":[{"role":"user","content":"my name is Zoë"},{"role":"user","content":"what is my name"}]}"#
        let request = Array(
            ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n" + body).utf8)
        for pieces in DripFeed.splits(of: request) {
            let (status, content) = try complete(port: port, pieces: pieces)
            #expect(status == "HTTP/1.1 200 OK" && content == "your name is Zoë", "\(pieces.count) pieces: \(status)")
        }
    }
}
