"""Live scenarios for the HTTP doors of `persona serve`: the official `openai` SDK against the
OpenAI-compatible API, and a plain HTTP client (http.client, no helpers) against REST.

Usage: api_scenarios.py SCENARIO PORT [SERVER_PID]
Prints one `ok ...` line per check that passed; any failure raises (exit status 1).
The server runs on Tests/PersonaTests/Fixtures/api (echo, metronome at 10 tokens/s, flood, short).
"""

import http.client
import json
import os
import signal
import statistics
import sys
import threading
import time

PORT = int(sys.argv[2])
BASE = f"http://127.0.0.1:{PORT}/v1"


def check(condition, message):
    if not condition:
        raise AssertionError(message)
    print("ok " + message, flush=True)


def request(method, path, body=None, headers=None, raw=None):
    """One request on a fresh connection; returns (status, headers dict lower-cased, parsed body)."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    payload = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    all_headers = {"Content-Type": "application/json"} if payload is not None else {}
    all_headers.update(headers or {})
    connection.request(method, path, body=payload, headers=all_headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    fields = {k.lower(): v for k, v in response.getheaders()}
    parsed = json.loads(data) if data and fields.get("content-type", "").startswith("application/json") else data
    return response.status, fields, parsed


def create_session(personality, **extra):
    status, _, body = request("POST", "/v1/sessions", {"personality": personality, **extra})
    assert status == 201, (status, body)
    return body["session"], {"Authorization": "Bearer " + body["resume_token"]}, body


def read_events(response):
    """Yields (arrival time, event name or ':comment', data) as each SSE event is dispatched."""
    event, data = None, []
    while True:
        line = response.readline()
        if not line:
            return
        line = line.decode().rstrip("\r\n")
        now = time.monotonic()
        if line == "":
            if data or event:
                yield now, event or "message", "\n".join(data)
            event, data = None, []
        elif line.startswith(":"):
            yield now, ":comment", line[1:].strip()
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip(" ") if line[5:6] == " " else line[5:])


# ---------------------------------------------------------------- the official openai SDK

def client(**options):
    from openai import OpenAI
    return OpenAI(base_url=BASE, api_key="test-key", **options)


def sdk_models():
    import openai
    models = list(client().models.list())
    ids = [m.id for m in models]
    check(ids == ["echo", "flood", "metronome", "short"], f"models.list() lists every personality: {ids}")
    check(all(m.object == "model" and m.owned_by == "persona" and m.created > 0 for m in models),
          "each model has object 'model', owned_by 'persona' and a created time")
    model = client().models.retrieve("metronome")
    check(model.id == "metronome" and model.object == "model", "models.retrieve('metronome') returns it")
    try:
        client().models.retrieve("nobody")
        raise AssertionError("retrieving an unknown model succeeded")
    except openai.NotFoundError as error:
        check(error.status_code == 404 and error.code == "model_not_found" and error.type == "not_found_error",
              f"models.retrieve of an unknown model raises NotFoundError ({error.code}, {error.type})")


CONVERSATION = [
    {"role": "system", "content": "You are ignored: a personality has its own instructions."},
    {"role": "user", "content": "my name is Ann"},
    {"role": "assistant", "content": "nice to meet you Ann"},
    {"role": "user", "content": [{"type": "text", "text": "what is my name"}]},
]


def sdk_create():
    completion = client().chat.completions.create(model="echo", messages=CONVERSATION)
    choice = completion.choices[0]
    check(choice.message.content == "your name is Ann" and choice.message.role == "assistant",
          "non-streaming create answers the last user turn after replaying the earlier ones: "
          + repr(choice.message.content))
    check(choice.finish_reason == "stop" and choice.index == 0, "finish_reason 'stop', index 0")
    check(completion.id.startswith("chatcmpl-") and completion.object == "chat.completion"
          and completion.model == "echo", f"id {completion.id}, object chat.completion, model echo")
    usage = completion.usage
    check(usage.completion_tokens == 7 and usage.prompt_tokens > 0
          and usage.total_tokens == usage.prompt_tokens + usage.completion_tokens,
          f"usage counts the reply's 7 tokens: {usage.prompt_tokens}+{usage.completion_tokens}={usage.total_tokens}")
    limited = client().chat.completions.create(
        model="echo", messages=[{"role": "user", "content": "count"}], max_tokens=3)
    check(limited.choices[0].message.content == "one two" and limited.choices[0].finish_reason == "length"
          and limited.usage.completion_tokens == 3,
          "max_tokens=3 stops after three tokens with finish_reason 'length'")
    stopped = client().chat.completions.create(
        model="echo", messages=[{"role": "user", "content": "count"}], stop=["four", "nine"])
    check(stopped.choices[0].message.content == "one two three " and stopped.choices[0].finish_reason == "stop",
          "stop=['four','nine'] cuts the reply before 'four' with finish_reason 'stop'")


def sdk_stream():
    chunks = list(client().chat.completions.create(
        model="echo", messages=CONVERSATION, stream=True, stream_options={"include_usage": True}))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    check(text == "your name is Ann", f"a streaming loop's deltas join to the reply: {text!r}")
    check(len({c.id for c in chunks}) == 1 and len({c.created for c in chunks}) == 1,
          f"all {len(chunks)} chunks share one id and one created time")
    check(all(c.object == "chat.completion.chunk" for c in chunks), "every chunk is a chat.completion.chunk")
    first, finals = chunks[0], [c for c in chunks if c.choices and c.choices[0].finish_reason]
    check(first.choices[0].delta.role == "assistant" and first.choices[0].delta.content == "",
          "the first chunk carries role 'assistant' and empty content")
    check(len(finals) == 1 and finals[0].choices[0].finish_reason == "stop" and chunks.index(finals[0]) == len(chunks) - 2,
          "finish_reason is null on every chunk but the last choice chunk, which says 'stop'")
    usage_chunk = chunks[-1]
    check(usage_chunk.choices == [] and usage_chunk.usage.completion_tokens == 7
          and usage_chunk.usage.total_tokens == usage_chunk.usage.prompt_tokens + 7,
          "include_usage adds a last chunk with choices [] and the usage")
    check(all(c.usage is None for c in chunks[:-1]), "the other chunks carry usage null")


def sdk_stream_helper():
    with client().chat.completions.stream(model="echo", messages=CONVERSATION) as stream:
        deltas = [event.delta for event in stream if event.type == "content.delta"]
        final = stream.get_final_completion()
    check("".join(deltas) == "your name is Ann", f"the stream() helper's content.delta events join: {deltas}")
    check(final.choices[0].message.content == "your name is Ann" and final.choices[0].finish_reason == "stop",
          "get_final_completion() holds the whole reply and finish_reason 'stop'")


def sdk_errors():
    import openai
    try:
        client().chat.completions.create(model="nobody", messages=[{"role": "user", "content": "hi"}])
        raise AssertionError("an unknown model was answered")
    except openai.NotFoundError as error:
        check(error.status_code == 404 and error.code == "model_not_found" and error.param == "model",
              "an unknown model raises NotFoundError with code model_not_found, param model")
    try:
        client().chat.completions.create(model="echo", messages=[{"role": "robot", "content": "hi"}])
        raise AssertionError("a malformed body was answered")
    except openai.BadRequestError as error:
        check(error.status_code == 400 and error.type == "invalid_request_error"
              and error.param == "messages[0].role",
              f"a malformed body raises BadRequestError naming the member ({error.param})")
    try:
        client().chat.completions.create(model="echo", messages=[{"role": "user", "content": "hi"}], n=2)
        raise AssertionError("n=2 was answered")
    except openai.BadRequestError as error:
        check(error.param == "n", "n=2 is refused with BadRequestError, param n")
    flooded = client(max_retries=0)
    refused = None
    for attempt in range(6):
        try:
            flooded.chat.completions.create(model="flood", messages=[{"role": "user", "content": f"m{attempt}"}])
        except openai.RateLimitError as error:
            refused = (attempt, error)
            break
    check(refused is not None and refused[0] == 3, "a flood is refused at the fourth request (burst 3)")
    error = refused[1]
    headers = error.response.headers
    check(error.status_code == 429 and error.code == "rate_limited" and error.type == "rate_limit_error",
          f"RateLimitError with code rate_limited, type rate_limit_error")
    check(int(headers["retry-after"]) >= 1 and int(headers["retry-after-ms"]) > 0
          and headers["x-ratelimit-remaining-requests"] == "0" and headers["x-should-retry"] == "true"
          and headers["x-ratelimit-limit-requests"] == "30" and headers["x-ratelimit-reset-requests"].endswith("ms"),
          f"the 429 carries Retry-After {headers['retry-after']}, retry-after-ms and x-ratelimit-* headers")


def sdk_held_session():
    """Server-side state: the SDK talks to a REST session (X-Persona-Session, token as the API key)."""
    from openai import OpenAI
    session, auth, created = create_session("echo")
    held = OpenAI(base_url=BASE, api_key=created["resume_token"], default_headers={"X-Persona-Session": session})
    first = held.chat.completions.create(model="echo", messages=[{"role": "user", "content": "my name is Ann"}])
    second = held.chat.completions.create(model="echo", messages=[{"role": "user", "content": "what is my name"}])
    check(first.choices[0].message.content == "nice to meet you Ann"
          and second.choices[0].message.content == "your name is Ann",
          "with X-Persona-Session the server keeps the state: the second request sends only its own message")
    status, _, page = request("GET", f"/v1/sessions/{session}/messages", headers=auth)
    check([m["text"] for m in page["messages"]] == ["my name is Ann", "nice to meet you Ann", "what is my name", "your name is Ann"],
          "the completions are the REST session's turns, read back over REST")
    import openai
    try:
        OpenAI(base_url=BASE, api_key="wrong", default_headers={"X-Persona-Session": session}, max_retries=0
               ).chat.completions.create(model="echo", messages=[{"role": "user", "content": "hi"}])
        raise AssertionError("a wrong token was accepted")
    except openai.NotFoundError as error:
        check(error.code == "unknown_session", "a wrong session token is NotFoundError unknown_session")


def sdk_in_band_error(pid):
    """A stream cut by the server's shutdown after it began: the SDK raises from the in-band error."""
    import openai
    stream = client(max_retries=0).chat.completions.create(
        model="metronome", messages=[{"role": "user", "content": "go"}], stream=True)
    received = []
    try:
        for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                received.append(chunk.choices[0].delta.content)
                if len(received) == 2:
                    os.kill(pid, signal.SIGTERM)
        raise AssertionError("the cut stream ended without an error")
    except openai.APIError as error:
        check(len(received) >= 2 and "cut off" in error.message,
              f"after {len(received)} tokens the cut stream raises APIError from the in-band error: {error.message!r}")


