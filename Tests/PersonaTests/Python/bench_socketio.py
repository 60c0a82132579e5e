#!/usr/bin/env python3
"""Benchmarks Socket.IO event round trips over WebSocket (not a test: numbers).

`persona serve --socketio-echo --loops 1` and the reference python-socketio server on
uvicorn (socketio_echo_peer.py), each pinned to core 1, loaded in turn by the same client
pinned to core 0: every connection emits `message` (a 32-character string) and waits for
`message-back` (IN_FLIGHT outstanding, 1 by default), at 100 and 1,000 connections. Each round
runs both servers back to back; the report gives the median of the rounds and the ratios.

The client is socketio_load.c (compiled here with `cc`), which costs far less CPU per message
than either server, so the numbers measure the servers; `--client persona` uses
`persona bench echo --socketio` instead. With the C client each round also loads socketio_floor.c, the least work
a server can do for this load (a C epoll loop answering exactly these frames), pinned the same
way: its rate is what the kernel's loopback path allows on this machine in this run, so
"floor / python-socketio" is the highest ratio any server could show here. Besides messages/s the report gives each server's CPU
time per message, read from /proc over the middle of the run: on a machine shared with other
work the ratio of CPU per message is the steadier figure (a ping-pong load loses throughput
whenever either side waits for a core; CPU per message does not change with that), and the
core-use columns show whether the server or the client was saturated.

Usage (from the package root, after `swift build -c release`; needs python-socketio and
`uvicorn[standard]`, see socketio_echo_peer.py):
  python3 Tests/PersonaTests/Python/bench_socketio.py [--connections 100 1000] [--rounds 5] [--duration 3]
      [--in-flight 1] [--client c|persona] [--realtime]
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import shutil
import tempfile
import time

BINARY = ".build/release/persona"
HERE = os.path.dirname(os.path.abspath(__file__))
PEER = os.path.join(HERE, "socketio_echo_peer.py")
TICKS = os.sysconf("SC_CLK_TCK")
# Prepended to every command: `chrt -f 50` with --realtime.
PRIORITY = []
# The compiled socketio_floor.c, set by main().
FLOOR = []
# Persona's store for the runs, apart from any other server's in the package root.
DATA_DIR = tempfile.mkdtemp(prefix="persona-sio-bench-")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def compile_c(name):
    """Compiles NAME.c (next to this script) into a temporary directory."""
    binary = os.path.join(tempfile.mkdtemp(prefix="persona-sio-bench-"), name)
    subprocess.run(["cc", "-O2", "-o", binary, os.path.join(HERE, name + ".c")], check=True)
    return binary


def cpu_seconds(pid):
    """User + system CPU time of process `pid` so far (all its threads)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def start_persona():
    cmd = PRIORITY + ["taskset", "-c", "1", BINARY, "serve", "--port", "0", "--loops", "1", "--socketio-echo",
           "--connection-rate", "off", "--socketio-sessions-per-ip", "100000",
           "--data-dir", DATA_DIR]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline().strip()
    assert line.startswith("persona listening on http://"), line
    return proc, int(line.rsplit(":", 1)[1])


def start_peer():
    return start_listening([sys.executable, PEER])


def start_floor():
    return start_listening([FLOOR[0]])


