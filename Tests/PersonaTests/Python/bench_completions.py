#!/usr/bin/env python3
"""Streaming chat completions against /v1/ws on one server, in alternating pairs.

    bench_completions.py PERSONA_BINARY [--streams 100] [--runs 5] [--seconds 2] [-- SERVE_ARGS...]

Starts `persona serve --loops 1` on Samples/bench pinned to core 1, then for each run loads it
from core 0 with `persona bench completions` (SSE) and right after with `persona bench chat
--rate 0` (/v1/ws), each for --seconds. Per pair it prints both tokens/s and their ratio, and
the server's CPU time per token on each door (read from /proc before and after each half),
with how busy the server and the load generator were. The CPU ratio does not depend on what
else the machine runs at that moment, the tokens/s ratio does; medians of both at the end.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--streams", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", default="2")
    parser.add_argument("--port", default="18481")
    arguments = sys.argv[1:]
    serve = arguments[arguments.index("--") + 1:] if "--" in arguments else []
    options = parser.parse_args(arguments[:arguments.index("--")] if "--" in arguments else arguments)
    options.serve = serve
    data = tempfile.mkdtemp(prefix="persona-bench-completions-")
    server = subprocess.Popen(
        ["taskset", "-c", "1", options.binary, "serve", "--loops", "1", "--personalities",
         os.path.join(ROOT, "Samples/bench"), "--connection-rate", "off", "--port", options.port,
         "--data-dir", data] + options.serve,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2)
    tick = os.sysconf("SC_CLK_TCK")

    def server_cpu():
        fields = open(f"/proc/{server.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick

    def load(arguments):
        """One load run: its JSON summary, server CPU seconds, server and client busy shares."""
        before, cpu, start = resource.getrusage(resource.RUSAGE_CHILDREN), server_cpu(), time.monotonic()
        out = subprocess.run(["taskset", "-c", "0", options.binary] + arguments, capture_output=True, text=True)
        spent, wall = server_cpu() - cpu, time.monotonic() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        client = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) / wall
        summary = [line for line in out.stdout.splitlines() if line.startswith("{")]
        if not summary:
            raise SystemExit(f"no summary: {out.stdout} {out.stderr}")
        return json.loads(summary[-1]), spent, spent / wall, client

    ratios, cpu_ratios = [], []
    try:
        for run in range(options.runs):
            sse, sse_cpu, sse_busy, sse_client = load(
                ["bench", "completions", "--url", f"http://127.0.0.1:{options.port}", "--streams",
                 str(options.streams), "--duration", options.seconds, "--json"])
            ws, ws_cpu, ws_busy, ws_client = load(
                ["bench", "chat", "--url", f"ws://127.0.0.1:{options.port}/v1/ws", "--sessions",
                 str(options.streams), "--personality", "bench-bot", "--rate", "0", "--duration", options.seconds,
                 "--json"])
            seconds = float(options.seconds)
            sse_tokens, ws_tokens = sse["sse_tokens_per_second"], ws["tokens_per_second"]
            sse_per_token = sse_cpu / (sse_tokens * seconds)
            ws_per_token = ws_cpu / (ws_tokens * seconds)
            ratios.append(sse_tokens / ws_tokens)
            cpu_ratios.append(ws_per_token / sse_per_token)
            print(f"run {run + 1}: sse {sse_tokens:,.0f} tokens/s ({sse['completions_per_second']:,.0f} completions/s, "
                  f"first chunk p50 {sse['first_token_p50_ms']:.1f} p99 {sse['first_token_p99_ms']:.1f} ms, "
                  f"errors {sse['errors']}), ws {ws_tokens:,.0f} tokens/s (errors {ws['errors']}) -> {ratios[-1]:.2f}; "
                  f"server cpu per token sse {sse_per_token * 1e6:.2f} us, ws {ws_per_token * 1e6:.2f} us -> "
                  f"{cpu_ratios[-1]:.2f}; busy server {sse_busy:.0%}/{ws_busy:.0%}, "
                  f"load generator {sse_client:.0%}/{ws_client:.0%}", flush=True)
        print(f"median SSE/WS tokens/s {statistics.median(ratios):.2f} (runs {', '.join(f'{r:.2f}' for r in ratios)}); "
              f"median SSE/WS by server cpu per token {statistics.median(cpu_ratios):.2f} "
              f"(runs {', '.join(f'{r:.2f}' for r in cpu_ratios)})")
    finally:
        server.terminate()
        server.wait()
        subprocess.run(["rm", "-rf", data])


if __name__ == "__main__":
    main()
