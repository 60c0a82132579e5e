"""Live scenarios of the `process` engine: `persona serve` running plugin programs.

Usage: process_scenarios.py PERSONA_BINARY [SCENARIO ...]   (no scenario: all of them)

Writes a personalities folder holding the shipped sample (Samples/process-engine, copied as
is) and personalities on `plugins/fault_plugin.py`, starts `persona serve` on 127.0.0.1, and
talks to it over /v1/ws. Prints `ok <scenario>: <what it saw>` or `FAIL <scenario>: <why>`;
exit status 1 if any failed. Every wait has a deadline.
"""

import asyncio
import os
import shutil
import signal
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from llm_scenarios import TIMEOUT, Client, wait_for  # noqa: E402
from scenario_runner import run_scenarios  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
FAULT = os.path.join(HERE, "plugins", "fault_plugin.py")
FALLBACK = "script answered instead"

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
"""


def fault_personality(pid, engines="[process]", **process):
    settings = {"workers": 1, "timeout": "600ms", "restart_delay": "50ms", "max_restart_delay": "200ms"}
    settings.update(process)
    lines = "".join(f"  {key}: {value}\n" for key, value in settings.items())
    return f"""id: {pid}
name: Fault {pid}
engine: {engines}
stream: {{ tokens_per_second: 0 }}
process:
  command: [{sys.executable}, {FAULT}]
{lines}script:
  rules:
    - match: "*"
      reply: "{FALLBACK}"
