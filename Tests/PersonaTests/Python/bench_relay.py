#!/usr/bin/env python3
"""Human-pair relay on two nodes sharing one Redis, next to the same pairs on one node (numbers).

    bench_relay.py PERSONA_BINARY [--modes rate2 rate5 pingpong] [--runs 5] [--duration 3s]
        [--pairs 1000] [--realtime]

Starts `redis-server` (no persistence) on a free loopback port and two `persona serve --loops 1
--store memory --redis ...` nodes on it, then runs `persona bench relay` once per mode: `rateN`
has every client send N messages a second (open loop: 1,000 pairs at rate2 is 4,000 messages/s),
`pingpong` makes each pair answer as fast as it can. `persona bench relay` alternates the
one-node and two-node phases `--runs` times and prints per-run lines and medians; this script
prints them as they come and stops everything at the end.

Everything runs on the same machine, so a latency percentile also measures how long a process
that has work waits for a core held by one of the other three (client, two nodes, Redis).
`--realtime` runs all four under `chrt -f 50` (root): a process that has work then runs at once
instead of waiting out another's time slice, which is what each would get on a machine of its
own. Both ways are worth reading; the README gives both.
"""
import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_line(proc, prefix, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith(prefix):
            return line.strip()
        if not line and proc.poll() is not None:
            break
    raise SystemExit(f"no '{prefix}' line from {proc.args[:3]}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--modes", nargs="+", default=["rate2", "rate5", "pingpong"])
    parser.add_argument("--runs", default="5")
    parser.add_argument("--duration", default="3s")
    parser.add_argument("--pairs", default="1000")
    parser.add_argument("--realtime", action="store_true")
    options = parser.parse_args()
    priority = ["chrt", "-f", "50"] if options.realtime else []
    data = tempfile.mkdtemp(prefix="persona-bench-relay-")
    port = free_port()
    redis_url = f"redis://127.0.0.1:{port}"
    processes = []
    try:
        redis = subprocess.Popen(
            priority + ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                        "--appendonly", "no", "--dir", data],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(redis)
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        urls = []
        for node in ("a", "b"):
            directory = os.path.join(data, node)
            os.makedirs(directory)
            serve = subprocess.Popen(
                priority + [options.binary, "serve", "--loops", "1", "--port", "0", "--store", "memory",
                            "--matchmaking-timeout", "120", "--connection-rate", "off", "--human-rate", "100000/s",
                            "--human-burst", "100000", "--redis", redis_url, "--node-id", node,
                            "--data-dir", directory],
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            processes.append(serve)
            listening = wait_for_line(serve, "persona listening on http://")
            urls.append(f"ws://127.0.0.1:{listening.rsplit(':', 1)[1]}/v1/ws")
        for mode in options.modes:
            extra = [] if mode == "pingpong" else ["--rate", mode.removeprefix("rate")]
            load = open("/proc/loadavg").read().split()[:3]
            print(f"== {mode}{' (realtime)' if options.realtime else ''}, load average before: {' '.join(load)}",
                  flush=True)
            subprocess.run(
                priority + [options.binary, "bench", "relay", "--url", urls[0], "--other-url", urls[1],
                            "--pairs", options.pairs, "--duration", options.duration, "--runs", options.runs,
                            "--redis", redis_url] + extra,
                check=True)
    finally:
        for proc in reversed(processes):
            proc.terminate()
        for proc in processes:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        subprocess.run(["rm", "-rf", data])


if __name__ == "__main__":
    sys.exit(main())
