import ChatProtocol
import HTTP1
import HTTPServer
import PersonaRuntime
import Reactor

/// One `POST /v1/sessions/{id}/messages`: the text goes to the hub as a `message` on the
/// session's virtual connection; the hub's `ack`, tokens and `reply_end` come back and are
/// rendered as one JSON object, or — when the client accepts `text/event-stream` — as Server-Sent
/// Events named after the chat protocol's frames (`ack`, `token`, `reply_end`; `error` and
/// `session_ended` when they happen), each event's data being that frame's JSON, written the
/// moment the hub emits it.
///
/// Refusals before the `ack` (rate limit, size, response limit) are HTTP errors with their
/// status; after it they arrive in-band as an `error` event.
///
/// A session with a human partner has no reply to wait for: the call ends at the `ack` —
/// `202 Accepted` `{session, message_seq, delivered_to: "human"}`, or the `ack` event and the
/// end of the stream.
final class RESTMessageExchange {
    private let session: RESTSession
    private let shell: HubShell
    private let reply: APIDoor.SessionReply
    private let keepAlive: Duration?
    private var writer: EventStreamWriter?
    private var acked: Int?
    /// The id of the message sent; only the reply whose `reply_start` names it is answered
    /// (a session resumed onto REST may still be finishing an earlier reply).
    private var messageID = ""
    /// That reply's number, once its `reply_start` came.
    private var replyNumber: Int?
    private var text = ""
    private var done = false

    init(session: RESTSession, shell: HubShell, reply: APIDoor.SessionReply, keepAlive: Duration?) {
        self.session = session
        self.shell = shell
        self.reply = reply
        self.keepAlive = keepAlive
    }

    /// Registers as the session's listener and sends the message.
    func send(text message: String, id: String) {
        messageID = id
        // The session's listener holds the exchange until the reply is answered.
        session.listener = { frame in self.receive(frame) }
        let bound = LoopBoundExchange(self, loop: shell.loop)
        // Abandonment is reported on the HTTP connection's loop, which may not be the hub's.
        reply.stream.onAbandon { bound.loop.execute { bound.value.abandon() } }
        shell.deliver(.message(session: session.id, text: message, id: id), on: session.connection.id)
    }

    private func receive(_ frame: ServerMessage) {
        guard !done else { return }
        switch frame {
        case .ack(_, _, let seq):
            acked = seq
            if session.withHuman {
                return delivered(frame, seq: seq)
            }
            if let keepAlive {
                let writer = EventStreamWriter(stream: reply.stream, loop: shell.loop, keepAlive: keepAlive)
                self.writer = writer
                writer.begin(extraHeaders: reply.headers)
                writer.send(event: "ack", data: frame.encoded())
            }
        case .replyStart(_, let number, _, let ref):
            if ref == messageID, replyNumber == nil { replyNumber = number }
        case .token(_, let number, let delta):
            guard number == replyNumber else { return }
            if let writer { writer.send(event: "token", data: frame.encoded()) } else { text += delta }
        case .replyEnd(_, let number, let seq, let tokens, let finish):
            guard number == replyNumber else { return }
            if let writer {
                writer.send(event: "reply_end", data: frame.encoded())
                writer.finish()
            } else {
                var response = HTTPResponse(
                    status: .ok, headers: ["Content-Type": "application/json"],
                    body: RESTJSON.reply(
                        session: session.id, messageSeq: acked ?? 0, seq: seq, replyNumber: number,
                        text: text,
                        finish: finish, tokens: tokens))
                response.headers.add(name: "Cache-Control", value: "no-store")
                reply(response)
            }
            markDone()
        case .error(let report):
            if let writer {
                writer.send(event: "error", data: frame.encoded())
                writer.finish()
            } else {
                reply(APIError(report).restResponse())
            }
            markDone()
        case .sessionEnded(_, let reason, let farewell):
            if let writer {
                writer.send(event: "session_ended", data: frame.encoded())
                writer.finish()
            } else {
                let error = APIDoor.ended(session.id, reason: reason, farewell: farewell)
                reply(error.restResponse())
            }
            markDone()
        case .sessionDetached:
            if let writer {
                writer.send(event: "session_detached", data: frame.encoded())
                writer.finish()
            } else {
                reply(APIDoor.moved(session.id).restResponse())
            }
            markDone()
        case .welcome, .matching, .sessionStarted, .partnerMessage, .partnerTyping, .pong, .sessionResumed:
            break
        }
    }

    /// A message to a human partner is stored and relayed: that is the whole answer.
    private func delivered(_ ack: ServerMessage, seq: Int) {
        if let keepAlive {
            let writer = EventStreamWriter(stream: reply.stream, loop: shell.loop, keepAlive: keepAlive)
            writer.begin(extraHeaders: reply.headers)
            writer.send(event: "ack", data: ack.encoded())
            writer.finish()
        } else {
            var response = HTTPResponse(
                status: HTTPStatus(code: 202), headers: ["Content-Type": "application/json"],
                body: RESTJSON.delivered(session: session.id, messageSeq: seq))
            response.headers.add(name: "Cache-Control", value: "no-store")
            reply(response)
        }
        markDone()
    }

    private func markDone() {
        done = true
        session.listener = nil
    }

    /// The client went away mid-reply: the reply is cancelled (the session stays).
    private func abandon() {
        guard !done else { return }
        markDone()
        shell.deliver(.cancel(session: session.id), on: session.connection.id)
    }
}

/// ``RESTMessageExchange`` carried into `onAbandon` (which must be `Sendable`); only touched on its loop.
typealias LoopBoundExchange = LoopBound<RESTMessageExchange>