# ---------------------------------------------------------------- REST with a plain client

def rest_flow():
    status, _, listing = request("GET", "/v1/personalities")
    echo = next(p for p in listing["personalities"] if p["id"] == "echo")
    check(status == 200 and echo == {"id": "echo", "name": "Echo", "description": "Repeats what it hears and remembers your name.",
                                      "tags": ["test"], "language": "en", "engine": "script",
                                      "version": echo["version"], "greeting": "Echo here.",
                                      "limits": {"responses_per_session": 1000, "max_input_chars": 200, "daily_messages": 10000000}},
          "GET /v1/personalities lists id, name, description, tags, language, engine, version, greeting, limits")
    status, _, one = request("GET", "/v1/personalities/echo")
    check(status == 200 and one == echo, "GET /v1/personalities/echo returns the same object")
    status, _, error = request("GET", "/v1/personalities/nobody")
    check(status == 404 and error["error"]["code"] == "unknown_personality", "an unknown personality is 404")

    session, auth, created = create_session("echo")
    check(created["greeting"] == "Echo here." and len(created["resume_token"]) == 32
          and created["limits"]["responses_left"] == 1000 and created["limits"]["max_input_chars"] == 200,
          f"POST /v1/sessions → 201 with {sorted(created)}")
    status, _, reply = request("POST", f"/v1/sessions/{session}/messages", {"text": "my name is Ann", "id": "c1"}, auth)
    check(status == 200 and reply["reply"] == "nice to meet you Ann" and reply["finish"] == "stop"
          and reply["tokens"] == 9 and reply["message_seq"] == 1 and reply["seq"] == 2,
          f"POST …/messages answers with the whole reply as JSON: {reply}")
    status, _, reply = request("POST", f"/v1/sessions/{session}/messages", {"text": "what is my name"}, auth)
    check(reply["reply"] == "your name is Ann", "the session keeps its state between requests")
    status, _, state = request("GET", f"/v1/sessions/{session}", headers=auth)
    check(status == 200 and state["state"] == "active" and state["seq"] == 4 and state["replies"] == 2
          and state["limits"]["responses_left"] == 998 and state["personality"]["id"] == "echo",
          f"GET /v1/sessions/{{id}}: state, counts and limits left ({state['limits']})")
    status, _, page = request("GET", f"/v1/sessions/{session}/messages?after=0&limit=3", headers=auth)
    check([m["seq"] for m in page["messages"]] == [1, 2, 3] and page["has_more"] and page["next_after"] == 3
          and page["messages"][0] == {"seq": 1, "role": "user", "text": "my name is Ann"},
          "GET …/messages?after=0&limit=3 pages the history")
    status, _, page = request("GET", f"/v1/sessions/{session}/messages?after=3", headers=auth)
    check(page["messages"] == [{"seq": 4, "role": "bot", "text": "your name is Ann"}] and not page["has_more"],
          "…?after=3 returns the rest")
    status, _, page = request("GET", f"/v1/sessions/{session}/messages?limit=1000", headers=auth)
    check(status == 200 and len(page["messages"]) == 4 and page["next_after"] == 4,
          "limit=1000 (max_history_page) is served; 1001 is refused (see rest_errors)")
    status, _, ended = request("DELETE", f"/v1/sessions/{session}", headers=auth)
    check(status == 200 and ended["reason"] == "user" and ended["farewell"] == "Echo out.",
          "DELETE ends the session with the farewell")
    status, _, state = request("GET", f"/v1/sessions/{session}", headers=auth)
    check(status == 200 and state["state"] == "ended", "an ended session still answers GET (state ended)")
    status, _, page = request("GET", f"/v1/sessions/{session}/messages", headers=auth)
    check(len(page["messages"]) == 4, "and its history stays readable")
    status, _, error = request("POST", f"/v1/sessions/{session}/messages", {"text": "hello?"}, auth)
    check(status == 409 and error["error"]["code"] == "session_not_active", "a message to an ended session is 409")


