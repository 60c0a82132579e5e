"""Live chat scenarios against `persona serve`, driven by the third-party `websockets` client.

Usage: chat_scenarios.py SCENARIO WS_URL [SERVER_PID]

Each scenario prints `ok <what>` lines and exits 0, or raises (exit 1) with what it saw. Every
wait is bounded (`recv` has a deadline), so a server that stops answering fails the run instead
of hanging it.
"""

import asyncio
import json
import os
import resource
import signal
import sys

import websockets
from urllib.parse import urlparse

TIMEOUT = 10.0


class Client:
    """One connection: sends JSON, receives frames with a deadline, remembers what it saw."""

    def __init__(self, ws):
        self.ws = ws
        self.seen = []

    @classmethod
    async def open(cls, url, source=None, open_timeout=TIMEOUT):
        kwargs = {"local_addr": (source, 0)} if source else {}
        ws = await websockets.connect(url, max_size=2**20, open_timeout=open_timeout, **kwargs)
        client = cls(ws)
        welcome = await client.recv()
        assert welcome["type"] == "welcome", welcome
        assert welcome["protocol"] == 1, welcome
        return client

    async def send(self, **message):
        await self.ws.send(json.dumps(message))

    async def recv(self):
        frame = json.loads(await asyncio.wait_for(self.ws.recv(), TIMEOUT))
        self.seen.append(frame)
        return frame

    async def until(self, type_, **match):
        """Frames up to and including the first of `type_` whose members match."""
        frames = []
        while True:
            frame = await self.recv()
            frames.append(frame)
            if frame["type"] == type_ and all(frame.get(k) == v for k, v in match.items()):
                return frames

    async def start(self, **fields):
        await self.send(type="start", **fields)
        frames = await self.until("session_started")
        return frames[-1]

    async def say(self, session, text, id_):
        """Sends a message; returns (ack, the joined reply text, reply_end)."""
        await self.send(type="message", session=session, text=text, id=id_)
        frames = await self.until("reply_end", session=session)
        ack = next(f for f in frames if f["type"] == "ack")
        assert ack["id"] == id_ and ack["session"] == session, ack
        tokens = [f["delta"] for f in frames if f["type"] == "token"]
        for f in frames:
            assert f.get("session") in (session, None), f"frame for another session: {f}"
        end = frames[-1]
        assert end["tokens"] == len(tokens), (end, tokens)
        return ack, "".join(tokens), end

    async def expect_error(self, code, **match):
        frame = await self.recv()
        assert frame["type"] == "error" and frame["code"] == code, f"wanted error {code}, got {frame}"
        for key, value in match.items():
            assert frame.get(key) == value, (key, frame)
        return frame

    async def still_usable(self, tag):
        await self.send(type="ping", id=tag)
        frame = await self.recv()
        assert frame == {"type": "pong", "id": tag}, frame

    async def close(self):
        await self.ws.close()


async def direct(url, _pid):
    c = await Client.open(url)
    started = await c.start(personality="parrot")
    assert started["kind"] == "bot" and started["personality"]["id"] == "parrot", started
    assert started["greeting"] == "Squawk, hello!", started
    ack, text, end = await c.say(started["session"], "i am alice", "m1")
    assert ack["seq"] == 1, ack
    assert text == "hello alice", text
    assert end["finish"] == "stop" and end["seq"] == 2, end
    print("ok direct reply streamed as", end["tokens"], "tokens joining to", repr(text))
    _, text, end = await c.say(started["session"], "how are you", "m2")
    assert text == "parrot heard how are you" and end["seq"] == 4, (text, end)
    print("ok second turn numbered", end["seq"])
    await c.send(type="end", session=started["session"])
    ended = (await c.until("session_ended"))[-1]
    assert ended["reason"] == "user" and ended["farewell"] == "Squawk, goodbye!", ended
    print("ok ended by the user with the farewell")
    await c.close()


