"""A fault-injecting OpenAI-compatible upstream for the llm engine's live tests (stdlib only).

The request's `model` picks the behaviour, so one server plays every failure:

  ok           role chunk, five content tokens, finish, usage chunk (prompt 50, completion 5), [DONE]
  usage-big    like ok, but the usage chunk reports prompt 200, completion 100
  slow         twenty tokens "t0 lorem ipsum dolor sit amet " .. (31+ bytes each), one every 100 ms
  429-once     first request: 429 + Retry-After: 1; later ones: like ok
  500-once     first request: 500; later ones: like ok
  500-always   always 500
  reset        role chunk, two tokens, then a TCP reset
  slow-first   headers at once, the first token only after 3 s
  stall        role chunk, one token, then silence
  stall-before headers and the role chunk, then silence
  malformed    a data line that is not JSON
  oversized    one 300 KiB line

Responses use chunked transfer coding on kept-alive HTTP/1.1 connections. While streaming, a
reader watches the socket: the moment the client closes, the request is recorded as `closed`
with the number of content tokens written so far — that is how tests see that a cancel
reached the upstream.
"""

import asyncio
import json
import socket
import struct
import time

WATCHED = {"slow", "slow-first", "stall", "stall-before", "malformed", "oversized", "reset"}
TOKENS = ["Hello", " from", " the", " upstream", "."]
OK_TEXT = "".join(TOKENS)


class FakeUpstream:
    def __init__(self):
        self.requests = []  # dicts: n, model, body, at
        self.closed = {}  # n -> content tokens written when the client's close was seen
        self.closed_at = {}  # n -> monotonic time the close was seen
        self.token_times = {}  # n -> monotonic times each content token was written
        self.counts = {}
        self.open_streams = 0
        self.connections = 0  # TCP connections accepted (keep-alive reuse shows here)
        self.servers = []

    async def start(self, ssl_context=None):
        server = await asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=ssl_context, limit=2**20)
        self.servers.append(server)
        return server.sockets[0].getsockname()[1]

    def close(self):
        for server in self.servers:
            server.close()

    def requests_for(self, model):
        return [r for r in self.requests if r["model"] == model]

    async def _serve(self, reader, writer):
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.decode("latin-1").split("\r\n")[1:]:
                    if line.lower().startswith("content-length:"):
                        length = int(line.split(":", 1)[1])
                body = json.loads(await reader.readexactly(length)) if length else {}
                keep = await self._answer(reader, writer, body)
                if not keep:
                    return
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def _answer(self, reader, writer, body):
        model = body.get("model", "")
        n = len(self.requests)
        self.requests.append({"n": n, "model": model, "body": body, "at": time.monotonic()})
        count = self.counts.get(model, 0)
        self.counts[model] = count + 1

        if model == "500-always" or (model == "500-once" and count == 0):
            return await self._status(writer, 500, "Internal Server Error", {})
        if model == "429-once" and count == 0:
            return await self._status(writer, 429, "Too Many Requests", {"Retry-After": "1"})

        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        # Long answers watch the socket for the client's close; they end the connection after,
        # so the watcher can never swallow the first byte of a kept-alive next request.
        watched = model in WATCHED
        stream = Stream(self, n, reader, writer, watched)
        self.open_streams += 1
        try:
            keep = await self._stream(model, stream, body)
            return keep and not watched
        finally:
            self.open_streams -= 1
            stream.stop()

    async def _status(self, writer, code, reason, headers):
        payload = json.dumps({"error": {"message": reason, "type": "server_error", "param": None, "code": None}})
        extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        writer.write(
            f"HTTP/1.1 {code} {reason}\r\nContent-Type: application/json\r\nContent-Length: {len(payload)}\r\n{extra}\r\n{payload}".encode()
        )
        await writer.drain()
        return True

    async def _stream(self, model, stream, body):
        await stream.event(chunk(role=True))
        if model == "malformed":
            await stream.raw(b'data: {"choices": [\n\n')
            return await stream.hold()
        if model == "oversized":
            await stream.raw(b"data: " + b"x" * (300 * 1024) + b"\n\n")
            return await stream.hold()
        if model == "stall-before":
            return await stream.hold()
        if model == "slow-first":
            await asyncio.sleep(3)
        if model == "slow":
            for i in range(20):
                if stream.gone.is_set():
                    return False
                await stream.token(f"t{i} lorem ipsum dolor sit amet ")
                await asyncio.sleep(0.1)
            return await stream.finish(50, 20)
        if model == "reset":
            await stream.token(TOKENS[0])
            await stream.token(TOKENS[1])
            await asyncio.sleep(0.05)
            stream.reset()
            return False
        if model == "stall":
            await stream.token(TOKENS[0])
            return await stream.hold()
        for token in TOKENS:
            await stream.token(token)
        if model == "usage-big":
            return await stream.finish(200, 100)
        return await stream.finish(50, len(TOKENS))


def chunk(content=None, role=False, finish=None, usage=None):
    payload = {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "fake",
        "choices": [],
    }
    if usage is None:
        delta = {"role": "assistant", "content": ""} if role else ({"content": content} if content is not None else {})
        payload["choices"] = [{"index": 0, "delta": delta, "finish_reason": finish}]
    else:
        payload["usage"] = usage
    return payload


class Stream:
    """One streamed answer: writes events as chunks and notices the client's close."""

    def __init__(self, upstream, n, reader, writer, watched):
        self.upstream = upstream
        self.n = n
        self.writer = writer
        self.tokens = 0
        self.gone = asyncio.Event()
        self.watch = asyncio.ensure_future(self._watch(reader)) if watched else None

    async def _watch(self, reader):
        try:
            data = await reader.read(1)
        except (ConnectionError, OSError):
            data = b""
        if not data:
            self.upstream.closed_at.setdefault(self.n, time.monotonic())
            self.upstream.closed.setdefault(self.n, self.tokens)
            self.gone.set()

    def stop(self):
        if self.watch:
            self.watch.cancel()

    async def raw(self, data):
        self.writer.write(b"%x\r\n%s\r\n" % (len(data), data))
        await self.writer.drain()

    async def event(self, payload):
        await self.raw(b"data: " + json.dumps(payload).encode() + b"\n\n")

    async def token(self, text):
        await self.event(chunk(content=text))
        self.tokens += 1
        self.upstream.token_times.setdefault(self.n, []).append(time.monotonic())

    async def finish(self, prompt, completion):
        await self.event(chunk(finish="stop"))
        await self.event(
            chunk(usage={"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion})
        )
        await self.raw(b"data: [DONE]\n\n")
        self.writer.write(b"0\r\n\r\n")
        await self.writer.drain()
        return True

    async def hold(self):
        """Silence until the client leaves."""
        await self.gone.wait()
        return False

    def reset(self):
        sock = self.writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.transport.abort()
