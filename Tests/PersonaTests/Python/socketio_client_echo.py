"""The official python-socketio client against `persona serve --socketio-echo`.

usage: socketio_client_echo.py PORT
Runs the same scenario with the client's default transports (polling, then the upgrade to
WebSocket) and with transports=['websocket']; prints `ok ...` lines or raises.
"""

import sys
import threading
import time

import socketio

PORT = int(sys.argv[1])
URL = f"http://127.0.0.1:{PORT}"


def scenario(transports, label):
    client = socketio.Client(reconnection=False)
    custom = []
    events = {"auth": [], "back": []}
    arrived = threading.Event()

    @client.on("auth")
    def on_auth(data):
        events["auth"].append(data)

    @client.on("message-back")
    def on_back(*arguments):
        events["back"].append(list(arguments))
        arrived.set()

    @client.on("auth", namespace="/custom")
    def on_custom_auth(data):
        custom.append(data)

    client.connect(URL, auth={"token": label}, namespaces=["/", "/custom"], transports=transports, wait_timeout=5)
    assert client.call("message-with-ack", (1, "2", {"3": [True]}), timeout=5) == (1, "2", {"3": [True]})
    client.emit("message", ("héllo", 2))
    assert arrived.wait(5), "no message-back"
    deadline = time.time() + 5
    while client.transport() != "websocket" and time.time() < deadline:
        time.sleep(0.05)
    assert client.transport() == "websocket", client.transport()
    assert events["auth"] == [{"token": label}], events
    assert custom == [{"token": label}], custom
    assert events["back"] == [["héllo", 2]], events
    client.disconnect()
    print("ok", label, flush=True)

    refused = socketio.Client(reconnection=False)
    reasons = []
    refused.on("connect_error", lambda data: reasons.append(data), namespace="/nope")
    try:
        # The client waits out wait_timeout when a namespace is refused; keep it short.
        refused.connect(URL, namespaces=["/nope"], transports=transports, wait_timeout=0.5)
        raise AssertionError("an unknown namespace must be refused")
    except socketio.exceptions.ConnectionError:
        pass
    finally:
        refused.disconnect()
    assert reasons == [{"message": "Invalid namespace"}], reasons
    print("ok", label, "refused namespace", flush=True)


scenario(None, "default transports")
scenario(["websocket"], "websocket only")
