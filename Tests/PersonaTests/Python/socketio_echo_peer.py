"""The reference Python Socket.IO server (python-socketio on uvicorn) as the echo peer of
bench_socketio.py: same behaviour as `persona serve --socketio-echo` (`auth` on connect,
`message` -> `message-back`, `message-with-ack` acknowledged).

The peer runs on uvicorn's fastest stack, named explicitly so that a machine missing part of it
fails here instead of measuring a slower peer: uvloop as the event loop, httptools as the HTTP
parser and the sans-I/O `websockets` protocol (`pip install "uvicorn[standard]==0.55.0"`). Of
uvicorn's three WebSocket implementations that one answered the most events per second under
the benchmark's load (medians of three runs: websockets-sansio 8,880, websockets 7,240, wsproto
6,841); without uvloop and httptools the peer lost 11-28% in two comparisons.

usage: socketio_echo_peer.py PORT   (prints `listening PORT` once ready)
"""
import sys

import httptools  # noqa: F401  (imported only to fail early when missing)
import socketio
import uvicorn
import uvloop  # noqa: F401

server = socketio.AsyncServer(async_mode="asgi", cors_allowed_origins="*")


@server.on("connect")
async def connect(sid, environ, auth):
    await server.emit("auth", auth or {}, to=sid)


@server.on("message")
async def message(sid, *arguments):
    await server.emit("message-back", arguments if len(arguments) != 1 else arguments[0], to=sid)


@server.on("message-with-ack")
async def message_with_ack(sid, *arguments):
    return arguments


port = int(sys.argv[1])
print(f"listening {port}", flush=True)
uvicorn.run(socketio.ASGIApp(server), host="127.0.0.1", port=port, log_level="error",
            loop="uvloop", http="httptools", ws="websockets-sansio")
