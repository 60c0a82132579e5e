"""Benchmark: the time to first token Persona adds in front of a fast upstream, measured with
native load generators only (no Python on the measured path).

Usage: bench_ttft.py PERSONA_BINARY [--seconds 5] [--runs 3] [--loads 1000x1,1000x0,50x10]
                     [--bench-chat] [--nice -15 | --realtime] [--server-cpus 0]

Compiles `llm_floor.c` with `cc`, starts its upstream (a streamed chat completion per POST, in
one write) and `persona serve --loops 1` with one `llm` personality on it, pinned with `taskset`: the
upstream and the load generator on CPU 1; persona's threads on `--server-cpus` (default every
CPU, as deployed: its one event loop, the store's writer and the log writer may run side by
side; `0` puts all of them on CPU 0, where the store's commits preempt the loop). Then, for each
load `SESSIONSxRATE` (RATE messages a second per session; 0 = the next as soon as the reply
ended) and `--runs` times, in one run each:

  upstream  `llm_floor client`: HTTP straight to the upstream (its own TTFT)
  persona   `llm_floor ws`: /v1/ws sessions on the llm personality, the same C loop, timer
            and CPU as the upstream's client, so the difference is what Persona adds
  server    Persona's own `persona_time_to_first_token_seconds` histogram over the same run
            (from accepting the message to writing its first token: share within 1 and 2.5 ms)
  bench chat (with --bench-chat) `persona bench chat`, the project's Swift load generator

and prints them, the medians, and the added TTFT (persona minus upstream at p50 and p99).
"""

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


NICE = []


def pinned(cpu, command):
    return NICE + (["taskset", "-c", str(cpu)] if shutil.which("taskset") and os.cpu_count() > 1 else []) + command


PERSONALITY = """id: llmbench
name: LLM bench
description: The llm engine in front of the native floor upstream.
engine: llm
stream: { tokens_per_second: 0 }
llm:
  upstream: floor
  system: "You are {name}."
"""

LIMITS = """default: roomy
sets:
  roomy:
    session_rate: 100000000/min
    session_burst: 100000
    client_rate: 100000000/min
    client_burst: 100000
    max_reply_tokens: 400
    on_limit: error
"""


