"""The official python-socketio client chatting through `persona serve` on namespace `/`.

usage: socketio_client_chat.py PORT TRANSPORT   (TRANSPORT: default | websocket)
Prints `ok ...` per scenario or raises. Run against Tests/PersonaTests/Fixtures/chat with
--matchmaking-timeout 0.3 (parrot answers "hello X" to "i am X").
"""
import queue
import sys
import time

import socketio

PORT = int(sys.argv[1])
TRANSPORTS = None if sys.argv[2] == "default" else ["websocket"]
URL = f"http://127.0.0.1:{PORT}"
EVENTS = ["welcome", "matching", "session_started", "session_resumed", "ack", "reply_start", "token",
          "reply_end", "partner_message", "partner_typing", "session_ended", "error"]


class Chat:
    """A connected client whose server events land in one queue, in order."""

    def __init__(self, auth=None):
        self.client = socketio.Client(reconnection=False)
        self.events = queue.Queue()
        for name in EVENTS:
            self.client.on(name, (lambda name: lambda payload: self.events.put((name, payload)))(name))
        self.client.connect(URL, auth=auth, transports=TRANSPORTS, wait_timeout=5)
        name, welcome = self.next()
        assert name == "welcome" and welcome["type"] == "welcome", (name, welcome)

    def next(self, timeout=5):
        return self.events.get(timeout=timeout)

    def until(self, wanted, timeout=5):
        seen = []
        deadline = time.time() + timeout
        while True:
            name, payload = self.next(timeout=max(0.01, deadline - time.time()))
            seen.append((name, payload))
            if name == wanted:
                return payload, seen

    def call(self, event, payload):
        return self.client.call(event, payload, timeout=5)

    def reply(self):
        """Joins the token events of the next reply; returns (text, reply_end)."""
        end, seen = self.until("reply_end")
        text = "".join(p["delta"] for n, p in seen if n == "token")
        return text, end

    def close(self):
        self.client.disconnect()


def direct():
    chat = Chat()
    started = chat.call("start", {"personality": "parrot"})
    assert started["type"] == "session_started" and started["kind"] == "bot", started
    assert started["greeting"] == "Squawk, hello!" and started["personality"]["id"] == "parrot", started
    event, _ = chat.until("session_started")
    assert event == started, (event, started)
    session = started["session"]
    ack = chat.call("message", {"session": session, "text": "i am alice", "id": "m1"})
    assert ack == {"type": "ack", "session": session, "id": "m1", "seq": 1}, ack
    text, end = chat.reply()
    assert text == "hello alice" and end["finish"] == "stop" and end["tokens"] > 1, (text, end)
    print("ok direct: acked", ack["id"], "and", end["tokens"], "tokens joined to", repr(text), flush=True)
    refused = chat.call("message", {"session": "nope", "text": "hi", "id": "m2"})
    assert refused["type"] == "error" and refused["code"] == "unknown_session" and refused["ref"] == "m2", refused
    unknown = chat.call("start", {"personality": "nobody-here"})
    assert unknown["type"] == "error" and unknown["code"] == "unknown_personality", unknown
    bad = chat.call("message", {"session": session})
    assert bad["type"] == "error" and bad["code"] == "missing_field", bad
    print("ok errors arrive as the ack's payload:", refused["code"], unknown["code"], bad["code"], flush=True)
    ended = chat.call("end", {"session": session})
    assert ended["type"] == "session_ended" and ended["reason"] == "user", ended
    print("ok end acked with session_ended", flush=True)
    chat.close()


def matched_and_typing():
    a, b = Chat(), Chat()
    waiting = a.call("start", {"mode": "random", "language": "en"})
    assert waiting["type"] == "matching" and waiting["timeout_ms"] > 0, waiting
    started_b = b.call("start", {"mode": "random", "language": "en"})
    started_a, _ = a.until("session_started")
    assert started_a["kind"] == "human" and started_b["kind"] == "human", (started_a, started_b)
    sa, sb = started_a["session"], started_b["session"]
    assert a.call("typing", {"session": sa, "on": True}) == {"type": "ok"}
    typing, _ = b.until("partner_typing")
    assert typing == {"type": "partner_typing", "session": sb, "on": True}, typing
    ack = a.call("message", {"session": sa, "text": "hello stranger", "id": "a1"})
    assert ack["type"] == "ack" and ack["id"] == "a1", ack
    relayed, _ = b.until("partner_message")
    assert relayed["text"] == "hello stranger" and relayed["session"] == sb, relayed
    print("ok two clients matched; typing and messages relayed", flush=True)
    a.close()
    b.close()


