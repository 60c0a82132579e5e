"""Benchmark: concurrent streamed llm replies through persona, against the same upstream alone
and through LiteLLM's proxy, in one run.

Usage: bench_llm.py PERSONA_BINARY [--sessions 1000] [--seconds 5] [--runs 3] [--no-litellm]

Starts `fake_upstream.py` (model `ok`: five tokens at once), `persona serve` with one llm
personality on it, and (unless --no-litellm) `litellm --config` with one model routed to the
same upstream. Then, for each target in turn and `--runs` times, keeps `--sessions` clients
busy for `--seconds`, each sending its next request as soon as the last reply ended:

  upstream  HTTP POST /v1/chat/completions straight to the fake upstream (its own TTFT)
  persona   /v1/ws sessions (start once, then one message per reply)
  litellm   HTTP POST /v1/chat/completions to the proxy

TTFT is from sending a request to the first content token; streams/s counts complete replies.
Prints one line per run and the medians; "added TTFT" is persona's (or LiteLLM's) minus the
upstream's own at the same percentile, from the same run.
"""

import argparse
import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import websockets

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fake_upstream import FakeUpstream  # noqa: E402

MASTER_KEY = "sk-bench-" + "0123456789abcdef" * 4
CONTENT = re.compile(rb'"content": ?"[^"]')
BODY = json.dumps({"model": "ok", "stream": True, "messages": [{"role": "user", "content": "hello"}]}).encode()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


async def http_worker(port, path, model, deadline, ttfts, done):
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=2**20)
    body = json.dumps({"model": model, "stream": True, "messages": [{"role": "user", "content": "hello"}]}).encode()
    request = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
               f"Authorization: Bearer {MASTER_KEY}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
    try:
        while time.monotonic() < deadline:
            sent = time.monotonic()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            chunked = b"chunked" in head.lower()
            first = None
            buffer = b""
            while True:
                if chunked:
                    size = int((await reader.readline()).split(b";")[0], 16)
                    data = await reader.readexactly(size + 2)
                    if size == 0:
                        break
                    buffer += data[:-2]
                else:
                    data = await reader.read(65536)
                    if not data:
                        return
                    buffer += data
                if first is None and CONTENT.search(buffer):
                    first = time.monotonic()
                if b"[DONE]" in buffer and not chunked:
                    break
                if b"[DONE]" in buffer and chunked:
                    continue
            if first is not None:
                ttfts.append(first - sent)
                done.append(1)
    except (ConnectionError, asyncio.IncompleteReadError, ValueError):
        pass
    finally:
        writer.close()


async def ws_worker(url, deadline, ttfts, done):
    async with websockets.connect(url, max_size=2**20) as ws:
        await ws.recv()
        await ws.send(json.dumps({"type": "start", "personality": "bench"}))
        session = None
        while session is None:
            frame = json.loads(await ws.recv())
            if frame["type"] == "session_started":
                session = frame["session"]
        n = 0
        while time.monotonic() < deadline:
            n += 1
            sent = time.monotonic()
            await ws.send(json.dumps({"type": "message", "session": session, "text": "hello", "id": str(n)}))
            first = None
            while True:
                frame = json.loads(await ws.recv())
                if frame["type"] == "token" and first is None:
                    first = time.monotonic()
                if frame["type"] == "reply_end":
                    break
            if first is not None and frame.get("finish") == "stop":
                ttfts.append(first - sent)
                done.append(1)