"""


class World:
    async def setup(self, binary):
        self.folder = tempfile.mkdtemp(prefix="persona-process-")
        personalities = os.path.join(self.folder, "Personalities")
        os.makedirs(personalities)
        for name in ("parrot.yaml", "parrot.py"):
            shutil.copy(os.path.join(ROOT, "Samples", "process-engine", name), personalities)
        files = {
            "limits": LIMITS,
            "faulty": fault_personality("faulty"),
            "faulty-chain": fault_personality("faulty-chain", engines="[process, script]"),
            "pool": fault_personality("pool", workers=3, timeout="5s"),
            "queued": fault_personality("queued", timeout="5s", max_queue=1),
            "lines": fault_personality("lines", max_line_bytes=1024),
            "replies": fault_personality("replies", max_reply_bytes=100, timeout="5s"),
            "slowpoke": fault_personality("slowpoke", timeout="10s"),
            "missing": fault_personality("missing", engines="[process, script]").replace(
                f"[{sys.executable}, {FAULT}]", "[/nonexistent/persona-plugin]"),
        }
        for name, text in files.items():
            with open(os.path.join(personalities, name + ".yaml"), "w") as f:
                f.write(text)
        self.server = await asyncio.create_subprocess_exec(
            binary, "serve", "--port", "0", "--personalities", personalities, "--connection-rate", "off",
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        line = (await asyncio.wait_for(self.server.stdout.readline(), TIMEOUT)).decode()
        if not line.startswith("persona listening on http://"):
            errors = (await self.server.stderr.read()).decode()
            raise AssertionError(f"persona serve did not start: {line!r}\n{errors[-3000:]}")
        self.url = line.split()[-1].replace("http://", "ws://") + "/v1/ws"
        self.worker_pids = set()
        self.stderr = ""

    async def chat(self, pid, *texts):
        """One session: each text in turn; returns [(reply, reply_end, tokens, seconds)]."""
        c = await Client.open(self.url)
        session = await c.start(pid)
        results = []
        for index, text in enumerate(texts):
            started = time.monotonic()
            reply, end, tokens = await c.say(session, text, f"m{index}")
            results.append((reply, end, tokens, time.monotonic() - started))
        await c.close()
        return results

    async def teardown(self):
        if self.server.returncode is None:
            self.server.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.server.wait(), 15)
            except asyncio.TimeoutError:
                self.server.kill()
        self.stderr = (await self.server.stderr.read()).decode()
        shutil.rmtree(self.folder, ignore_errors=True)


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie left for its parent counts as gone
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


# MARK: Scenarios


async def sample_plugin(w):
    results = await w.chat("parrot", "my name is Ann", "crackers please")
    (first, end1, tokens1, _), (second, end2, _, _) = results
    assert first.strip() == "Squawk! Hello, Ann!" and end1["finish"] == "stop", (first, end1)
    assert len(tokens1) >= 3, tokens1
    assert second.strip() == "Squawk! Ann said: crackers please (message 2)", second
    assert end2["finish"] == "stop", end2
    return f"Samples/process-engine/parrot.py streamed {len(tokens1)} tokens; the name came back as a session variable: {second.strip()!r}"


async def crash(w):
    (reply, end, _, seconds), = await w.chat("faulty", "crash")
    assert end["finish"] == "error" and reply == "", (reply, end)
    assert seconds < 0.5, seconds
    (chained, end2, _, _), = await w.chat("faulty-chain", "crash")
    assert chained == FALLBACK and end2["finish"] == "stop", (chained, end2)
    await restarted()
    (again, end3, _, _), = await w.chat("faulty", "hello")
    assert again.startswith("ok ") and end3["finish"] == "stop", (again, end3)
    return (f"exit(3): finish error after {seconds * 1000:.0f} ms; with [process, script] the script answered; "
            f"after the restart delay a new worker answered {again!r}")


async def crash_after_token(w):
    await restarted()
    (reply, end, tokens, _), = await w.chat("faulty", "crash-late")
    assert reply == "partial " and end["finish"] == "error", (reply, end)
    return "a token, then exit(3): the token stands, finish error"


async def restarted():
    """Waits out a restart: 50 ms doubling per failure in a row, at most 200 ms, plus the start."""
    await asyncio.sleep(0.5)


async def hang(w):
    await restarted()
    results = await w.chat("faulty", "hello", "hang")
    await restarted()
    results += await w.chat("faulty", "hello")
    (before, _, _, _), (reply, end, _, seconds), (after, end3, _, _) = results
    assert end["finish"] == "error" and reply == "", (reply, end)
    assert 0.55 <= seconds < 2.0, seconds
    assert after.startswith("ok ") and end3["finish"] == "stop", (after, end3)
    assert before != after, "the hung worker was not replaced"
    return (f"a plugin that never answers: finish error after {seconds * 1000:.0f} ms (timeout 600 ms), "
            f"killed and replaced ({before!r} -> {after!r})")


async def garbage(w):
    await restarted()
    results = await w.chat("faulty", "hello", "garbage")
    await restarted()
    results += await w.chat("faulty", "hello")
    (before, _, _, _), (reply, end, _, seconds), (after, end3, _, _) = results
    assert end["finish"] == "error" and seconds < 0.5, (reply, end, seconds)
    assert after.startswith("ok ") and before != after, (before, after)
    (chained, _, _, _), = await w.chat("faulty-chain", "garbage")
    assert chained == FALLBACK, chained
    return f"a line that is not JSON: finish error after {seconds * 1000:.0f} ms, worker killed and replaced"


async def wrong_id(w):
    await restarted()
    (reply, end, _, seconds), = await w.chat("faulty", "wrongid")
    assert end["finish"] == "error" and seconds < 0.5, (reply, end, seconds)
    return "a token for another request: the worker is killed, finish error"


async def line_too_long(w):
    (reply, end, _, seconds), = await w.chat("lines", "long")
    assert end["finish"] == "error" and reply == "" and seconds < 0.5, (reply, end, seconds)
    await restarted()
    (ok, end2, _, _), = await w.chat("lines", "hello")
    assert end2["finish"] == "stop", (ok, end2)
    return "a 4,000-byte line with max_line_bytes 1024: finish error, the worker restarted"


async def reply_too_large(w):
    (reply, end, _, _), = await w.chat("replies", "slow 30")
    assert end["finish"] == "error", (reply, end)
    assert len(reply) == 64, reply
    return f"max_reply_bytes 100: the answer stopped after its first 64-byte token, finish error"


async def plugin_error_and_decline(w):
    await restarted()
    (reply, end, _, _), = await w.chat("faulty-chain", "error")
    assert reply == FALLBACK, (reply, end)
    (reply2, _, _, _), = await w.chat("faulty-chain", "decline")
    assert reply2 == FALLBACK, reply2
    (reply3, end3, _, _), = await w.chat("faulty", "decline")
    assert end3["finish"] == "error", end3
    return "an error or decline line lets the next engine answer; with none left, finish error"


async def pool_size(w):
    started = time.monotonic()
    results = await asyncio.gather(*(w.chat("pool", "pid") for _ in range(9)))
    elapsed = time.monotonic() - started
    pids = {int(r[0][0]) for r in results}
    assert all(r[0][1]["finish"] == "stop" for r in results), results
    assert len(pids) == 3, pids
    assert elapsed >= 0.55, elapsed  # three rounds of 0.2 s: never more than 3 at once
    w.worker_pids |= pids
    return f"workers: 3 -> 9 concurrent requests served by exactly 3 processes {sorted(pids)} in {elapsed:.2f} s"


async def queue_full(w):
    await w.chat("queued", "hello")  # the worker runs: the burst below meets a busy worker
    results = await asyncio.gather(*(w.chat("queued", "pid") for _ in range(3)))
    finishes = sorted(r[0][1]["finish"] for r in results)
    assert finishes == ["error", "stop", "stop"], finishes
    refused = [r[0][3] for r in results if r[0][1]["finish"] == "error"][0]
    assert refused < 0.15, refused
    return f"workers 1, max_queue 1: the third concurrent request was refused in {refused * 1000:.0f} ms"


async def cancel(w):
    c = await Client.open(w.url)
    session = await c.start("slowpoke")
    await c.send(type="message", session=session, text="slow 50", id="c1")
    while (await c.recv())["type"] != "token":
        pass
    await c.send(type="cancel", session=session)
    frames = await c.until("reply_end")
    assert frames[-1]["finish"] == "cancelled", frames[-1]
    started = time.monotonic()
    reply, end, _ = await c.say(session, "hello", "c2")
    seconds = time.monotonic() - started
    await c.close()
    assert end["finish"] == "stop" and reply.startswith("ok "), (reply, end)
    assert seconds < 1.0, seconds  # 50 tokens at 0.1 s would hold the only worker for 5 s
    return f"cancel reached the plugin as a cancel line; the only worker answered the next message in {seconds * 1000:.0f} ms"


async def missing_command(w):
    (reply, end, _, seconds), = await w.chat("missing", "hello")
    assert reply == FALLBACK and seconds < 1.0, (reply, end, seconds)
    return f"a command that does not exist: the next engine answered in {seconds * 1000:.0f} ms"


async def stderr_logged(w):
    await restarted()
    (reply, end, _, _), = await w.chat("faulty", "log")
    assert end["finish"] == "stop", end
    return "a stderr line was written (checked in the server log at shutdown)"


SCENARIOS = [
    sample_plugin, crash, crash_after_token, hang, garbage, wrong_id, line_too_long, reply_too_large,
    plugin_error_and_decline, pool_size, queue_full, cancel, missing_command, stderr_logged,
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
    log = world.stderr
    if not wanted or "stderr_logged" in wanted:
        if "plugin-stderr-marker" in log and "restarting in" in log:
            print("ok plugin_log: plugin stderr and restarts reached the server log", flush=True)
        else:
            failed = True
            print("FAIL plugin_log: the marker or the restart line is missing from the server log", flush=True)
    if not wanted or "cancel" in wanted:
        if "cancel received for" in log:
            print("ok cancel_seen: the plugin logged the cancel line it was sent", flush=True)
        else:
            failed = True
            print("FAIL cancel_seen: the plugin never logged a cancel line", flush=True)
    if world.worker_pids:
        if await wait_for(lambda: not any(alive(p) for p in world.worker_pids), 5):
            print(f"ok shutdown: after SIGTERM no worker process is left ({len(world.worker_pids)} checked)", flush=True)
        else:
            failed = True
            print("FAIL shutdown: worker processes outlived the server", flush=True)
    if failed:
        print("server stderr:\n" + log[-4000:], file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    asyncio.run(main())