class Chat:
    """A `/v1/ws` client (the third-party `websockets` library, synchronous API)."""

    def __init__(self):
        from websockets.sync.client import connect
        self.ws = connect(f"ws://127.0.0.1:{PORT}/v1/ws", open_timeout=10)
        assert self.next()["type"] == "welcome"

    def send(self, **frame):
        self.ws.send(json.dumps(frame))

    def next(self):
        return json.loads(self.ws.recv(timeout=10))

    def until(self, kind):
        """Frames up to and including the first of type `kind`."""
        frames = []
        while not frames or frames[-1]["type"] != kind:
            frames.append(self.next())
        return frames

    def close(self):
        self.ws.close()


COUNT = "one two three four five six seven eight nine ten"


def joined_reply(frames):
    return "".join(f["delta"] for f in frames if f["type"] == "token")


def history(session, auth):
    status, _, page = request("GET", f"/v1/sessions/{session}/messages", headers=auth)
    assert status == 200, (status, page)
    return [(m["seq"], m["role"], m["text"]) for m in page["messages"]]


def rest_cross_door():
    """REST → /v1/ws → REST on one session, and /v1/ws → REST: one session model, one token."""
    session, auth, created = create_session("echo")
    token = created["resume_token"]
    request("POST", f"/v1/sessions/{session}/messages", {"text": "my name is Ann", "id": "c1"}, auth)
    request("POST", f"/v1/sessions/{session}/messages", {"text": "count"}, auth)
    chat = Chat()
    chat.send(type="resume", session=session, resume_token=token, last_seq=2)
    missed = chat.until("reply_end")
    check(missed[0]["type"] == "session_resumed" and missed[0]["last_seq"] == 4
          and [f["seq"] for f in missed if f["type"] in ("ack", "reply_end")] == [3, 4]
          and joined_reply(missed) == COUNT,
          "a REST session resumed over /v1/ws with its resume_token (last_seq 2) replays what it missed: seq 3 and 4")
    chat.send(type="message", session=session, text="what is my name", id="w1")
    answer = chat.until("reply_end")
    check(joined_reply(answer) == "your name is Ann" and answer[-1]["seq"] == 6,
          "and continues over /v1/ws with the state REST built (the name), seq 6")
    status, _, state = request("GET", f"/v1/sessions/{session}", headers=auth)
    _, _, wrong = request("GET", f"/v1/sessions/{session}", headers={"Authorization": "Bearer " + "0" * 32})
    check(status == 200 and state["state"] == "active" and state["seq"] == 6 and wrong["error"]["code"] == "unknown_session",
          f"while /v1/ws holds it, GET over REST shows it active at seq 6 (a wrong token is 404)")
    check(history(session, auth) == [(1, "user", "my name is Ann"), (2, "bot", "nice to meet you Ann"),
                                     (3, "user", "count"), (4, "bot", COUNT),
                                     (5, "user", "what is my name"), (6, "bot", "your name is Ann")],
          "its history read over REST holds the turns of both doors, in order")
    status, _, reply = request("POST", f"/v1/sessions/{session}/messages", {"text": "what is my name"}, auth)
    detached = chat.until("session_detached")
    check(status == 200 and reply["reply"] == "your name is Ann" and reply["seq"] == 8
          and detached[-1]["session"] == session,
          "a REST call takes it back with the same token: /v1/ws gets session_detached, the reply is seq 8")
    chat.close()

    chat = Chat()
    chat.send(type="start", personality="echo")
    started = chat.until("session_started")[-1]
    ws_session, ws_auth = started["session"], {"Authorization": "Bearer " + started["resume_token"]}
    chat.send(type="message", session=ws_session, text="my name is Bo", id="w1")
    chat.until("reply_end")
    status, _, reply = request("POST", f"/v1/sessions/{ws_session}/messages", {"text": "what is my name"}, ws_auth)
    chat.until("session_detached")
    check(status == 200 and reply["reply"] == "your name is Bo" and reply["message_seq"] == 3,
          "a /v1/ws session is continued over REST with session_started's resume_token")
    check(history(ws_session, ws_auth) == [(1, "user", "my name is Bo"), (2, "bot", "nice to meet you Bo"),
                                           (3, "user", "what is my name"), (4, "bot", "your name is Bo")],
          "and its history over REST holds both doors' turns")
    chat.close()


