import ChatProtocol
import HTTP1
import HTTPServer
import PersonaRuntime
import Personality
import Reactor
import Synchronization

extension APIDoor {
    /// `GET /v1/models`, `GET /v1/models/{id}`, `POST /v1/chat/completions` — the OpenAI
    /// Chat Completions API, with every personality as a model (see ``ChatCompletionRequest``
    /// for the conversation rule and ``ChatCompletionExchange`` for the response).
    func addOpenAIRoutes(to router: inout HTTPRouter) {
        router.get("/v1/models") { request in
            let personalities = self.localShell(request).hub.snapshot.personalities
            return .response(
                self.json(OpenAIWire.modelList(personalities, created: self.startedAt), for: request))
        }
        router.get("/v1/models/:id") { request in
            let id = request.pathParameters["id"] ?? ""
            guard let personality = self.localShell(request).hub.snapshot.personality(id) else {
                return .response(self.decorated(Self.unknownModel(id).openAIResponse(), for: request))
            }
            return .response(self.json(OpenAIWire.model(personality, created: self.startedAt), for: request))
        }
        router.post("/v1/chat/completions") { request in self.chatCompletion(request) }
    }

    static func unknownModel(_ id: String) -> APIError {
        APIError(
            status: 404, code: "model_not_found",
            "the model '\(id.prefix(128))' does not exist: models are the personality ids of GET /v1/models",
            param: "model")
    }

    private func chatCompletion(_ request: HTTPRequest) -> HTTPHandlerResult {
        let parsed: ChatCompletionRequest
        do throws(APIError) {
            parsed = try ChatCompletionRequest.decode(
                try body(of: request),
                limits: ChatCompletionRequest.Limits(
                    maxStopSequences: configuration.maxStopSequences,
                    maxReplayTurns: localShell(request).hub.configuration.decoder.maxReplayTurns))
        } catch {
            return .response(decorated(error.openAIResponse(), for: request))
        }
        guard localShell(request).hub.snapshot.personality(parsed.model) != nil else {
            return .response(decorated(Self.unknownModel(parsed.model).openAIResponse(), for: request))
        }
        let headers = cors.headers(for: request)
        if let session = request.headers["X-Persona-Session"] {
            return heldSessionCompletion(request, parsed: parsed, session: session, headers: headers)
        }
        let client = Self.clientIdentity(for: request)
        let completionID = Self.nextCompletionID()
        let created = Int64(LoopChatClock(loop: request.eventLoop).wallMilliseconds() / 1_000)
        let keepAlive = configuration.keepAliveInterval
        let shell = LoopBound(localShell(request), loop: request.eventLoop)
        return .deferred { stream in
            ChatCompletionExchange(
                request: parsed, stream: stream, shell: shell.value, completionID: completionID,
                created: created, extraHeaders: headers, keepAlive: keepAlive
            ).run(client: client)
        }
    }

    /// A completion on a REST session the client holds: `X-Persona-Session: <id>` with its
    /// token (`X-Persona-Session-Token`, or as the API key). `model` must be the session's
    /// personality; `max_tokens` belongs to the session (set it when creating it).
    private func heldSessionCompletion(
        _ request: HTTPRequest, parsed: ChatCompletionRequest, session id: String, headers: HTTPHeaders
    ) -> HTTPHandlerResult {
        guard let token = Self.sessionToken(request), let hub = hubIndex(of: id) else {
            return .response(decorated(Self.unknownSession(id).openAIResponse(), for: request))
        }
        if parsed.maxTokens != nil {
            let error = APIError.badRequest(
                "a held session's max_tokens is set when it is created (POST /v1/sessions)",
                param: "max_tokens")
            return .response(decorated(error.openAIResponse(), for: request))
        }
        let completionID = Self.nextCompletionID()
        let created = Int64(LoopChatClock(loop: request.eventLoop).wallMilliseconds() / 1_000)
        let keepAlive = configuration.keepAliveInterval
        let client = Self.clientIdentity(for: request)
        let loop = request.eventLoop
        return .deferred { stream in
            let refuse: @Sendable (APIError) -> Void = { stream.respond($0.openAIResponse(headers: headers)) }
            self.onHub(hub, from: loop) { shell in
                self.attach(id, token: token, client: client, hub: hub, refuse: refuse) { attachment in
                    guard case .held(let session) = attachment else {
                        return refuse(
                            APIError(
                                status: 409, code: ErrorCode.sessionNotActive.rawValue,
                                "session '\(id)' has ended",
                                session: id))
                    }
                    guard !session.withHuman else {
                        // No bot would answer: refused rather than left waiting.
                        return refuse(
                            APIError(
                                status: 409, code: ErrorCode.sessionNotActive.rawValue,
                                "session '\(id)' is with a human partner: post to it with POST /v1/sessions/\(id)/messages",
                                session: id))
                    }
                    guard session.personality == parsed.model else {
                        let error = APIError.badRequest(
                            "session '\(id)' talks to '\(session.personality)', not '\(parsed.model.prefix(128))'",
                            param: "model")
                        return refuse(error)
                    }
                    guard session.listener == nil else { return refuse(self.busy(id)) }
                    ChatCompletionExchange(
                        request: parsed, stream: stream, shell: shell, completionID: completionID,
                        created: created,
                        extraHeaders: headers, keepAlive: keepAlive
                    ).run(on: session)
                }
            }
        }
    }

    /// `chatcmpl-` and 24 hex digits: a per-process random prefix and a counter, unique per
    /// process and unlikely to repeat across restarts.
    static func nextCompletionID() -> String {
        let number = completionCounter.add(1, ordering: .relaxed).newValue
        let hex = String(number, radix: 16)
        return "chatcmpl-" + completionPrefix + String(repeating: "0", count: max(0, 8 - hex.count)) + hex
    }

    private static let completionCounter = Atomic<UInt64>(0)
    private static let completionPrefix: String = {
        let hex = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }()
}
