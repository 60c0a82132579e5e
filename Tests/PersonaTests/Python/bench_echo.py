#!/usr/bin/env python3
"""Benchmarks `persona serve`'s /v1/echo with `persona bench echo` (not a test: numbers).

  speed  32-byte echo at 100, 1,000 and 10,000 connections, server pinned to core 1
         (`taskset -c 1`, so it runs one loop), load generator on core 0; median of 3 runs.
         With --floor, each run is paired with the same load on loopback_floor.c (a minimal
         C epoll echo and client, built with `cc`), so the report shows how close Persona
         comes to what loopback TCP itself allows on this machine, measured in the same run.
         With --ws-client as well, each run is also paired with `persona serve` loaded by the
         same C program's WebSocket client (`wsclient`, which costs almost nothing), so the
         server's own share shows apart from the load generator's.
         With --compare LABEL=COMMAND (repeatable), each run also starts COMMAND on core 1
         -- any other WebSocket echo server, `{port}` in COMMAND replaced by a free port,
         serving /v1/echo -- and loads it with the same `persona bench echo`, so servers
         are compared in one run rather than across hours.
  scale  15,000 concurrent connections on one server process, each echoing; fails loudly on
         any error. The load generator may be split over several processes (--processes)
         to stay under a per-process descriptor limit.

Usage (from the package root, after `swift build -c release`):
  python3 Tests/PersonaTests/Python/bench_echo.py speed [--in-flight 1 8] [--duration 5] [--floor [--ws-client]]
          [--compare 'other=/path/to/echo-server --port {port}']
  python3 Tests/PersonaTests/Python/bench_echo.py scale [--connections 15000] [--processes 1]
"""
import argparse
import json
import os
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import time

BINARY = ".build/release/persona"


def start_server(pin=None, extra=()):
    cmd = ([*("taskset", "-c", pin)] if pin else []) + [BINARY, "serve", "--port", "0", *extra]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline().strip()
    if not line.startswith("persona listening on http://"):
        proc.kill()
        sys.exit(f"server did not start: {line!r} {proc.stderr.read()}")
    return proc, int(line.rsplit(":", 1)[1])


def stop_server(proc):
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def bench(port, pid, connections, in_flight, duration, pin=None, extra=()):
    cmd = ([*("taskset", "-c", pin)] if pin else []) + [
        BINARY, "bench", "echo", "--url", f"ws://127.0.0.1:{port}/v1/echo",
        "--connections", str(connections), "--in-flight", str(in_flight),
        "--duration", str(duration), "--json", "--server-pid", str(pid), *extra]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 180)
    try:
        return json.loads(out.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        sys.exit(f"bench failed: {out.stdout} {out.stderr}")


def build_floor():
    """Compiles loopback_floor.c next to this script into a temporary directory."""
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "loopback_floor.c")
    binary = os.path.join(tempfile.mkdtemp(prefix="persona-floor-"), "floor")
    subprocess.run(["cc", "-O2", "-o", binary, source], check=True)
    return binary


def c_client_run(binary, mode, server, port, connections, duration):
    """Runs the C program's `mode` client (client or wsclient) on core 0 against `port`, then
    stops `server`; returns its messages per second."""
    try:
        out = subprocess.run(["taskset", "-c", "0", binary, mode, str(port), str(connections), str(duration)],
                             capture_output=True, text=True, timeout=duration + 120)
        return json.loads(out.stdout.strip().splitlines()[-1])["messages_per_second"]
    finally:
        stop_server(server)
        time.sleep(1)


def floor_run(binary, connections, duration, port=29911):
    """One run of the C floor: its server on core 1, its client on core 0."""
    server = subprocess.Popen(["taskset", "-c", "1", binary, "server", str(port)], stdout=subprocess.PIPE, text=True)
    if server.stdout.readline().strip() != "listening":
        stop_server(server)
        sys.exit("floor server did not start")
    return c_client_run(binary, "client", server, port, connections, duration)


def ws_client_run(binary, connections, duration):
    """One run of `persona serve` on core 1 loaded by the C WebSocket client on core 0."""
    proc, port = start_server(pin="1")
    return c_client_run(binary, "wsclient", proc, port, connections, duration)


def parse_compare(spec):
    """`LABEL=COMMAND` with `{port}` in COMMAND, as given to --compare."""
    label, sep, command = spec.partition("=")
    if not sep or not label or "{port}" not in command:
        raise argparse.ArgumentTypeError(f"expected LABEL=COMMAND with {{port}} in COMMAND, got {spec!r}")
    return label, command