async def measure(name, make, sessions, seconds):
    ttfts, done = [], []
    deadline = time.monotonic() + seconds
    started = time.monotonic()
    await asyncio.gather(*(make(deadline, ttfts, done) for _ in range(sessions)), return_exceptions=True)
    elapsed = time.monotonic() - started
    result = {"name": name, "p50": percentile(ttfts, 50) * 1000, "p99": percentile(ttfts, 99) * 1000,
              "streams_per_s": len(done) / elapsed}
    print(f"  {name:8s} streams/s {result['streams_per_s']:8.0f}   TTFT p50 {result['p50']:7.2f} ms"
          f"   p99 {result['p99']:7.2f} ms   ({len(done)} streams)", flush=True)
    return result


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-litellm", action="store_true")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="persona-bench-llm-")
    fake = FakeUpstream()
    fake.requests = _Discard()
    port = await fake.start()
    personalities = os.path.join(folder, "Personalities")
    os.makedirs(personalities)
    with open(os.path.join(personalities, "upstreams.yaml"), "w") as f:
        f.write(f"upstreams:\n  - name: fast\n    base_url: http://127.0.0.1:{port}/v1\n    model: ok\n"
                f"    max_concurrent: 100000\n    timeouts: {{ first_token: 60s, between_tokens: 60s, total: 120s }}\n")
    with open(os.path.join(personalities, "limits.yaml"), "w") as f:
        f.write("default: open\nsets:\n  open:\n    max_reply_tokens: 400\n")
    with open(os.path.join(personalities, "bench.yaml"), "w") as f:
        f.write('id: bench\nname: Bench\ndescription: The llm benchmark personality.\nengine: llm\n'
                'stream: { tokens_per_second: 0 }\nllm:\n  upstream: fast\n  history_turns: 0\n')
    server = subprocess.Popen(
        [args.binary, "serve", "--port", "0", "--personalities", personalities, "--connection-rate", "off",
         "--log-format", "json"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    line = server.stdout.readline().decode()
    persona_url = line.split()[-1].replace("http://", "ws://") + "/v1/ws"

    litellm = None
    litellm_port = free_port()
    if not args.no_litellm:
        config = os.path.join(folder, "litellm.yaml")
        with open(config, "w") as f:
            f.write(f"model_list:\n  - model_name: ok\n    litellm_params:\n      model: openai/ok\n"
                    f"      api_base: http://127.0.0.1:{port}/v1\n      api_key: sk-bench\n")
        litellm = subprocess.Popen(
            ["litellm", "--config", config, "--host", "127.0.0.1", "--port", str(litellm_port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=folder,
            env=dict(os.environ, LITELLM_MASTER_KEY=MASTER_KEY))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                _, w = await asyncio.open_connection("127.0.0.1", litellm_port)
                w.close()
                break
            except OSError:
                await asyncio.sleep(0.5)
        else:
            print("litellm did not start within 120 s", flush=True)
            litellm.kill()
            litellm = None

    results = {"upstream": [], "persona": [], "litellm": []}
    try:
        for run in range(args.runs):
            print(f"run {run + 1}: {args.sessions} concurrent sessions, {args.seconds} s each", flush=True)
            results["upstream"].append(await measure(
                "upstream", lambda d, t, n: http_worker(port, "/v1/chat/completions", "ok", d, t, n),
                args.sessions, args.seconds))
            results["persona"].append(await measure(
                "persona", lambda d, t, n: ws_worker(persona_url, d, t, n), args.sessions, args.seconds))
            if litellm:
                results["litellm"].append(await measure(
                    "litellm", lambda d, t, n: http_worker(litellm_port, "/v1/chat/completions", "ok", d, t, n),
                    args.sessions, args.seconds))
    finally:
        server.terminate()
        if litellm:
            litellm.terminate()
        fake.close()

    def median(name, key):
        values = [r[key] for r in results[name]]
        return statistics.median(values) if values else float("nan")

    print("medians:")
    for name in ("upstream", "persona", "litellm"):
        if results[name]:
            print(f"  {name:8s} streams/s {median(name, 'streams_per_s'):8.0f}   TTFT p50 {median(name, 'p50'):7.2f} ms"
                  f"   p99 {median(name, 'p99'):7.2f} ms")
    for name in ("persona", "litellm"):
        if results[name]:
            print(f"  {name} added TTFT: p50 {median(name, 'p50') - median('upstream', 'p50'):+.2f} ms, "
                  f"p99 {median(name, 'p99') - median('upstream', 'p99'):+.2f} ms")
    if results["litellm"]:
        print(f"  persona / litellm streams/s: {median('persona', 'streams_per_s') / median('litellm', 'streams_per_s'):.1f}x")


class _Discard(list):
    """The benchmark does not keep every request body."""

    def append(self, item):
        pass


if __name__ == "__main__":
    asyncio.run(main())
