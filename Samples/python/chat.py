#!/usr/bin/env python3
"""Chat with a Persona personality over the native WebSocket protocol (v1).

    pip install websockets
    python3 chat.py ws://127.0.0.1:8080/v1/ws captain-redbeard "my name is Jack"

Starts a session with the personality, sends one message, prints the reply token by token as
it streams, then ends the session politely. See "The chat protocol" in the README for every message type.
"""

import asyncio
import json
import sys

import websockets


async def chat(url, personality, text):
    async with websockets.connect(url) as ws:
        welcome = json.loads(await ws.recv())
        assert welcome["type"] == "welcome" and welcome["protocol"] == 1, welcome

        await ws.send(json.dumps({"type": "start", "personality": personality}))
        started = json.loads(await ws.recv())
        if started["type"] == "error":
            sys.exit(f"cannot start: {started['message']} ({started['code']})")
        session, name = started["session"], started["personality"]["name"]
        if started.get("greeting"):
            print(f"{name}: {started['greeting']}")

        await ws.send(json.dumps({"type": "message", "session": session, "text": text, "id": "m1"}))
        async for frame in ws:
            event = json.loads(frame)
            if event["type"] == "reply_start":
                print(f"{name}: ", end="", flush=True)
            elif event["type"] == "token":
                print(event["delta"], end="", flush=True)  # one frame per token: show it now
            elif event["type"] == "reply_end":
                print()
                break
            elif event["type"] == "error":
                sys.exit(f"refused: {event['message']} ({event['code']})")

        await ws.send(json.dumps({"type": "end", "session": session}))
        async for frame in ws:
            if json.loads(frame)["type"] == "session_ended":
                break


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: chat.py WS_URL PERSONALITY_ID MESSAGE")
    asyncio.run(chat(*sys.argv[1:]))
