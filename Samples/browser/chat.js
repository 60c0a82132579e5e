// A plain-JavaScript client for Persona's native WebSocket protocol (v1), no dependencies.
//
// `PersonaChat` is the protocol: it turns calls into JSON frames and frames into callbacks.
// It never touches the network itself — hand it a `send(text)` function and feed it every
// frame with `receive(text)` — so the same code runs in a browser (see `connect` below and
// chat.html) and under Node in the project's tests. See "The chat protocol" in the README for every message type.

export class PersonaChat {
  /**
   * @param {(text: string) => void} send  writes one text frame
   * @param {object} on  callbacks, all optional:
   *   welcome(info), matching(timeoutMs), started(session, personality|null, greeting|null),
   *   token(delta), reply(text, finish), partner(text), typing(on), ended(reason, farewell|null),
   *   error(code, message, retryAfterMs|null)
   */
  constructor(send, on = {}) {
    this.sendFrame = send;
    this.on = on;
    this.session = null;
    this.reply = "";
    this.nextId = 1;
  }

  /** Start a chat: `{ personality: "id" }`, or `{ random: true, language: "en" }`. */
  start(options) {
    const frame = options.random
      ? { type: "start", mode: "random", ...(options.language ? { language: options.language } : {}) }
      : { type: "start", personality: options.personality };
    this.sendFrame(JSON.stringify(frame));
  }

  /** Send a message. Sent while a reply streams, it is queued and answered in order. */
  say(text) {
    const id = `m${this.nextId++}`;
    this.sendFrame(JSON.stringify({ type: "message", session: this.session, text, id }));
    return id;
  }

  typing(on) { this.sendFrame(JSON.stringify({ type: "typing", session: this.session, on })); }
  cancel() { this.sendFrame(JSON.stringify({ type: "cancel", session: this.session })); }
  end() { this.sendFrame(JSON.stringify({ type: "end", session: this.session })); }

  /** Feed one text frame from the server. */
  receive(text) {
    const m = JSON.parse(text);
    const on = this.on;
    switch (m.type) {
      case "welcome": on.welcome?.(m); break;
      case "matching": this.session = m.session; on.matching?.(m.timeout_ms); break;
      case "session_started":
        this.session = m.session;
        on.started?.(m.session, m.personality ?? null, m.greeting ?? null);
        break;
      case "reply_start": this.reply = ""; break;
      case "token": this.reply += m.delta; on.token?.(m.delta); break;
      case "reply_end": on.reply?.(this.reply, m.finish); break;
      case "partner_message": on.partner?.(m.text); break;
      case "partner_typing": on.typing?.(m.on); break;
      case "session_ended": on.ended?.(m.reason, m.farewell ?? null); break;
      case "error": on.error?.(m.code, m.message, m.retry_after_ms ?? null); break;
      default: break; // ack, pong, and types a newer server may add
    }
  }
}

/** Browser glue: opens the WebSocket and wires it to a `PersonaChat`. */
export function connect(url, on = {}) {
  const socket = new WebSocket(url);
  const chat = new PersonaChat((text) => socket.send(text), on);
  socket.onmessage = (event) => chat.receive(event.data);
  socket.onclose = (event) => on.closed?.(event.code, event.reason);
  chat.socket = socket;
  return chat;
}
