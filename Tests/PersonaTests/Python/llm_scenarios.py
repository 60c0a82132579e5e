"""Live scenarios of the `llm` engine: `persona serve` in front of real upstreams on 127.0.0.1.

Usage: llm_scenarios.py PERSONA_BINARY [SCENARIO ...]   (no scenario: all of them)

Starts, on loopback only: the fault-injecting upstream of `fake_upstream.py` (plain and TLS,
with a CA and certificate made here by the `openssl` command), the third-party `mockllm` server
(PyPI, pinned in Tests/requirements.txt), and `persona serve` on a personalities folder written
here. Then each scenario talks to the server over /v1/ws with the `websockets` client and prints
`ok <scenario>: <what it saw>`, or `FAIL <scenario>: <why>`. Exit status 1 if any failed.
Every wait has a deadline.
"""

import asyncio
import json
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request

import websockets

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fake_upstream import OK_TEXT, FakeUpstream  # noqa: E402
from scenario_runner import run_scenarios  # noqa: E402

TIMEOUT = 10.0
FALLBACK = "script fallback answer"
MOCK_PROMPT = "hello there"
MOCK_TEXT = "General Kenobi! You are a bold one."


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_certificates(folder):
    """A CA and a server certificate for DNS:localhost signed by it, with the openssl CLI."""
    ca_key, ca_cert = os.path.join(folder, "ca.key"), os.path.join(folder, "ca.pem")
    key, csr, cert = (os.path.join(folder, n) for n in ("server.key", "server.csr", "server.pem"))
    ext = os.path.join(folder, "ext.cnf")
    with open(ext, "w") as f:
        f.write("subjectAltName=DNS:localhost\n")
    run = lambda *a: subprocess.run(["openssl", *a], check=True, capture_output=True)  # noqa: E731
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", ca_cert, "-days", "2",
        "-subj", "/CN=Persona Test CA")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=localhost")
    run("x509", "-req", "-in", csr, "-CA", ca_cert, "-CAkey", ca_key, "-CAcreateserial", "-out", cert,
        "-days", "2", "-extfile", ext)
    return ca_cert, cert, key


LIMITS = """
default: roomy
sets:
  roomy:
    session_rate: 100000/min
    session_burst: 10000
    client_rate: 10000000/min
    client_burst: 100000
    max_reply_tokens: 400
    on_limit: error
  capped:
    extends: roomy
    max_reply_tokens: 3
  budget:
    extends: roomy
    daily_tokens_per_client: 500
"""


def personality(pid, upstream, limits="roomy", cache="", extra_llm="", max_tokens=500):
    return f"""id: {pid}
name: Tester {pid}
description: A personality of the llm tests.
language: en
engine: [llm, script]
greeting: "hi"
stream: {{ tokens_per_second: 0 }}
limits: {limits}
{cache}
llm:
  upstream: {upstream}
  system: "You are {{name}}. {{description}} Session {{session_id}}."
  examples:
    - {{ user: "ping", assistant: "pong" }}
  temperature: 0.7
  max_tokens: {max_tokens}
  history_turns: 2
{extra_llm}
script:
  rules:
    - match: "*"
      reply: "{FALLBACK}"
"""


def upstream(name, port, model, scheme="http", host="127.0.0.1", extra="", retries=2):
    return f"""  - name: {name}
    base_url: {scheme}://{host}:{port}/v1
    model: {model}
    api_key_env: PERSONA_TEST_UPSTREAM_KEY
    headers: {{ X-Test-Header: persona }}
    timeouts: {{ connect: 2s, first_token: 400ms, between_tokens: 400ms, total: 20s }}
    max_concurrent: 500
    retries: {retries}
{extra}"""


def pid_for(name):
    """Personality ids start with a letter; upstream names like `429-once` get a prefix."""
    return name if name[0].isalpha() else "p-" + name