async def pair(url):
    a = await Client.open(url)
    b = await Client.open(url)
    await a.send(type="start", mode="random", language="en", session_ref="a")
    matching = (await a.until("matching"))[-1]
    assert matching["timeout_ms"] > 0 and matching["session_ref"] == "a", matching
    started_b = await b.start(mode="random", language="en", session_ref="b")
    started_a = (await a.until("session_started"))[-1]
    assert started_a["kind"] == "human" and started_b["kind"] == "human", (started_a, started_b)
    assert "personality" not in started_a, started_a
    return a, b, started_a["session"], started_b["session"]


async def matched(url, _pid):
    a, b, sa, sb = await pair(url)
    print("ok two random clients matched to each other")
    await a.send(type="typing", session=sa, on=True)
    typing = await b.recv()
    assert typing == {"type": "partner_typing", "session": sb, "on": True}, typing
    await a.send(type="typing", session=sa, on=False)
    typing = await b.recv()
    assert typing == {"type": "partner_typing", "session": sb, "on": False}, typing
    print("ok typing on/off relayed")
    await a.send(type="message", session=sa, text="hello stranger", id="a1")
    ack = await a.recv()
    assert ack["type"] == "ack" and ack["id"] == "a1", ack
    relayed = await b.recv()
    assert relayed["type"] == "partner_message" and relayed["text"] == "hello stranger", relayed
    assert relayed["session"] == sb, relayed
    await b.send(type="message", session=sb, text="hi back", id="b1")
    assert (await b.recv())["type"] == "ack"
    relayed = await a.recv()
    assert relayed["type"] == "partner_message" and relayed["text"] == "hi back", relayed
    print("ok messages relayed both ways")
    await a.close()
    await b.close()


async def partner_leaves(url, _pid):
    a, b, sa, sb = await pair(url)
    await a.send(type="end", session=sa)
    ended_a = (await a.until("session_ended"))[-1]
    assert ended_a["reason"] == "user", ended_a
    ended_b = (await b.until("session_ended"))[-1]
    assert ended_b == {"type": "session_ended", "session": sb, "reason": "partner_left"}, ended_b
    print("ok the partner was told partner_left")
    await b.send(type="next", session=sb, want="bot")
    started = (await b.until("session_started"))[-1]
    assert started["kind"] == "bot" and started["session"] != sb, started
    _, text, _ = await b.say(started["session"], "i am still here", "n1")
    assert text == "hello still here", text
    print("ok next with want=bot got a bot at once")
    await a.close()
    await b.close()


async def fallback(url, _pid):
    c = await Client.open(url)
    await c.send(type="start", mode="random", language="en")
    matching = (await c.until("matching"))[-1]
    started = (await c.until("session_started"))[-1]
    assert started["session"] == matching["session"], (matching, started)
    assert started["kind"] == "bot" and started["personality"]["id"] == "parrot", started
    print("ok nobody to match: fell back to", started["personality"]["id"], "after", matching["timeout_ms"], "ms")
    _, text, _ = await c.say(started["session"], "i am lonely", "f1")
    assert text == "hello lonely", text
    print("ok the fallback bot answers")
    await c.close()


async def response_limit(url, _pid):
    c = await Client.open(url)
    session = (await c.start(personality="brief"))["session"]
    _, text, _ = await c.say(session, "message 1", "l1")
    assert text == "noted", text
    _, text, _ = await c.say(session, "message 2", "l2")
    assert text == "noted", text
    ended = await c.recv()
    assert ended == {"type": "session_ended", "session": session, "reason": "limit_reached",
                     "farewell": "That is all from brief."}, ended
    print("ok the last allowed reply is followed at once by the farewell and limit_reached")
    await c.send(type="message", session=session, text="message 3", id="l3")
    error = await c.recv()
    assert error["type"] == "error" and error["ref"] == "l3", error
    print("ok a message to the ended session is refused:", error["code"])
    await c.still_usable("after-limit")
    await c.close()


