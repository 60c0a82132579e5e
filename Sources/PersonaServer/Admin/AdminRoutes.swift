import ChatProtocol
import Dispatch
import HTTP1
import HTTPServer
import JSON
import PersonaRuntime
import Personality

/// The admin API's router: every route requires the bearer token, and every answer that needs
/// the backend is produced off the event loop (the backend may block on the hubs).
///
/// | route | answer |
/// |---|---|
/// | `POST /admin/reload[?dry_run=1][&run_tests=1]` | 200 with the diff (applied or dry run); 422 with every error when rejected |
/// | `GET /admin/personalities` | ids, names, versions |
/// | `GET /admin/personalities/:id` | one personality's detail; 404 if unknown |
/// | `GET /admin/sessions[?page=N&per_page=M][&tenant=T]` | live counts by kind and personality, and one page of sessions (of one tenant) |
/// | `GET /admin/presence[?tenant=T][&limit=N]` | who is online on every node (`--redis`), per tenant; 409 `not_a_node` without Redis |
/// | `GET /admin/stats` | counters, gauges, latency percentiles, reloads |
/// | `GET /admin/sessions/:id/history` | the session's stored transcript; 404 if the store has no such session |
/// | `POST /admin/clients/:key/forget` | erases every session, turn and quota of the client key (erasure requests) |
///
/// A missing or wrong token gets 401 `{"error":{"code":"unauthorized",…}}` with
/// `WWW-Authenticate: Bearer` — for unknown paths too, so the API's shape is not probed
/// without the token. These routes go on the admin listener only, never the public router.
public enum AdminRoutes {
    /// Paging limits for `/admin/sessions`.
    public struct Paging: Sendable, Hashable {
        /// Page size when `per_page` is absent. Default 100.
        public var defaultPerPage: Int
        /// Largest `per_page` accepted (400 beyond). Default 1,000.
        public var maxPerPage: Int

        /// Creates paging limits.
        public init(defaultPerPage: Int = 100, maxPerPage: Int = 1_000) {
            self.defaultPerPage = defaultPerPage
            self.maxPerPage = maxPerPage
        }
    }

    /// A router serving the admin API over `backend`, guarded by `token`.
    /// With `keys`, the API-key routes too (see ``KeyAdminRoutes``).
    public static func router(
        backend: any AdminBackend, token: AdminToken, paging: Paging = Paging(), keys: KeyRing? = nil
    ) -> HTTPRouter {
        var router = HTTPRouter()
        router.post(
            "/admin/reload",
            guarded(token) { request in
                let dryRun = flag(request.queryValue("dry_run"))
                let runTests = flag(request.queryValue("run_tests"))
                return offLoop {
                    let report = backend.reload(dryRun: dryRun, runTests: runTests)
                    return .json(
                        AdminJSON.reload(report).serialized(),
                        status: report.outcome == .rejected ? HTTPStatus(code: 422) : .ok)
                }
            })
        router.get(
            "/admin/personalities",
            guarded(token) { _ in
                offLoop {
                    let snapshot = backend.currentSnapshot()
                    let body: JSONValue = .object([
                        "version": .string(snapshot.version.description),
                        "personalities": .array(snapshot.personalities.map(AdminJSON.personalitySummary)),
                    ])
                    return .json(body.serialized())
                }
            })
        router.get(
            "/admin/personalities/:id",
            guarded(token) { request in
                let id = request.pathParameters["id"] ?? ""
                return offLoop {
                    let snapshot = backend.currentSnapshot()
                    guard let personality = snapshot.personality(id) else {
                        return .error(
                            .notFound, code: "unknown_personality",
                            message: "no personality '\(id)' in version \(snapshot.version)")
                    }
                    return .json(AdminJSON.personalityDetail(personality, in: snapshot).serialized())
                }
            })
        router.get(
            "/admin/sessions",
            guarded(token) { request in
                let page: Int? = request.queryValue("page").map { Int($0) } ?? 1
                let perPage: Int? = request.queryValue("per_page").map { Int($0) } ?? paging.defaultPerPage
                guard let page, page >= 1 else {
                    return .response(
                        .error(.badRequest, code: "invalid_page", message: "page must be an integer ≥ 1"))
                }
                guard let perPage, perPage >= 1, perPage <= paging.maxPerPage else {
                    return .response(
                        .error(
                            .badRequest, code: "invalid_page",
                            message: "per_page must be an integer from 1 to \(paging.maxPerPage)"))
                }
                // `?tenant=` narrows the view (counts and list) to one tenant's sessions.
                let tenant = request.queryValue("tenant")
                return offLoop {
                    let sessions = backend.sessions().filter { tenant == nil || $0.tenant == tenant }
                    return .json(sessionsBody(sessions, page: page, perPage: perPage).serialized())
                }
            })
        router.get(
            "/admin/presence",
            guarded(token) { request in
                guard let limit = request.queryValue("limit").map({ Int($0) }) ?? paging.defaultPerPage,
                    limit >= 1, limit <= paging.maxPerPage
                else {
                    return .response(
                        .error(
                            .badRequest, code: "invalid_limit",
                            message: "limit must be an integer from 1 to \(paging.maxPerPage)"))
                }
                // `?tenant=` names one tenant; without it, every tenant with someone online.
                let only: String?? = request.queryValue("tenant").map { .some($0) }
                return offLoop {
                    do throws(PresenceFailure) {
                        let tenants = try backend.presence(only: only, limit: limit)
                        return .json(AdminJSON.presence(tenants, limit: limit).serialized())
                    } catch {
                        switch error {
                        case .notANode:
                            return .error(
                                HTTPStatus(code: 409), code: "not_a_node",
                                message:
                                    "this server is not a node of a service: presence across nodes needs 'persona serve --redis'")
                        case .unavailable(let reason):
                            return .error(HTTPStatus(code: 503), code: "redis_unavailable", message: reason)
                        }
                    }
                }
            })
        router.get(
            "/admin/sessions/:id/history",
            guarded(token) { request in
                let id = percentDecoded(request.pathParameters["id"] ?? "")
                return offLoop {
                    do throws(StoreFailure) {
                        guard let stored = try backend.history(session: id) else {
                            return .error(.notFound, code: "unknown_session", message: "no stored session '\(id)'")
                        }
                        return .json(AdminJSON.history(stored).serialized())
                    } catch {
                        return .error(HTTPStatus(code: 503), code: "store_unavailable", message: error.message)
                    }
                }
            })
        router.post(
            "/admin/clients/:key/forget",
            guarded(token) { request in
                let key = percentDecoded(request.pathParameters["key"] ?? "")
                return offLoop {
                    do throws(StoreFailure) {
                        let erased = try backend.forget(client: key)
                        return .json(
                            JSONValue.object(["client": .string(key), "sessions_erased": .integer(Int64(erased))])
                                .serialized())
                    } catch {
                        return .error(HTTPStatus(code: 503), code: "store_unavailable", message: error.message)
                    }
                }
            })
        router.get(
            "/admin/stats",
            guarded(token) { _ in
                offLoop { .json(AdminJSON.stats(backend.stats()).serialized()) }
            })
        if let keys { KeyAdminRoutes.add(to: &router, ring: keys, token: token) }
        let unknown: HTTPHandler = guarded(token) { request in
            .response(
                .error(
                    .notFound, code: "not_found",
                    message: "no admin route \(request.method.rawValue) \(request.path)"))
        }
        router.get("*", unknown)
        router.post("*", unknown)
        router.on(.delete, "*", unknown)
        return router
    }

