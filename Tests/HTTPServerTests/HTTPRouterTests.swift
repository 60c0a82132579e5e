import HTTP1
import HTTPServer
import Reactor
import Testing

@Suite("HTTPRouter")
struct HTTPRouterTests {
    private func body(_ result: HTTPHandlerResult) -> String? {
        guard case .response(let response) = result else { return nil }
        return String(decoding: response.body, as: UTF8.self)
    }

    @Test("routes added from another router run through the wrapper, keep their order, parameters and 405s")
    func addWrapping() throws {
        let group = try EventLoopGroup(loops: 1)
        defer { group.shutdown() }
        var inner = HTTPRouter()
        inner.get("/v1/items/:id") { request in .response(HTTPResponse(status: .ok, body: Array("item \(request.pathParameters["id"] ?? "")".utf8))) }
        inner.get("/v1/items/*") { _ in .response(HTTPResponse(status: .ok, body: Array("rest".utf8))) }
        var outer = HTTPRouter()
        outer.add(inner) { handler in
            { request in
                guard case .response(var response) = handler(request) else { return handler(request) }
                response.body = Array("gated ".utf8) + response.body
                return .response(response)
            }
        }
        let match = outer.match(method: .get, path: "/v1/items/7")
        guard case .handler(let handler, let parameters) = match else {
            Issue.record("no handler for GET /v1/items/7: \(match)")
            return
        }
        #expect(parameters == ["id": "7"])
        let request = HTTPRequest(
            head: HTTP1RequestHead(method: .get, target: "/v1/items/7", headers: [:]), pathParameters: parameters,
            eventLoop: group.loops[0])
        #expect(body(handler(request)) == "gated item 7")
        guard case .handler(let second, _) = outer.match(method: .get, path: "/v1/items/7/more") else {
            Issue.record("no handler for the second route")
            return
        }
        #expect(body(second(request)) == "gated rest")
        guard case .methodNotAllowed(let allowed) = outer.match(method: .post, path: "/v1/items/7") else {
            Issue.record("POST should be refused with 405")
            return
        }
        #expect(allowed == [.get])
    }
}
