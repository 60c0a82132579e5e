"""Live abuse scenarios against `persona serve`.

Usage:
  abuse_live.py memory HOST PORT SERVER_PID
      40 connections each send a 16 MB frame to /v1/ws and 40 more to /v1/echo while a normal
      chat measures its time to first token; prints one JSON object: the server's VmHWM before
      and after, what each attacker saw, the chat's first-token times, and /metrics' refusals.
  abuse_live.py refusals HOST PORT
      One scripted attack per refusal reason; prints the /metrics refusal counters as JSON.

Every wait is bounded, so a server that stops answering fails the run instead of hanging it.
"""

import asyncio
import base64
import json
import os
import sys
import time
import urllib.request

import websockets

TIMEOUT = 20.0
FRAME = 16_000_000


def vm_hwm_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("no VmHWM")


def metrics(host, port):
    with urllib.request.urlopen(f"http://{host}:{port}/metrics", timeout=TIMEOUT) as answer:
        text = answer.read().decode()
    samples = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, value = line.rsplit(" ", 1)
        samples[name] = float(value)
    return samples


async def upgrade(host, port, path, extra=""):
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), TIMEOUT)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(
        (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n{extra}\r\n"
        ).encode()
    )
    await writer.drain()
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), TIMEOUT)
    status = int(head.split(b" ", 2)[1])
    return reader, writer, status


async def read_frame(reader):
    first, second = await reader.readexactly(2)
    length = second & 0x7F
    if length == 126:
        length = int.from_bytes(await reader.readexactly(2), "big")
    elif length == 127:
        length = int.from_bytes(await reader.readexactly(8), "big")
    return first & 0x0F, await reader.readexactly(length)


async def attacker(host, port, path):
    """Sends one 16 MB binary frame (masked with the all-zero key, so the payload is sent as
    is) and reads until the echo or a close arrives. Returns what it saw."""
    reader, writer, status = await upgrade(host, port, path)
    if status != 101:
        writer.close()
        return {"path": path, "status": status}
    seen = {"path": path, "status": 101, "texts": [], "close": None, "echoed": 0}

    async def send():
        try:
            writer.write(bytes([0x82, 0xFF]) + FRAME.to_bytes(8, "big") + bytes(4))
            chunk = bytes(1 << 20)
            for start in range(0, FRAME, len(chunk)):
                writer.write(chunk[: min(len(chunk), FRAME - start)])
                await writer.drain()
        except (ConnectionError, OSError):
            pass

    async def receive():
        try:
            while True:
                opcode, payload = await read_frame(reader)
                if opcode == 1:
                    seen["texts"].append(json.loads(payload))
                elif opcode == 2:
                    seen["echoed"] = len(payload)
                    return
                elif opcode == 8:
                    seen["close"] = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else None
                    return
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            return

    sender = asyncio.create_task(send())
    await asyncio.wait_for(receive(), TIMEOUT)
    sender.cancel()
    writer.close()
    return seen


async def first_token_ms(chat, session, number):
    sent = time.perf_counter()
    await chat.send(json.dumps({"type": "message", "session": session, "text": f"hello {number}", "id": f"p{number}"}))
    while True:
        frame = json.loads(await asyncio.wait_for(chat.recv(), TIMEOUT))
        if frame["type"] == "token":
            first = (time.perf_counter() - sent) * 1000
            break
        assert frame["type"] in ("ack", "reply_start"), frame
    while json.loads(await asyncio.wait_for(chat.recv(), TIMEOUT))["type"] != "reply_end":
        pass
    return first


async def probe(host, port, count):
    """A normal chat in its own process (so the attackers' work in this interpreter cannot
    delay it): connects, prints `ready`, waits for a line on stdin, then sends `count`
    messages 30 ms apart (all while the attack lasts: about half a second) and prints each first-token time in milliseconds as JSON."""
    chat = await websockets.connect(f"ws://{host}:{port}/v1/ws", open_timeout=TIMEOUT)
    assert json.loads(await chat.recv())["type"] == "welcome"
    await chat.send(json.dumps({"type": "start", "personality": "feature-tour"}))
    while True:
        frame = json.loads(await asyncio.wait_for(chat.recv(), TIMEOUT))
        if frame["type"] == "session_started":
            session = frame["session"]
            break
    quiet = await first_token_ms(chat, session, 0)
    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    times = []
    for number in range(1, count + 1):
        times.append(await first_token_ms(chat, session, number))
        await asyncio.sleep(0.03)
    await chat.close()
    print(json.dumps({"quiet": quiet, "during": times}), flush=True)


async def memory(host, port, pid):
    prober = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "probe", host, str(port), "10",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    assert (await asyncio.wait_for(prober.stdout.readline(), TIMEOUT)).strip() == b"ready"
    baseline = vm_hwm_kb(pid)
    started = time.perf_counter()
    attack = asyncio.gather(
        *[attacker(host, port, "/v1/ws") for _ in range(40)], *[attacker(host, port, "/v1/echo") for _ in range(40)]
    )
    prober.stdin.write(b"go\n")
    await prober.stdin.drain()
    results = await attack
    attack_seconds = time.perf_counter() - started
    peak = vm_hwm_kb(pid)
    probed = json.loads(await asyncio.wait_for(prober.stdout.readline(), TIMEOUT))
    await prober.wait()
    samples = metrics(host, port)
    print(
        json.dumps(
            {
                "baseline_hwm_kb": baseline,
                "peak_hwm_kb": peak,
                "attack_seconds": attack_seconds,
                "ttft_quiet_ms": probed["quiet"],
                "ttft_during_attack_ms": probed["during"],
                "attackers": results,
                "refusals": {k: v for k, v in samples.items() if k.startswith("persona_refusals_total")},
                "closes": {k: v for k, v in samples.items() if k.startswith("persona_websocket_closes_total")},
                "latency": {
                    k: v
                    for k, v in samples.items()
                    if k.startswith(("persona_time_to_first_token_seconds_", "persona_reply_latency_seconds_"))
                    and not k.startswith(("persona_time_to_first_token_seconds_bucket", "persona_reply_latency_seconds_bucket"))
                },
            }
        )
    )