    /// The sessions answer: live counts over every session, then the requested page.
    static func sessionsBody(_ sessions: [SessionSummary], page: Int, perPage: Int) -> JSONValue {
        var byKind: [String: Int] = [:]
        var byPersonality: [String: Int] = [:]
        for session in sessions {
            byKind[session.kind?.rawValue ?? "matching", default: 0] += 1
            if let personality = session.personality { byPersonality[personality.id, default: 0] += 1 }
        }
        let start = min((page - 1) * perPage, sessions.count)
        let slice = sessions[start..<min(start + perPage, sessions.count)]
        return .object([
            "total": .integer(Int64(sessions.count)), "by_kind": AdminJSON.counts(byKind),
            "by_personality": AdminJSON.counts(byPersonality), "page": .integer(Int64(page)),
            "per_page": .integer(Int64(perPage)), "sessions": .array(slice.map(AdminJSON.session)),
        ])
    }

    /// `handler` behind the bearer-token check.
    static func guarded(_ token: AdminToken, _ handler: @escaping HTTPHandler) -> HTTPHandler {
        { request in
            guard token.authorizes(header: request.headers["Authorization"]) else {
                var response = HTTPResponse.error(
                    HTTPStatus(code: 401), code: "unauthorized",
                    message: request.headers["Authorization"] == nil
                        ? "missing bearer token" : "wrong bearer token")
                response.headers.add(name: "WWW-Authenticate", value: #"Bearer realm="persona-admin""#)
                return .response(response)
            }
            return handler(request)
        }
    }

    /// Runs `body` on a global queue and answers with its response.
    static func offLoop(_ body: @escaping @Sendable () -> HTTPResponse) -> HTTPHandlerResult {
        .deferred { stream in
            DispatchQueue.global().async { stream.respond(body()) }
        }
    }

    /// A path segment with `%XX` escapes decoded (RFC 3986 §2.1); a malformed escape stays as is.
    static func percentDecoded(_ segment: String) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(segment.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `1`, `true`, `yes` (and a bare `?dry_run`) are true.
    static func flag(_ value: String?) -> Bool {
        guard let value else { return false }
        return ["", "1", "true", "yes"].contains(value.lowercased())
    }
}