async def cancel(url, _pid):
    c = await Client.open(url)
    session = (await c.start(personality="storyteller"))["session"]
    await c.send(type="message", session=session, text="tell me everything", id="c1")
    await c.until("token", session=session)
    await c.send(type="cancel", session=session)
    frames = await c.until("reply_end", session=session)
    end = frames[-1]
    assert end["finish"] == "cancelled", end
    tokens = 1 + sum(1 for f in frames if f["type"] == "token")
    assert end["tokens"] == tokens and tokens < 20, (end, tokens)
    print("ok cancel stopped the reply after", tokens, "tokens")
    _, text, end = await c.say(session, "short", "c2")
    assert text == "once upon a time" and end["finish"] == "stop", (text, end)
    print("ok the session goes on after a cancel")
    await c.close()


async def queued(url, _pid):
    c = await Client.open(url)
    session = (await c.start(personality="storyteller"))["session"]
    for n in range(1, 4):
        await c.send(type="message", session=session, text="short", id=f"q{n}")
    acks, replies = [], []
    while len(replies) < 3:
        frame = await c.recv()
        if frame["type"] == "ack":
            acks.append(frame["id"])
        elif frame["type"] == "reply_start":
            replies.append(frame["ref"])
    assert acks == ["q1", "q2", "q3"] and replies == ["q1", "q2", "q3"], (acks, replies)
    print("ok messages sent during a reply are queued and answered in order")
    await c.close()


async def bad_input(url, _pid):
    a = await Client.open(url)
    await a.ws.send("{not json")
    await a.expect_error("invalid_json")
    await a.still_usable("p1")
    print("ok invalid JSON answered")
    await a.ws.send(json.dumps({"type": "dance", "id": "x"}))
    await a.expect_error("unknown_type")
    await a.still_usable("p2")
    print("ok unknown type answered")
    await a.send(type="message", text="hi", id="nosession")
    await a.expect_error("missing_field")
    await a.still_usable("p3")
    print("ok missing field answered")
    await a.send(type="start", personality="nobody-here")
    await a.expect_error("unknown_personality")
    await a.still_usable("p4")
    print("ok unknown personality answered")
    session = (await a.start(personality="parrot"))["session"]
    _, text, _ = await a.say(session, "x" * 200, "max")
    assert text.startswith("parrot heard"), text
    await a.send(type="message", session=session, text="x" * 201, id="over")
    await a.expect_error("message_too_large", ref="over")
    await a.still_usable("p5")
    print("ok 200 characters accepted, 201 refused message_too_large")
    b = await Client.open(url)
    await b.send(type="message", session=session, text="hijack", id="h1")
    await b.expect_error("not_your_session", ref="h1")
    await b.still_usable("p6")
    print("ok a message for someone else's session refused not_your_session")
    _, text, _ = await a.say(session, "i am still fine", "after")
    assert text == "hello still fine", text
    print("ok the connection is still usable after every error")
    await a.close()
    await b.close()


async def flood(url, _pid):
    flooder = await Client.open(url, source="127.0.0.2")
    polite = await Client.open(url, source="127.0.0.3")
    fs = (await flooder.start(personality="strict"))["session"]
    ps = (await polite.start(personality="strict"))["session"]
    for n in range(20):
        await flooder.send(type="message", session=fs, text=f"flood {n}", id=f"f{n}")
    limited = []
    acked = 0
    while acked + len(limited) < 20:
        frame = await flooder.recv()
        if frame["type"] == "error":
            assert frame["code"] == "rate_limited", frame
            assert frame["retry_after_ms"] > 0, frame
            limited.append(frame)
        elif frame["type"] == "ack":
            acked += 1
    assert limited and acked <= 5, (acked, len(limited))
    print(f"ok the flooder got {len(limited)} rate_limited errors with retry_after_ms "
          f"(first {limited[0]['retry_after_ms']} ms); {acked} messages accepted")
    for n in range(3):
        _, text, _ = await polite.say(ps, f"polite {n}", f"p{n}")
        assert text == f"ok polite {n}", text
    assert not [f for f in polite.seen if f["type"] == "error"], polite.seen
    print("ok the polite client on the same server was never limited")
    await flooder.close()
    await polite.close()


