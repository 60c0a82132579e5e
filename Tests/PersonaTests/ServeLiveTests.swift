import Foundation
import PersonaTestSupport
import Testing

@Suite("persona serve (live binary)")
struct ServeLiveTests {
    @Test("prints its bound address first and answers /health with 200 JSON")
    func health() throws {
        let server = try ServeProcess()
        let client = BlockingClient(port: server.port)
        client.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        let response = String(decoding: client.receiveUntilClose(), as: UTF8.self)
        #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(response.contains("Content-Type: application/json"))
        #expect(response.hasSuffix("\r\n\r\n{\"status\":\"ok\"}"))
    }

    @Test("takes its address from PERSONA_HOST and PERSONA_PORT")
    func environment() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["PERSONA_HOST"] = "127.0.0.1"
        environment["PERSONA_PORT"] = "0"
        let server = try ServeProcess(environment: environment, portFlag: false)
        #expect(server.port > 0)
        let client = BlockingClient(port: server.port)
        client.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(String(decoding: client.receiveUntilClose(), as: UTF8.self).hasPrefix("HTTP/1.1 200"))
    }

    @Test("fails with a message naming the address when the port is taken")
    func portInUse() throws {
        let first = try ServeProcess()
        let result = try ProcessResult.persona(
            ["serve", "--port", String(first.port), "--store", "memory", "--data-dir", first.dataDirectory])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot listen on 127.0.0.1:\(first.port)"))
    }

    @Test("a taken admin port fails the command before it says it is listening")
    func adminPortInUse() throws {
        let first = try ServeProcess()
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("persona-admin-taken-\(UUID())")
        defer { try? FileManager.default.removeItem(at: data) }
        let result = try ProcessResult.persona([
            "serve", "--port", "0", "--admin-port", String(first.port), "--data-dir", data.path,
        ])
        #expect(result.status == 1)
        #expect(!result.stdout.contains("listening"), "\(result.stdout)")
        #expect(result.stderr.contains("cannot start the admin API on 127.0.0.1:\(first.port)"), "\(result.stderr)")
    }

    @Test("drains on SIGTERM: an open WebSocket gets 1001 and the process exits 0")
    func gracefulSIGTERM() throws {
        let server = try ServeProcess()
        let client = BlockingClient(port: server.port)
        #expect(client.upgrade().status == 101)
        server.process.terminate()
        let frame = client.readFrame()
        #expect(BlockingClient.closeCode(frame) == 1001)
        client.sendFrame(opcode: 8, [0x03, 0xE9])
        #expect(server.stop() == 0)
        #expect(server.standardError().contains("draining"))
    }

    @Test("answers a slow sender with 408 once the header-read timeout passes")
    func slowSender() throws {
        let server = try ServeProcess(["--header-read-timeout", "0.2"])
        let client = BlockingClient(port: server.port)
        client.send("GET /health HTTP/1.1\r\n")
        client.send("Host: 127")
        let response = String(decoding: client.receiveUntilClose(), as: UTF8.self)
        #expect(response.hasPrefix("HTTP/1.1 408"))
        #expect(response.contains("\"request_timeout\""))
    }

    @Test("refuses a request-smuggling attempt with 400 and never runs the hidden request")
    func smuggling() throws {
        let server = try ServeProcess()
        let client = BlockingClient(port: server.port)
        client.send(
            "POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n"
                + "0\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = String(decoding: client.receiveUntilClose(), as: UTF8.self)
        #expect(response.hasPrefix("HTTP/1.1 400"))
        #expect(!response.contains("\"status\":\"ok\""))
    }
}
