"""Two `persona serve` nodes on one real redis-server, with the third-party `websockets` client.

Usage: redis_nodes.py PERSONA PERSONALITIES DATA_DIR [SESSIONS] [failover|cache|rate|cluster]

The script starts redis-server (Debian's package) on a free loopback port with its data in
DATA_DIR/redis (append-only file, fsync always, so a killed Redis keeps what it acknowledged),
then nodes `a` and `b` with `--redis`.

1. SESSIONS clients start sessions on node a and send messages as fast as they are
   acknowledged; node a is killed with SIGKILL; every client resumes on node b from seq 0 and
   checks that every acknowledged message is replayed, in order, exactly once; each session
   then goes on on node b (a new message is acknowledged and answered).
2. The clients keep chatting on node b; redis-server is killed with SIGKILL: every client gets
   `store_unavailable` with `retry_after_ms`, and node b's /ready answers 503; redis-server is
   started again on the same port: /ready comes back to 200 by itself, every client's messages
   are acknowledged again, and a final resume from seq 0 replays every acknowledged message
   once, in order. Node b is never restarted.

With `cache` instead (the default is `failover`, parts 1 and 2): both nodes also serve an
`oracle` personality (copied beside PERSONALITIES' files) whose random reply may be cached
(`cache: { mode: exact, safe: true }`). A question asked on node a is answered on node b from
the shared cache (node b's `persona_redis_cache_hits_total` is 1, the reply is node a's), and a
question nobody asked is a miss there.

With `rate`: the `strict` personality allows a client 3 messages back to back (then one per
2 s). One client spends them on node a; its next message, sent from a new session on node b,
is refused `rate_limited` with `retry_after_ms` (node b's own limiters have never seen it).
First, a `daily` personality (3 messages a day per client; the count is the client's, over
every personality): messages on a, b, a are accepted and the 4th, on node b (which itself
counted only one), is refused `limit_reached`.

With `cluster`: a Redis Cluster of three masters (no persistence) instead of one server, made
with `redis-cli --cluster create`; the nodes get all three as `--redis` seeds. Part 1 as above
(node a killed, every session resumed on node b); then, while every client chats on node b,
the slot of each session's keys is migrated to another master (IMPORTING/MIGRATING, MIGRATE,
SETSLOT NODE, a pause between steps so writes meet ASK, TRYAGAIN and MOVED): refusals may only
be typed `store_unavailable`, every client is acknowledged after the last migration without
any restart, each session's keys are on their new master, and a resume from seq 0 replays every
acknowledged message once, in order.

Prints one `ok` line per check and exits 0, or prints the first discrepancy and exits 1.
"""

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import websockets

from replay_check import Running, resume_from_zero, verify

PERSONA, PERSONALITIES, DATA = sys.argv[1], sys.argv[2], sys.argv[3]
SESSIONS = int(sys.argv[4]) if len(sys.argv) > 4 else 40
PART = sys.argv[5] if len(sys.argv) > 5 else "failover"
DEADLINE = 20.0
REDIS_BINARY = next((p for p in ("/usr/bin/redis-server", "/usr/local/bin/redis-server") if os.path.exists(p)),
                    "redis-server")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Redis:
    def __init__(self):
        self.port = free_port()
        self.directory = os.path.join(DATA, "redis")
        os.makedirs(self.directory, exist_ok=True)
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [REDIS_BINARY, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.directory,
             "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--daemonize", "no",
             "--loglevel", "warning", "--logfile", os.path.join(self.directory, "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 5
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.01)
        raise AssertionError("redis-server did not start")

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()


    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}"


