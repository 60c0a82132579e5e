import ChatProtocol
import HTTP1
import HTTPServer
import JSON
import PersonaRuntime
import Personality
import Policies
import Reactor
import Synchronization

extension APIDoor {
    /// The REST door: personalities, and sessions created, talked to, read and ended over
    /// plain HTTP. Calls on a session authenticate with its `resume_token` — the one the hub
    /// mints in `session_started`, whose hash the store keeps — as `Authorization: Bearer …` or
    /// `X-Persona-Session-Token`, and run on the hub its id names (`s<hub>-…`). One session
    /// model: a session created here can be resumed over `/v1/ws` and the other way round,
    /// and after a restart (SQLite store) the next call resumes it from the store.
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
                    status: 404, code: ErrorCode.unknownPersonality.rawValue,
                    "no personality '\(id.prefix(128))'")
                return .response(self.decorated(error.restResponse(), for: request))
            }
            let limits = self.localShell(request).hub.snapshot.limits(
                for: personality, tier: Self.clientIdentity(for: request).tier)
            return .response(self.json(RESTJSON.personality(personality, limits: limits), for: request))
        }
        router.post("/v1/sessions") { request in self.createSession(request) }
        router.get("/v1/sessions/:id") { request in self.sessionState(request) }
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
                throw APIError.badRequest(
                    "'personality' is required", param: "personality", code: "missing_field")
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
                    guard let token = start.resumeToken else {
                        stream.respond(
                            APIError(
                                status: 500, code: ErrorCode.internal.rawValue,
                                "the hub minted no resume token"
                            )
                            .restResponse(headers: headers))
                        return shell.closeVirtual(current.id)
                    }
                    let session = RESTSession(
                        id: start.session, personality: personality, connection: current,
                        tokenHash: ChatHub.tokenHash(token))
                    session.tenant = client.tenant
                    self.hold(session, in: table, shell: shell)
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
                        APIError(
                            status: 503, code: "session_ended",
                            "the session ended at once (\(reason.rawValue))"
                        )
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

    /// A call on session `id`: its token and hub checked, `body` runs on that hub's loop with
    /// the hub index, the token and how to answer.
    private func sessionCall(
        _ request: HTTPRequest,
        _ body: @escaping @Sendable (_ hub: Int, _ token: String, SessionReply) -> Void
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
        guard let hub = hubIndex(of: id) else {
            return .response(decorated(Self.unknownSession(id).restResponse(), for: request))
        }
        let headers = cors.headers(for: request)
        let loop = request.eventLoop
        return .deferred { stream in
            self.onHub(hub, from: loop) { _ in
                body(hub, token, SessionReply(stream: stream, headers: headers))
            }
        }
    }

    /// A call that needs the session on the REST door (messages, `DELETE`): `body` gets it
    /// held, or ended (see ``attach(_:token:client:hub:refuse:found:)``).
    private func onSession(
        _ request: HTTPRequest,
        _ body: @escaping @Sendable (APIDoor, HubShell, Attachment, SessionReply) -> Void
    ) -> HTTPHandlerResult {
        let id = request.pathParameters["id"] ?? ""
        let client = Self.clientIdentity(for: request)
        return sessionCall(request) { hub, token, respond in
            self.attach(id, token: token, client: client, hub: hub, refuse: { respond($0.restResponse()) }) {
                attachment in
                body(self, self.shells[hub].value, attachment, respond)
            }
        }
    }

    /// How a session call answers: a complete response, or (for events) the stream itself;
    /// both carry the request's CORS headers. Safe from any thread (the stream is).
    struct SessionReply: Sendable {
        let stream: HTTPResponseStream
        let headers: HTTPHeaders

        func callAsFunction(_ response: HTTPResponse) {
            var response = response
            for field in headers { response.headers.add(name: field.name, value: field.value) }
            stream.respond(response)
        }
    }

    static func unknownSession(_ id: String) -> APIError {
        APIError(
            status: 404, code: ErrorCode.unknownSession.rawValue,
            "no session '\(id.prefix(128))' for this token")
    }

    /// The hub a session id names (`s<hub>-…`); a hub this server does not have (it runs fewer
    /// loops since a restart) maps to hub 0, which resumes the session from the shared store.
    func hubIndex(of session: String) -> Int? {
        guard session.hasPrefix("s"), let dash = session.firstIndex(of: "-"),
            let hub = Int(session[session.index(after: session.startIndex)..<dash]), hub >= 0
        else { return nil }
        return shells.indices.contains(hub) ? hub : 0
    }

    /// The session token: `Authorization: Bearer …` or `X-Persona-Session-Token`.
    static func sessionToken(_ request: HTTPRequest) -> String? {
        if let token = request.headers["X-Persona-Session-Token"], !token.isEmpty { return token }
        return bearerToken(request)
    }

    /// `GET /v1/sessions/{id}`: from the hub that holds the session (whichever door it is
    /// attached to: a `/v1/ws` resume may have moved it to another loop's hub), else from the
    /// store (ended, or waiting to be resumed).
    private func sessionState(_ request: HTTPRequest) -> HTTPHandlerResult {
        let id = request.pathParameters["id"] ?? ""
        let tenant = Self.clientIdentity(for: request).tenant
        return sessionCall(request) { hub, token, respond in
            if case .ended(let ended)? = self.restTables[hub].value.lookup(id, token: token, tenant: tenant) {
                return respond(self.json(RESTJSON.ended(ended)))
            }
            self.liveState(
                id, token: token, tenant: tenant, hubs: [hub] + self.shells.indices.filter { $0 != hub },
                store: hub, respond: respond)
        }
    }

    /// Asks each of `hubs` in turn, on its own loop, whether it holds session `id`; the first
    /// that does answers (404 for a wrong token); when none does, the store answers.
    private func liveState(
        _ id: String, token: String, tenant: String?, hubs: [Int], store: Int, respond: SessionReply
    ) {
        guard let hub = hubs.first else {
            return readStored(id, token: token, tenant: tenant, hub: store, respond: respond) { stored in
                respond(self.json(RESTJSON.stored(stored)))
            }
        }
        let run: @Sendable (HubShell) -> Void = { shell in
            switch shell.hub.resumeTokenMatches(id, token: token) {
            case true?:
                guard let status = shell.hub.sessionStatus(id), shell.hub.tenant(of: id) == tenant else {
                    return respond(Self.unknownSession(id).restResponse())
                }
                respond(self.json(RESTJSON.status(status)))
            case false?:
                respond(Self.unknownSession(id).restResponse())
            case nil:
                self.liveState(
                    id, token: token, tenant: tenant, hubs: Array(hubs.dropFirst()), store: store, respond: respond)
            }
        }
        let shell = shells[hub]
        shell.loop.execute { run(shell.value) }
    }

    /// Reads session `id` from the store on the store's own thread and hands it to `body`
    /// (on that thread) when `token` is its resume token; answers 404 otherwise, 503 when the
    /// store cannot be read.
    /// Another tenant's session (an API key's tenant) is answered 404 like a wrong token.
    func readStored(
        _ id: String, token: String, tenant: String?, hub: Int, respond: SessionReply,
        _ body: @escaping @Sendable (StoredSession) -> Void
    ) {
        stores[hub].load(id) { result in
            switch result {
            case .failure(let failure):
                respond(
                    APIError(
                        status: 503, code: ErrorCode.storeUnavailable.rawValue,
                        "the store cannot be read: \(failure.message)"
                    )
                    .restResponse())
            case .success(let stored?)
            where KeySecret.digestsEqual(stored.header.resumeTokenHash, ChatHub.tokenHash(token))
                && stored.header.tenant == tenant:
                body(stored)
            case .success:
                respond(Self.unknownSession(id).restResponse())
            }
        }
    }

    /// `GET /v1/sessions/{id}/messages?after=SEQ&limit=N`: one page of the stored transcript,
    /// read on the store's thread (the same turns `/v1/ws` resume replays), whichever door the
    /// session is on and after it ended.
    private func history(_ request: HTTPRequest) -> HTTPHandlerResult {
        let after: Int
        let limit: Int
        do throws(APIError) {
            after = try Self.queryInt(request, "after", default: 0)
            limit = try Self.queryInt(request, "limit", default: configuration.defaultHistoryPage)
            guard limit >= 1, limit <= configuration.maxHistoryPage else {
                throw APIError.badRequest(
                    "'limit' must be from 1 to \(configuration.maxHistoryPage)", param: "limit")
            }
        } catch {
            return .response(decorated(error.restResponse(), for: request))
        }
        let id = request.pathParameters["id"] ?? ""
        let tenant = Self.clientIdentity(for: request).tenant
        return sessionCall(request) { hub, token, respond in
            self.readStored(id, token: token, tenant: tenant, hub: hub, respond: respond) { stored in
                let page = HistoryPage(stored.turns, after: after, limit: limit)
                respond(self.json(RESTJSON.history(session: id, page: page)))
            }
        }
    }

    private func endSession(_ request: HTTPRequest) -> HTTPHandlerResult {
        onSession(request) { door, shell, attachment, respond in
            switch attachment {
            case .ended(let ended):
                respond(door.json(RESTJSON.ended(ended)))
            case .held(let session):
                guard session.listener == nil else {
                    return respond(door.busy(session.id).restResponse())
                }
                session.listener = { message in
                    switch message {
                    case .sessionEnded(_, let reason, let farewell):
                        respond(
                            door.json(
                                RESTJSON.ended(
                                    EndedRESTSession(
                                        id: session.id, personality: session.personality,
                                        tokenHash: session.tokenHash, tenant: session.tenant,
                                        reason: reason, farewell: farewell))))
                    case .sessionDetached:
                        respond(Self.moved(session.id).restResponse())
                    default:
                        break
                    }
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

    /// A message to a session that ended (or ends instead of answering): 429 `limit_reached`
    /// with the farewell when its replies are used up (not retryable), else 409
    /// `session_not_active` naming the reason.
    static func ended(_ session: String, reason: EndReason, farewell: String?) -> APIError {
        var error =
            reason == .limitReached
            ? APIError(
                status: 429, code: ErrorCode.limitReached.rawValue,
                "this session has had all its replies; the bot said goodbye", session: session)
            : APIError(
                status: 409, code: ErrorCode.sessionNotActive.rawValue,
                "the session has ended (\(reason.rawValue))",
                session: session)
        if let farewell { error.message += ": \(farewell)" }
        return error
    }

    /// A `/v1/ws` client resumed the session while a REST call on it was being answered.
    static func moved(_ session: String) -> APIError {
        APIError(
            status: 409, code: ErrorCode.sessionNotActive.rawValue,
            "the session was resumed on another connection while this call was answered", session: session)
    }

    private func postMessage(_ request: HTTPRequest) -> HTTPHandlerResult {
        let text: String
        let messageID: String?
        do throws(APIError) {
            let object = try Self.jsonObject(try body(of: request))
            try Self.rejectUnknown(object, allowed: ["text", "id"])
            guard case .string(let value)? = object["text"] else {
                throw APIError.badRequest(
                    "'text' is required and must be a string", param: "text", code: "missing_field")
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
        return onSession(request) { door, shell, attachment, respond in
            switch attachment {
            case .ended(let ended):
                respond(Self.ended(ended.id, reason: ended.reason, farewell: ended.farewell).restResponse())
            case .held(let session):
                guard session.listener == nil else { return respond(door.busy(session.id).restResponse()) }
                session.messagesSent += 1
                RESTMessageExchange(
                    session: session, shell: shell, reply: respond, keepAlive: wantsEvents ? keepAlive : nil
                ).send(text: text, id: messageID ?? Self.nextMessageID())
            }
        }
    }

    /// `r<n>`, unique per process: the id of a message sent without one, which its reply's
    /// `reply_start` names (so a call never takes another message's reply for its own).
    static func nextMessageID() -> String {
        "r\(messageCounter.add(1, ordering: .relaxed).newValue)"
    }

    private static let messageCounter = Atomic<UInt64>(0)

    // MARK: Body helpers

    static func jsonObject(_ body: [UInt8]) throws(APIError) -> JSONObject {
        let value: JSONValue
        do {
            value = try JSONParser(
                configuration: JSONParser.Configuration(
                    maxDepth: 8, maxInputBytes: max(body.count, 1), maxStringBytes: max(body.count, 1))
            ).parse(body)
        } catch {
            throw APIError.badRequest(
                "the body is not valid JSON: \(error.description)", code: "invalid_json")
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
