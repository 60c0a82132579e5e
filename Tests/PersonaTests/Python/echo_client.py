#!/usr/bin/env python3
"""Exercises `persona serve`'s /v1/echo with the strict `websockets` client library.

Usage: echo_client.py ws://127.0.0.1:PORT/v1/echo
Prints one line per check ("ok <name>") and exits non-zero on the first failure, so the
Swift live test can show exactly which exchange went wrong.
"""
import asyncio
import os
import sys

import websockets


async def main(url: str) -> None:
    # max_size=None: the library would otherwise refuse our 16 MiB echo itself.
    async with websockets.connect(url, max_size=None, compression=None) as ws:
        await ws.send("héllo, wörld ✓")
        assert await ws.recv() == "héllo, wörld ✓", "text echo"
        print("ok text", flush=True)

        payload = bytes(range(256)) * 4
        await ws.send(payload)
        reply = await ws.recv()
        assert isinstance(reply, bytes) and reply == payload, "binary echo"
        print("ok binary", flush=True)

        # A list is sent as one fragmented message (one frame per element).
        await ws.send(["frag", "men", "ted ✓"])
        assert await ws.recv() == "fragmented ✓", "fragmented text echo"
        await ws.send([b"\x00\x01", b"\x02"])
        assert await ws.recv() == b"\x00\x01\x02", "fragmented binary echo"
        print("ok fragmented", flush=True)

        big = os.urandom(16 * 1024 * 1024)
        await ws.send(big)
        reply = await ws.recv()
        assert reply == big, "16 MiB echo"
        print("ok 16MiB", flush=True)

        pong = await ws.ping(b"are you there")
        await asyncio.wait_for(pong, timeout=10)
        print("ok ping", flush=True)

    assert ws.close_code == 1000, f"close code {ws.close_code}"
    print("ok close", flush=True)


if __name__ == "__main__":
    asyncio.run(asyncio.wait_for(main(sys.argv[1]), timeout=60))
