"""Live scenarios across several `persona serve --redis` nodes sharing one Redis.

Usage: node_scenarios.py SCENARIO WS_URL_A WS_URL_B [WS_URL_C]

Each scenario prints `ok <what>` lines and exits 0, or raises (exit 1) with what it saw. Every
wait is bounded (the shared `Client.recv` has a deadline).
"""

import asyncio
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from chat_scenarios import Client  # noqa: E402


async def quiet(client, seconds):
    """Asserts nothing arrives for `seconds`."""
    try:
        frame = await asyncio.wait_for(client.ws.recv(), seconds)
    except asyncio.TimeoutError:
        return
    raise AssertionError(f"unexpected frame: {frame}")


async def cross_pair(url_a, url_b, **filters):
    a = await Client.open(url_a)
    b = await Client.open(url_b)
    await a.send(type="start", mode="random", session_ref="a", **filters)
    matching = (await a.until("matching"))[-1]
    assert matching["session_ref"] == "a", matching
    await b.send(type="start", mode="random", session_ref="b", **filters)
    started_b = (await b.until("session_started"))[-1]
    started_a = (await a.until("session_started"))[-1]
    assert started_a["kind"] == "human" and started_b["kind"] == "human", (started_a, started_b)
    return a, b, started_a["session"], started_b["session"]


async def cross_matched(url_a, url_b):
    a, b, sa, sb = await cross_pair(url_a, url_b, language="en")
    print("ok two clients on two nodes matched to each other")
    for (x, sx, y, sy) in ((a, sa, b, sb), (b, sb, a, sa)):
        for on in (True, False):
            await x.send(type="typing", session=sx, on=on)
            typing = await y.recv()
            assert typing == {"type": "partner_typing", "session": sy, "on": on}, typing
    print("ok typing on/off relayed both ways")
    for n in range(3):
        for (x, sx, y, sy, name) in ((a, sa, b, sb, "a"), (b, sb, a, sa, "b")):
            await x.send(type="message", session=sx, text=f"{name} says {n}", id=f"{name}{n}")
            ack = await x.recv()
            assert ack["type"] == "ack" and ack["id"] == f"{name}{n}", ack
            relayed = await y.recv()
            assert relayed["type"] == "partner_message" and relayed["session"] == sy, relayed
            assert relayed["text"] == f"{name} says {n}", relayed
    print("ok messages relayed both ways in order")
    await a.send(type="end", session=sa)
    ended = (await b.until("session_ended"))[-1]
    assert ended == {"type": "session_ended", "session": sb, "reason": "partner_left"}, ended
    print("ok the end reached the other node as partner_left")
    await a.close()
    await b.close()


async def cross_fallback(url_a, url_b):
    c = await Client.open(url_a)
    await c.send(type="start", mode="random", language="en")
    matching = (await c.until("matching"))[-1]
    started = (await c.until("session_started"))[-1]
    assert started["session"] == matching["session"] and started["kind"] == "bot", started
    await quiet(c, 1.0)
    print("ok alone on two nodes: one fallback to", started["personality"]["id"])
    # A newcomer on the other node must not find the fallen-back session's ticket.
    d = await Client.open(url_b)
    await d.send(type="start", mode="random", language="en")
    matching = (await d.until("matching"))[-1]
    started = (await d.until("session_started"))[-1]
    assert started["kind"] == "bot", started
    await quiet(c, 0.3)
    print("ok its ticket left the shared queue: a newcomer waited and fell back too")
    await c.close()
    await d.close()