async def isolation(url, _pid, sessions=1000, turns=2):
    """1,000 sessions open at once, then all chat concurrently; each reply must be its own.

    Handshakes are started at most 100 at a time (the test suite runs in parallel on two
    cores, and Python's websockets gives each handshake 10 s), and nobody starts chatting
    until every session is open, so all of them are concurrent while they chat.
    """
    opening = asyncio.Semaphore(100)
    opened = 0
    all_open = asyncio.Event()

    async def one(i):
        nonlocal opened
        async with opening:
            c = await Client.open(url, open_timeout=60)
            session = (await c.start(personality="parrot"))["session"]
        opened += 1
        if opened == sessions:
            all_open.set()
        await all_open.wait()
        for turn in range(turns):
            name = f"n{i}t{turn}"
            _, text, _ = await c.say(session, f"i am {name}", f"{i}-{turn}")
            assert text == f"hello {name}", f"session {i} got {text!r}"
        await c.close()
        return session

    ids = await asyncio.gather(*(one(i) for i in range(sessions)))
    assert len(set(ids)) == sessions
    print(f"ok {sessions} concurrent sessions each got only their own replies ({sessions * turns} turns)")


async def refused_before(url, done):
    """Opens TCP connections to the server until one is refused or `done` finishes; whether
    one was refused first."""
    parsed = urlparse(url)
    while not done.done():
        try:
            _, writer = await asyncio.open_connection(parsed.hostname, parsed.port)
            writer.close()
        except (ConnectionRefusedError, ConnectionResetError):
            # A connection caught in the closing listener's backlog is reset, not refused.
            return True
        await asyncio.sleep(0.01)
    return False


async def drain(url, pid):
    """SIGTERM while a reply streams: new connections are refused at once, the reply finishes
    (long deadline), then shutdown + 1001."""
    c = await Client.open(url)
    session = (await c.start(personality="storyteller"))["session"]
    await c.send(type="message", session=session, text="tell me everything", id="d1")
    await c.until("token", session=session)
    os.kill(pid, signal.SIGTERM)
    reply_end = asyncio.create_task(c.until("reply_end", session=session))
    refused = await refused_before(url, reply_end)
    frames = await reply_end
    assert frames[-1]["finish"] == "stop", frames[-1]
    assert refused, "new connections were still accepted when the reply ended"
    print("ok new connections were refused while the reply was still streaming")
    frames = await c.until("session_ended")
    assert frames[-1]["reason"] == "shutdown", frames[-1]
    print("ok the streaming reply finished after SIGTERM, then the session ended shutdown")
    try:
        await asyncio.wait_for(c.ws.recv(), TIMEOUT)
        raise AssertionError("expected the connection to close")
    except websockets.ConnectionClosed as closed:
        assert closed.rcvd.code == 1001, closed
    print("ok the client got close code 1001")


async def drain_cut(url, pid):
    """SIGTERM with a tiny deadline: the reply is cut, the session ends shutdown, close 1001."""
    c = await Client.open(url)
    session = (await c.start(personality="storyteller"))["session"]
    await c.send(type="message", session=session, text="tell me everything", id="d1")
    await c.until("token", session=session)
    os.kill(pid, signal.SIGTERM)
    frames = await c.until("session_ended")
    end = next(f for f in frames if f["type"] == "reply_end")
    assert end["finish"] == "cancelled", end
    assert frames[-1]["reason"] == "shutdown", frames[-1]
    try:
        await asyncio.wait_for(c.ws.recv(), TIMEOUT)
        raise AssertionError("expected the connection to close")
    except websockets.ConnectionClosed as closed:
        assert closed.rcvd.code == 1001, closed
    print("ok past the drain deadline the reply was cut, the session ended shutdown, close 1001")