def rest_human():
    """A random session with a human partner, resumed over REST: each message is answered at once (202)."""
    first, second = Chat(), Chat()
    first.send(type="start", mode="random")
    second.send(type="start", mode="random")
    started = first.until("session_started")[-1]
    partner = second.until("session_started")[-1]
    check(started["kind"] == "human" and partner["kind"] == "human", "two random /v1/ws chats are paired as humans")
    session, auth = started["session"], {"Authorization": "Bearer " + started["resume_token"]}
    began = time.monotonic()
    status, _, body = request("POST", f"/v1/sessions/{session}/messages", {"text": "hello over REST"}, auth)
    took = time.monotonic() - began
    relayed = second.until("partner_message")[-1]
    check(status == 202 and body == {"session": session, "message_seq": 1, "delivered_to": "human"} and took < 2
          and relayed["text"] == "hello over REST",
          f"a REST message to a human partner is relayed and answered at once: 202 {body} in {took * 1000:.0f} ms")
    first.until("session_detached")
    second.send(type="message", session=partner["session"], text="hi back", id="h1")
    second.until("ack")
    deadline = time.monotonic() + 5
    while len(history(session, auth)) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)  # the relay may cross to another loop's hub
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    connection.request("POST", f"/v1/sessions/{session}/messages", body=json.dumps({"text": "streamed"}),
                       headers={"Content-Type": "application/json", "Accept": "text/event-stream", **auth})
    response = connection.getresponse()
    events = [(name, json.loads(data)) for _, name, data in read_events(response) if name != ":comment"]
    connection.close()
    check(response.status == 200 and [name for name, _ in events] == ["ack"] and events[0][1]["seq"] == 3,
          "with Accept: text/event-stream the answer is the ack event, then the stream ends")
    check(history(session, auth) == [(1, "user", "hello over REST"), (2, "partner", "hi back"), (3, "user", "streamed")],
          "the partner's answers are read as turns of the history")
    status, _, body = request("POST", "/v1/chat/completions",
                              {"model": "echo", "messages": [{"role": "user", "content": "hi"}]},
                              {"X-Persona-Session": session, "X-Persona-Session-Token": started["resume_token"]})
    check(status == 409 and body["error"]["code"] == "session_not_active" and "human" in body["error"]["message"],
          "a chat completion on it is refused with 409, not left waiting for a bot")
    first.close()
    second.close()


