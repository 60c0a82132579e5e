import ChatProtocol
import Foundation
import HTTP1
import HTTPServer
import PersonaRuntime
import Personality
import Policies
import Reactor

/// One `POST /v1/chat/completions`, carried out as a hub session on a ``VirtualConnection``:
/// `start` (the personality, the replayed turns, `max_tokens`) → `message` (the last user
/// turn) → the hub's `ack`, tokens and `reply_end`, rendered as one `chat.completion` or as a
/// stream of `chat.completion.chunk` events. The session ends with the response (it is the
/// request's, not the client's: a client that wants the server to keep state uses REST).
///
/// Status before the stream: everything the hub refuses before `ack` (rate limits, response
/// limits, input size, a draining server) is an HTTP error in the OpenAI shape. After the
/// stream began (at `ack`) the status is 200 already; an engine failure is then sent in-band
/// as `data: {"error":{…}}` before `data: [DONE]`.
///
/// Loop-confined; lives until the response is finished or the client goes away.
final class ChatCompletionExchange {
    private let request: ChatCompletionRequest
    private let stream: HTTPResponseStream
    private let shell: HubShell
    private let identity: OpenAIWire.Identity
    private let extraHeaders: HTTPHeaders
    private let keepAlive: Duration
    private var connection: VirtualConnection?
    private var session: String?
    /// The REST session answered in place (server-side state), or `nil` for a session of
    /// the request's own.
    private var held: RESTSession?
    /// The id of the message this completion answers; only the reply whose `reply_start`
    /// names it is this completion's (a held session may still be finishing an earlier one).
    private var messageID = "m1"
    /// That reply's number, once its `reply_start` came.
    private var replyNumber: Int?
    private var writer: EventStreamWriter?
    private var stop: StopSequenceFilter
    private var template: OpenAIWire.ContentChunkTemplate?
    private var content = ""
    private var completionTokens = 0
    /// The prompt's tokens, counted only when `usage` is asked for.
    private var promptTokens: Int {
        ([request.message] + request.replay).reduce(0) { $0 + ReplyTokenizer.tokens(of: $1).count }
    }
    private var done = false

    init(
        request: ChatCompletionRequest, stream: HTTPResponseStream, shell: HubShell, completionID: String,
        created: Int64, extraHeaders: HTTPHeaders, keepAlive: Duration
    ) {
        self.request = request
        self.stream = stream
        self.shell = shell
        self.identity = OpenAIWire.Identity(id: completionID, created: created, model: request.model)
        self.extraHeaders = extraHeaders
        self.keepAlive = keepAlive
        self.stop = StopSequenceFilter(stops: request.stop)
    }

    /// Opens the virtual connection and starts the session; the rest follows from the hub's frames.
    func run(client: ClientIdentity) {
        let bound = LoopBound(self, loop: shell.loop)
        stream.onAbandon { bound.loop.execute { bound.value.abandon() } }
        // The connection's closures hold the exchange until `close()` lets the connection go.
        let connection = shell.openVirtual(client: client, oneShot: true) { message in self.receive(message) }
        self.connection = connection
        connection.onClose = { _, _ in
            self.fail(
                APIError(status: 503, code: ErrorCode.shuttingDown.rawValue, "the server is shutting down"))
        }
        // One-shot: the session is the request's (no token, no transcript, one log line).
        var start = StartRequest(
            mode: .direct(personality: request.model), maxReplyTokens: request.maxTokens, replay: request.replay)
        start.oneShot = true
        shell.deliver(.start(start), on: connection.id)
    }

    /// Answers on a REST session the client holds (`X-Persona-Session`): only the last user
    /// message is sent; the session keeps its state, limits and history, and stays open.
    func run(on session: RESTSession) {
        let bound = LoopBound(self, loop: shell.loop)
        held = session
        self.session = session.id
        connection = session.connection
        session.listener = { message in self.receive(message) }
        stream.onAbandon { bound.loop.execute { bound.value.abandon() } }
        messageID = APIDoor.nextMessageID()
        session.messagesSent += 1
        shell.deliver(
            .message(session: session.id, text: request.message, id: messageID), on: session.connection.id)
    }

