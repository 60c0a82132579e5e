import ChatProtocol
import HTTP1
import HTTPServer
import JSON
import PersonaRuntime
import Personality
import Policies
import Reactor

extension APIDoor {
    /// The REST door: personalities, and sessions created, talked to, read and ended over
    /// plain HTTP. Calls on a session authenticate with its `resume_token`
    /// (`Authorization: Bearer …`, or `X-Persona-Session-Token`), and run on the hub that holds
    /// the session (its id names the hub: `s<hub>-<n>`).
    func addRESTRoutes(to router: inout HTTPRouter) {
        router.get("/v1/personalities") { request in
            let snapshot = self.localShell(request).hub.snapshot
            // A key sees what it may use: its allow-list, and no other tenant's personalities.
            let client = Self.clientIdentity(for: request)
            let list = snapshot.personalities.filter {
                client.mayUse($0.id) && ($0.tenant == nil || request.authenticatedClient == nil || $0.tenant == client.tenant)
            }
            let body = RESTJSON.personalities(list) { snapshot.limits(for: $0, tier: client.tier) }
            return .response(self.json(body, for: request))
        }
        router.get("/v1/personalities/:id") { request in
            let id = request.pathParameters["id"] ?? ""
            guard let personality = self.localShell(request).hub.snapshot.personality(id),
                Self.clientIdentity(for: request).mayUse(id)
            else {
                let error = APIError(
                    status: 404, code: ErrorCode.unknownPersonality.rawValue, "no personality '\(id.prefix(128))'")
                return .response(self.decorated(error.restResponse(), for: request))
            }
            let limits = self.localShell(request).hub.snapshot.limits(
                for: personality, tier: Self.clientIdentity(for: request).tier)
            return .response(self.json(RESTJSON.personality(personality, limits: limits), for: request))
        }
        router.post("/v1/sessions") { request in self.createSession(request) }
        router.get("/v1/sessions/:id") { request in
            self.onSession(request) { door, table, lookup, respond in
                switch lookup {
                case .live(let session):
                    guard let status = door.shells[table.index].value.hub.sessionStatus(session.id) else {
                        return respond(APIError(status: 404, code: "unknown_session", "no such session").restResponse())
                    }
                    respond(door.json(RESTJSON.status(status)))
                case .ended(let ended):
                    respond(
                        door.json(
                            RESTJSON.ended(
                                ended.id, personality: ended.personality, reason: ended.reason,
                                farewell: ended.farewell)))
                }
            }
        }
        router.get("/v1/sessions/:id/messages") { request in self.history(request) }
        router.post("/v1/sessions/:id/messages") { request in self.postMessage(request) }
        router.on(.delete, "/v1/sessions/:id") { request in self.endSession(request) }
    }

    // MARK: Create

    private func createSession(_ request: HTTPRequest) -> HTTPHandlerResult {
        let personality: String
        let maxTokens: Int?
        do throws(APIError) {
            let object = try Self.jsonObject(try body(of: request))
            try Self.rejectUnknown(object, allowed: ["personality", "max_tokens"])
            guard case .string(let id)? = object["personality"], !id.isEmpty else {
                throw APIError.badRequest("'personality' is required", param: "personality", code: "missing_field")
            }
            personality = id
            maxTokens = try Self.positiveInt(object, "max_tokens")
        } catch {
            return .response(decorated(error.restResponse(), for: request))
        }
        let shell = localShell(request)
        let table = restTables[request.eventLoop.index].value
        guard table.hasRoom else {
            let error = APIError(
                status: 429, code: ErrorCode.tooManySessions.rawValue,
                "this server holds \(configuration.maxRESTSessions) REST sessions per loop")
            return .response(decorated(error.restResponse(), for: request))
        }
        let client = Self.clientIdentity(for: request)
        let headers = cors.headers(for: request)
        let bound = LoopBound((shell, table), loop: request.eventLoop)
        return .deferred { stream in
            let (shell, table) = bound.value
            var answered = false
            var connection: VirtualConnection?
            connection = shell.openVirtual(client: client) { message in
                guard !answered, let current = connection else { return }
                switch message {
                case .sessionStarted(let start):
                    answered = true
                    let token = RESTSessionTable.newToken()
                    let session = RESTSession(
                        id: start.session, personality: personality, connection: current,
                        tokenDigest: SHA256.hash(Array(Self.scopedToken(token, tenant: client.tenant).utf8)))
                    table.add(session)
                    current.receive = { [unowned table, unowned session] message in
                        table.route(message, for: session)
                        if case .sessionEnded = message {
                            // The connection holds nothing more; closed after this batch.
                            shell.loop.executeOnLoop { shell.closeVirtual(current.id) }
                        }
                    }
                    let limits = shell.hub.sessionStatus(start.session)?.limits
                    var response = HTTPResponse(
                        status: HTTPStatus(code: 201), headers: ["Content-Type": "application/json"],
                        body: RESTJSON.created(start, token: token, limits: limits))
                    response.headers.add(name: "Location", value: "/v1/sessions/\(start.session)")
                    for field in headers { response.headers.add(name: field.name, value: field.value) }
                    stream.respond(response)
                case .error(let report):
                    answered = true
                    stream.respond(APIError(report).restResponse(headers: headers))
                    shell.closeVirtual(current.id)
                case .sessionEnded(_, let reason, _):
                    answered = true
                    stream.respond(
                        APIError(status: 503, code: "session_ended", "the session ended at once (\(reason.rawValue))")
                            .restResponse(headers: headers))
                    shell.closeVirtual(current.id)
                default:
                    break
                }
            }
            if let current = connection {
                shell.deliver(
                    .start(StartRequest(mode: .direct(personality: personality), maxReplyTokens: maxTokens)),
                    on: current.id)
            }
        }
    }

