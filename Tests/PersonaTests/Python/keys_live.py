"""API keys on every door of a `persona serve --auth keys` (fixtures: Tests/PersonaTests/Fixtures/page).

Usage: keys_live.py PORT KEYS_JSON [off]
KEYS_JSON maps names to key texts: good, free, other, revoked, expired, origin (with `off`, for a
server with --auth off: free and origin only).
Prints one `ok ...` line per check; any failure raises (exit status 1).
"""

import http.client
import json
import queue
import sys
import time

from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

PORT = int(sys.argv[1])
KEYS = json.loads(sys.argv[2])


def check(condition, message):
    if not condition:
        raise AssertionError(message)
    print("ok " + message, flush=True)


def call(method, path, key=None, body=None, origin=None, token=None):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token is not None:
        headers["X-Persona-Session-Token"] = token
    if key is not None:
        headers["Authorization"] = "Bearer " + key
    if origin:
        headers["Origin"] = origin
    if isinstance(body, str):  # an Engine.IO payload, sent as is
        headers["Content-Type"] = "text/plain;charset=UTF-8"
        data = body.encode()
    else:
        data = json.dumps(body).encode() if body is not None else None
    connection.request(method, path, body=data, headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data


def ws(key=None, origin=None, query=""):
    """Opens /v1/ws offering persona.v1 (and the key as persona-key.KEY); returns the socket or (status, body)."""
    protocols = ["persona.v1"] + (["persona-key." + key] if key is not None else [])
    try:
        socket = connect(f"ws://127.0.0.1:{PORT}/v1/ws{query}", subprotocols=protocols, origin=origin, open_timeout=10)
    except InvalidStatus as refused:
        return refused.response.status_code, bytes(refused.response.body or b"")
    return socket


def frames(socket, until, limit=200):
    seen = []
    for _ in range(limit):
        frame = json.loads(socket.recv(timeout=10))
        seen.append(frame)
        if until(frame):
            return seen
    raise AssertionError(f"no frame matched in {seen}")


def start(socket, personality="parrot"):
    frames(socket, lambda f: f["type"] == "welcome")
    socket.send(json.dumps({"type": "start", "personality": personality}))
    return frames(socket, lambda f: f["type"] in ("session_started", "error"))[-1]


def doors():
    completion = {"model": "parrot", "messages": [{"role": "user", "content": "hi"}]}
    return {
        "REST": lambda key: call("GET", "/v1/personalities", key),
        "OpenAI": lambda key: call("POST", "/v1/chat/completions", key, completion),
        "WebSocket": lambda key: ws(key),
        "Socket.IO": lambda key: call("GET", "/socket.io/?EIO=4&transport=polling", key),
    }


def socketio_client():
    import socketio
    good = socketio.Client(reconnection=False)
    good.connect(f"http://127.0.0.1:{PORT}", headers={"Authorization": "Bearer " + KEYS["good"]}, wait_timeout=10)
    check(good.connected, "the official python-socketio client connects with a good key (headers=)")
    good.disconnect()
    refused = socketio.Client(reconnection=False)
    try:
        refused.connect(f"http://127.0.0.1:{PORT}", headers={"Authorization": "Bearer " + KEYS["revoked"]}, wait_timeout=10)
        connected = refused.connected
        refused.disconnect()
    except socketio.exceptions.ConnectionError:
        connected = False
    check(not connected, "and is refused with a revoked key")


class SocketIOChat:
    """The official python-socketio client on namespace `/` with a key in its headers; server events queue up in order."""

    def __init__(self, key, transports=None):
        import socketio
        self.client = socketio.Client(reconnection=False)
        self.events = queue.Queue()
        for name in ("welcome", "session_started", "session_resumed", "reply_end", "session_ended", "error"):
            self.client.on(name, (lambda name: lambda payload: self.events.put((name, payload)))(name))
        headers = {"Authorization": "Bearer " + key} if key is not None else {}
        self.client.connect(f"http://127.0.0.1:{PORT}", headers=headers, transports=transports, wait_timeout=10)

    def call(self, event, payload):
        return self.client.call(event, payload, timeout=10)

    def until(self, names, timeout=10):
        deadline = time.time() + timeout
        while True:
            name, payload = self.events.get(timeout=max(0.01, deadline - time.time()))
            if name in names:
                return name, payload

    def close(self):
        self.client.disconnect()


def socketio_replies(key, transports=None):
    """Replies a Socket.IO session of `key` gets to three messages, and how it ended (if it did)."""
    chat = SocketIOChat(key, transports)
    started = chat.call("start", {"personality": "parrot"})
    session, count, ended = started["session"], 0, None
    for index in range(3):
        answer = chat.call("message", {"session": session, "text": f"hello {index}", "id": f"s{index}"})
        if answer["type"] != "ack":
            break
        name, payload = chat.until(("reply_end", "session_ended"))
        if name == "session_ended":
            ended = payload
            break
        count += 1
        if count == 2:
            try:
                ended = chat.until(("session_ended",), timeout=2)[1]
                break
            except queue.Empty:
                pass
    chat.close()
    return count, ended


def socketio_tiers():
    count, ended = socketio_replies(KEYS["free"])
    check(count == 2 and ended is not None and ended["reason"] == "limit_reached",
          f"Socket.IO: a 'free' key's session gets its tier's rule: {count} replies, then session_ended {ended and ended['reason']}")


def socketio_tenants():
    owner = SocketIOChat(KEYS["good"], ["websocket"])
    started = owner.call("start", {"personality": "parrot"})
    session, token = started["session"], started["resume_token"]
    owner.close()
    stranger = SocketIOChat(KEYS["other"])
    answer = stranger.call("resume", {"session": session, "resume_token": token, "last_seq": 0})
    stranger.close()
    check(answer["type"] == "error" and answer["code"] in ("unknown_session", "not_your_session"),
          f"Socket.IO: another tenant's key cannot resume an acme session even with its token ({answer.get('code')})")
    again = SocketIOChat(KEYS["good"])
    answer = again.call("resume", {"session": session, "resume_token": token, "last_seq": 0})
    again.close()
    check(answer["type"] == "session_resumed", "Socket.IO: the same tenant's key resumes it")
    # An Engine.IO session belongs to the key that opened it: another key cannot post into it.
    status, body = call("GET", "/socket.io/?EIO=4&transport=polling", KEYS["good"])
    sid = json.loads(body[1:])["sid"]
    path = f"/socket.io/?EIO=4&transport=polling&sid={sid}"
    other = call("POST", path, KEYS["other"], "40")
    own = call("POST", path, KEYS["good"], "40")
    check(status == 200 and other[0] == 400 and own == (200, b"ok"),
          f"Socket.IO: another tenant's key is told the sid is unknown (400), the opening key is served ({own[0]})")


def socketio_widget_tenants():
    """A key may use its own tenant's widget deployments, not another tenant's."""
    import socketio
    answers = {}
    for deployment in ("acme-widget", "globex-widget"):
        client = socketio.Client(reconnection=False)
        events = queue.Queue()
        for name in ("connected", "error"):
            client.on(name, (lambda name: lambda payload: events.put((name, payload)))(name), namespace="/compat/widget")
        client.connect(f"http://127.0.0.1:{PORT}", namespaces=["/compat/widget"], headers={"Authorization": "Bearer " + KEYS["good"]},
                       auth={"deploymentKey": deployment, "visitorId": "v-1"}, wait_timeout=10)
        answers[deployment] = events.get(timeout=10)
        client.disconnect()
    check(answers["acme-widget"][0] == "connected" and answers["globex-widget"] == ("error", {"message": "Invalid deployment key"}),
          "Socket.IO widget: an acme key opens acme's deployment; globex's is an invalid deployment key for it")


def refusals():
    # Wait until the one-second key has expired.
    time.sleep(max(0, KEYS["expired_at"] - time.time() + 0.2))
    bad = {
        "missing": None,
        "malformed": "not-a-key",
        "wrong secret": KEYS["good"][:-4] + ("0000" if not KEYS["good"].endswith("0000") else "1111"),
        "unknown id": "pk_000000000000_" + "0" * 64,
        "revoked": KEYS["revoked"],
        "expired": KEYS["expired"],
    }
    for door, call in doors().items():
        answers = {name: call(key) for name, key in bad.items()}
        statuses = {name: answer[0] for name, answer in answers.items()}
        check(set(statuses.values()) == {401}, f"{door}: missing, malformed, wrong, unknown, revoked, expired keys are all 401 ({statuses})")
        bodies = {answer[1] for answer in answers.values()}
        check(len(bodies) == 1, f"{door}: the six refusals have one identical body: {bodies.pop()[:80]!r}")
        good = call(KEYS["good"])
        if door == "WebSocket":
            check(not isinstance(good, tuple) and good.subprotocol == "persona.v1", "WebSocket: a good key opens, subprotocol persona.v1 selected")
            good.close()
        else:
            check(good[0] == 200, f"{door}: a good key is served (200)")


def tiers():
    replies = {}
    for name in ("good", "free"):
        socket = ws(KEYS[name])
        started = start(socket)
        session = started["session"]
        count, ended = 0, None
        for index in range(3):
            socket.send(json.dumps({"type": "message", "session": session, "text": f"hello {index}", "id": f"m{index}"}))
            seen = frames(socket, lambda f: f["type"] in ("reply_end", "error", "session_ended"))
            if seen[-1]["type"] == "reply_end":
                count += 1
            if name == "free" and count == 2:
                ended = frames(socket, lambda f: f["type"] == "session_ended")[-1]
                break
        replies[name] = (count, ended)
        socket.close()
    check(replies["good"][0] == 3, "a key without a tier gets the default limits (3 replies, no end)")
    check(replies["free"][0] == 2 and replies["free"][1]["reason"] == "limit_reached",
          "a 'free' key gets its tier's rule: 2 replies, then session_ended limit_reached")


def tenants():
    owner = ws(KEYS["good"])
    started = start(owner)
    session, token = started["session"], started["resume_token"]
    owner.close()
    stranger = ws(KEYS["other"])
    frames(stranger, lambda f: f["type"] == "welcome")
    stranger.send(json.dumps({"type": "resume", "session": session, "resume_token": token, "last_seq": 0}))
    answer = frames(stranger, lambda f: f["type"] in ("error", "session_resumed"))[-1]
    # (not_your_session when the stranger's connection is on another loop than the session's id names)
    check(answer["type"] == "error" and answer["code"] in ("unknown_session", "not_your_session"),
          f"another tenant's key cannot resume the session even with its token ({answer.get('code')})")
    stranger.close()
    again = ws(KEYS["good"])
    frames(again, lambda f: f["type"] == "welcome")
    again.send(json.dumps({"type": "resume", "session": session, "resume_token": token, "last_seq": 0}))
    answer = frames(again, lambda f: f["type"] in ("error", "session_resumed"))[-1]
    check(answer["type"] == "session_resumed", "the same tenant's key resumes it")
    again.close()
    # REST: a session created with one tenant's key is not found with another tenant's key.
    status, created = call("POST", "/v1/sessions", KEYS["good"], {"personality": "parrot"})
    created = json.loads(created)
    path = f"/v1/sessions/{created['session']}/messages"
    answers = {}
    for name in ("good", "other"):
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
        connection.request("GET", path, headers={"Authorization": "Bearer " + KEYS[name],
                                                 "X-Persona-Session-Token": created["resume_token"]})
        response = connection.getresponse()
        answers[name] = (response.status, json.loads(response.read()))
        connection.close()
    check(status == 201 and answers["good"][0] == 200 and answers["other"][0] == 404
          and answers["other"][1]["error"]["code"] == "unknown_session",
          f"REST: another tenant's key with the session token gets 404 unknown_session ({answers['other'][0]})")
    # Ended: the door remembers the end, for its own tenant only.
    ended = call("DELETE", f"/v1/sessions/{created['session']}", KEYS["good"], token=created["resume_token"])
    state = {name: call("GET", f"/v1/sessions/{created['session']}", KEYS[name], token=created["resume_token"])
             for name in ("good", "other")}
    check(ended[0] == 200 and state["good"][0] == 200 and json.loads(state["good"][1])["state"] == "ended"
          and state["other"][0] == 404,
          f"REST: an ended session's end is read by its tenant (200), not by another tenant's key ({state['other'][0]})")


def origins():
    refused = ws(KEYS["origin"], origin="https://evil.example")
    check(isinstance(refused, tuple) and refused[0] == 403, f"a key naming origins is refused from another origin on /v1/ws ({refused[0] if isinstance(refused, tuple) else 101})")
    allowed = ws(KEYS["origin"], origin="https://app.example")
    check(not isinstance(allowed, tuple), "and accepted from its own origin")
    allowed.close()
    rest_origins("")


def rest_origins(prefix):
    """REST and CORS for the key naming https://app.example; `prefix` starts each check's line."""
    status, _ = call("GET", "/v1/personalities", KEYS["origin"], origin="https://evil.example")
    check(status == 403, prefix + "REST refuses a key naming origins from another origin (403)")
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    connection.request("GET", "/v1/personalities", headers={"Authorization": "Bearer " + KEYS["origin"], "Origin": "https://app.example"})
    response = connection.getresponse()
    response.read()
    check(response.status == 200 and response.getheader("Access-Control-Allow-Origin") == "https://app.example",
          prefix + "REST serves the key's own origin with CORS for it")
    connection.request("OPTIONS", "/v1/personalities", headers={"Origin": "https://app.example", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"})
    response = connection.getresponse()
    response.read()
    check(response.status == 204, prefix + "a CORS preflight from an origin a key names is allowed")


def tickets():
    status, _ = call("POST", "/v1/ws-tickets", None)
    check(status == 401, "a ticket needs a key (401 without)")
    status, body = call("POST", "/v1/ws-tickets", KEYS["good"])
    ticket = json.loads(body)
    check(status == 201 and ticket["expires_in"] == 30, "a key gets a 30-second ticket")
    socket = ws(query="?ticket=" + ticket["ticket"])
    check(not isinstance(socket, tuple), "the ticket opens /v1/ws without the key in the URL or a header")
    socket.close()
    again = ws(query="?ticket=" + ticket["ticket"])
    check(isinstance(again, tuple) and again[0] == 401, "a ticket works once: the second upgrade is 401")


def auth_off():
    """With --auth off a valid key still applies: its tier on Socket.IO, its origins for CORS."""
    status, _ = call("GET", "/v1/personalities")
    check(status == 200, "auth off: no key is needed (200)")
    socketio_tiers()
    rest_origins("auth off: ")


if sys.argv[3:] == ["off"]:
    auth_off()
else:
    refusals()
    socketio_client()
    tickets()
    tiers()
    tenants()
    origins()
    socketio_tiers()
    socketio_tenants()
    socketio_widget_tenants()