def start_listening(command):
    """Starts `command PORT` on core 1 and waits until it accepts connections."""
    port = free_port()
    proc = subprocess.Popen(PRIORITY + ["taskset", "-c", "1"] + command + [str(port)],
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


def client_command(args, client, port, connections):
    if client:
        return PRIORITY + ["taskset", "-c", "0", client, str(port), str(connections), str(args.duration), str(args.in_flight)]
    return PRIORITY + ["taskset", "-c", "0", BINARY, "bench", "echo", "--socketio", "--json",
            "--url", f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket",
            "--connections", str(connections), "--duration", str(args.duration),
            "--in-flight", str(args.in_flight)]


def load(args, client, server, port, connections):
    """One run; adds the server's and the client's CPU use over the middle of the measurement."""
    load_proc = subprocess.Popen(client_command(args, client, port, connections),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if client:
        # The C client says when every connection has joined and the measured part starts.
        first = load_proc.stdout.readline()
        if first.strip() != "measuring":
            sys.exit(f"load generator failed: {first.strip()} {load_proc.stderr.read().strip()}")
    else:
        time.sleep(2.5 if connections > 100 else 0.5)  # the connects, roughly
    samples = {}
    time.sleep(args.duration * 0.2)
    try:
        start = (time.monotonic(), cpu_seconds(server.pid), cpu_seconds(load_proc.pid))
        time.sleep(args.duration * 0.6)
        end = (time.monotonic(), cpu_seconds(server.pid), cpu_seconds(load_proc.pid))
        seconds = end[0] - start[0]
        samples["server_use"] = (end[1] - start[1]) / seconds
        samples["client_use"] = (end[2] - start[2]) / seconds
    except (FileNotFoundError, ProcessLookupError):
        pass  # the run ended early: no CPU figures for it
    out, err = load_proc.communicate(timeout=args.duration + 120)
    if load_proc.returncode != 0:
        sys.exit(f"load generator failed: {err.strip()}")
    report = json.loads(out.strip().splitlines()[-1])
    report.update(samples)
    return report


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=float, default=3)
    parser.add_argument("--in-flight", type=int, default=1)
    parser.add_argument("--client", choices=["c", "persona"], default="c")
    parser.add_argument("--realtime", action="store_true",
                        help="run both servers and the client under SCHED_FIFO (`chrt -f 50`, needs root): on a "
                             "machine shared with other work, a ping-pong load then stops waiting for their time slices")
    args = parser.parse_args()
    if args.realtime:
        PRIORITY[:] = ["chrt", "-f", "50"]
    client = compile_c("socketio_load") if args.client == "c" else None
    servers = [("persona", start_persona), ("python-socketio", start_peer)]
    if client:
        # The floor answers only the C client's upgrade (see socketio_floor.c).
        FLOOR.append(compile_c("socketio_floor"))
        servers.append(("floor (C)", start_floor))
    for connections in args.connections:
        rows = {label: [] for label, _ in servers}
        for _ in range(args.rounds):
            for label, start in servers:
                proc, port = start()
                try:
                    rows[label].append(load(args, client, proc, port, connections))
                finally:
                    stop(proc)
        summary = {}
        for label, reports in rows.items():
            rates = [r["messages_per_second"] for r in reports]
            p99s = [r["round_trip"]["p99_ms"] for r in reports]
            errors = sum(r["errors"] for r in reports)
            sampled = [r for r in reports if "server_use" in r]
            cost = statistics.median(r["server_use"] / r["messages_per_second"] * 1e6 for r in sampled) if sampled else 0
            server_use = statistics.median(r["server_use"] for r in sampled) if sampled else 0
            client_use = statistics.median(r["client_use"] for r in sampled) if sampled else 0
            summary[label] = (statistics.median(rates), statistics.median(p99s), cost)
            print(f"{connections:>5} conns  {label:<16} {summary[label][0]:>9.0f} msg/s  p99 {summary[label][1]:.3f} ms  "
                  f"server {cost:.1f} us CPU/msg, core use {server_use * 100:.0f}%  client core use {client_use * 100:.0f}%  "
                  f"errors {errors}  (runs: {', '.join(f'{x:.0f}' for x in rates)})", flush=True)
        python = max(1, summary["python-socketio"][0])
        ratio = summary["persona"][0] / python
        cost_ratio = summary["python-socketio"][2] / summary["persona"][2] if summary["persona"][2] else 0
        print(f"{connections:>5} conns  ratio persona / python-socketio = {ratio:.1f}x msg/s, "
              f"{cost_ratio:.1f}x less server CPU per message", flush=True)
        if "floor (C)" not in summary:
            continue
        print(f"{connections:>5} conns  ceiling floor / python-socketio = {summary['floor (C)'][0] / python:.1f}x msg/s; "
              f"persona reaches {summary['persona'][0] / max(1, summary['floor (C)'][0]) * 100:.0f}% of the floor's rate",
              flush=True)


try:
    main()
finally:
    shutil.rmtree(DATA_DIR, ignore_errors=True)