class Client:
    def __init__(self, ws):
        self.ws = ws

    @classmethod
    async def open(cls, url):
        ws = await websockets.connect(url, max_size=2**22, open_timeout=TIMEOUT)
        client = cls(ws)
        welcome = await client.recv()
        assert welcome["type"] == "welcome", welcome
        return client

    async def send(self, **message):
        await self.ws.send(json.dumps(message))

    async def recv(self, timeout=TIMEOUT):
        return json.loads(await asyncio.wait_for(self.ws.recv(), timeout))

    async def until(self, type_):
        frames = []
        while True:
            frame = await self.recv()
            frames.append(frame)
            if frame["type"] == type_:
                return frames

    async def start(self, pid):
        await self.send(type="start", personality=pid)
        frames = await self.until("session_started")
        return frames[-1]["session"]

    async def say(self, session, text, id_="m"):
        await self.send(type="message", session=session, text=text, id=id_)
        frames = await self.until("reply_end")
        tokens = [f["delta"] for f in frames if f["type"] == "token"]
        return "".join(tokens), frames[-1], tokens

    async def close(self):
        await self.ws.close()


async def wait_for(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(0.01)
    return predicate()


class World:
    """Everything the scenarios share: the upstreams, the server, the WebSocket URL."""

    async def setup(self, binary):
        self.folder = tempfile.mkdtemp(prefix="persona-llm-")
        self.fake = FakeUpstream()
        self.port = await self.fake.start()
        ca, cert, key = make_certificates(self.folder)
        self.ca = ca
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(cert, key)
        self.tls_port = await self.fake.start(tls)
        self.mock_port = free_port()
        self.mock = await self.start_mockllm()

        upstreams = [
            upstream(m, self.port, m)
            for m in ["ok", "usage-big", "slow", "429-once", "500-once", "reset", "slow-first", "stall",
                      "stall-before", "malformed", "oversized"]
        ]
        upstreams.append(upstream("always500", self.port, "500-always", retries=0,
                                  extra="    circuit_breaker: { failures: 2, cooldown: 60s }\n"))
        upstreams.append(upstream("tls-trusted", self.tls_port, "ok", "https", "localhost",
                                  extra=f"    tls: {{ ca_file: {ca} }}\n"))
        upstreams.append(upstream("tls-untrusted", self.tls_port, "ok", "https", "localhost"))
        upstreams.append(upstream("tls-wrong-host", self.tls_port, "ok", "https", "127.0.0.1",
                                  extra=f"    tls: {{ ca_file: {ca} }}\n"))
        text = "upstreams:\n" + "".join(upstreams)
        mock = f"""  - name: mockllm
    base_url: http://127.0.0.1:{self.mock_port}/v1
    model: mock-model
    timeouts: {{ first_token: 10s, between_tokens: 10s }}
"""
        text += mock
        folder = os.path.join(self.folder, "Personalities")
        os.makedirs(folder)
        with open(os.path.join(folder, "upstreams.yaml"), "w") as f:
            f.write(text)
        with open(os.path.join(folder, "limits.yaml"), "w") as f:
            f.write(LIMITS)
        files = {
            "ok": personality("ok", "ok"),
            "slow": personality("slow", "slow"),
            "capped": personality("capped", "slow", limits="capped"),
            "budget": personality("budget", "usage-big", limits="budget", max_tokens=100),
            "random-cached": personality("random-cached", "ok", cache="cache: { mode: exact }"),
            "optin-cached": personality("optin-cached", "ok", cache="cache: { mode: exact, safe: true }"),
            "own-fallback": personality("own-fallback", "malformed",
                                        extra_llm='  fallback: ["the upstream is resting"]'),
            "mock": personality("mock", "mockllm"),
        }
        for name in ["429-once", "500-once", "reset", "slow-first", "stall", "stall-before", "malformed",
                     "oversized", "tls-trusted", "tls-untrusted", "tls-wrong-host"]:
            files[pid_for(name)] = personality(pid_for(name), name)
        files["breaker"] = personality("breaker", "always500")
        for pid, text in files.items():
            with open(os.path.join(folder, pid + ".yaml"), "w") as f:
                f.write(text)
        with open(os.path.join(folder, "plain.yaml"), "w") as f:
            f.write('id: plain\nname: Plain\nengine: script\nstream: { tokens_per_second: 0 }\n'
                    'script:\n  rules:\n    - match: "*"\n      reply: "plain answer"\n')

        env = dict(os.environ, PERSONA_TEST_UPSTREAM_KEY="sk-test-key")
        self.server = await asyncio.create_subprocess_exec(
            binary, "serve", "--port", "0", "--personalities", folder, "--connection-rate", "off",
            # Leaving ends a session at once (no resume window), so its upstream request closes.
            "--store", "memory", "--resume-window", "0",
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env)
        line = (await asyncio.wait_for(self.server.stdout.readline(), TIMEOUT)).decode()
        if not line.startswith("persona listening on http://"):
            errors = (await self.server.stderr.read()).decode()
            raise AssertionError(f"persona serve did not start: {line!r}\n{errors[-3000:]}")
        self.http = line.split()[-1]
        self.url = self.http.replace("http://", "ws://") + "/v1/ws"
        await self.wait_mockllm()

    async def start_mockllm(self):
        responses = os.path.join(self.folder, "responses.yml")
        with open(responses, "w") as f:
            # mockllm 0.0.8's streaming path looks its answer up a second time, with the answer
            # as the prompt; mapping the answer to itself makes the stream carry it.
            f.write(f'responses:\n  "{MOCK_PROMPT}": "{MOCK_TEXT}"\n  "{MOCK_TEXT}": "{MOCK_TEXT}"\n'
                    'defaults:\n  unknown_response: "no idea"\n')
        env = dict(os.environ, MOCKLLM_RESPONSES_FILE=responses)
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "uvicorn", "mockllm.server:app", "--host", "127.0.0.1",
            "--port", str(self.mock_port), "--log-level", "warning",
            env=env, cwd=self.folder, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)

    async def wait_mockllm(self):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", self.mock_port)
                writer.close()
                return
            except OSError:
                await asyncio.sleep(0.1)
        raise AssertionError("mockllm did not start")

    async def teardown(self):
        for process in (self.server, self.mock):
            if process.returncode is None:
                process.terminate()
                try:
                    await asyncio.wait_for(process.wait(), 10)
                except asyncio.TimeoutError:
                    process.kill()
        self.fake.close()

    async def chat(self, pid, text, id_="m"):
        c = await Client.open(self.url)
        session = await c.start(pid_for(pid))
        reply, end, tokens = await c.say(session, text, id_)
        await c.close()
        return reply, end, tokens


