import ChatProtocol
import HTTP1
import HTTPServer
import JSON
import Testing

@testable import PersonaServer

@Suite("OpenAI wire format and API errors")
struct APIWireTests {
    let identity = OpenAIWire.Identity(id: "chatcmpl-1", created: 1_700_000_000, model: "echo")

    func parse(_ bytes: [UInt8]) throws -> JSONValue { try JSONParser().parse(bytes) }

    @Test("a content chunk carries id, object, created, model, index 0 and finish_reason null")
    func contentChunk() throws {
        let chunk = try parse(OpenAIWire.chunk(identity, .content("hi"), usageNull: true))
        #expect(chunk["id"] == "chatcmpl-1" && chunk["object"] == "chat.completion.chunk")
        #expect(chunk["created"] == .integer(1_700_000_000) && chunk["model"] == "echo")
        let choice = try #require(chunk["choices"]?[0])
        #expect(choice["index"] == .integer(0) && choice["delta"]?["content"] == "hi")
        #expect(choice["finish_reason"] == .null && chunk["usage"] == .null)
        let plain = try parse(OpenAIWire.chunk(identity, .content("hi"), usageNull: false))
        #expect(plain["usage"] == nil)
    }

    @Test(
        "the per-completion content template writes exactly what the general chunk writer does",
        arguments: ["hi", "", "quote \" back\\slash\nnew\u{1}line é😀", "\u{1}"])
    func template(text: String) {
        for usageNull in [true, false] {
            let template = OpenAIWire.ContentChunkTemplate(identity, usageNull: usageNull)
            let expected = Array("data: ".utf8) + OpenAIWire.chunk(identity, .content(text), usageNull: usageNull) + [10, 10]
            #expect(template.event(text) == expected)
        }
    }

    @Test("the role and finish events cut from the template are exactly what the general chunk writer does")
    func roleAndFinishFromTemplate() {
        for usageNull in [true, false] {
            let template = OpenAIWire.ContentChunkTemplate(identity, usageNull: usageNull)
            var role: [UInt8] = []
            template.appendRoleEvent(to: &role)
            #expect(role == Array("data: ".utf8) + OpenAIWire.chunk(identity, .role, usageNull: usageNull) + [10, 10])
            for reason in ["stop", "length", "content_filter"] {
                var finish: [UInt8] = []
                template.appendFinishEvent(reason, to: &finish)
                let expected = OpenAIWire.chunk(identity, .finish(reason), usageNull: usageNull)
                #expect(finish == Array("data: ".utf8) + expected + [10, 10], "\(reason), usage null \(usageNull)")
            }
        }
    }

    @Test("the finish chunk has an empty delta; the usage chunk has choices [] and the totals")
    func finishAndUsage() throws {
        let finish = try parse(OpenAIWire.chunk(identity, .finish("length"), usageNull: false))
        #expect(finish["choices"]?[0]?["delta"] == .object([:]) && finish["choices"]?[0]?["finish_reason"] == "length")
        let usage = try parse(OpenAIWire.usageChunk(identity, usage: OpenAIWire.Usage(prompt: 3, completion: 4)))
        #expect(usage["choices"] == .array([]) && usage["usage"]?["total_tokens"] == .integer(7))
    }

    @Test("errors: the OpenAI shape has all four keys; 429 carries whole-second Retry-After, at least 1")
    func errors() throws {
        let error = APIError(
            ErrorReport(code: .rateLimited, message: "slow down", retryAfterMilliseconds: 1_001))
        let response = error.openAIResponse()
        #expect(response.status.code == 429)
        #expect(response.headers["Retry-After"] == "2" && response.headers["retry-after-ms"] == "1001")
        #expect(response.headers["x-should-retry"] == "true" && response.headers["x-ratelimit-remaining-requests"] == "0")
        let body = try parse(response.body)
        #expect(body["error"]?["type"] == "rate_limit_error" && body["error"]?["param"] == .null)
        #expect(body["error"]?["code"] == "rate_limited" && body["error"]?["message"] == "slow down")
        let short = APIError(ErrorReport(code: .rateLimited, message: "x", retryAfterMilliseconds: 10)).retryHeaders()
        #expect(short["Retry-After"] == "1")
    }

    @Test(
        "hub error codes map to HTTP statuses",
        arguments: [
            (ErrorCode.invalidField, 400), (.unknownPersonality, 404), (.busy, 409), (.rateLimited, 429),
            (.limitReached, 429), (.shuttingDown, 503), (.internal, 500), (.messageTooLarge, 400),
        ])
    func statuses(code: ErrorCode, status: Int) {
        #expect(APIError(ErrorReport(code: code, message: "m")).status == status)
    }

    @Test("a used-up limit or a wait over two minutes tells SDKs not to retry")
    func notRetryable() {
        #expect(APIError(ErrorReport(code: .limitReached, message: "m")).retryHeaders()["x-should-retry"] == "false")
        let long = APIError(ErrorReport(code: .rateLimited, message: "m", retryAfterMilliseconds: 120_001))
        #expect(long.retryHeaders()["x-should-retry"] == "false")
    }

    @Test("CORS: only listed origins are allowed; '*' allows any without Vary")
    func cors() {
        let policy = CORSPolicy(origins: ["https://a.example"])
        #expect(policy.allowedOrigin("https://a.example") == "https://a.example")
        #expect(policy.allowedOrigin("https://b.example") == nil)
        #expect(CORSPolicy(origins: ["*"]).allowedOrigin("https://b.example") == "*")
        #expect(CORSPolicy(origins: []).allowedOrigin("https://a.example") == nil)
    }
}