    private func receive(_ message: ServerMessage) {
        guard !done, let connection else { return }
        switch message {
        case .sessionStarted(let start):
            session = start.session
            shell.deliver(
                .message(session: start.session, text: request.message, id: messageID), on: connection.id)
        case .ack:
            guard request.stream else { return }
            let writer = EventStreamWriter(stream: stream, loop: shell.loop, keepAlive: keepAlive)
            self.writer = writer
            writer.begin(extraHeaders: extraHeaders)
            let template = OpenAIWire.ContentChunkTemplate(identity, usageNull: request.includeUsage)
            self.template = template
            writer.send(appending: template.appendRoleEvent)
        case .replyStart(_, let number, _, let ref):
            if ref == messageID, replyNumber == nil { replyNumber = number }
        case .token(_, let number, let delta):
            guard number == replyNumber, !stop.isStopped else { return }
            completionTokens += 1
            emit(stop.feed(delta))
            if stop.isStopped, let session { shell.deliver(.cancel(session: session), on: connection.id) }
        case .replyEnd(_, let number, _, _, let finish):
            guard number == replyNumber else { return }
            if !stop.isStopped { emit(stop.finish()) }
            switch finish {
            case .stop: complete(finishReason: "stop")
            case .length: complete(finishReason: "length")
            case .cancelled where stop.isStopped: complete(finishReason: "stop")
            case .cancelled:
                fail(APIError(status: 503, code: "cancelled", "the reply was cut off before it finished"))
            case .error:
                fail(
                    APIError(status: 502, code: "upstream_error", "the personality's engine failed to answer")
                )
            }
        case .error(let report):
            var error = APIError(report)
            if report.code == .rateLimited { error.rateLimit = clientRequestsPerMinute() }
            fail(error)
        case .sessionEnded(_, let reason, _):
            // Only before a reply: a response limit that ends the session, or a failed start.
            let error =
                reason == .limitReached
                ? APIError(
                    status: 429, code: ErrorCode.limitReached.rawValue,
                    "this personality's response limit is reached")
                : APIError(
                    status: 503, code: "session_ended",
                    "the session ended before it answered (\(reason.rawValue))")
            fail(error)
        case .sessionDetached:
            fail(
                APIError(
                    status: 409, code: ErrorCode.sessionNotActive.rawValue,
                    "the session was resumed on another connection while this completion was answered"))
        case .welcome, .matching, .partnerMessage, .partnerTyping, .pong, .sessionResumed:
            break
        }
    }

    /// The personality's per-client rate, per minute, for `x-ratelimit-limit-requests`.
    private func clientRequestsPerMinute() -> Int? {
        let snapshot = shell.hub.snapshot
        guard let personality = snapshot.personality(request.model),
            let rate = snapshot.limits(for: personality).clientRate
        else { return nil }
        let seconds =
            Double(rate.period.components.seconds) + Double(rate.period.components.attoseconds) / 1e18
        return seconds > 0 ? Int((Double(rate.count) * 60 / seconds).rounded()) : nil
    }

    private func emit(_ text: String) {
        guard !text.isEmpty else { return }
        if let writer, let template {
            writer.send { template.appendEvent(text, to: &$0) }
        } else {
            content += text
        }
    }

    private var usage: OpenAIWire.Usage {
        OpenAIWire.Usage(prompt: promptTokens, completion: completionTokens)
    }

    private func complete(finishReason: String) {
        if let writer, let template {
            writer.send { template.appendFinishEvent(finishReason, to: &$0) }
            if request.includeUsage { writer.send(data: OpenAIWire.usageChunk(identity, usage: usage)) }
            writer.send(data: Array("[DONE]".utf8))
            writer.finish()
        } else {
            var response = HTTPResponse(
                status: .ok, headers: ["Content-Type": "application/json"],
                body: OpenAIWire.completion(
                    identity, content: content, finishReason: finishReason, usage: usage))
            for field in extraHeaders { response.headers.add(name: field.name, value: field.value) }
            stream.respond(response)
        }
        close()
    }

    private func fail(_ error: APIError) {
        guard !done else { return }
        if let writer {
            writer.send(data: APIError.openAIBody(of: error))
            writer.send(data: Array("[DONE]".utf8))
            writer.finish()
        } else {
            stream.respond(error.openAIResponse(headers: extraHeaders))
        }
        close()
    }

    /// The client went away: a session of the request's own ends, which cancels the reply in flight.
    /// A held session stays: only its reply is cancelled.
    private func abandon() {
        guard !done else { return }
        if let held { shell.deliver(.cancel(session: held.id), on: held.connection.id) }
        close()
    }

    private func close() {
        done = true
        if let held {
            held.listener = nil
            connection = nil
            return
        }
        guard let connection else { return }
        self.connection = nil
        shell.closeVirtual(connection.id)
    }
}