def rest_restart_before():
    """First half of the restart check: a REST session with some state; prints its id and token."""
    session, auth, created = create_session("echo")
    status, _, reply = request("POST", f"/v1/sessions/{session}/messages", {"text": "my name is Ann"}, auth)
    check(status == 200 and reply["seq"] == 2, "a REST session answered before the restart")
    print(f"state {session} {created['resume_token']}", flush=True)


def rest_restart_after(session, token):
    """Second half: the server restarted on the same data directory."""
    auth = {"Authorization": "Bearer " + token}
    status, _, state = request("GET", f"/v1/sessions/{session}", headers=auth)
    check(status == 200 and state["state"] == "resumable" and state["seq"] == 2 and state["personality"] == "echo",
          f"after a restart GET reads the session from the store: {state['state']} at seq {state['seq']}")
    check(history(session, auth) == [(1, "user", "my name is Ann"), (2, "bot", "nice to meet you Ann")],
          "and its history is there")
    status, _, reply = request("POST", f"/v1/sessions/{session}/messages", {"text": "what is my name"}, auth)
    check(status == 200 and reply["reply"] == "your name is Ann" and reply["message_seq"] == 3,
          "the next message resumes it from the store, engine state included (the name), seq 3")
    status, _, state = request("GET", f"/v1/sessions/{session}", headers=auth)
    check(status == 200 and state["state"] == "active" and state["seq"] == 4, "and the session is active again at seq 4")