# MARK: Scenarios


async def live_mockllm(w):
    reply, end, tokens = await w.chat("mock", MOCK_PROMPT)
    assert reply == MOCK_TEXT and end["finish"] == "stop", (reply, end)
    assert len(tokens) > 1, tokens
    return f"mockllm streamed {len(tokens)} tokens joining to the upstream's text"


async def streamed_ok(w):
    reply, end, tokens = await w.chat("ok", "tell me about jane.doe@example.com please")
    assert reply == OK_TEXT and end["finish"] == "stop", (reply, end)
    request = w.fake.requests_for("ok")[-1]["body"]
    sent = json.dumps(request)
    assert "jane.doe@example.com" not in sent, sent
    messages = request["messages"]
    assert messages[0]["role"] == "system" and "You are Tester ok." in messages[0]["content"], messages[0]
    assert messages[1] == {"role": "user", "content": "ping"}, messages
    assert request["stream"] is True and request["temperature"] == 0.7, request
    return f"{len(tokens)} tokens joined to {reply!r}; upstream got the scrubbed text and the system prompt"


async def history_and_headers(w):
    c = await Client.open(w.url)
    session = await c.start("ok")
    await c.say(session, "turn 0", "h0")
    connections = w.fake.connections
    for i in range(1, 4):
        await c.say(session, f"turn {i}", f"h{i}")
    await c.close()
    assert w.fake.connections == connections, "a kept-alive connection was not reused"
    messages = w.fake.requests_for("ok")[-1]["body"]["messages"]
    users = [m["content"] for m in messages if m["role"] == "user"]
    assert users == ["ping", "turn 1", "turn 2", "turn 3"], users
    return "history_turns 2 sent the last two exchanges after the example; three turns reused one kept-alive connection"


async def retry_after_429(w):
    started = time.monotonic()
    reply, end, _ = await w.chat("429-once", "hi")
    took = time.monotonic() - started
    seen = w.fake.requests_for("429-once")
    assert reply == OK_TEXT and end["finish"] == "stop", (reply, end)
    assert len(seen) == 2 and seen[1]["at"] - seen[0]["at"] >= 0.95, [s["at"] for s in seen]
    return f"429 with Retry-After: 1 retried after {seen[1]['at'] - seen[0]['at']:.2f} s; client got the reply in {took:.2f} s"


async def retry_500(w):
    reply, end, _ = await w.chat("500-once", "hi")
    assert reply == OK_TEXT and end["finish"] == "stop", (reply, end)
    assert len(w.fake.requests_for("500-once")) == 2
    return "500 then success: retried once, the client saw only the reply"