    // MARK: Session calls

    /// Where a session call runs: the hub named by the id, after the token checked out.
    private func onSession(
        _ request: HTTPRequest,
        _ body: @escaping @Sendable (APIDoor, IndexedTable, RESTSessionTable.Lookup, SessionReply) -> Void
    ) -> HTTPHandlerResult {
        let id = request.pathParameters["id"] ?? ""
        guard let token = Self.sessionToken(request) else {
            let error = APIError(
                status: 401, code: "unauthorized",
                "send the session's resume_token as 'Authorization: Bearer <token>'")
            var response = decorated(error.restResponse(), for: request)
            response.headers.add(name: "WWW-Authenticate", value: "Bearer")
            return .response(response)
        }
        guard let hub = Self.hubIndex(of: id), shells.indices.contains(hub) else {
            return .response(decorated(Self.unknownSession(id).restResponse(), for: request))
        }
        let headers = cors.headers(for: request)
        let loop = request.eventLoop
        let scoped = Self.scopedToken(token, tenant: Self.clientIdentity(for: request).tenant)
        return .deferred { stream in
            self.onHub(hub, from: loop) { _ in
                let table = self.restTables[hub].value
                let respond = SessionReply(stream: stream, headers: headers)
                guard let lookup = table.lookup(id, token: scoped) else {
                    return respond(Self.unknownSession(id).restResponse())
                }
                body(self, IndexedTable(index: hub, table: table), lookup, respond)
            }
        }
    }

    /// How a session call answers: a complete response, or (for events) the stream itself;
    /// both carry the request's CORS headers.
    struct SessionReply {
        let stream: HTTPResponseStream
        let headers: HTTPHeaders

        func callAsFunction(_ response: HTTPResponse) {
            var response = response
            for field in headers { response.headers.add(name: field.name, value: field.value) }
            stream.respond(response)
        }
    }

    /// A table and the hub it belongs to.
    struct IndexedTable {
        let index: Int
        let table: RESTSessionTable
    }

    static func unknownSession(_ id: String) -> APIError {
        APIError(
            status: 404, code: ErrorCode.unknownSession.rawValue,
            "no session '\(id.prefix(128))' for this token")
    }

    /// `s<hub>-<n>` → hub.
    static func hubIndex(of session: String) -> Int? {
        guard session.hasPrefix("s"), let dash = session.firstIndex(of: "-") else { return nil }
        return Int(session[session.index(after: session.startIndex)..<dash])
    }

    /// The session token: `Authorization: Bearer …` or `X-Persona-Session-Token`.
    /// The text whose digest stands for a session's token: the tenant is part of it, so another
    /// tenant's key holding the token finds no session (`unknown_session`, like a wrong token).
    static func scopedToken(_ token: String, tenant: String?) -> String {
        guard let tenant else { return token }
        return tenant + "\u{0}" + token
    }

    static func sessionToken(_ request: HTTPRequest) -> String? {
        if let token = request.headers["X-Persona-Session-Token"], !token.isEmpty { return token }
        return bearerToken(request)
    }

    private func history(_ request: HTTPRequest) -> HTTPHandlerResult {
        let after: Int
        let limit: Int
        do throws(APIError) {
            after = try Self.queryInt(request, "after", default: 0)
            limit = min(try Self.queryInt(request, "limit", default: 100), configuration.maxHistoryPage)
        } catch {
            return .response(decorated(error.restResponse(), for: request))
        }
        return onSession(request) { door, table, lookup, respond in
            let id: String
            switch lookup {
            case .live(let session): id = session.id
            case .ended(let ended): id = ended.id
            }
            guard let page = door.shells[table.index].value.hub.history(of: id, after: after, limit: limit + 1) else {
                return respond(
                    APIError(status: 503, code: "history_unavailable", "the transcript store cannot be read here")
                        .restResponse())
            }
            respond(
                door.json(
                    RESTJSON.history(session: id, entries: Array(page.prefix(limit)), hasMore: page.count > limit)))
        }
    }