def rest_errors():
    session, auth, _ = create_session("echo")
    cases = [
        ("POST", "/v1/sessions", {"personality": "nobody"}, None, 404, "unknown_personality"),
        ("POST", "/v1/sessions", {}, None, 400, "missing_field"),
        ("POST", "/v1/sessions", {"personality": "echo", "colour": "red"}, None, 400, "invalid_field"),
        ("GET", f"/v1/sessions/{session}", None, {}, 401, "unauthorized"),
        ("GET", f"/v1/sessions/{session}", None, {"Authorization": "Bearer wrong"}, 404, "unknown_session"),
        ("GET", "/v1/sessions/s0-999999", None, auth, 404, "unknown_session"),
        ("GET", "/v1/sessions/garbage", None, auth, 404, "unknown_session"),
        ("POST", f"/v1/sessions/{session}/messages", {"txt": "hi"}, auth, 400, "invalid_field"),
        ("POST", f"/v1/sessions/{session}/messages", {"text": 5}, auth, 400, "missing_field"),
        ("POST", f"/v1/sessions/{session}/messages", {"text": "a" * 201}, auth, 400, "message_too_large"),
        ("GET", f"/v1/sessions/{session}/messages?after=-1", None, auth, 400, "invalid_field"),
        ("GET", f"/v1/sessions/{session}/messages?limit=1001", None, auth, 400, "invalid_field"),
        ("GET", f"/v1/sessions/{session}/messages?limit=0", None, auth, 400, "invalid_field"),
        ("GET", f"/v1/sessions/{session}/messages", None, {"Authorization": "Bearer wrong"}, 404, "unknown_session"),
    ]
    for method, path, body, headers, status_expected, code in cases:
        status, _, error = request(method, path, body, headers)
        check(status == status_expected and error["error"]["code"] == code, f"{method} {path.replace(session, '{id}')} {body} → {status} {code}")
    status, _, error = request("POST", "/v1/sessions", raw=b'{"personality": "echo"', headers={"Content-Type": "application/json"})
    check(status == 400 and error["error"]["code"] == "invalid_json", "a truncated JSON body → 400 invalid_json")
    status, _, ok = request("POST", f"/v1/sessions/{session}/messages", {"text": "a" * 200}, auth)
    check(status == 200, "a message of exactly max_input_chars (200) is answered")

    flood, flood_auth, _ = create_session("flood")
    statuses = []
    for index in range(4):
        status, headers, body = request("POST", f"/v1/sessions/{flood}/messages", {"text": f"m{index}"}, flood_auth)
        statuses.append(status)
    check(statuses == [200, 200, 200, 429] and body["error"]["code"] == "rate_limited"
          and int(headers["retry-after"]) >= 1 and body["error"]["retry_after_ms"] > 0,
          f"the fourth message in a burst is 429 rate_limited with Retry-After {headers['retry-after']}")

    short, short_auth, _ = create_session("short")
    statuses = [request("POST", f"/v1/sessions/{short}/messages", {"text": "x"}, short_auth)[0] for _ in range(2)]
    status, headers, body = request("POST", f"/v1/sessions/{short}/messages", {"text": "x"}, short_auth)
    check(statuses == [200, 200] and status == 429 and body["error"]["code"] == "limit_reached"
          and headers["x-should-retry"] == "false" and "That is all." in body["error"]["message"],
          "past responses_per_session the message is 429 limit_reached with the farewell, not retryable")

    slow, slow_auth, _ = create_session("metronome")
    results = {}

    def first():
        results["first"] = request("POST", f"/v1/sessions/{slow}/messages", {"text": "go"}, slow_auth)[0]
    thread = threading.Thread(target=first)
    thread.start()
    time.sleep(0.2)
    status, _, body = request("POST", f"/v1/sessions/{slow}/messages", {"text": "go"}, slow_auth)
    thread.join()
    check(status == 409 and body["error"]["code"] == "busy" and results["first"] == 200,
          "a second request while a reply streams on the same session is 409 busy")


