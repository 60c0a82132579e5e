import HTTP1
import Testing

@testable import HTTPServer

/// Which route answered is read from the parameters it captured: every route below captures
/// a differently named parameter (or none), so a match names its route.
@Suite("HTTP router")
struct HTTPRouterTests {
    private static let answer: HTTPHandler = { _ in .response(HTTPResponse(status: .ok)) }

    private func captured(_ router: HTTPRouter, _ method: HTTPMethod, _ path: Substring) -> [String: String]? {
        if case .handler(_, let parameters) = router.match(method: method, path: path) { return parameters }
        return nil
    }

    @Test("routes are tried in registration order, whether they start with a literal or a parameter")
    func registrationOrder() {
        var router = HTTPRouter()
        router.get("/:early/x", Self.answer)
        router.get("/v1/x", Self.answer)
        router.get("/v1/:late", Self.answer)
        #expect(captured(router, .get, "/v1/x") == ["early": "v1"])
        #expect(captured(router, .get, "/v1/y") == ["late": "y"])
    }

    @Test("a parameter or catch-all route added after a literal one still applies to that literal's paths")
    func laterWildcards() {
        var router = HTTPRouter()
        router.get("/v1/echo", Self.answer)
        router.get("/:first/other", Self.answer)
        router.on(.post, "/v1/*", Self.answer)
        #expect(captured(router, .get, "/v1/echo") == [:])
        #expect(captured(router, .get, "/v1/other") == ["first": "v1"])
        #expect(captured(router, .post, "/v1/chat/completions") == ["*": "chat/completions"])
        #expect(captured(router, .post, "/v2/chat") == nil)
        #expect(captured(router, .get, "/zz/other") == ["first": "zz"])
    }

    @Test("a path served only under other methods is 405 with every allowed method; no match is 404")
    func methodNotAllowedAndNotFound() {
        var router = HTTPRouter()
        router.get("/v1/models", Self.answer)
        router.on(.delete, "/:any/models", Self.answer)
        guard case .methodNotAllowed(let allowed) = router.match(method: .post, path: "/v1/models") else {
            Issue.record("expected 405")
            return
        }
        #expect(allowed == [.get, .delete])
        guard case .notFound = router.match(method: .get, path: "/v1/nothing/here") else {
            Issue.record("expected 404")
            return
        }
    }

    @Test("another router's routes are added in order, each handler wrapped once with its method")
    func addWrapping() {
        var inner = HTTPRouter()
        inner.get("/v1/models/:id", Self.answer)
        inner.on(.options, "/v1/*", Self.answer)
        var outer = HTTPRouter()
        outer.get("/v1/echo", Self.answer)
        var wrapped: [HTTPMethod] = []
        outer.add(inner) { method, handler in
            wrapped.append(method)
            return handler
        }
        #expect(wrapped == [.get, .options])
        #expect(captured(outer, .get, "/v1/echo") == [:])
        #expect(captured(outer, .get, "/v1/models/bench-bot") == ["id": "bench-bot"])
        #expect(captured(outer, .options, "/v1/models") == ["*": "models"])
    }

    @Test("the root path matches `/` and a leading catch-all, and HEAD is answered by GET routes")
    func rootAndHead() {
        var router = HTTPRouter()
        router.get("/", Self.answer)
        router.on(.post, "/*", Self.answer)
        #expect(captured(router, .get, "/") == [:])
        #expect(captured(router, .head, "/") == [:])
        #expect(captured(router, .post, "/") == ["*": ""])
        #expect(captured(router, .post, "/a//b/") == ["*": "a//b"])
    }
}