    private func endSession(_ request: HTTPRequest) -> HTTPHandlerResult {
        onSession(request) { door, table, lookup, respond in
            switch lookup {
            case .ended(let ended):
                respond(
                    door.json(
                        RESTJSON.ended(
                            ended.id, personality: ended.personality, reason: ended.reason, farewell: ended.farewell)))
            case .live(let session):
                guard session.listener == nil else {
                    return respond(door.busy(session.id).restResponse())
                }
                let shell = door.shells[table.index].value
                session.listener = { message in
                    guard case .sessionEnded(_, let reason, let farewell) = message else { return }
                    respond(
                        door.json(
                            RESTJSON.ended(
                                session.id, personality: session.personality, reason: reason, farewell: farewell)))
                }
                shell.deliver(.end(session: session.id), on: session.connection.id)
            }
        }
    }

    func busy(_ session: String) -> APIError {
        APIError(
            status: 409, code: ErrorCode.busy.rawValue,
            "another request on this session is still being answered", session: session)
    }

    private func postMessage(_ request: HTTPRequest) -> HTTPHandlerResult {
        let text: String
        let messageID: String?
        do throws(APIError) {
            let object = try Self.jsonObject(try body(of: request))
            try Self.rejectUnknown(object, allowed: ["text", "id"])
            guard case .string(let value)? = object["text"] else {
                throw APIError.badRequest("'text' is required and must be a string", param: "text", code: "missing_field")
            }
            text = value
            switch object["id"] {
            case nil, .null?: messageID = nil
            case .string(let id)? where !id.isEmpty && id.utf8.count <= 128: messageID = id
            default: throw APIError.badRequest("'id' must be a string of 1 to 128 bytes", param: "id")
            }
        } catch {
            return .response(decorated(error.restResponse(), for: request))
        }
        let wantsEvents = request.headers.listElements(for: "Accept").contains {
            $0.lowercased().hasPrefix("text/event-stream")
        }
        let keepAlive = configuration.keepAliveInterval
        return onSession(request) { door, table, lookup, respond in
            guard case .live(let session) = lookup else {
                if case .ended(let ended) = lookup {
                    return respond(
                        APIError(
                            status: 409, code: ErrorCode.sessionNotActive.rawValue,
                            "the session has ended (\(ended.reason.rawValue))", session: ended.id
                        ).restResponse())
                }
                return
            }
            guard session.listener == nil else { return respond(door.busy(session.id).restResponse()) }
            session.messagesSent += 1
            RESTMessageExchange(
                session: session, shell: door.shells[table.index].value, reply: respond,
                keepAlive: wantsEvents ? keepAlive : nil
            ).send(text: text, id: messageID ?? "r\(session.messagesSent)")
        }
    }

    // MARK: Body helpers

    static func jsonObject(_ body: [UInt8]) throws(APIError) -> JSONObject {
        let value: JSONValue
        do {
            value = try JSONParser(
                configuration: JSONParser.Configuration(
                    maxDepth: 8, maxInputBytes: max(body.count, 1), maxStringBytes: max(body.count, 1))
            ).parse(body)
        } catch {
            throw APIError.badRequest("the body is not valid JSON: \(error.description)", code: "invalid_json")
        }
        guard case .object(let object) = value else {
            throw APIError.badRequest("the body must be a JSON object", code: "invalid_json")
        }
        return object
    }

    static func rejectUnknown(_ object: JSONObject, allowed: [String]) throws(APIError) {
        for key in object.keys where !allowed.contains(key) {
            throw APIError.badRequest("unknown member '\(key.prefix(40))'", param: String(key.prefix(40)))
        }
    }

    static func positiveInt(_ object: JSONObject, _ key: String) throws(APIError) -> Int? {
        guard let value = object[key], value != .null else { return nil }
        guard case .integer(let number) = value, number >= 1, number <= Int64(Int32.max) else {
            throw APIError.badRequest("'\(key)' must be a positive integer", param: key)
        }
        return Int(number)
    }

    static func queryInt(_ request: HTTPRequest, _ name: String, default value: Int) throws(APIError) -> Int {
        guard let text = request.queryValue(name) else { return value }
        guard let number = Int(text), number >= 0 else {
            throw APIError.badRequest("'\(name)' must be a non-negative integer", param: name)
        }
        return number
    }
}