async def race(*urls):
    """Many clients on every node start at staggered instants with a short timeout: each gets
    exactly one session_started; the humans form a perfect matching across nodes."""
    count = 24
    clients = [await Client.open(urls[i % len(urls)]) for i in range(count)]

    async def run(i):
        c = clients[i]
        await asyncio.sleep(0.045 * i)
        await c.send(type="start", mode="random", language="en")
        started = (await c.until("session_started"))[-1]
        return started

    starts = await asyncio.gather(*(run(i) for i in range(count)))
    humans = [i for i in range(count) if starts[i]["kind"] == "human"]
    assert len(humans) % 2 == 0 and len(humans) >= 2, [s["kind"] for s in starts]
    for i in humans:
        await clients[i].send(type="message", session=starts[i]["session"], text=f"from {i}", id=f"r{i}")
    partner_of = {}
    for i in humans:
        frames = await clients[i].until("partner_message")
        text = frames[-1]["text"]
        partner_of[i] = int(text.split()[1])
        if not any(f["type"] == "ack" for f in frames):
            await clients[i].until("ack")
    for i, j in partner_of.items():
        assert partner_of[j] == i and i != j, partner_of
    cross = sum(1 for i, j in partner_of.items() if i % len(urls) != j % len(urls)) // 2
    print(f"ok {count} racing clients: each started once, {len(humans) // 2} pairs ({cross} across nodes), "
          f"{count - len(humans)} fallbacks")
    for c in clients:
        await quiet(c, 0.2)
    print("ok no second session_started anywhere")
    for c in clients:
        await c.close()


async def three_nodes(url_a, url_b, url_c):
    a = await Client.open(url_a)
    b = await Client.open(url_b)
    c = await Client.open(url_c)
    await a.send(type="start", mode="random", language="de", tags=["chess"])
    await a.until("matching")
    await b.send(type="start", mode="random", language="en")
    await b.until("matching")
    started_c = await c.start(mode="random", language="de", tags=["go", "chess"])
    started_a = (await a.until("session_started"))[-1]
    assert started_a["kind"] == "human" and started_c["kind"] == "human", (started_a, started_c)
    await c.send(type="message", session=started_c["session"], text="hallo", id="c1")
    relayed = (await a.until("partner_message"))[-1]
    assert relayed["text"] == "hallo", relayed
    print("ok on three nodes the German chess players on A and C met; the English one on B waited")
    started_b = (await b.until("session_started"))[-1]
    assert started_b["kind"] == "bot", started_b
    print("ok B fell back to", started_b["personality"]["id"])
    for x in (a, b, c):
        await x.close()


async def redis_down(url_a, url_b, redis_pid):
    """Redis is killed under a cross-node pair: both sides end partner_left; a newcomer gets a
    bot at once instead of waiting; a bot session's message, which cannot be stored, is refused
    store_unavailable with a retry time."""
    import signal
    import time
    bot = await Client.open(url_a)
    bot_session = (await bot.start(personality="parrot"))["session"]
    a, b, sa, sb = await cross_pair(url_a, url_b, language="en")
    os.kill(int(redis_pid), signal.SIGKILL)
    await a.send(type="message", session=sa, text="anyone there?", id="a1")
    ended_a = (await a.until("session_ended"))[-1]
    assert ended_a == {"type": "session_ended", "session": sa, "reason": "partner_left"}, ended_a
    ended_b = (await b.until("session_ended"))[-1]
    assert ended_b == {"type": "session_ended", "session": sb, "reason": "partner_left"}, ended_b
    print("ok Redis gone: the cross-node pair ended partner_left on both nodes")
    c = await Client.open(url_b)
    began = time.monotonic()
    await c.send(type="start", mode="random", language="en")
    started = (await c.until("session_started"))[-1]
    waited = time.monotonic() - began
    assert started["kind"] == "bot" and waited < 2.0, (started, waited)
    print("ok a random start fell back to a bot at once, not after the 10 s timeout")
    await bot.send(type="message", session=bot_session, text="i am still here", id="m1")
    refused = (await bot.until("error"))[-1]
    assert refused["code"] == "store_unavailable" and refused["retry_after_ms"] > 0, refused
    assert refused["session"] == bot_session and not any(f["type"] == "ack" for f in bot.seen), bot.seen
    print("ok a bot session's message was refused store_unavailable with a retry time, never acknowledged")
    for x in (a, b, c, bot):
        await x.close()