async def reset_mid_stream(w):
    reply, end, _ = await w.chat("reset", "hi")
    assert reply == "Hello from" and end["finish"] == "error", (reply, end)
    return "reset after two tokens: the two tokens stand, reply_end finish 'error'"


async def slow_first_token(w):
    started = time.monotonic()
    reply, end, _ = await w.chat("slow-first", "hi")
    took = time.monotonic() - started
    assert reply == FALLBACK and end["finish"] == "stop", (reply, end)
    assert took < 2.0, took
    assert await wait_for(lambda: any(r["model"] == "slow-first" and r["n"] in w.fake.closed for r in w.fake.requests))
    return f"no first token within 400 ms: the script engine answered after {took:.2f} s, upstream closed"


async def stalled_stream(w):
    reply, end, _ = await w.chat("stall", "hi")
    assert reply == "Hello" and end["finish"] == "error", (reply, end)
    return "silence after one token: that token stands, reply_end finish 'error'"


async def malformed_sse(w):
    reply, end, _ = await w.chat("malformed", "hi")
    assert reply == FALLBACK and end["finish"] == "stop", (reply, end)
    reply, end, _ = await w.chat("own-fallback", "hi")
    assert reply == "the upstream is resting" and end["finish"] == "stop", (reply, end)
    return "malformed event: the next engine answered; with llm.fallback, that line answered"


async def oversized_line(w):
    reply, end, _ = await w.chat("oversized", "hi")
    assert reply == FALLBACK and end["finish"] == "stop", (reply, end)
    return "a 300 KiB event line (limit 256 KiB) failed the request; the next engine answered"


async def tls_trusted(w):
    reply, end, _ = await w.chat("tls-trusted", "hi")
    assert reply == OK_TEXT and end["finish"] == "stop", (reply, end)
    reply, end, _ = await w.chat("tls-untrusted", "hi")
    assert reply == FALLBACK, reply
    return "self-signed CA: accepted with tls.ca_file, refused without it (the next engine answered)"


async def tls_wrong_host(w):
    before = len(w.fake.requests_for("ok"))
    reply, end, _ = await w.chat("tls-wrong-host", "hi")
    assert reply == FALLBACK and end["finish"] == "stop", (reply, end)
    assert len(w.fake.requests_for("ok")) == before, "a request went through a certificate for another host"
    return "certificate for localhost, URL host 127.0.0.1: refused before any request was sent"


async def cancel_closes_upstream(w):
    c = await Client.open(w.url)
    session = await c.start("slow")
    await c.send(type="message", session=session, text="go", id="c1")
    while (await c.recv())["type"] != "token":
        pass
    cancelled_at = time.monotonic()
    await c.send(type="cancel", session=session)
    frames = await c.until("reply_end")
    assert frames[-1]["finish"] == "cancelled", frames[-1]
    n = w.fake.requests_for("slow")[-1]["n"]
    assert await wait_for(lambda: n in w.fake.closed, 2), "the upstream never saw the close"
    after = [t for t in w.fake.token_times[n] if cancelled_at <= t <= w.fake.closed_at[n]]
    latency = (w.fake.closed_at[n] - cancelled_at) * 1000
    assert len(after) <= 1, (len(after), latency)
    await c.close()
    return (f"cancel: the upstream saw its connection close {latency:.1f} ms later, after {len(after)} more "
            f"token(s) (one every 100 ms)")


async def limit_closes_upstream(w):
    reply, end, tokens = await w.chat("capped", "go")
    request = w.fake.requests_for("slow")[-1]
    assert request["body"]["max_tokens"] == 3, request["body"]
    assert end["finish"] == "length" and len(tokens) == 3, (end, tokens)
    assert await wait_for(lambda: request["n"] in w.fake.closed, 2)
    written = w.fake.closed[request["n"]]
    assert written < 20, written
    return f"max_reply_tokens 3 capped max_tokens to 3; at the limit the upstream saw the close after {written} tokens"


async def leaving_closes_upstream(w):
    c = await Client.open(w.url)
    session = await c.start("slow")
    await c.send(type="message", session=session, text="go", id="l1")
    while (await c.recv())["type"] != "token":
        pass
    await c.close()
    n = w.fake.requests_for("slow")[-1]["n"]
    assert await wait_for(lambda: n in w.fake.closed, 2), "the upstream never saw the close"
    return f"the client left after one token: the upstream saw the close with {w.fake.closed[n]} token(s) written"


