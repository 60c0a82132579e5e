"""Benchmark: hot reload of N personalities while `persona bench chat` loads the server.

Usage: ops_reload_bench.py PERSONA_BINARY [--count 1000] [--reloads 5] [--sessions 200]
                           [--rate 5] [--duration 20] [--loops 2]

Generates N script personalities (12 rules each) in a temporary folder, starts
`persona serve` on it, starts `persona bench chat` against personality p0000 and, while the
load runs, edits every file (a new greeting, so every version changes) and reloads through the
admin API, --reloads times, one second apart. Prints one JSON object: the reloads' build and
swap times (swap = from the decision to swap until every hub uses the new snapshot) and the
load generator's own summary (errors by code, replies, latency). Exit 1 if a reload failed or
the load saw any error.

Measured 2026-11-21 on the merged server (release build, 2 shared cores):
`python3 Tests/PersonaTests/Python/ops_reload_bench.py .build/release/persona --count 1000
--reloads 5 --sessions 200 --rate 5 --duration 20 --loops 2` -> 5 reloads of 1,000 changed
personalities: swap 2.4 ms median / 3.2 ms max (target < 250 ms), build aside 243 ms median,
admin round trip 234-289 ms; bench chat: 19,946 messages, 19,946 replies, 0 errors,
0 unanswered, time to first token p99 1.0 ms while reloading.
With `--sessions 1000 --rate 2 --duration 15`: swap 4.1 ms median / 4.4 ms max; 29,965
messages, 29,965 replies, 0 errors, 0 unanswered.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request


def personality(index, generation):
    rules = "".join(
        f"    - match: \"topic {r} *\"\n      reply: \"Persona {index} on topic {r}: {{star}}.\"\n" for r in range(11))
    return (f"id: p{index:04d}\nname: Persona {index}\ndescription: Generated for the reload benchmark.\n"
            f"engine: script\ngreeting: \"Hello from generation {generation}.\"\nstream: {{ tokens_per_second: 0 }}\n"
            f"script:\n  rules:\n{rules}    - match: \"*\"\n      reply: \"Hello, I am persona {index}, how can I help?\"\n")


def write_all(folder, count, generation):
    for index in range(count):
        with open(os.path.join(folder, f"p{index:04d}.yaml"), "w") as file:
            file.write(personality(index, generation))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--reloads", type=int, default=5)
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--rate", type=float, default=5)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--loops", type=int, default=2)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="persona-reload-bench-")
    write_all(folder, args.count, 0)
    token = "bench-token"
    env = dict(os.environ, PERSONA_ADMIN_TOKEN=token)
    server = subprocess.Popen(
        [args.binary, "serve", "--port", "0", "--admin-port", "0", "--personalities", folder,
         "--loops", str(args.loops), "--data-dir", os.path.join(folder, "data"), "--log-format", "logfmt",
         "--connection-rate", "off"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    public = admin = None
    while admin is None:
        line = server.stdout.readline()
        if not line:
            sys.exit("server exited before listening")
        if line.startswith("persona listening on "):
            public = line.split()[-1]
        if line.startswith("admin API on "):
            admin = line.split()[3]

    bench = subprocess.Popen(
        [args.binary, "bench", "chat", "--url", public.replace("http://", "ws://") + "/v1/ws",
         "--sessions", str(args.sessions), "--rate", str(args.rate), "--duration", str(args.duration),
         "--personality", "p0000", "--server-pid", str(server.pid), "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(min(3.0, args.duration / 4))

    reloads = []
    for generation in range(1, args.reloads + 1):
        write_all(folder, args.count, generation)
        request = urllib.request.Request(
            admin + "/admin/reload", method="POST", headers={"Authorization": f"Bearer {token}"})
        started = time.monotonic()
        with urllib.request.urlopen(request, timeout=120) as response:
            body = json.loads(response.read())
        reloads.append({
            "result": body["result"], "changed": len(body["diff"]["changed"]) if body["diff"] else 0,
            "build_ms": round(body["build_ms"], 2), "swap_ms": round(body["swap_ms"], 3),
            "round_trip_ms": round((time.monotonic() - started) * 1000, 1)})
        time.sleep(1.0)

    out, err = bench.communicate(timeout=args.duration + 120)
    server.terminate()
    server.wait(timeout=30)
    try:
        load = json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        load = {"unparsed": out, "stderr": err}
    swaps = sorted(r["swap_ms"] for r in reloads)
    summary = {
        "personalities": args.count, "reloads": reloads,
        "swap_ms_max": swaps[-1], "swap_ms_median": swaps[len(swaps) // 2],
        "build_ms_median": sorted(r["build_ms"] for r in reloads)[len(reloads) // 2],
        "bench_chat_exit": bench.returncode,
        "unanswered_messages": load.get("messages_sent", 0) - load.get("replies", 0),
        "load_errors": load.get("errors"), "load": load,
    }
    print(json.dumps(summary, indent=1))
    ok = all(r["result"] == "applied" and r["changed"] == args.count for r in reloads) and bench.returncode == 0
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
