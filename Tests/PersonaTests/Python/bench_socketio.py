#!/usr/bin/env python3
"""Benchmarks Socket.IO event round trips over WebSocket (not a test: numbers).

`persona serve --socketio-echo --loops 1` and the reference python-socketio server on
uvicorn (socketio_echo_peer.py), each pinned to core 1, loaded in turn by the same
`persona bench echo --socketio` pinned to core 0: every connection emits `message` and waits
for `message-back` (one in flight), at 100 and 1,000 connections. Each round runs both
servers back to back; the report gives the median of the rounds and the ratio.

Usage (from the package root, after `swift build -c release`; needs python-socketio and uvicorn):
  python3 Tests/PersonaTests/Python/bench_socketio.py [--connections 100 1000] [--rounds 3] [--duration 4]
"""
import argparse
import json
import socket
import statistics
import subprocess
import sys
import time

BINARY = ".build/release/persona"
PEER = "Tests/PersonaTests/Python/socketio_echo_peer.py"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_persona():
    cmd = ["taskset", "-c", "1", BINARY, "serve", "--port", "0", "--loops", "1", "--socketio-echo",
           "--connection-rate", "off", "--socketio-sessions-per-ip", "100000"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline().strip()
    assert line.startswith("persona listening on http://"), line
    return proc, int(line.rsplit(":", 1)[1])


def start_peer():
    port = free_port()
    proc = subprocess.Popen(["taskset", "-c", "1", sys.executable, PEER, str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout.readline().startswith("listening")
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    return proc, port


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def load(port, connections, duration):
    cmd = ["taskset", "-c", "0", BINARY, "bench", "echo", "--socketio", "--json",
           "--url", f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket",
           "--connections", str(connections), "--duration", str(duration)]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 120)
    report = json.loads(result.stdout)
    return report


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=4)
    args = parser.parse_args()
    for connections in args.connections:
        rows = {"persona": [], "python-socketio": []}
        for _ in range(args.rounds):
            for label, start in (("persona", start_persona), ("python-socketio", start_peer)):
                proc, port = start()
                try:
                    rows[label].append(load(port, connections, args.duration))
                finally:
                    stop(proc)
        summary = {}
        for label, reports in rows.items():
            rates = [r["messages_per_second"] for r in reports]
            p99s = [r["round_trip"]["p99_ms"] for r in reports]
            errors = sum(r["errors"] for r in reports)
            summary[label] = (statistics.median(rates), statistics.median(p99s), errors)
            print(f"{connections:>5} conns  {label:<16} {summary[label][0]:>9.0f} msg/s  "
                  f"p99 {summary[label][1]:.3f} ms  errors {errors}  (runs: {', '.join(f'{x:.0f}' for x in rates)})",
                  flush=True)
        ratio = summary["persona"][0] / max(1, summary["python-socketio"][0])
        print(f"{connections:>5} conns  ratio persona / python-socketio = {ratio:.1f}x", flush=True)


main()