class Cluster:
    """Three cluster-enabled redis-servers joined into one cluster (no replicas)."""

    def __init__(self):
        self.ports = [free_port() for _ in range(3)]
        self.processes = []

    @property
    def url(self):
        return ",".join(f"redis://127.0.0.1:{port}" for port in self.ports)

    def cli(self, port, *arguments):
        out = subprocess.run(["redis-cli", "-p", str(port), *map(str, arguments)], capture_output=True, text=True,
                             timeout=10)
        return out.stdout.strip()

    def start(self):
        for port in self.ports:
            directory = os.path.join(DATA, f"redis-{port}")
            os.makedirs(directory, exist_ok=True)
            self.processes.append(subprocess.Popen(
                [REDIS_BINARY, "--port", str(port), "--bind", "127.0.0.1", "--dir", directory, "--save", "",
                 "--appendonly", "no", "--daemonize", "no", "--cluster-enabled", "yes",
                 "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "1000",
                 # The bus port defaults to port + 10000, past 65535 for a high free port.
                 "--cluster-port", str(free_port()),
                 "--cluster-require-full-coverage", "no", "--loglevel", "warning",
                 "--logfile", os.path.join(directory, "redis.log")],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for port in self.ports:
            deadline = time.time() + 5
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    if time.time() > deadline:
                        raise AssertionError("redis-server did not start")
                    time.sleep(0.01)
        subprocess.run(["redis-cli", "--cluster", "create", *(f"127.0.0.1:{p}" for p in self.ports),
                        "--cluster-replicas", "0", "--cluster-yes"], check=True, capture_output=True, timeout=20)
        deadline = time.time() + 10
        while not all("cluster_state:ok" in self.cli(p, "CLUSTER", "INFO") for p in self.ports) or \
                len({self.cli(p, "CLUSTER", "SLOTS") for p in self.ports}) != 1:
            if time.time() > deadline:
                raise AssertionError("the cluster did not become healthy")
            time.sleep(0.05)

    def owner(self, slot):
        """The port of the master serving `slot` (redis-cli prints CLUSTER SLOTS flattened)."""
        lines = self.cli(self.ports[0], "CLUSTER", "SLOTS").split("\n")
        for i in range(len(lines) - 3):
            if lines[i].isdigit() and lines[i + 1].isdigit() and lines[i + 3].isdigit() and \
                    int(lines[i]) <= slot <= int(lines[i + 1]):
                return int(lines[i + 3])
        raise AssertionError(f"no owner for slot {slot}")

    async def migrate(self, slot, target, pause):
        """Moves `slot` to `target` step by step, pausing so live writes meet each state."""
        source = self.owner(slot)
        source_id, target_id = self.cli(source, "CLUSTER", "MYID"), self.cli(target, "CLUSTER", "MYID")
        self.cli(target, "CLUSTER", "SETSLOT", slot, "IMPORTING", source_id)
        self.cli(source, "CLUSTER", "SETSLOT", slot, "MIGRATING", target_id)
        await asyncio.sleep(pause)
        while True:
            keys = [k for k in self.cli(source, "CLUSTER", "GETKEYSINSLOT", slot, 100).split("\n") if k]
            if not keys:
                break
            reply = self.cli(source, "MIGRATE", "127.0.0.1", target, "", 0, 5000, "KEYS", *keys)
            if reply != "OK":
                raise AssertionError(f"MIGRATE of slot {slot} failed: {reply}")
        await asyncio.sleep(pause)
        for port in [target] + [p for p in self.ports if p != target]:
            self.cli(port, "CLUSTER", "SETSLOT", slot, "NODE", target_id)

    def kill(self):
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait()


class Node:
    def __init__(self, name, redis_url, personalities=PERSONALITIES):
        self.process = subprocess.Popen(
            [PERSONA, "serve", "--port", "0", "--admin-port", "0", "--personalities", personalities,
             "--data-dir", os.path.join(DATA, name), "--connection-rate", "off", "--loops", "2",
             "--redis", redis_url, "--node-id", name],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline().strip()
        if not line.startswith("persona listening on http://"):
            raise AssertionError(f"node {name} did not start: {line!r}")
        self.port = int(line.rsplit(":", 1)[1])
        self.url = f"ws://127.0.0.1:{self.port}/v1/ws"

    def ready(self):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/ready", timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def metric(self, name):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=5) as response:
            for line in response.read().decode().splitlines():
                if line.startswith(name + " "):
                    return float(line.split()[1])
        raise AssertionError(f"no metric {name}")

    def kill(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()


class Client:
    def __init__(self, number):
        self.number = number
        self.session = None
        self.token = None
        self.acked = []         # message ids acknowledged, in order
        self.sent = 0
        self.refusals = []      # store_unavailable frames
        self.acked_at = []      # time.time() of each ack

    async def expect(self, ws, kinds):
        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
            if frame["type"] in kinds:
                return frame

    async def start(self, ws):
        await ws.send(json.dumps({"type": "start", "personality": "parrot"}))
        frame = await self.expect(ws, {"session_started"})
        self.session, self.token = frame["session"], frame["resume_token"]

    async def resume(self, ws):
        """Resumes from seq 0 and returns the replayed user-message ids, in seq order."""
        return await resume_from_zero(ws, self.number, self.session, self.token)

    async def send_next(self, ws):
        self.sent += 1
        await ws.send(json.dumps({"type": "message", "session": self.session,
                                  "text": f"m{self.sent}", "id": f"c{self.number}-m{self.sent}"}))

    async def chat(self, ws, stop):
        """Sends the next message on each answer until `stop`; returns when stopped or closed."""
        try:
            await self.send_next(ws)
            while not stop.is_set():
                try:
                    frame = json.loads(await asyncio.wait_for(ws.recv(), 0.5))
                except asyncio.TimeoutError:
                    continue
                if frame["type"] == "ack":
                    self.acked.append(frame["id"])
                    self.acked_at.append(time.time())
                    await self.send_next(ws)
                elif frame["type"] == "error" and frame.get("code") == "busy":
                    await asyncio.sleep(0.01)
                    await self.send_next(ws)
                elif frame["type"] == "error" and frame.get("code") == "store_unavailable":
                    self.refusals.append(frame)
                    retry = frame.get("retry_after_ms")
                    await asyncio.sleep(min(retry if isinstance(retry, int) else 100, 200) / 1000)
                    await self.send_next(ws)
                elif frame["type"] == "error":
                    raise AssertionError(f"client {self.number}: unexpected error {frame}")
        except websockets.ConnectionClosed:
            pass



async def node_killed(redis, clients):
    a = Node("a", redis.url)
    b = Node("b", redis.url)
    stop = asyncio.Event()
    running = Running(len(clients))

    async def on_a(client):
        async with websockets.connect(a.url, max_queue=None) as ws:
            await ws.recv()
            await client.start(ws)
            running.mark()
            await client.chat(ws, stop)

    tasks = [asyncio.create_task(on_a(c)) for c in clients]
    await running.wait(tasks, DEADLINE, "node a")
    await asyncio.sleep(1.0)
    a.kill()
    await asyncio.wait_for(asyncio.gather(*tasks), DEADLINE)
    acked = sum(len(c.acked) for c in clients)
    if any(not c.acked for c in clients):
        raise AssertionError("a client had no message acknowledged on node a")

    async def on_b(client):
        async with websockets.connect(b.url, max_queue=None) as ws:
            await ws.recv()
            verify(client, await client.resume(ws))
            await client.send_next(ws)
            frame = await client.expect(ws, {"ack", "error"})
            if frame["type"] != "ack":
                raise AssertionError(f"client {client.number}: not accepted on node b: {frame}")
            client.acked.append(frame["id"])
            reply = await client.expect(ws, {"reply_end", "error"})
            if reply["type"] != "reply_end":
                raise AssertionError(f"client {client.number}: no reply on node b: {reply}")

    await asyncio.wait_for(asyncio.gather(*(on_b(c) for c in clients)), DEADLINE)
    print(f"ok node a killed with SIGKILL after {acked} acknowledged messages in {len(clients)} sessions; "
          f"every session resumed on node b with all of them, once and in order, and goes on there")
    return b


async def resume_and_chat(node, client, stop, running):
    """Resumes `client`'s session on `node` (checking the replay), then chats until `stop`."""
    async with websockets.connect(node.url, max_queue=None) as ws:
        await ws.recv()
        verify(client, await client.resume(ws))
        running.mark()
        await client.chat(ws, stop)


async def replay_all(node, clients, after):
    """Every client resumes from seq 0 on `node`: each acknowledged message once, in order."""
    async def final(client):
        async with websockets.connect(node.url, max_queue=None) as ws:
            await ws.recv()
            verify(client, await client.resume(ws))

    await asyncio.wait_for(asyncio.gather(*(final(c) for c in clients)), DEADLINE)
    total = sum(len(c.acked) for c in clients)
    print(f"ok every one of {total} acknowledged messages replayed once, in order, after {after}")


async def redis_restarted(redis, b, clients):
    stop = asyncio.Event()
    running = Running(len(clients))
    tasks = [asyncio.create_task(resume_and_chat(b, c, stop, running)) for c in clients]
    await running.wait(tasks, DEADLINE, "before the Redis kill")
    await asyncio.sleep(0.7)
    before = sum(len(c.acked) for c in clients)
    redis.kill()
    down_at = time.time()
    not_ready = False
    while time.time() - down_at < 1.5:
        if await asyncio.to_thread(b.ready) == 503:
            not_ready = True
        await asyncio.sleep(0.1)
    if not not_ready:
        raise AssertionError("/ready never answered 503 while Redis was down")
    refused = [c for c in clients if c.refusals]
    if len(refused) != len(clients):
        raise AssertionError(f"only {len(refused)} of {len(clients)} clients were refused while Redis was down")
    bad = [f for c in clients for f in c.refusals if not (isinstance(f.get("retry_after_ms"), int) and f["retry_after_ms"] > 0)]
    if bad:
        raise AssertionError(f"store_unavailable without retry_after_ms: {bad[0]}")
    print(f"ok Redis killed: all {len(clients)} clients refused with store_unavailable and retry_after_ms "
          f"({sum(len(c.refusals) for c in clients)} refusals), /ready answered 503")
    redis.start()
    up_at = time.time()
    while await asyncio.to_thread(b.ready) != 200:
        if time.time() - up_at > 10:
            raise AssertionError("/ready did not come back after Redis restarted")
        await asyncio.sleep(0.05)
    recovered = time.time() - up_at
    await asyncio.sleep(1.0)
    stop.set()
    await asyncio.wait_for(asyncio.gather(*tasks), DEADLINE)
    late = [c for c in clients if not any(t > up_at for t in c.acked_at)]
    if late:
        raise AssertionError(f"{len(late)} clients had nothing acknowledged after Redis came back")
    after = sum(len(c.acked) for c in clients)
    print(f"ok Redis restarted: /ready 200 again after {recovered:.2f} s, every client acknowledged again "
          f"({before} acknowledged before the outage, {after} in all), node b never restarted")
    await replay_all(b, clients, "the outage")


ORACLE = """id: oracle
name: Oracle
description: Answers with one of many fortunes, cached across nodes.
engine: script
stream: { tokens_per_second: 0 }
cache: { mode: exact, ttl: 10m, safe: true }
script:
  rules:
    - match: "*"
      reply: [%s]
""" % ", ".join(f'"fortune number {n} for {{star}}"' for n in range(200))


async def ask(url, text):
    """Starts an oracle session, asks `text`, returns the reply's text."""
    async with websockets.connect(url, max_queue=None) as ws:
        await ws.recv()
        client = Client(0)
        await ws.send(json.dumps({"type": "start", "personality": "oracle"}))
        frame = await client.expect(ws, {"session_started"})
        await ws.send(json.dumps({"type": "message", "session": frame["session"], "text": text, "id": "q"}))
        tokens = []
        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
            if frame["type"] == "token":
                tokens.append(frame["delta"])
            elif frame["type"] == "reply_end":
                return "".join(tokens)
            elif frame["type"] == "error":
                raise AssertionError(f"refused: {frame}")


DAILY = """id: daily
name: Daily
description: Three messages a day per client.
engine: script
stream: { tokens_per_second: 0 }
limits: { use: roomy, daily_messages_per_client: 3 }
script:
  rules:
    - match: "*"
      reply: "noted {star}"
"""

CROWDED = """id: crowded
name: Crowded
description: Three messages back to back for all its clients together, then one a minute.
engine: script
stream: { tokens_per_second: 0 }
limits: { use: roomy, personality_rate: 1/min, personality_burst: 3 }
script:
  rules:
    - match: "*"
      reply: "noted {star}"
"""


def extra_personalities():
    """PERSONALITIES' files plus the oracle and daily personalities, in DATA_DIR/personalities."""
    personalities = os.path.join(DATA, "personalities")
    os.makedirs(personalities, exist_ok=True)
    for name in os.listdir(PERSONALITIES):
        with open(os.path.join(PERSONALITIES, name)) as source, open(os.path.join(personalities, name), "w") as copy:
            copy.write(source.read())
    for name, text in (("oracle.yaml", ORACLE), ("daily.yaml", DAILY), ("crowded.yaml", CROWDED)):
        with open(os.path.join(personalities, name), "w") as extra:
            extra.write(text)
    return personalities


async def shared_cache(redis):
    personalities = extra_personalities()
    a = Node("a", redis.url, personalities)
    b = Node("b", redis.url, personalities)
    try:
        first = await ask(a.url, "tell me about tomorrow")
        # Filing is not waited for by the client: wait (bounded) until Redis has taken it.
        deadline = time.time() + 5
        while a.metric("persona_redis_cache_stores_total") != 1:
            if time.time() > deadline:
                raise AssertionError("node a did not file its reply in the shared cache")
            await asyncio.sleep(0.02)
        second = await ask(b.url, "tell me about tomorrow")
        hits = b.metric("persona_redis_cache_hits_total")
        if hits != 1 or second != first:
            raise AssertionError(f"node b: {hits} hits, reply {second!r} (node a said {first!r})")
        print(f"ok a reply node a filed ({first!r}) is streamed by node b from the shared cache")
        await ask(b.url, "a question nobody asked")
        if b.metric("persona_redis_cache_hits_total") != 1 or b.metric("persona_redis_cache_misses_total") != 1:
            raise AssertionError("a new question was not a miss on node b")
        print("ok a question nobody asked is a miss on node b and is answered by its engine")
    finally:
        a.kill()
        b.kill()


async def shared_rate(redis):
    personalities = extra_personalities()
    a = Node("a", redis.url, personalities)
    b = Node("b", redis.url, personalities)
    try:
        async def session(url, personality="strict"):
            ws = await websockets.connect(url, max_queue=None)
            await ws.recv()
            await ws.send(json.dumps({"type": "start", "personality": personality}))
            frame = await Client(0).expect(ws, {"session_started"})
            return ws, frame["session"]

        async def say(ws, session, n):
            await ws.send(json.dumps({"type": "message", "session": session, "text": f"m{n}", "id": f"m{n}"}))
            return await Client(0).expect(ws, {"ack", "error"})

        async def spent_across_nodes(personality, on_a, what, expected):
            """Sessions of `personality` on both nodes: the messages on node a
            numbered `on_a` and the others up to 3 are acknowledged, then message 4 on node b
            must be refused; `expected(frame)` says whether the refusal is the right one."""
            ws_a, session_a = await session(a.url, personality)
            ws_b, session_b = await session(b.url, personality)
            for n in range(1, 4):
                ws, on = (ws_a, session_a) if n in on_a else (ws_b, session_b)
                frame = await say(ws, on, n)
                if frame["type"] != "ack":
                    raise AssertionError(f"{what}: message {n} refused: {frame}")
            frame = await say(ws_b, session_b, 4)
            if not expected(frame):
                raise AssertionError(f"{what}: the 4th message, on node b, was not refused as it should be: {frame}")
            await ws_a.close()
            await ws_b.close()
            return frame

        await spent_across_nodes("daily", {1, 3}, "daily quota", lambda f: f["type"] == "error"
                                 and f["code"] == "limit_reached" and "all nodes" in f["message"])
        print("ok daily_messages_per_client 3: messages 1 and 3 on node a and 2 on node b are counted once, "
              "the 4th (node b) is refused limit_reached")
        frame = await spent_across_nodes("strict", {1, 2, 3}, "client burst", lambda f: f["type"] == "error"
                                         and f["code"] == "rate_limited" and f.get("retry_after_ms", 0) > 0)
        print(f"ok a client's burst of 3 spent on node a: its next message on node b is refused rate_limited "
              f"(retry_after_ms {frame['retry_after_ms']})")
        await spent_across_nodes("crowded", {1, 2}, "personality burst", lambda f: f["type"] == "error"
                                 and f["code"] == "rate_limited"
                                 and "personality limit 1/min, all nodes" in f["message"])
        print("ok personality_burst 3 spent by two sessions on node a and one on node b: the 4th, on node b, is refused "
              "rate_limited (personality limit, all nodes)")
    finally:
        a.kill()
        b.kill()


async def cluster_migrated(cluster, b, clients):
    stop = asyncio.Event()
    running = Running(len(clients))
    tasks = [asyncio.create_task(resume_and_chat(b, c, stop, running)) for c in clients]
    await running.wait(tasks, DEADLINE, "before the migration")
    await asyncio.sleep(0.5)
    before = sum(len(c.acked) for c in clients)
    slots = sorted({int(cluster.cli(cluster.ports[0], "CLUSTER", "KEYSLOT", f"persona:{{{c.session}}}:session"))
                    for c in clients})
    moved = {}
    for slot in slots:
        source = cluster.owner(slot)
        target = next(p for p in cluster.ports if p != source)
        await cluster.migrate(slot, target, 0.05)
        moved[slot] = target
    done_at = time.time()
    await asyncio.sleep(0.7)
    stop.set()
    await asyncio.wait_for(asyncio.gather(*tasks), DEADLINE)
    late = [c for c in clients if not any(t > done_at for t in c.acked_at)]
    if late:
        raise AssertionError(f"{len(late)} clients had nothing acknowledged after the migration")
    for slot, target in moved.items():
        if cluster.owner(slot) != target or cluster.cli(target, "CLUSTER", "COUNTKEYSINSLOT", slot) in ("", "0"):
            raise AssertionError(f"slot {slot} is not served by {target} with its keys")
    refusals = sum(len(c.refusals) for c in clients)
    after = sum(len(c.acked) for c in clients)
    moved = b.metric('persona_redis_cluster_redirects_total{kind="moved"}')
    asked = b.metric('persona_redis_cluster_redirects_total{kind="ask"}')
    if moved < 1:
        raise AssertionError(f"node b followed no MOVED ({moved}) though every session's slot moved")
    print(f"ok {len(slots)} slots holding the {len(clients)} sessions migrated to another master while they chatted: "
          f"{after - before} messages acknowledged meanwhile, node b followed {moved:.0f} MOVED and {asked:.0f} ASK, "
          f"{refusals} typed refusals, no restart")
    await replay_all(b, clients, "the migration")


async def main():
    redis = Cluster() if PART == "cluster" else Redis()
    b = None
    try:
        redis.start()  # inside: servers started before a failure are killed below
        if PART == "cache":
            await shared_cache(redis)
            return
        if PART == "rate":
            await shared_rate(redis)
            return
        clients = [Client(n) for n in range(SESSIONS)]
        b = await node_killed(redis, clients)
        if PART == "cluster":
            await cluster_migrated(redis, b, clients)
        else:
            await redis_restarted(redis, b, clients)
    finally:
        if b:
            b.kill()
        redis.kill()


try:
    asyncio.run(main())
except AssertionError as failure:
    print(f"FAIL {failure}")
    sys.exit(1)
