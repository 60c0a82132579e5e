"""The store-full path, live: `persona serve --store-max-pages N` fills up.

Usage: store_full.py PERSONA PERSONALITIES DATA_DIR

A client sends messages until one is refused `store_unavailable`; `/ready` must answer 503;
a resume on a new connection must replay every acknowledged message; `persona forget`
frees the space; `/ready` must come back to 200 by itself and a new message is acked.
"""

import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import websockets

PERSONA, PERSONALITIES, DATA = sys.argv[1:4]
TOKEN = "store-full-test-token"


def ready(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


async def expect(ws, kind):
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if frame["type"] in kind:
            return frame


async def main():
    env = dict(os.environ, PERSONA_ADMIN_TOKEN=TOKEN)
    server = subprocess.Popen(
        [PERSONA, "serve", "--port", "0", "--admin-port", "0", "--personalities", PERSONALITIES,
         "--data-dir", DATA, "--connection-rate", "off", "--store-max-pages", "40"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        port = int(server.stdout.readline().strip().rsplit(":", 1)[1])
        server.stdout.readline()
        admin = server.stdout.readline().split("http://", 1)[1].split(" ", 1)[0]
        url = f"ws://127.0.0.1:{port}/v1/ws"
        assert ready(port) == 200, "not ready at start"
        acked = []
        async with websockets.connect(url) as ws:
            await ws.recv()
            await ws.send(json.dumps({"type": "start", "personality": "parrot"}))
            started = await expect(ws, {"session_started"})
            session, token = started["session"], started["resume_token"]
            refused = None
            for n in range(5000):
                await ws.send(json.dumps({"type": "message", "session": session,
                                          "text": f"{n:04d} " + "x" * 190, "id": f"m{n}"}))
                frame = await expect(ws, {"ack", "error"})
                if frame["type"] == "ack":
                    acked.append(frame["id"])
                    await expect(ws, {"reply_end"})
                elif frame["code"] == "store_unavailable":
                    refused = frame
                    break
                else:
                    raise AssertionError(f"unexpected error {frame}")
            assert refused is not None, "the store never filled"
            assert refused["ref"] not in acked
            print(f"ok refused store_unavailable after {len(acked)} acknowledged messages")
        status = ready(port)
        assert status == 503, f"/ready answered {status} while the store cannot write"
        print("ok /ready answers 503 while the store cannot write")
        async with websockets.connect(url) as ws:
            await ws.recv()
            await ws.send(json.dumps({"type": "resume", "session": session, "resume_token": token,
                                      "last_seq": 0}))
            resumed = await expect(ws, {"session_resumed"})
            replayed = []
            while True:
                frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
                if frame["type"] == "ack":
                    replayed.append(frame["id"])
                if frame.get("seq") == resumed["last_seq"] and frame["type"] in ("ack", "reply_end"):
                    break
            assert replayed == acked, f"replay lost or added messages: {len(replayed)} vs {len(acked)}"
            print(f"ok every one of the {len(acked)} acknowledged messages is replayed")
        forget = subprocess.run(
            [PERSONA, "forget", "127.0.0.1", "--admin-url", f"http://{admin}"], env=env,
            capture_output=True, text=True)
        assert forget.returncode == 0, forget.stderr
        deadline = time.time() + 10
        while ready(port) != 200 and time.time() < deadline:
            time.sleep(0.05)
        assert ready(port) == 200, "/ready did not recover after space was freed"
        async with websockets.connect(url) as ws:
            await ws.recv()
            await ws.send(json.dumps({"type": "start", "personality": "parrot"}))
            started = await expect(ws, {"session_started"})
            await ws.send(json.dumps({"type": "message", "session": started["session"],
                                      "text": "again", "id": "again"}))
            frame = await expect(ws, {"ack", "error"})
            assert frame["type"] == "ack", f"not accepted after recovery: {frame}"
        print("ok after space returned /ready is 200 again and messages are acknowledged")
    finally:
        server.terminate()
        server.wait()


try:
    asyncio.run(main())
except AssertionError as failure:
    print(f"FAIL {failure}")
    sys.exit(1)
