import Foundation
import PersonaTestSupport
import Testing

/// The live /v1/echo endpoint against a hand-driven client that breaks the rules.
@Suite("persona serve /v1/echo (raw socket)")
struct EchoRawTests {
    @Test(
        "refuses a bad handshake",
        arguments: [
            ("Sec-WebSocket-Version", "12", 426),
            ("Sec-WebSocket-Key", nil, 400),
            ("Sec-WebSocket-Key", "short", 400),
        ] as [(String, String?, Int)])
    func badHandshake(field: String, value: String?, status: Int) throws {
        let server = try ServeProcess()
        let client = BlockingClient(port: server.port)
        let answer = client.upgrade([field: value])
        #expect(answer.status == status)
        if status == 426 { #expect(answer.head.contains("Sec-WebSocket-Version: 13\r\n")) }
    }

    @Test("closes with 1002 on an unmasked client frame")
    func unmasked() throws {
        let server = try ServeProcess()
        let client = BlockingClient(port: server.port)
        #expect(client.upgrade().status == 101)
        client.sendFrame(opcode: 1, Array("hi".utf8), masked: false)
        #expect(BlockingClient.closeCode(client.readFrame()) == 1002)
    }

    @Test("closes with 1007 on invalid UTF-8 in a text message")
    func invalidUTF8() throws {
        let server = try ServeProcess()
        let client = BlockingClient(port: server.port)
        #expect(client.upgrade().status == 101)
        client.sendFrame(opcode: 1, [0xF0, 0x28, 0x8C, 0x28])
        #expect(BlockingClient.closeCode(client.readFrame()) == 1007)
    }

    @Test(
        "echoes a message at --max-message-bytes and closes with 1009 one byte past it",
        arguments: [(4096, true), (4097, false)])
    func messageLimit(size: Int, accepted: Bool) throws {
        let server = try ServeProcess(["--max-message-bytes", "4096"])
        let client = BlockingClient(port: server.port)
        #expect(client.upgrade().status == 101)
        client.sendFrame(opcode: 2, [UInt8](repeating: 0x5A, count: size))
        let frame = client.readFrame()
        if accepted {
            #expect(frame?.opcode == 2)
            #expect(frame?.payload.count == size)
        } else {
            #expect(BlockingClient.closeCode(frame) == 1009)
        }
    }
}