def ttft_buckets(port):
    """The server's cumulative TTFT histogram: {upper bound in seconds: count}."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        text = response.read().decode()
    buckets = {}
    for line in text.splitlines():
        if line.startswith("persona_time_to_first_token_seconds_bucket{"):
            bound = line.split('le="', 1)[1].split('"', 1)[0]
            buckets[float("inf") if bound == "+Inf" else float(bound)] = int(float(line.rsplit(" ", 1)[1]))
    return buckets


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--loads", default="1000x1,1000x0,50x10")
    parser.add_argument("--bench-chat", action="store_true", help="also measure with `persona bench chat`")
    parser.add_argument("--nice", type=int, default=0,
                        help="run server, upstream and load generator at this nice value (negative: favoured "
                             "over other work on a shared machine; needs root)")
    parser.add_argument("--server-cpus", default=None,
                        help="taskset CPU list for persona serve (default: every CPU)")
    parser.add_argument("--realtime", action="store_true",
                        help="run server, upstream and load generator under SCHED_FIFO (`chrt -f 50`, needs root): "
                             "on a machine shared with other work, their time slices stop counting as Persona's")
    args = parser.parse_args()
    if args.nice:
        NICE[:] = ["nice", "-n", str(args.nice)]
    if args.realtime:
        NICE[:] = ["chrt", "-f", "50"]
    folder = tempfile.mkdtemp(prefix="persona-ttft-")
    floor = os.path.join(folder, "llm_floor")
    subprocess.run(["cc", "-O2", "-o", floor, os.path.join(HERE, "llm_floor.c")], check=True)
    upstream_port, persona_port = free_port(), free_port()
    personalities = os.path.join(folder, "Personalities")
    os.makedirs(personalities)
    with open(os.path.join(personalities, "upstreams.yaml"), "w") as f:
        f.write(f"upstreams:\n  - name: floor\n    base_url: http://127.0.0.1:{upstream_port}/v1\n    model: floor\n"
                "    max_concurrent: 100000\n    retries: 0\n")
    with open(os.path.join(personalities, "limits.yaml"), "w") as f:
        f.write(LIMITS)
    with open(os.path.join(personalities, "llmbench.yaml"), "w") as f:
        f.write(PERSONALITY)
    upstream = subprocess.Popen(pinned(1, [floor, "upstream", str(upstream_port)]), stdout=subprocess.PIPE)
    assert upstream.stdout.readline().strip() == b"ready"
    server = subprocess.Popen(
        pinned(args.server_cpus or f"0-{os.cpu_count() - 1}", [args.binary, "serve", "--port", str(persona_port), "--personalities", personalities,
                   "--connection-rate", "off", "--loops", "1", "--admin-port", "0",
                   "--data-dir", os.path.join(folder, "data")]),
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert server.stdout.readline().startswith(b"persona listening")
    try:
        for load in args.loads.split(","):
            sessions, rate = (int(x) for x in load.split("x"))
            rows = []
            for run in range(args.runs):
                direct = json.loads(subprocess.run(
                    pinned(1, [floor, "client", str(upstream_port), str(sessions), str(args.seconds), str(rate)]),
                    capture_output=True, check=True, timeout=args.seconds + 60).stdout)
                before = ttft_buckets(persona_port)
                through = json.loads(subprocess.run(
                    pinned(1, [floor, "ws", str(persona_port), "llmbench", str(sessions), str(args.seconds), str(rate)]),
                    capture_output=True, check=True, timeout=args.seconds + 60).stdout)
                after = ttft_buckets(persona_port)
                total = after[float("inf")] - before[float("inf")]
                within = {b: (after[b] - before[b]) / max(total, 1) for b in (0.001, 0.0025)}
                row = {
                    "upstream_p50": direct["ttft_p50_ms"], "upstream_p99": direct["ttft_p99_ms"],
                    "upstream_streams": direct["streams_per_second"],
                    "persona_p50": through["ttft_p50_ms"], "persona_p99": through["ttft_p99_ms"],
                    "persona_streams": through["streams_per_second"],
                    "server_1ms": 100 * within[0.001], "server_2_5ms": 100 * within[0.0025],
                }
                line = (f"{sessions} sessions x {rate}/s run {run + 1}: upstream TTFT p50 {row['upstream_p50']:.2f} "
                        f"p99 {row['upstream_p99']:.2f} ms ({row['upstream_streams']:.0f} streams/s); persona p50 "
                        f"{row['persona_p50']:.2f} p99 {row['persona_p99']:.2f} ms ({row['persona_streams']:.0f} "
                        f"streams/s); server: {row['server_1ms']:.2f}% within 1 ms, {row['server_2_5ms']:.2f}% within 2.5 ms")
                if args.bench_chat:
                    bench = subprocess.run(
                        pinned(1, [args.binary, "bench", "chat", "--url", f"ws://127.0.0.1:{persona_port}/v1/ws",
                                   "--sessions", str(sessions), "--rate", str(rate), "--personality", "llmbench",
                                   "--duration", str(args.seconds), "--loops", "1", "--json"]),
                        capture_output=True, timeout=args.seconds + 60)
                    ttft = json.loads(bench.stdout)["time_to_first_token"]
                    row["chat_p50"], row["chat_p99"] = ttft["p50_ms"], ttft["p99_ms"]
                    line += f"; bench chat p50 {row['chat_p50']:.2f} p99 {row['chat_p99']:.2f} ms"
                rows.append(row)
                print(line, flush=True)
                time.sleep(0.5)
            med = {key: statistics.median(r[key] for r in rows) for key in rows[0]}
            line = (f"MEDIAN {sessions} sessions x {rate}/s: upstream p50 {med['upstream_p50']:.2f} / p99 "
                    f"{med['upstream_p99']:.2f} ms; persona p50 {med['persona_p50']:.2f} / p99 {med['persona_p99']:.2f} ms; "
                    f"added p50 {med['persona_p50'] - med['upstream_p50']:+.2f} / p99 "
                    f"{med['persona_p99'] - med['upstream_p99']:+.2f} ms; persona {med['persona_streams']:.0f} streams/s, "
                    f"upstream alone {med['upstream_streams']:.0f}; server within 1 ms {med['server_1ms']:.2f}%, "
                    f"2.5 ms {med['server_2_5ms']:.2f}%")
            if args.bench_chat:
                line += (f"; bench chat p50 {med['chat_p50']:.2f} / p99 {med['chat_p99']:.2f} ms (added "
                         f"{med['chat_p50'] - med['upstream_p50']:+.2f} / {med['chat_p99'] - med['upstream_p99']:+.2f})")
            print(line, flush=True)
    finally:
        server.terminate()
        upstream.terminate()
        server.wait(10)
        upstream.wait(10)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
