"""Kill -9 under load, with the third-party `websockets` client.

Usage: durability.py PERSONA PERSONALITIES DATA_DIR [SESSIONS] [ROUNDS]

Each round: `persona serve` starts on DATA_DIR; SESSIONS clients (started in round 1,
resumed after) send messages as fast as they are acknowledged; once every client is
running (so no resume is cut short by the kill), the load goes on for LOAD_SECONDS and the
server is killed with SIGKILL; it is started again on the same directory; every client resumes
with last_seq 0 and checks that every message the server acknowledged is in the replay,
in order, exactly once. Prints one `ok` line per round and exits 0, or prints the first
discrepancy and exits 1.
"""

import asyncio
import json
import os
import signal
import subprocess
import sys

import websockets

from replay_check import Running, resume_from_zero, verify

PERSONA, PERSONALITIES, DATA = sys.argv[1], sys.argv[2], sys.argv[3]
SESSIONS = int(sys.argv[4]) if len(sys.argv) > 4 else 120
ROUNDS = int(sys.argv[5]) if len(sys.argv) > 5 else 3
LOAD_SECONDS = 1.0
DEADLINE = 20.0


def start_server():
    process = subprocess.Popen(
        [PERSONA, "serve", "--port", "0", "--admin-port", "0", "--personalities", PERSONALITIES,
         "--data-dir", DATA, "--connection-rate", "off", "--loops", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline().strip()
    if not line.startswith("persona listening on http://"):
        raise SystemExit(f"FAIL server did not start: {line!r}")
    port = int(line.rsplit(":", 1)[1])
    return process, f"ws://127.0.0.1:{port}/v1/ws"


class Client:
    def __init__(self, number):
        self.number = number
        self.session = None
        self.token = None
        self.acked = []        # message ids the server acknowledged, in order
        self.sent = 0

    async def resume(self, ws):
        """Resumes from seq 0 and returns the replayed user-message ids, in seq order."""
        return await resume_from_zero(ws, self.number, self.session, self.token)

    async def run(self, url, stop, check, running):
        async with websockets.connect(url, max_queue=None) as ws:
            await ws.recv()  # welcome
            if self.session is None:
                await ws.send(json.dumps({"type": "start", "personality": "parrot"}))
                while True:
                    frame = json.loads(await ws.recv())
                    if frame["type"] == "session_started":
                        self.session, self.token = frame["session"], frame["resume_token"]
                        break
            else:
                replayed = await self.resume(ws)
                check(self, replayed)
            running()
            try:
                await self.send_next(ws)
                while not stop.is_set():
                    frame = json.loads(await ws.recv())
                    if frame["type"] == "ack":
                        self.acked.append(frame["id"])
                        await self.send_next(ws)
                    elif frame["type"] == "error" and frame.get("code") == "busy":
                        await asyncio.sleep(0.01)
                        self.sent -= 1
                        await self.send_next(ws)
            except websockets.ConnectionClosed:
                pass

    async def send_next(self, ws):
        self.sent += 1
        await ws.send(json.dumps({"type": "message", "session": self.session,
                                  "text": f"m{self.sent}", "id": f"c{self.number}-m{self.sent}"}))



async def round_(clients, number):
    process, url = start_server()
    stop = asyncio.Event()
    checked = []
    running = Running(len(clients))
    tasks = [asyncio.create_task(c.run(url, stop, lambda c, r: (verify(c, r), checked.append(c)), running.mark))
             for c in clients]
    await running.wait(tasks, DEADLINE, f"round {number}")
    await asyncio.sleep(LOAD_SECONDS)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    stop.set()
    await asyncio.wait_for(asyncio.gather(*tasks), DEADLINE)
    if number > 1 and len(checked) != len(clients):
        raise AssertionError(f"round {number}: {len(checked)} of {len(clients)} sessions resumed and verified")
    return sum(len(c.acked) for c in clients), len(checked)


async def final_check(clients):
    process, url = start_server()
    try:
        async def check(client):
            async with websockets.connect(url, max_queue=None) as ws:
                await ws.recv()
                verify(client, await client.resume(ws))
        await asyncio.wait_for(asyncio.gather(*(check(c) for c in clients)), DEADLINE)
    finally:
        process.terminate()
        process.wait()


async def main():
    clients = [Client(n) for n in range(SESSIONS)]
    for number in range(1, ROUNDS + 1):
        acked, resumed = await round_(clients, number)
        print(f"ok round {number}: {SESSIONS} sessions, {acked} acknowledged messages so far, "
              f"{resumed} sessions resumed and verified, then SIGKILL")
    await final_check(clients)
    total = sum(len(c.acked) for c in clients)
    print(f"ok after {ROUNDS} kills every one of {total} acknowledged messages replayed once, in order")


try:
    asyncio.run(main())
except AssertionError as failure:
    print(f"FAIL {failure}")
    sys.exit(1)