def start_other(command, port=29912, timeout=120):
    """Starts another echo server on core 1 and waits until its port accepts."""
    proc = subprocess.Popen(["taskset", "-c", "1", *shlex.split(command.replace("{port}", str(port)))],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"compared server exited: {command!r}: {proc.stderr.read()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            time.sleep(0.1)
    stop_server(proc)
    sys.exit(f"compared server did not listen on {port}: {command!r}")


def speed(args):
    floor = build_floor() if args.floor else None
    print(f"{'conns':>6} {'in-flight':>9} {'msg/s (median)':>15} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}"
          f" {'srv µs/msg':>10} {'errors':>6}  runs msg/s" + ("   floor msg/s (median; runs)  persona/floor" if floor else "")
          + ("   C-client msg/s (median; runs)  server-alone/floor" if floor and args.ws_client else "")
          + "".join(f"   {label} msg/s (median; runs)  persona/{label}" for label, _ in args.compare))
    for connections in args.connections:
        for in_flight in args.in_flight:
            runs, floors, alone = [], [], []
            others = {label: [] for label, _ in args.compare}
            for _ in range(args.runs):
                proc, port = start_server(pin="1")
                try:
                    runs.append(bench(port, proc.pid, connections, in_flight, args.duration, pin="0"))
                finally:
                    stop_server(proc)
                time.sleep(1)  # let TIME_WAIT sockets and the CPUs settle
                if floor and in_flight == 1:
                    floors.append(floor_run(floor, connections, args.duration))
                    if args.ws_client:
                        alone.append(ws_client_run(floor, connections, args.duration))
                for label, command in args.compare:
                    other, other_port = start_other(command)
                    try:
                        others[label].append(bench(other_port, other.pid, connections, in_flight, args.duration, pin="0"))
                    finally:
                        stop_server(other)
                    time.sleep(1)
            for run in runs + [r for label in others for r in others[label]]:
                if run["errors"]:
                    print(f"  errors in a run: {run['errors']}, e.g. {run.get('error_samples')}", flush=True)
            runs.sort(key=lambda r: r["messages_per_second"])
            mid = runs[len(runs) // 2]
            rt = mid["round_trip"]
            line = (f"{connections:>6} {in_flight:>9} {mid['messages_per_second']:>15.0f} {rt['p50_ms']:>8} {rt['p99_ms']:>8}"
                    f" {rt['max_ms']:>8} {mid.get('server_cpu_us_per_message', 0):>10} {sum(r['errors'] for r in runs):>6}  "
                    + " ".join(f"{r['messages_per_second']:.0f}" for r in runs))
            if floors:
                floor_median = statistics.median(floors)
                line += (f"   {floor_median:.0f} ({' '.join(f'{f:.0f}' for f in floors)})"
                         f"  {mid['messages_per_second'] / floor_median:.2f}")
            if alone:
                alone_median = statistics.median(alone)
                line += (f"   {alone_median:.0f} ({' '.join(f'{a:.0f}' for a in alone)})"
                         f"  {alone_median / statistics.median(floors):.2f}")
            for label, other_runs in others.items():
                rates = [r["messages_per_second"] for r in other_runs]
                other_median = statistics.median(rates)
                line += (f"   {other_median:.0f} ({' '.join(f'{r:.0f}' for r in rates)})"
                         f"  {mid['messages_per_second'] / other_median:.2f}")
            print(line, flush=True)


def scale(args):
    proc, port = start_server()
    try:
        share = [args.connections // args.processes + (1 if i < args.connections % args.processes else 0)
                 for i in range(args.processes)]
        cmds = [[BINARY, "bench", "echo", "--url", f"ws://127.0.0.1:{port}/v1/echo", "--connections", str(n),
                 "--in-flight", "1", "--duration", str(args.duration), "--json", "--server-pid", str(proc.pid),
                 "--source-addresses", str(args.source_addresses)] for n in share]
        children = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in cmds]
        results = []
        for child in children:
            out, err = child.communicate(timeout=args.duration + 300)
            results.append(json.loads(out.strip().splitlines()[-1]))
        opened = sum(r["connections_opened"] for r in results)
        errors = sum(r["errors"] for r in results)
        messages = sum(r["messages"] for r in results)
        rss = max(r.get("server_rss_after_connect_kib", 0) for r in results)
        print(json.dumps({"connections": args.connections, "opened": opened, "messages": messages,
                          "errors": errors, "server_rss_after_connect_kib": rss,
                          "per_process": results}, indent=1))
        if opened != args.connections or errors:
            sys.exit("scale check FAILED")
        print(f"scale check ok: {opened} connections, {messages} echoes, 0 errors, server RSS {rss} KiB")
    finally:
        stop_server(proc)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="mode", required=True)
    s = sub.add_parser("speed")
    s.add_argument("--connections", type=int, nargs="+", default=[100, 1000, 10000])
    s.add_argument("--in-flight", type=int, nargs="+", default=[1])
    s.add_argument("--duration", type=float, default=5)
    s.add_argument("--runs", type=int, default=3)
    s.add_argument("--floor", action="store_true", help="pair each run with the C loopback floor")
    s.add_argument("--ws-client", action="store_true",
                   help="with --floor: also load persona serve with the C WebSocket client")
    s.add_argument("--compare", type=parse_compare, action="append", default=[], metavar="LABEL=COMMAND",
                   help="also bench another echo server started by COMMAND ({port} replaced) on core 1")
    c = sub.add_parser("scale")
    c.add_argument("--connections", type=int, default=15000)
    c.add_argument("--processes", type=int, default=1)
    c.add_argument("--duration", type=float, default=10)
    c.add_argument("--source-addresses", type=int, default=4)
    args = parser.parse_args()
    speed(args) if args.mode == "speed" else scale(args)


if __name__ == "__main__":
    main()
