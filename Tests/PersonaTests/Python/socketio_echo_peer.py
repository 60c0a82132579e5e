"""The reference Python Socket.IO server (python-socketio on uvicorn) as the echo peer of
bench_socketio.py: same behaviour as `persona serve --socketio-echo` (`auth` on connect,
`message` -> `message-back`, `message-with-ack` acknowledged).

usage: socketio_echo_peer.py PORT   (prints `listening PORT` once ready)
"""
import sys

import socketio
import uvicorn

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
uvicorn.run(socketio.ASGIApp(server), host="127.0.0.1", port=port, log_level="error")