async def human_burst(url):
    """One node started with --human-burst 2 --human-rate 1/min: a human session's third
    message in a row is refused rate_limited."""
    a, b, sa, sb = await cross_pair(url, url)
    for n in (1, 2):
        await a.send(type="message", session=sa, text=f"m{n}", id=f"m{n}")
        assert (await a.recv())["type"] == "ack"
    await a.send(type="message", session=sa, text="m3", id="m3")
    error = await a.recv()
    assert error["type"] == "error" and error["code"] == "rate_limited" and error["ref"] == "m3", error
    print("ok the third message of a burst of 2 was refused rate_limited")
    await a.close()
    await b.close()


async def dead_partner_node(url_a, url_b, redis_port, pid_b):
    """Node B is SIGKILLed under a cross-node pair. A's next message is stored and acked; its
    relay, published by the same Redis call as the write, reaches no subscriber, so A's session
    ends partner_left at once, long before B's node record expires (three heartbeats, 6 s)."""
    import signal
    import subprocess

    a, b, sa, sb = await cross_pair(url_a, url_b)
    os.kill(int(pid_b), signal.SIGKILL)
    channel = "persona:node:node-1:mail"
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 5
    while True:
        out = subprocess.run(["redis-cli", "-p", redis_port, "PUBSUB", "NUMSUB", channel], capture_output=True, text=True)
        if out.stdout.split() == [channel, "0"]:
            break
        assert loop.time() < deadline, out.stdout
        await asyncio.sleep(0.02)
    start = loop.time()
    await a.send(type="message", session=sa, text="anyone there?", id="m1")
    ack = await a.recv()
    assert ack["type"] == "ack" and ack["id"] == "m1", ack
    ended = (await a.until("session_ended"))[-1]
    elapsed = loop.time() - start
    assert ended == {"type": "session_ended", "session": sa, "reason": "partner_left"}, ended
    assert elapsed < 2.0, f"ended after {elapsed:.2f} s: by the heartbeat, not by the relay reaching nobody"
    print("ok a message to a SIGKILLed node was acked, and its relay reaching nobody ended the session partner_left at once")
    await a.close()


async def tenant_queues(url_a, url_b, redis_port):
    """Each tenant waits in its own list; tenants never meet across nodes."""
    import subprocess

    def llen(key):
        out = subprocess.run(["redis-cli", "-p", redis_port, "LLEN", key], capture_output=True, text=True)
        return out.stdout.strip()

    a = await Client.open(url_a)
    await a.send(type="start", mode="random", tenant="acme")
    await a.until("matching")
    b = await Client.open(url_b)
    await b.send(type="start", mode="random", tenant="globex")
    await b.until("matching")
    await asyncio.sleep(0.2)
    lengths = (llen("persona:match:queue:acme"), llen("persona:match:queue:globex"), llen("persona:match:queue"))
    assert lengths == ("1", "1", "0"), lengths
    print("ok each tenant's ticket waits in its own list")
    c = await Client.open(url_b)
    started = await c.start(mode="random", tenant="acme")
    started_a = (await a.until("session_started"))[-1]
    assert started["kind"] == "human" and started_a["kind"] == "human", (started, started_a)
    await quiet(b, 0.3)
    print("ok the acme clients on two nodes met; the globex one still waits")
    for x in (a, b, c):
        await x.close()