async def refusals(host, port):
    # 429: more upgrades from this address than the connection burst (the server runs with 3).
    statuses = []
    for _ in range(5):
        _, writer, status = await upgrade(host, port, "/v1/ws")
        statuses.append(status)
        writer.close()
    assert 429 in statuses, statuses
    await asyncio.sleep(1.1)  # one more allowance (1/s) for the next upgrades
    # 403: an Origin not on the allow-list.
    _, writer, status = await upgrade(host, port, "/v1/echo", "Origin: https://evil.example\r\n")
    assert status == 403, status
    writer.close()
    # 426: an unsupported WebSocket version; 400: a bad key.
    for extra, expected in (("", 426), ("", 400)):
        reader, writer = await asyncio.open_connection(host, port)
        version = "12" if expected == 426 else "13"
        key = "dGhlIHNhbXBsZSBub25jZQ==" if expected == 426 else "short"
        writer.write(
            f"GET /v1/echo HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: {version}\r\n\r\n".encode()
        )
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), TIMEOUT)
        assert int(head.split(b" ", 2)[1]) == expected, head
        writer.close()
    # 404: a path that does not exist.
    try:
        urllib.request.urlopen(f"http://{host}:{port}/wp-login.php", timeout=TIMEOUT)
    except urllib.error.HTTPError as error:
        assert error.code == 404
    # 1009: a frame over the chat protocol's 64 KiB; then over the echo's memory budget.
    await asyncio.sleep(1.1)
    reader, writer, status = await upgrade(host, port, "/v1/ws")
    assert status == 101, status
    assert (await read_frame(reader))[0] == 1  # welcome
    writer.write(bytes([0x81, 0xFF]) + (70_000).to_bytes(8, "big") + bytes(4))
    await writer.drain()
    opcode, payload = await read_frame(reader)
    assert json.loads(payload)["code"] == "message_too_large", payload
    opcode, payload = await read_frame(reader)
    assert opcode == 8 and int.from_bytes(payload[:2], "big") == 1009, payload
    writer.close()
    reader, writer, status = await upgrade(host, port, "/v1/echo")
    writer.write(bytes([0x82, 0xFF]) + (2_000_000).to_bytes(8, "big") + bytes(4))
    await writer.drain()
    opcode, payload = await read_frame(reader)
    assert opcode == 8 and int.from_bytes(payload[:2], "big") == 1009, payload
    writer.close()
    # busy and rate_limited: a burst of messages while a slow reply streams.
    await asyncio.sleep(1.1)
    chat = await websockets.connect(f"ws://{host}:{port}/v1/ws", open_timeout=TIMEOUT)
    await chat.recv()
    # Three sessions of a slowly streaming personality: each takes a reply and 4 queued
    # messages, then says `busy`; together they pass the per-client allowance (`rate_limited`).
    sessions = []
    for _ in range(3):
        await chat.send(json.dumps({"type": "start", "personality": "eliza"}))
        while True:
            frame = json.loads(await asyncio.wait_for(chat.recv(), TIMEOUT))
            if frame["type"] == "session_started":
                sessions.append(frame["session"])
                break
    for session in sessions:
        for number in range(6):
            await chat.send(json.dumps({"type": "message", "session": session, "text": "tell me more", "id": f"m{number}"}))
    codes = set()
    deadline = time.monotonic() + TIMEOUT
    while not {"busy", "rate_limited"} <= codes and time.monotonic() < deadline:
        frame = json.loads(await asyncio.wait_for(chat.recv(), TIMEOUT))
        if frame["type"] == "error":
            codes.add(frame["code"])
    assert {"busy", "rate_limited"} <= codes, codes
    await chat.close()
    # heartbeat_timeout: a client that reads its welcome, then never answers the server's pings
    # (the server runs with --ping-interval 300ms --pong-timeout 300ms) is dropped.
    await asyncio.sleep(1.1)
    reader, writer, status = await upgrade(host, port, "/v1/ws")
    assert status == 101, status
    opcode, welcome = await read_frame(reader)
    assert opcode == 1 and json.loads(welcome)["heartbeat_ms"] == 300, welcome  # clients are told the interval
    silent_started = time.monotonic()
    pings = 0
    while True:
        try:
            opcode, _ = await asyncio.wait_for(read_frame(reader), TIMEOUT)
        except (asyncio.IncompleteReadError, ConnectionResetError):
            break  # the server dropped the connection
        assert opcode == 9, opcode  # only pings arrive; they go unanswered
        pings += 1
    dropped_after = time.monotonic() - silent_started
    assert pings >= 1 and dropped_after < 5, (pings, dropped_after)
    writer.close()
    samples = metrics(host, port)
    counted = {k: v for k, v in samples.items() if k.startswith(("persona_refusals_total", "persona_http_errors_total", "persona_websocket_closes_total"))}
    counted["silent_client_pings"] = pings
    counted["silent_client_dropped_after_s"] = dropped_after
    print(json.dumps(counted))


if __name__ == "__main__":
    if sys.argv[1] == "memory":
        asyncio.run(memory(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
    elif sys.argv[1] == "probe":
        asyncio.run(probe(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
    else:
        asyncio.run(refusals(sys.argv[2], int(sys.argv[3])))