def rest_sse_timing():
    session, auth, _ = create_session("metronome")
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    started = time.monotonic()
    connection.request("POST", f"/v1/sessions/{session}/messages", body=json.dumps({"text": "go", "id": "t1"}),
                       headers={**auth, "Accept": "text/event-stream", "Content-Type": "application/json"})
    response = connection.getresponse()
    check(response.status == 200 and response.getheader("Content-Type") == "text/event-stream"
          and response.getheader("X-Accel-Buffering") == "no", "Accept: text/event-stream answers with SSE")
    events = list(read_events(response))
    names = [name for _, name, _ in events if name != ":comment"]
    check(names == ["ack"] + ["token"] * 9 + ["reply_end"], f"events: ack, 9 tokens, reply_end")
    ack = json.loads(events[0][2])
    check(ack == {"type": "ack", "session": session, "id": "t1", "seq": 1}, "each event's data is the chat protocol frame")
    token_times = [t for t, name, _ in events if name == "token"]
    gaps = [b - a for a, b in zip(token_times, token_times[1:])]
    median = statistics.median(gaps)
    spread = token_times[-1] - token_times[0]
    check(0.06 <= median <= 0.16 and spread >= 0.6,
          f"tokens arrive one at a time as produced: median gap {median * 1000:.0f} ms (cadence 100 ms), "
          f"first to last {spread * 1000:.0f} ms, first after {(token_times[0] - started) * 1000:.0f} ms")
    text = "".join(json.loads(data)["delta"] for _, name, data in events if name == "token")
    end = json.loads(events[-1][2])
    check(text == "tick tock tick tock tick" and end["finish"] == "stop" and end["tokens"] == 9,
          "the token deltas join to the reply and reply_end says stop")


def rest_keep_alive():
    session, auth, _ = create_session("metronome")
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    connection.request("POST", f"/v1/sessions/{session}/messages", body=json.dumps({"text": "go"}),
                       headers={**auth, "Accept": "text/event-stream", "Content-Type": "application/json"})
    events = list(read_events(connection.getresponse()))
    comments = [data for _, name, data in events if name == ":comment"]
    check(len(comments) >= 3 and set(comments) == {"keep-alive"} and events[-1][1] == "reply_end",
          f"{len(comments)} ': keep-alive' comments between tokens 100 ms apart (keep-alive 30 ms)")