def admin_presence(admin_url, token):
    """GET /admin/presence on one node's admin API."""
    import json
    import urllib.request
    request = urllib.request.Request(admin_url + "/admin/presence", headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def present(admin_url, token):
    """{session: node} of everyone online, read through `admin_url`."""
    body = admin_presence(admin_url, token)
    return {s["id"]: s["node"] for t in body["tenants"] for s in t["sessions"]}


async def wait_presence(admin_url, token, wanted, seconds):
    """Polls the presence until `wanted(present)` holds; returns the last reading and the wait."""
    import time
    began = time.monotonic()
    seen = present(admin_url, token)
    while not wanted(seen) and time.monotonic() - began < seconds:
        await asyncio.sleep(0.05)
        seen = present(admin_url, token)
    return seen, time.monotonic() - began


async def presence(url_a, url_b, admin_a, token_a, admin_b, token_b, data_b, pid_b, persona):
    """Sessions on two nodes show in every node's presence and in `persona sessions
    --all-nodes`; an ended session leaves at once; a SIGKILLed node's sessions expire."""
    import signal
    import subprocess
    a = await Client.open(url_a)
    b = await Client.open(url_b)
    sa1 = (await a.start(personality="parrot"))["session"]
    sa2 = (await a.start(personality="parrot"))["session"]
    sb = (await b.start(personality="parrot"))["session"]
    everyone = {sa1: "node-0", sa2: "node-0", sb: "node-1"}
    for admin, token in ((admin_a, token_a), (admin_b, token_b)):
        seen, _ = await wait_presence(admin, token, lambda p: p == everyone, 5)
        assert seen == everyone, (admin, seen, everyone)
    print("ok both nodes' admin API list the three sessions of two nodes with their node")
    listing = subprocess.run(
        [persona, "sessions", "--all-nodes", "--admin-url", admin_b, "--data-dir", data_b],
        capture_output=True, text=True, timeout=30)
    assert listing.returncode == 0, listing
    rows = {line.split()[0]: line.split()[1] for line in listing.stdout.splitlines()[3:] if line.strip()}
    assert listing.stdout.startswith("3 sessions online on all nodes"), listing.stdout
    assert rows == everyone, (rows, listing.stdout)
    print("ok persona sessions --all-nodes on node B lists node A's sessions too")
    await a.send(type="end", session=sa1)
    await a.until("session_ended")
    seen, waited = await wait_presence(admin_b, token_b, lambda p: sa1 not in p, 5)
    assert sa1 not in seen and waited < 1.0, (seen, waited)
    print("ok an ended session left the presence at once, not at the next heartbeat")
    os.kill(int(pid_b), signal.SIGKILL)
    seen, waited = await wait_presence(admin_a, token_a, lambda p: sb not in p, 10)
    assert seen == {sa2: "node-0"} and 2.0 < waited < 8.0, (seen, waited)
    print("ok the SIGKILLed node's session expired from the presence")
    await a.close()


async def owner_release(url_a, url_b):
    """A bot session resumed on node B while node A still holds it: A detaches its connection
    with session_detached, so only B answers."""
    a = await Client.open(url_a)
    started = await a.start(personality="parrot")
    session, token = started["session"], started["resume_token"]
    ack, text, end = await a.say(session, "hello", "m1")
    assert ack["seq"] == 1 and text, (ack, text)
    b = await Client.open(url_b)
    await b.send(type="resume", session=session, resume_token=token, last_seq=end["seq"])
    resumed = (await b.until("session_resumed"))[-1]
    assert resumed["session"] == session, resumed
    detached = await a.recv()
    assert detached == {"type": "session_detached", "session": session}, detached
    print("ok node A detached its connection when node B resumed the session")
    ack, text, _ = await b.say(session, "still there?", "m2")
    assert ack["type"] == "ack" and text, (ack, text)
    await quiet(a, 0.3)
    print("ok only node B answers the session now")
    await a.close()
    await b.close()


SCENARIOS = {
    "owner_release": owner_release,
    "presence": presence,
    "tenant_queues": tenant_queues,
    "dead_partner_node": dead_partner_node,
    "human_burst": human_burst,
    "redis_down": redis_down,
    "cross_matched": cross_matched,
    "cross_fallback": cross_fallback,
    "race": race,
    "three_nodes": three_nodes,
}

if __name__ == "__main__":
    asyncio.run(SCENARIOS[sys.argv[1]](*sys.argv[2:]))