async def slow_client(url, _pid):
    """A client that stops reading is cut off once its queue passes the bound; others never stall.

    The slow client is a raw socket with a tiny receive buffer that never reads after its
    sessions started, so the server's writes back up into its own per-connection queue.
    (Run with a hard bound below the hub's soft one, so the hard bound acts first.)
    """
    await stalled_reader(url, expect_cut_off=True)


async def slow_client_paused(url, _pid):
    """With the default bounds a client that stops reading has its reply pacing paused (the
    soft bound): it stays connected, the server stops queueing tokens for it, and others never
    stall. The pause shows in /metrics."""
    await stalled_reader(url, expect_cut_off=False)


def metric(url, name):
    """One unlabelled sample of `name` from the server's /metrics."""
    import urllib.request
    parsed = urlparse(url)
    with urllib.request.urlopen(f"http://{parsed.netloc}/metrics", timeout=TIMEOUT) as answer:
        for line in answer.read().decode().splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
    raise AssertionError(f"{name} is not in /metrics")


async def stalled_reader(url, expect_cut_off):
    """The slow-reader scenarios: 16 sessions on a socket that never reads, fed messages while a
    polite client chats; cut off (hard bound) or paused and kept (soft bound)."""
    import base64
    import socket
    import struct
    import time
    from urllib.parse import urlparse

    parsed = urlparse(url)
    raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    raw.connect((parsed.hostname, parsed.port))
    key = base64.b64encode(os.urandom(16)).decode()
    raw.sendall((f"GET {parsed.path} HTTP/1.1\r\nHost: {parsed.netloc}\r\nUpgrade: websocket\r\n"
                 f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    buffer = b""
    while b"\r\n\r\n" not in buffer:
        buffer += raw.recv(4096)
    assert buffer.startswith(b"HTTP/1.1 101"), buffer
    buffer = buffer.split(b"\r\n\r\n", 1)[1]

    def frame(text):
        payload = text.encode()
        mask = os.urandom(4)
        head = bytes([0x81]) + (bytes([0x80 | len(payload)]) if len(payload) < 126
                                else bytes([0x80 | 126]) + struct.pack(">H", len(payload)))
        return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))

    def frames():
        nonlocal buffer
        while True:
            while len(buffer) < 2 or len(buffer) < 2 + (buffer[1] & 0x7F if buffer[1] & 0x7F < 126 else 2):
                buffer += raw.recv(4096)
            length, offset = buffer[1] & 0x7F, 2
            if length == 126:
                length, offset = struct.unpack(">H", buffer[2:4])[0], 4
            while len(buffer) < offset + length:
                buffer += raw.recv(4096)
            payload, buffer = buffer[offset:offset + length], buffer[offset + length:]
            yield json.loads(payload)

    sessions = []
    for n in range(16):
        raw.sendall(frame(json.dumps({"type": "start", "personality": "parrot"})))
    for message in frames():
        if message["type"] == "session_started":
            sessions.append(message["session"])
            if len(sessions) == 16:
                break
    print("ok the slow client holds 16 sessions and stops reading")

    polite = await Client.open(url)
    session = (await polite.start(personality="parrot"))["session"]
    words = " ".join(["a"] * 95)
    deadline = time.monotonic() + 20
    cut_off = False
    turn = 0
    loop = asyncio.get_running_loop()
    while time.monotonic() < deadline and not cut_off:
        try:
            for s in sessions:
                await loop.run_in_executor(None, raw.sendall,
                                           frame(json.dumps({"type": "message", "session": s, "text": words, "id": "x"})))
        except (BrokenPipeError, ConnectionResetError):
            cut_off = True
        turn += 1
        started = time.monotonic()
        _, text, _ = await polite.say(session, f"i am turn{turn}", f"t{turn}")
        assert text == f"hello turn{turn}", text
        assert time.monotonic() - started < 5, "the polite client stalled behind the slow one"
        if not expect_cut_off:
            # A bounded run (the polite session's response limit is 1,000 replies), slow enough
            # for the slow client's backlog to build up between turns.
            if turn == 40:
                break
            await asyncio.sleep(0.05)
    if expect_cut_off:
        assert cut_off, "the slow client was never cut off"
        print("ok the slow client was disconnected once its queue passed the bound")
        # The cut-off is counted as an abuse refusal and as a 1008 close.
        refused = await loop.run_in_executor(None, metric, url, 'persona_refusals_total{reason="slow_client_closed"}')
        closes = await loop.run_in_executor(None, metric, url, 'persona_websocket_closes_total{code="1008"}')
        assert refused >= 1 and closes >= 1, (refused, closes)
    else:
        assert not cut_off, "the slow client was cut off instead of paused"
        paused = await loop.run_in_executor(None, metric, url, "persona_slow_consumers_paused_total")
        closed = await loop.run_in_executor(None, metric, url, "persona_slow_consumers_closed_total")
        assert paused >= 1 and closed == 0, (paused, closed)
        refused = await loop.run_in_executor(None, metric, url, 'persona_refusals_total{reason="slow_client_paused"}')
        assert refused >= 1, refused
        print(f"ok the slow client stayed connected with its pacing paused ({turn} turns)")
        # Reading again drains the backlog; the hub resumes, and every reply that had started
        # reaches its end.
        raw.settimeout(2.0)
        started, ended = set(), set()
        try:
            for message in frames():
                key = (message.get("session"), message.get("reply"))
                if message["type"] == "reply_start":
                    started.add(key)
                elif message["type"] == "reply_end":
                    ended.add(key)
        except socket.timeout:
            pass  # quiet for two seconds: everything has been sent
        assert started and started == ended, (len(started), len(ended))
        print(f"ok once it read again its paced replies resumed and all {len(ended)} ended")
        raw.close()
    print("ok the polite client was answered promptly throughout")
    await polite.close()


