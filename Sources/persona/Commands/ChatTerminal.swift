import CLI
import ChatProtocol
import Foundation
import HTTPServer
import Reactor
import WebSocket

/// The state of one `persona chat` run, on its loop: what the user typed, what the session
/// is doing, and how each server frame reads in plain words.
final class ChatTerminal: WebSocketClientDelegate {
    private let start: StartRequest
    private let output: TextOutput
    private let loop: EventLoop
    private var finished: ((String?) -> Void)?
    private var client: WebSocketClient?

    /// The session in use and whether it is active (matched/started and not ended).
    private var session: String?
    private var active = false
    private var partnerName = "Bot"
    private var human = false
    /// Lines not yet sent, in order.
    private var pending: [String] = []
    /// A message was sent and its answer has not finished.
    private var awaiting = false
    private var inputDone = false
    private var quitting = false
    private var sent = 0
    private var lastEnded: String?
    /// Input ended (or /quit came) before the session began: begin it, then end it at once, so
    /// an empty input still connects, shows the greeting and exits cleanly.
    private var endWhenStarted = false
    /// A `next` or `end` is out and awaits its `session_started` or `session_ended`; a refusal
    /// of it (an error without a message id) must release the input too.
    private var awaitingControl = false
    /// Why the chat could not go on, reported as the command's failure.
    private var failure: String?

    init(start: StartRequest, output: TextOutput, loop: EventLoop, finished: @escaping (String?) -> Void) {
        self.start = start
        self.output = output
        self.loop = loop
        self.finished = finished
    }

    /// The terminal keeps itself alive until the connection ends (the client holds its
    /// delegate weakly, and the stdin reader may finish long before the chat does).
    private var retained: ChatTerminal?

    func connect(to address: SocketAddress, host: String, path: String) {
        retained = self
        client = WebSocketClient(to: address, host: host, path: path, on: loop, delegate: self)
    }

    // MARK: Input

    func input(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        switch trimmed {
        case "": return
        case "/quit": quit()
        case "/cancel":
            // Cancels the reply being streamed; typed (or piped) before that reply started, it
            // waits its turn and cancels the reply to the line before it.
            if let session, active, awaiting, !human {
                send(.cancel(session: session))
            } else {
                pending.append(trimmed)
                pump()
            }
        default:
            pending.append(trimmed)
            pump()
        }
    }

    func inputEnded() {
        inputDone = true
        pump()
    }

    /// Sends the next pending line when nothing is outstanding.
    private func pump() {
        while !awaiting, !quitting, !pending.isEmpty {
            let line = pending[0]
            if line.hasPrefix("/next") {
                if case .direct(let id) = start.mode {
                    // `next` follows a random or human chat; a direct chat names its partner.
                    pending.removeFirst()
                    say("! /next finds a new partner in a random chat (--random); this chat is with \(id)")
                    continue
                }
                guard !active || session == nil else {
                    // Leave the current chat first; `next` follows its `session_ended`.
                    send(.end(session: session!))
                    awaiting = true
                    awaitingControl = true
                    return
                }
                pending.removeFirst()
                guard let ended = lastEnded else {
                    say("! there is no ended chat to follow; start one first")
                    continue
                }
                let want: PartnerPreference = line.hasSuffix("bot") ? .bot : .partner
                send(.next(session: ended, want: want))
                awaiting = true
                awaitingControl = true
                return
            }
            if line == "/cancel" {
                pending.removeFirst()
                continue  // nothing streaming to cancel
            }
            if line.hasPrefix("/") {
                pending.removeFirst()
                say("! unknown command \(line) (try /cancel, /next, /next bot, /quit)")
                continue
            }
            guard active, let session else {
                if session == nil, lastEnded != nil {
                    pending.removeFirst()
                    say("! no chat in progress; type /next for a new partner or /quit")
                    continue
                }
                return  // still matching: wait for session_started
            }
            pending.removeFirst()
            sent += 1
            send(.message(session: session, text: line, id: "m\(sent)"))
            awaiting = true
            if pending.first == "/cancel", !human {
                pending.removeFirst()
                send(.cancel(session: session))
            }
        }
        if inputDone, pending.isEmpty, !awaiting { quit() }
    }