def rest_pii():
    session, auth, _ = create_session("echo")
    status, _, reply = request("POST", f"/v1/sessions/{session}/messages",
                               {"text": "write to ann.lee@example.com or call +44 20 7946 0958"}, auth)
    check(reply["reply"] == "echo write to [EMAIL] or call [PHONE]", f"PII is scrubbed before the engine: {reply['reply']!r}")
    status, _, page = request("GET", f"/v1/sessions/{session}/messages", headers=auth)
    texts = [m["text"] for m in page["messages"]]
    check(texts == ["write to [EMAIL] or call [PHONE]", "echo write to [EMAIL] or call [PHONE]"],
          "the stored history holds the scrubbed text only")
    check("example.com" not in json.dumps(page) and "7946" not in json.dumps(page), "the raw e-mail and phone appear nowhere")
    completion = client_plain_completion("my email is ann.lee@example.com")
    check(completion == "echo my email is [EMAIL]", "the OpenAI door scrubs the same way")


def client_plain_completion(text):
    status, _, body = request("POST", "/v1/chat/completions", {"model": "echo", "messages": [{"role": "user", "content": text}]})
    assert status == 200, body
    return body["choices"][0]["message"]["content"]


def cors():
    allowed = {"Origin": "https://app.example", "Access-Control-Request-Method": "POST",
               "Access-Control-Request-Headers": "authorization, content-type"}
    status, headers, _ = request("OPTIONS", "/v1/chat/completions", headers=allowed)
    check(status == 204 and headers["access-control-allow-origin"] == "https://app.example"
          and "POST" in headers["access-control-allow-methods"]
          and "Authorization" in headers["access-control-allow-headers"] and headers["vary"] == "Origin",
          "a preflight from an allowed origin is answered 204 with the allowed methods and headers")
    status, headers, _ = request("OPTIONS", "/v1/sessions", headers={**allowed, "Origin": "https://evil.example"})
    check(status == 403 and "access-control-allow-origin" not in headers, "a preflight from another origin is 403")
    status, headers, _ = request("GET", "/v1/models", headers={"Origin": "https://app.example"})
    check(status == 200 and headers["access-control-allow-origin"] == "https://app.example"
          and "Retry-After" in headers["access-control-expose-headers"],
          "an allowed origin's GET carries Access-Control-Allow-Origin and the exposed headers")
    status, headers, _ = request("POST", "/v1/chat/completions", {"model": "nobody", "messages": []},
                                 headers={"Origin": "https://app.example"})
    check(status == 400 and headers["access-control-allow-origin"] == "https://app.example",
          "error responses carry the CORS headers too")
    status, headers, _ = request("GET", "/v1/models", headers={"Origin": "https://evil.example"})
    check("access-control-allow-origin" not in headers, "another origin's GET gets no CORS headers")


def body_limit():
    base = json.dumps({"model": "echo", "messages": [{"role": "user", "content": "hi"}]}).encode()
    limit = 1000
    at_limit = base[:-1] + b" " * (limit - len(base)) + b"}"
    status, _, body = request("POST", "/v1/chat/completions", raw=at_limit)
    check(len(at_limit) == limit and status == 200, "a chat completion body of exactly 1000 bytes is answered")
    over = base[:-1] + b" " * (limit + 1 - len(base)) + b"}"
    status, _, body = request("POST", "/v1/chat/completions", raw=over)
    check(len(over) == limit + 1 and status == 413 and body["error"]["code"] == "body_too_large"
          and body["error"]["type"] == "invalid_request_error" and "param" in body["error"],
          "1001 bytes → 413 in the OpenAI error shape")
    create = json.dumps({"personality": "echo"}).encode()
    status, _, body = request("POST", "/v1/sessions", raw=create[:-1] + b" " * (limit + 1 - len(create)) + b"}")
    check(status == 413 and body["error"]["code"] == "body_too_large", "REST bodies one byte past the limit → 413 too")


SCENARIOS = {name: function for name, function in globals().items()
             if callable(function) and name.startswith(("sdk_", "rest_", "cors", "body_"))}

if __name__ == "__main__":
    name = sys.argv[1]
    if name == "sdk_in_band_error":
        sdk_in_band_error(int(sys.argv[3]))
    elif name == "rest_restart_after":
        rest_restart_after(sys.argv[3], sys.argv[4])
    else:
        SCENARIOS[name]()
