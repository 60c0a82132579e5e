"""Benchmarks the store: `persona bench chat` against two servers started side by side — one
on the SQLite store, one with `--store memory` — alternating runs so both see the same machine.

Usage: bench_store.py PERSONA [--runs 3] [--sessions 100] [--duration 5] [--rate 0]
Prints, per store, the median replies/s and time to first token p50/p99 over the runs, the
ratio SQLite/memory, and the database's size per 1,000 turns.
"""

import argparse
import json
import os
import statistics
import subprocess
import tempfile

parser = argparse.ArgumentParser()
parser.add_argument("persona")
parser.add_argument("--runs", type=int, default=3)
parser.add_argument("--sessions", type=int, default=100)
parser.add_argument("--duration", type=float, default=5)
parser.add_argument("--rate", type=float, default=0)
parser.add_argument("--personalities", default="Samples/bench")
parser.add_argument("--source-addresses", type=int, default=1)
parser.add_argument("--server-cpus", default="0-1", help="taskset CPU list for the servers")
parser.add_argument("--client-cpus", default="0-1", help="taskset CPU list for the load generator")
parser.add_argument("--loops", type=int, default=2, help="event loops per server")
parser.add_argument("--stored-sessions", type=int, default=0,
                    help="afterwards: open this many sessions on the SQLite server, restart it, report RSS")
args = parser.parse_args()


def serve(extra):
    process = subprocess.Popen(
        ["taskset", "-c", args.server_cpus, args.persona, "serve", "--port", "0", "--admin-port", "0",
         "--loops", str(args.loops),
         "--personalities", args.personalities, "--connection-rate", "off"] + extra,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = int(process.stdout.readline().strip().rsplit(":", 1)[1])
    return process, port


def bench(port, pid):
    result = subprocess.run(
        ["taskset", "-c", args.client_cpus, args.persona, "bench", "chat", "--loops", "1", "--url", f"ws://127.0.0.1:{port}/v1/ws",
         "--personality", "bench-bot", "--sessions", str(args.sessions), "--rate", str(args.rate),
         "--duration", str(args.duration), "--server-pid", str(pid), "--json",
         "--source-addresses", str(args.source_addresses)],
        capture_output=True, text=True)
    return json.loads(result.stdout)


data = tempfile.mkdtemp(prefix="persona-bench-store-")
sqlite, sqlite_port = serve(["--data-dir", data])
memory, memory_port = serve(["--store", "memory", "--data-dir", data + "-memory"])
results = {"sqlite": [], "memory": []}
try:
    for _ in range(args.runs):
        results["sqlite"].append(bench(sqlite_port, sqlite.pid))
        results["memory"].append(bench(memory_port, memory.pid))
finally:
    for process in (sqlite, memory):
        process.terminate()
        process.wait()



def median(store, *path):
    values = []
    for report in results[store]:
        for key in path:
            report = report[key]
        values.append(report)
    return statistics.median(values)


print(f"{args.runs} alternating runs, {args.sessions} sessions, rate {args.rate}, {args.duration} s each")
for store in ("sqlite", "memory"):
    errors = sum(r["errors"] for r in results[store])
    print(f"{store:7} replies/s {median(store, 'replies_per_second'):10.0f}  tokens/s "
          f"{median(store, 'tokens_per_second'):10.0f}  TTFT p50 {median(store, 'time_to_first_token', 'p50_ms'):.2f} ms"
          f"  p99 {median(store, 'time_to_first_token', 'p99_ms'):.2f} ms  errors {errors}")
ratio = median("sqlite", "replies_per_second") / median("memory", "replies_per_second")
print(f"sqlite/memory throughput ratio (median of runs): {ratio:.2f}")

import sqlite3
database = os.path.join(data, "persona.db")
connection = sqlite3.connect(database)
turns = connection.execute("SELECT count(*) FROM turns").fetchone()[0]
sessions = connection.execute("SELECT count(*) FROM sessions").fetchone()[0]
connection.close()
size = os.path.getsize(database)
print(f"database: {turns} turns in {sessions} sessions, {size / 1e6:.1f} MB, "
      f"{size / turns * 1000 / 1024:.0f} KiB per 1,000 turns")

if args.stored_sessions:
    directory = tempfile.mkdtemp(prefix="persona-bench-rss-")
    server, port = serve(["--data-dir", directory])
    report = subprocess.run(
        [args.persona, "bench", "chat", "--url", f"ws://127.0.0.1:{port}/v1/ws", "--personality", "bench-bot",
         "--sessions", str(args.stored_sessions), "--rate", "0.5", "--duration", "3", "--source-addresses", "4",
         "--server-pid", str(server.pid), "--json"], capture_output=True, text=True)
    during = json.loads(report.stdout)
    server.terminate()
    server.wait()
    server, port = serve(["--data-dir", directory])
    import time
    time.sleep(1)
    with open(f"/proc/{server.pid}/status") as status:
        rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
    server.terminate()
    server.wait()
    print(f"{during['sessions_started']} sessions stored (errors {during['errors']}); RSS with them open "
          f"{during.get('server_rss_kib_at_end', 0) / 1024:.0f} MiB; a restarted server on that store "
          f"{rss / 1024:.0f} MiB")