async def pii(url, _pid):
    """Inbound scrubbing: the engine (and so the reply) never sees the raw e-mail or card."""
    c = await Client.open(url)
    session = (await c.start(personality="parrot"))["session"]
    for secret, kind, placeholder in (
        ("jack@example.com", "EMAIL", "[EMAIL]"),
        ("4111 1111 1111 1111", "CARD", "[CREDIT_CARD]"),
    ):
        _, text, _ = await c.say(session, f"i am {secret}", kind)
        assert secret not in text and placeholder in text, text
        assert not [f for f in c.seen if secret in json.dumps(f)], "a frame carried the raw value"
        print(f"ok {kind.lower()} scrubbed before the engine: {text!r}")
    await c.close()


async def connection_flood(url, _pid):
    """Opening connections too fast from one IP gets 429 + Retry-After; other IPs are unaffected.

    The server runs with --connection-rate 1/min --connection-burst 3.
    """
    opened, refused = [], []
    for _ in range(6):
        try:
            opened.append(await Client.open(url, source="127.0.0.4"))
        except websockets.InvalidStatus as error:
            assert error.response.status_code == 429, error
            retry_after = int(error.response.headers["Retry-After"])
            assert 0 < retry_after <= 60, retry_after
            refused.append(retry_after)
    print(f"ok one address opened {len(opened)} connections back to back; "
          f"{len(refused)} more were refused 429 with Retry-After")
    other = await Client.open(url, source="127.0.0.5")
    session = (await other.start(personality="parrot"))["session"]
    _, text, _ = await other.say(session, "i am unaffected", "u1")
    assert text == "hello unaffected", text
    print("ok another address connects and chats as usual")
    for client in opened + [other]:
        await client.close()


SCENARIOS = {f.__name__: f for f in (
    direct, matched, partner_leaves, fallback, response_limit, cancel, queued, bad_input, flood,
    isolation, drain, drain_cut, slow_client, slow_client_paused, pii, connection_flood)}

if __name__ == "__main__":
    # A thousand sockets need more than the 1,024 open files many systems allow by default.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else 65536, hard))
    name, url = sys.argv[1], sys.argv[2]
    pid = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    asyncio.run(SCENARIOS[name](url, pid))