    private func quit() {
        guard !quitting else { return }
        if session == nil, lastEnded == nil, failure == nil {
            endWhenStarted = true
            return
        }
        quitting = true
        pending.removeAll()
        if let session, active {
            send(.end(session: session))
        } else {
            client?.close()
        }
    }

    private func send(_ message: ClientMessage) {
        client?.send(.text(message.encodedText))
    }

    private func say(_ line: String) { output.writeLine(line) }

    // MARK: Frames

    func webSocketClientDidConnect(_ client: WebSocketClient) {}

    func webSocketClient(_ client: WebSocketClient, didReceive message: WebSocketMessage) {
        guard case .text(let text) = message else { return }
        let frame: ServerMessage
        do {
            frame = try ServerMessage(decoding: text)
        } catch {
            say("! the server sent something this client does not understand: \(error)")
            return
        }
        handle(frame)
        pump()
    }

    private func handle(_ frame: ServerMessage) {
        switch frame {
        case .welcome:
            send(.start(start))
        case .matching(let id, let timeout, _):
            session = id
            awaitingControl = false
            say("… looking for a partner (a bot takes over after \(Double(timeout) / 1000) s)")
            if endWhenStarted { quit() }
        case .sessionStarted(let started):
            session = started.session
            active = true
            awaiting = false
            awaitingControl = false
            human = started.kind == .human
            if let personality = started.personality {
                partnerName = personality.name
                say(
                    "— chatting with \(personality.name) (\(personality.id), version \(personality.version)) —"
                )
            } else {
                partnerName = "Stranger"
                say("— chatting with a stranger —")
            }
            if let greeting = started.greeting { say("\(partnerName): \(greeting)") }
            if endWhenStarted { quit() }
        case .ack:
            if human { awaiting = false }
        case .replyStart:
            output.write("\(partnerName): ")
        case .token(_, _, let delta):
            output.write(delta)
        case .replyEnd(_, _, _, _, let finish):
            switch finish {
            case .stop: say("")
            case .cancelled: say(" [cancelled]")
            case .length: say(" [cut: the reply reached its length limit]")
            case .error: say(" [the bot failed to finish]")
            }
            awaiting = false
        case .partnerMessage(_, _, let text):
            say("Stranger: \(text)")
        case .partnerTyping(_, let on):
            say(on ? "(stranger is typing…)" : "(stranger stopped typing)")
        case .sessionEnded(let id, let reason, let farewell):
            if let farewell { say("\(partnerName): \(farewell)") }
            say("— chat ended: \(Self.words(for: reason)) —")
            active = false
            awaiting = false
            awaitingControl = false
            lastEnded = id
            session = nil
            if quitting { client?.close() }
        case .error(let report):
            var line = "! \(report.message) (\(report.code.rawValue))"
            if let retry = report.retryAfterMilliseconds {
                line += "; try again in \(Double(retry) / 1000) s"
            }
            say(line)
            // The refused message will get no answer: move on.
            if report.ref != nil || awaitingControl {
                awaiting = false
                awaitingControl = false
            }
            if report.code == .unknownPersonality || report.code == .shuttingDown
                || (session == nil && lastEnded == nil)
            {
                failure = report.message
                quit()
            }
        case .pong, .sessionResumed, .sessionDetached:
            break
        }
    }

    static func words(for reason: EndReason) -> String {
        switch reason {
        case .user: "you left"
        case .partnerLeft: "your partner left; /next finds a new one, /next bot a bot"
        case .limitReached: "the reply limit for this chat was reached"
        case .idle: "nothing was said for too long"
        case .sessionTimeout: "the chat reached its time limit"
        case .shutdown: "the server is shutting down"
        case .personalityRemoved: "the personality was removed from the server"
        case .noPartner: "nobody was available"
        case .disconnected: "the connection was gone too long to resume"
        case .error: "the server hit an error"
        }
    }

    func webSocketClient(
        _ client: WebSocketClient, didEnd closure: WebSocketClosure?, failure: WebSocketClientError?
    ) {
        let done = finished
        finished = nil
        retained = nil
        if let failure {
            done?("cannot chat: \(failure)")
        } else if quitting || closure?.code.rawValue == 1000 {
            done?(self.failure)
        } else {
            let code = closure.map { "\($0.code)" } ?? "none"
            let reason = closure.map { $0.reason.isEmpty ? "" : ": \($0.reason)" } ?? ""
            done?("the server closed the connection (code \(code)\(reason))")
        }
    }
}