def fallback():
    chat = Chat()
    waiting = chat.call("start", {"mode": "random", "language": "en"})
    assert waiting["type"] == "matching", waiting
    started, _ = chat.until("session_started")
    assert started["kind"] == "bot" and started["personality"]["id"] == "parrot", started
    chat.call("message", {"session": started["session"], "text": "i am lonely", "id": "f1"})
    text, _ = chat.reply()
    assert text == "hello lonely", text
    print("ok random chat fell back to", started["personality"]["id"], flush=True)
    chat.close()


def said_and_left(name):
    """Starts a parrot session, says "i am NAME", reads the reply, disconnects: (session, token, reply_end)."""
    first = Chat()
    started = first.call("start", {"personality": "parrot"})
    session, token = started["session"], started["resume_token"]
    first.call("message", {"session": session, "text": f"i am {name}", "id": "r1"})
    text, end = first.reply()
    assert text == f"hello {name}", text
    first.close()
    return session, token, end


def resume():
    session, token, end = said_and_left("bob")
    second = Chat()
    resumed = second.call("resume", {"session": session, "resume_token": token, "last_seq": 0})
    assert resumed["type"] == "session_resumed" and resumed["session"] == session, resumed
    assert resumed["last_seq"] == end["seq"], (resumed, end)
    replayed, _ = second.reply()
    assert replayed == "hello bob", replayed
    ack = second.call("message", {"session": session, "text": "i am back", "id": "r2"})
    assert ack["type"] == "ack" and ack["seq"] > end["seq"], ack
    text, _ = second.reply()
    assert text == "hello back", text
    wrong = second.call("resume", {"session": session, "resume_token": "0" * 64, "last_seq": 0})
    assert wrong["type"] == "error" and wrong["code"] == "invalid_resume_token", wrong
    print("ok reconnected, resumed and got the missed reply replayed; a wrong token is refused", flush=True)
    second.close()


def cross_door():
    """A Socket.IO client and a native /v1/ws client meet in the same matchmaking queue."""
    import json
    from websockets.sync.client import connect
    chat = Chat()
    native = connect(f"ws://127.0.0.1:{PORT}/v1/ws", open_timeout=5)
    assert json.loads(native.recv(timeout=5))["type"] == "welcome"
    assert chat.call("start", {"mode": "random", "language": "en"})["type"] == "matching"
    native.send(json.dumps({"type": "start", "mode": "random", "language": "en"}))
    started_native = json.loads(native.recv(timeout=5))
    started_sio, _ = chat.until("session_started")
    assert started_native["kind"] == "human" and started_sio["kind"] == "human", (started_native, started_sio)
    chat.call("message", {"session": started_sio["session"], "text": "hello from socket.io", "id": "x1"})
    frame = json.loads(native.recv(timeout=5))
    assert frame["type"] == "partner_message" and frame["text"] == "hello from socket.io", frame
    native.send(json.dumps({"type": "message", "session": started_native["session"], "text": "hi from ws", "id": "n1"}))
    relayed, _ = chat.until("partner_message")
    assert relayed["text"] == "hi from ws", relayed
    print("ok a Socket.IO client and a /v1/ws client were matched and talked", flush=True)
    native.close()
    chat.close()


def resume_across_doors():
    """A session started over Socket.IO resumes on /v1/ws, and back: one session, whichever door."""
    import json
    from websockets.sync.client import connect

    def native_reply(socket):
        text = ""
        while True:
            frame = json.loads(socket.recv(timeout=5))
            if frame["type"] == "token":
                text += frame["delta"]
            elif frame["type"] == "reply_end":
                return text, frame
            elif frame["type"] in ("error", "session_ended"):
                raise AssertionError(frame)

    session, token, end = said_and_left("carol")
    native = connect(f"ws://127.0.0.1:{PORT}/v1/ws", open_timeout=5)
    assert json.loads(native.recv(timeout=5))["type"] == "welcome"
    native.send(json.dumps({"type": "resume", "session": session, "resume_token": token, "last_seq": 0}))
    resumed = json.loads(native.recv(timeout=5))
    assert resumed["type"] == "session_resumed" and resumed["session"] == session, resumed
    replayed, _ = native_reply(native)
    assert replayed == "hello carol", replayed
    native.send(json.dumps({"type": "message", "session": session, "text": "i am dave", "id": "n1"}))
    text, native_end = native_reply(native)
    assert text == "hello dave", text
    native.close()
    back = Chat()
    resumed = back.call("resume", {"session": session, "resume_token": token, "last_seq": end["seq"]})
    assert resumed["type"] == "session_resumed" and resumed["last_seq"] == native_end["seq"], (resumed, native_end)
    replayed, _ = back.reply()
    assert replayed == "hello dave", replayed
    back.call("message", {"session": session, "text": "i am erin", "id": "d2"})
    text, _ = back.reply()
    assert text == "hello erin", text
    print("ok a session started over Socket.IO resumed on /v1/ws and back, each door replaying what it missed", flush=True)
    back.close()


direct()
matched_and_typing()
fallback()
resume()
resume_across_doors()
cross_door()