async def hundred_stalled(w):
    clients = []
    for i in range(100):
        c = await Client.open(w.url)
        session = await c.start("stall-before")
        await c.send(type="message", session=session, text="wait", id=f"s{i}")
        clients.append(c)
    assert await wait_for(lambda: w.fake.open_streams >= 100, 30), w.fake.open_streams
    started = time.monotonic()
    reply, end, _ = await w.chat("plain", "hello")
    plain = time.monotonic() - started
    assert reply == "plain answer", reply
    started = time.monotonic()
    reply, end, _ = await w.chat("ok", "hello")
    llm = time.monotonic() - started
    assert reply == OK_TEXT, reply
    stalled = w.fake.open_streams
    for c in clients:
        await c.close()
    assert await wait_for(lambda: w.fake.open_streams == 0, 20), w.fake.open_streams
    return (f"{stalled} upstream streams stalled; a script session answered in {plain * 1000:.0f} ms and an llm "
            f"session in {llm * 1000:.0f} ms; all 100 upstream requests closed when their clients left")


async def circuit_breaker(w):
    replies = [(await w.chat("breaker", f"m{i}"))[0] for i in range(3)]
    assert replies == [FALLBACK] * 3, replies
    assert len(w.fake.requests_for("500-always")) == 2, len(w.fake.requests_for("500-always"))
    return "two 500s opened the breaker: the third message never reached the upstream; the fallback answered all"


async def daily_token_budget(w):
    c = await Client.open(w.url)
    session = await c.start("budget")
    first, _, _ = await c.say(session, "one", "b1")
    second, _, _ = await c.say(session, "two", "b2")
    await c.close()
    assert first == OK_TEXT and second == FALLBACK, (first, second)
    assert len(w.fake.requests_for("usage-big")) == 1
    return "300 tokens spent of 500: the next request's reservation did not fit and was never sent"


async def cache_rules(w):
    # One connection: its sessions share one hub, and so one cache.
    c = await Client.open(w.url)
    for pid in ("random-cached", "optin-cached"):
        for i in range(2):
            session = await c.start(pid)
            reply, _, _ = await c.say(session, "same question", f"{pid}{i}")
            assert reply == OK_TEXT, reply
    await c.close()
    counts = {}
    for r in w.fake.requests:
        if r["model"] == "ok":
            system = r["body"]["messages"][0]["content"]
            for pid in ("random-cached", "optin-cached"):
                if f"Tester {pid}." in system:
                    counts[pid] = counts.get(pid, 0) + 1
    assert counts == {"random-cached": 2, "optin-cached": 1}, counts
    return "temperature 0.7: not cached (2 upstream requests); with cache.safe: true the second came from the cache"


async def usage_metrics(w):
    with urllib.request.urlopen(w.http + "/metrics", timeout=TIMEOUT) as response:
        text = response.read().decode()
    lines = [l for l in text.splitlines() if l.startswith("persona_llm_tokens_total{") and 'personality="ok"' in l]
    completion = [l for l in lines if 'kind="completion"' in l]
    assert completion and float(completion[0].split()[-1]) >= 5, lines
    assert 'client="127.0.0.1"' in completion[0] or "client=" in completion[0], completion
    return "persona_llm_tokens_total counts usage per personality, client and tenant: " + completion[0]


SCENARIOS = [
    live_mockllm, streamed_ok, history_and_headers, retry_after_429, retry_500, reset_mid_stream,
    slow_first_token, stalled_stream, malformed_sse, oversized_line, tls_trusted, tls_wrong_host,
    cancel_closes_upstream, limit_closes_upstream, leaving_closes_upstream, hundred_stalled, circuit_breaker,
    daily_token_budget, cache_rules, usage_metrics,
]


async def main():
    binary = sys.argv[1]
    wanted = sys.argv[2:]
    world = World()
    await world.setup(binary)
    failed = True  # until the scenarios have run
    try:
        failed = await run_scenarios(world, SCENARIOS, wanted)
    finally:
        await world.teardown()
        stderr = (await world.server.stderr.read()).decode()
        if failed:
            print("server stderr:\n" + stderr[-4000:], file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    asyncio.run(main())
