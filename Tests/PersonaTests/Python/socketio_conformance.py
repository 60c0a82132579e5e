"""Engine.IO v4 / Socket.IO v5 conformance checks against `persona serve --socketio-echo`.

One check per protocol rule, written from the protocol documents; each prints `ok NAME` or
raises. Raw HTTP (http.client) and a raw WebSocket client (websockets), so nothing smooths
over a server mistake.

usage: socketio_conformance.py PORT PING_INTERVAL_MS PING_TIMEOUT_MS [CHECK...]
"""

import http.client
import json
import os
import socket as tcp
import sys
import threading
import time

from websockets.sync.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed

PORT = int(sys.argv[1])
PING_INTERVAL = int(sys.argv[2]) / 1000
PING_TIMEOUT = int(sys.argv[3]) / 1000
RS = "\x1e"


def request(method, query, body=None, headers=None, timeout=5, path="/socket.io/"):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout)
    conn.request(method, path + "?" + query, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read().decode()
    conn.close()
    return response.status, data, response


def handshake():
    status, data, _ = request("GET", "EIO=4&transport=polling")
    assert status == 200 and data.startswith("0"), (status, data)
    return json.loads(data[1:])["sid"]


def poll(sid, timeout=5):
    return request("GET", f"EIO=4&transport=polling&sid={sid}", timeout=timeout)[:2]


def post(sid, body):
    return request("POST", f"EIO=4&transport=polling&sid={sid}", body=body.encode())[:2]


def poll_skipping_pings(sid):
    """Polls until a payload other than a lone ping arrives; answers pings with pongs."""
    while True:
        status, data = poll(sid)
        assert status == 200, (status, data)
        records = [r for r in data.split(RS) if r != "2"]
        if len(records) < len(data.split(RS)):
            assert post(sid, "3") == (200, "ok")
        if records:
            return records


def connected_session():
    """A polling session joined to `/`; returns its sid after reading CONNECT and auth."""
    sid = handshake()
    assert post(sid, "40") == (200, "ok")
    records = poll_skipping_pings(sid)
    while len(records) < 2:
        records += poll_skipping_pings(sid)
    assert records[0].startswith("40{") and records[1] == '42["auth",{}]', records
    return sid


def ws(query, path="/socket.io/"):
    return ws_connect(f"ws://127.0.0.1:{PORT}{path}?{query}", open_timeout=5, close_timeout=2)


def ws_recv_skipping_pings(socket):
    while True:
        frame = socket.recv(timeout=5)
        if frame == "2":
            socket.send("3")
            continue
        return frame


def ws_session():
    socket = ws("EIO=4&transport=websocket")
    assert socket.recv(timeout=5).startswith("0{")
    socket.send("40")
    assert ws_recv_skipping_pings(socket).startswith("40{")
    assert ws_recv_skipping_pings(socket) == '42["auth",{}]'
    return socket


def expect_closed(socket, within=5):
    deadline = time.time() + within
    try:
        while time.time() < deadline:
            socket.recv(timeout=max(0.01, deadline - time.time()))
    except (ConnectionClosed, TimeoutError) as error:
        assert isinstance(error, ConnectionClosed), "not closed in time"
        return error
    raise AssertionError("not closed in time")


CHECKS = {}


def check(function):
    CHECKS[function.__name__] = function
    return function


@check
def open_packet_polling():
    status, data, response = request("GET", "EIO=4&transport=polling")
    assert status == 200 and data[0] == "0", data
    assert response.getheader("Content-Type").startswith("text/plain")
    value = json.loads(data[1:])
    assert set(value) == {"sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload"}, value
    assert isinstance(value["sid"], str) and len(value["sid"]) == 20
    assert value["upgrades"] == ["websocket"]
    assert value["pingInterval"] == PING_INTERVAL * 1000 and value["pingTimeout"] == PING_TIMEOUT * 1000
    assert value["maxPayload"] == 1000000


@check
def open_packet_websocket():
    socket = ws("EIO=4&transport=websocket")
    value = json.loads(socket.recv(timeout=5)[1:])
    assert set(value) == {"sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload"}
    assert value["upgrades"] == []
    socket.close()


@check
def bad_eio_is_400():
    for query in ["transport=polling", "EIO=abc&transport=polling", "EIO=3&transport=polling"]:
        assert request("GET", query)[0] == 400, query


@check
def bad_transport_is_400():
    for query in ["EIO=4", "EIO=4&transport=abc"]:
        assert request("GET", query)[0] == 400, query


@check
def bad_method_is_400():
    assert request("POST", "EIO=4&transport=polling", body=b"40")[0] == 400
    assert request("PUT", "EIO=4&transport=polling", body=b"40")[0] == 400


@check
def unknown_sid_is_400():
    assert poll("AAAAAAAAAAAAAAAAAAAA")[0] == 400
    assert post("AAAAAAAAAAAAAAAAAAAA", "40")[0] == 400
    assert poll("nonsense")[0] == 400


@check
def polling_payload_framing():
    sid = connected_session()
    assert post(sid, '42["message","a"]' + RS + '42["message","€ é"]' + RS + "3") == (200, "ok")
    records = poll_skipping_pings(sid)
    while len(records) < 2:
        records += poll_skipping_pings(sid)
    assert records == ['42["message-back","a"]', '42["message-back","€ é"]'], records


@check
def one_get_at_a_time():
    sid = handshake()
    results = {}

    def first():
        results["first"] = poll(sid)

    thread = threading.Thread(target=first)
    thread.start()
    time.sleep(0.05)
    results["second"] = poll(sid)
    thread.join()
    assert results["first"] == (200, "1"), results
    assert results["second"][0] == 400, results
    assert poll(sid)[0] == 400, "the session must be closed"


@check
def cancelled_get_closes_session():
    sid = handshake()
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=5)
    conn.request("GET", f"/socket.io/?EIO=4&transport=polling&sid={sid}")
    time.sleep(0.05)
    conn.close()
    time.sleep(0.1)
    assert poll(sid)[0] == 400


@check
def heartbeat_polling():
    sid = handshake()
    for _ in range(3):
        assert poll(sid) == (200, "2")
        assert post(sid, "3") == (200, "ok")


@check
def heartbeat_timeout_polling():
    sid = handshake()
    time.sleep(PING_INTERVAL + PING_TIMEOUT + 0.1)
    answer = poll(sid)
    assert answer[0] == 400, answer


@check
def heartbeat_websocket():
    socket = ws("EIO=4&transport=websocket")
    socket.recv(timeout=5)
    for _ in range(3):
        assert socket.recv(timeout=5) == "2"
        socket.send("3")
    socket.close()


@check
def heartbeat_timeout_websocket():
    socket = ws("EIO=4&transport=websocket")
    socket.recv(timeout=5)
    assert socket.recv(timeout=5) == "2"
    expect_closed(socket, within=PING_TIMEOUT + 2)


@check
def client_close_polling():
    sid = handshake()
    results = {}
    thread = threading.Thread(target=lambda: results.setdefault("poll", poll(sid)))
    thread.start()
    time.sleep(0.05)
    assert post(sid, "1") == (200, "ok")
    thread.join()
    assert results["poll"] == (200, "6"), results
    assert poll(sid)[0] == 400


@check
def client_close_websocket():
    socket = ws("EIO=4&transport=websocket")
    socket.recv(timeout=5)
    socket.send("1")
    expect_closed(socket)


@check
def upgrade_without_loss_or_duplication():
    sid = connected_session()
    socket = ws(f"EIO=4&transport=websocket&sid={sid}")
    socket.send("2probe")
    assert socket.recv(timeout=5) == "3probe"
    # Sent on polling during the probe: answered on polling (a poll still drains)...
    assert post(sid, '42["message","m1"]') == (200, "ok")
    polled = []
    while '42["message-back","m1"]' not in polled:
        status, data = poll(sid)
        assert status == 200, (status, data)
        polled += [r for r in data.split(RS) if r not in ("2", "6")]
        if "2" in data.split(RS):
            post(sid, "3")
    # ...then the client pauses polling; this answer waits and must arrive once, on the socket.
    assert post(sid, '42["message","m2"]') == (200, "ok")
    socket.send("5")
    socket.send('42["message","m3"]')
    frames = [ws_recv_skipping_pings(socket), ws_recv_skipping_pings(socket)]
    assert frames == ['42["message-back","m2"]', '42["message-back","m3"]'], frames
    assert polled == ['42["message-back","m1"]'], polled
    assert poll(sid)[0] == 400, "polling is over after the upgrade"
    socket.send('42["message","m4"]')
    assert ws_recv_skipping_pings(socket) == '42["message-back","m4"]'
    socket.close()


@check
def probe_releases_pending_get_with_noop():
    sid = connected_session()
    results = {}
    thread = threading.Thread(target=lambda: results.setdefault("poll", poll(sid)))
    thread.start()
    time.sleep(0.05)
    socket = ws(f"EIO=4&transport=websocket&sid={sid}")
    socket.send("2probe")
    assert socket.recv(timeout=5) == "3probe"
    thread.join()
    assert results["poll"] in [(200, "6"), (200, "2")], results
    socket.close()


@check
def second_websocket_for_a_session_is_closed():
    sid = connected_session()
    socket = ws(f"EIO=4&transport=websocket&sid={sid}")
    socket.send("2probe")
    assert socket.recv(timeout=5) == "3probe"
    socket.send("5")
    second = ws(f"EIO=4&transport=websocket&sid={sid}")
    expect_closed(second)
    socket.send('42["message","still here"]')
    assert ws_recv_skipping_pings(socket) == '42["message-back","still here"]'
    socket.close()


@check
def bad_packet_polling_closes_session():
    sid = handshake()
    assert post(sid, "abc")[0] == 400
    assert poll(sid)[0] == 400


@check
def bad_packet_websocket_closes_session():
    socket = ws("EIO=4&transport=websocket")
    socket.recv(timeout=5)
    socket.send("abc")
    expect_closed(socket)


@check
def payload_over_max_is_413():
    sid = connected_session()
    frame = '42["x","' + "x" * (1_000_000 - 10) + '"]'
    assert len(frame) == 1_000_000
    assert post(sid, frame) == (200, "ok")
    assert post(sid, frame + " ")[0] == 413
    assert poll(sid)[0] == 400


@check
def websocket_message_over_max_closes():
    socket = ws_session()
    frame = '42["message","' + "x" * (1_000_000 - 16) + '"]'
    assert len(frame) == 1_000_000
    socket.send(frame)
    assert ws_recv_skipping_pings(socket) == '42["message-back","' + "x" * (1_000_000 - 16) + '"]'
    socket.send(frame + " ")
    closed = expect_closed(socket)
    # RFC 6455 §7.4.1: 1009, a message too big to process.
    assert closed.rcvd is not None and closed.rcvd.code == 1009, closed


@check
def cors_headers_and_preflight():
    status, _, response = request("GET", "EIO=4&transport=polling", headers={"Origin": "https://widget.example"})
    assert status == 200 and response.getheader("Access-Control-Allow-Origin") == "*"
    status, _, response = request(
        "OPTIONS", "EIO=4&transport=polling",
        headers={"Origin": "https://widget.example", "Access-Control-Request-Headers": "content-type"})
    assert status == 204, status
    assert "POST" in response.getheader("Access-Control-Allow-Methods")
    assert response.getheader("Access-Control-Allow-Headers") == "content-type"


@check
def sio_connect_main_namespace_with_auth():
    socket = ws("EIO=4&transport=websocket")
    socket.recv(timeout=5)
    socket.send('40{"token":"123"}')
    handshake_packet = ws_recv_skipping_pings(socket)
    assert handshake_packet.startswith("40") and set(json.loads(handshake_packet[2:])) == {"sid"}
    assert ws_recv_skipping_pings(socket) == '42["auth",{"token":"123"}]'
    socket.close()


def raw_ws():
    """A WebSocket on a plain TCP socket, to see what each read of the kernel holds; returns the
    socket and the bytes that came after the 101 head."""
    connection = tcp.create_connection(("127.0.0.1", PORT), timeout=5)
    connection.sendall(
        b"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
    head = b""
    while b"\r\n\r\n" not in head:
        head += connection.recv(4096)
    head, rest = head.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 101"), head
    return connection, rest


def masked(text):
    """One masked client text frame (RFC 6455 section 5.3), payload under 126 bytes."""
    payload = text.encode()
    key = os.urandom(4)
    return bytes([0x81, 0x80 | len(payload)]) + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def frames_of(buffer):
    """Splits complete unmasked server frames (payload under 126 bytes) off `buffer`."""
    texts = []
    while len(buffer) >= 2 and len(buffer) >= 2 + (buffer[1] & 0x7F):
        length = buffer[1] & 0x7F
        texts.append(buffer[2:2 + length].decode())
        buffer = buffer[2 + length:]
    return texts, buffer


def reads_until(connection, buffer, last_prefix):
    """Reads until a frame starting with `last_prefix`; returns (time of the read, its frames) per read."""
    reads = []
    texts, buffer = frames_of(buffer)
    if texts:
        reads.append((time.monotonic(), texts))
    while not any(text.startswith(last_prefix) for _, texts in reads for text in texts):
        buffer += connection.recv(4096)
        texts, buffer = frames_of(buffer)
        if texts:
            reads.append((time.monotonic(), texts))
    return reads


@check
def sio_auth_leaves_after_the_connect_answer():
    """The echo's `auth` is a later write than the CONNECT answer (a client taking one frame per
    read sees them apart). Up to three tries, in case this client is held up between reads."""
    gaps = []
    for _ in range(3):
        connection, rest = raw_ws()
        reads_until(connection, rest, "0{")  # the open packet
        connection.sendall(masked("40"))
        reads = reads_until(connection, b"", '42["auth"')
        connection.close()
        answer = next(at for at, texts in reads if any(t.startswith("40{") for t in texts))
        auth = next(at for at, texts in reads if '42["auth",{}]' in texts)
        gaps.append(auth - answer)
        if gaps[-1] >= 0.002:
            return
    raise AssertionError(f"auth came with the CONNECT answer: gaps {gaps}")


@check
def sio_event_right_after_connect_gets_auth_first():
    """CONNECT and an event in one TCP write: the answers keep the reference order."""
    connection, rest = raw_ws()
    reads_until(connection, rest, "0{")  # the open packet
    connection.sendall(masked("40") + masked('42["message","early"]'))
    reads = reads_until(connection, b"", '42["message-back"')
    connection.close()
    texts = [text for _, texts in reads for text in texts if text != "2"]
    assert [text[:3] for text in texts] == ["40{", '42[', '42['], texts
    assert texts[1:] == ['42["auth",{}]', '42["message-back","early"]'], texts


@check
def sio_connect_custom_namespace():
    socket = ws("EIO=4&transport=websocket")
    socket.recv(timeout=5)
    socket.send('40/custom,{"token":"abc"}')
    packet = ws_recv_skipping_pings(socket)
    assert packet.startswith("40/custom,") and set(json.loads(packet[10:])) == {"sid"}, packet
    assert ws_recv_skipping_pings(socket) == '42/custom,["auth",{"token":"abc"}]'
    socket.close()


@check
def sio_unknown_namespace_refused():
    socket = ws("EIO=4&transport=websocket")
    socket.recv(timeout=5)
    socket.send("40/random")
    assert ws_recv_skipping_pings(socket) == '44/random,{"message":"Invalid namespace"}'
    socket.close()


@check
def sio_invalid_handshake_closes():
    socket = ws("EIO=4&transport=websocket")
    socket.recv(timeout=5)
    socket.send("4abc")
    expect_closed(socket)


@check
def sio_no_handshake_closes():
    socket = ws("EIO=4&transport=websocket")
    socket.recv(timeout=5)
    expect_closed(socket, within=3)


@check
def sio_disconnect_custom_keeps_main():
    socket = ws_session()
    socket.send("40/custom")
    assert ws_recv_skipping_pings(socket).startswith("40/custom,")
    assert ws_recv_skipping_pings(socket) == '42/custom,["auth",{}]'
    socket.send("41/custom")
    socket.send('42["message","message to main namespace"]')
    assert ws_recv_skipping_pings(socket) == '42["message-back","message to main namespace"]'
    socket.close()


@check
def sio_event_and_ack():
    socket = ws_session()
    socket.send('42["message",1,"2",{"3":[true]}]')
    assert ws_recv_skipping_pings(socket) == '42["message-back",1,"2",{"3":[true]}]'
    socket.send('42456["message-with-ack",1,"2",{"3":[false]}]')
    assert ws_recv_skipping_pings(socket) == '43456[1,"2",{"3":[false]}]'
    socket.close()


PLACEHOLDERS = '{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}'


def binary_round_trip(socket, packet, answer):
    """Sends `packet` and its two attachments; the echo must be `answer` and the same two."""
    attachments = [bytes([1, 2, 3]), bytes([4, 5, 6])]
    socket.send(packet)
    for attachment in attachments:
        socket.send(attachment)
    assert ws_recv_skipping_pings(socket) == answer
    for attachment in attachments:
        assert ws_recv_skipping_pings(socket) == attachment


@check
def sio_binary_event_echoed():
    socket = ws_session()
    binary_round_trip(socket, f'452-["message",{PLACEHOLDERS}]', f'452-["message-back",{PLACEHOLDERS}]')
    socket.send('42["message","after"]')
    assert ws_recv_skipping_pings(socket) == '42["message-back","after"]'
    socket.close()


@check
def sio_binary_ack_echoed():
    socket = ws_session()
    binary_round_trip(socket, f'452-789["message-with-ack",{PLACEHOLDERS}]', f'462-789[{PLACEHOLDERS}]')
    socket.close()


@check
def sio_binary_event_echoed_on_polling():
    """Over polling an attachment is a `b<base64>` record: AQID is [1,2,3], BAUG is [4,5,6]."""
    sid = connected_session()
    assert post(sid, RS.join([f'452-["message",{PLACEHOLDERS}]', "bAQID", "bBAUG"])) == (200, "ok")
    records = poll_skipping_pings(sid)
    while len(records) < 3:
        records += poll_skipping_pings(sid)
    assert records == [f'452-["message-back",{PLACEHOLDERS}]', "bAQID", "bBAUG"], records


# --- against the chat namespace (`persona serve` in its default chat mode) ---

ENGINE_RULES = [
    "open_packet_polling", "open_packet_websocket", "bad_eio_is_400", "bad_transport_is_400",
    "bad_method_is_400", "unknown_sid_is_400", "one_get_at_a_time", "cancelled_get_closes_session",
    "heartbeat_polling", "heartbeat_timeout_polling", "heartbeat_websocket", "heartbeat_timeout_websocket",
    "client_close_polling", "client_close_websocket", "bad_packet_polling_closes_session",
    "bad_packet_websocket_closes_session", "cors_headers_and_preflight", "sio_invalid_handshake_closes",
    "sio_no_handshake_closes",
]


def chat_polling_session():
    sid = handshake()
    assert post(sid, "40") == (200, "ok")
    records = poll_skipping_pings(sid)
    while len(records) < 2:
        records += poll_skipping_pings(sid)
    assert records[0].startswith("40{") and records[1].startswith('42["welcome",{"type":"welcome"'), records
    return sid


@check
def chat_connect_and_welcome():
    socket = ws("EIO=4&transport=websocket")
    socket.recv(timeout=5)
    socket.send("40")
    assert ws_recv_skipping_pings(socket).startswith("40{")
    welcome = json.loads(ws_recv_skipping_pings(socket)[2:])
    assert welcome[0] == "welcome" and welcome[1]["type"] == "welcome", welcome
    socket.send("40/custom,")
    assert ws_recv_skipping_pings(socket) == '44/custom,{"message":"Invalid namespace"}'
    socket.close()


@check
def chat_event_ack_on_polling():
    sid = chat_polling_session()
    assert post(sid, '421["start",{"personality":"parrot"}]') == (200, "ok")
    records = poll_skipping_pings(sid)
    acks = [r for r in records if r.startswith("431[")]
    while not acks:
        records = poll_skipping_pings(sid)
        acks = [r for r in records if r.startswith("431[")]
    started = json.loads(acks[0][3:])[0]
    assert started["type"] == "session_started" and started["personality"]["id"] == "parrot", started


@check
def chat_upgrade_mid_reply_loses_and_duplicates_nothing():
    """A storyteller reply streams while the client upgrades: every token arrives exactly once."""
    sid = chat_polling_session()
    assert post(sid, '421["start",{"personality":"storyteller"}]') == (200, "ok")
    frames = []
    session = None
    while session is None:
        for record in poll_skipping_pings(sid):
            frames.append(record)
            if record.startswith("431["):
                session = json.loads(record[3:])[0]["session"]
    message = json.dumps(["message", {"session": session, "text": "tell me a story", "id": "u1"}])
    assert post(sid, "42" + message) == (200, "ok")
    for record in poll_skipping_pings(sid):
        frames.append(record)
    socket = ws(f"EIO=4&transport=websocket&sid={sid}")
    socket.send("2probe")
    assert socket.recv(timeout=5) == "3probe"
    status, data = poll(sid)  # released with noop, or carrying what was queued before the probe
    assert status == 200, (status, data)
    frames += [r for r in data.split(RS) if r not in ("6", "2")]
    socket.send("5")
    while not any(f.startswith('42["reply_end"') for f in frames):
        frames.append(ws_recv_skipping_pings(socket))
    events = [json.loads(f[2:]) for f in frames if f.startswith("42[")]
    tokens = [e[1] for e in events if e[0] == "token"]
    end = [e[1] for e in events if e[0] == "reply_end"][0]
    assert len(tokens) == end["tokens"], (len(tokens), end)
    story = ("once upon a time there was a tiny program that served chats over a socket and it streamed "
             "every token one after another until the very end of the tale")
    assert "".join(t["delta"] for t in tokens) == story, tokens
    socket.close()


@check
def chat_binary_refused_with_clear_error():
    """Only the diagnostic echo takes attachments: the chat namespace answers binary_not_supported."""
    socket = ws("EIO=4&transport=websocket")
    socket.recv(timeout=5)
    socket.send("40")
    assert ws_recv_skipping_pings(socket).startswith("40{")
    assert ws_recv_skipping_pings(socket).startswith('42["welcome"')
    socket.send('451-7["message",{"_placeholder":true,"num":0}]')
    socket.send(bytes([1, 2, 3]))
    answer = ws_recv_skipping_pings(socket)
    assert answer.startswith("437["), answer
    assert json.loads(answer[3:])[0]["error"]["code"] == "binary_not_supported", answer
    socket.send('451-["message",{"_placeholder":true,"num":0}]')
    socket.send(bytes([4]))
    answer = ws_recv_skipping_pings(socket)
    assert answer.startswith('42["error",'), answer
    assert json.loads(answer[2:])[1]["error"]["code"] == "binary_not_supported", answer
    socket.close()


@check
def limits_sessions_per_address_and_connection_rate():
    """Server: --socketio-sessions-per-ip 3 --connection-rate 1/min --connection-burst 6."""
    sids = [handshake() for _ in range(3)]
    status, body, _ = request("GET", "EIO=4&transport=polling")
    assert status == 429 and "Too many sessions" in body, (status, body)
    assert request("GET", "EIO=4&transport=websocket", headers={
        "Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="})[0] == 429
    assert post(sids[0], "1") == (200, "ok")
    handshake()  # a slot is free again (the sixth and last connection of the burst)
    status, _, response = request("GET", "EIO=4&transport=polling")
    assert status == 429 and response.getheader("Retry-After") is not None, status


@check
def limits_cors_allow_list_with_credentials():
    """Server: --socketio-cors-origins https://a.example --socketio-cors-credentials."""
    status, _, response = request("OPTIONS", "EIO=4&transport=polling", headers={"Origin": "https://a.example"})
    assert status == 204
    assert response.getheader("Access-Control-Allow-Origin") == "https://a.example"
    assert response.getheader("Access-Control-Allow-Credentials") == "true"
    status, _, _ = request("GET", "EIO=4&transport=polling", headers={"Origin": "https://b.example"})
    assert status == 403, status


# The Engine.IO echo at /engine.io/ (beside --socketio-echo): the reference server of the
# Engine.IO protocol test suite, with no Socket.IO layer.
ENGINE = "/engine.io/"


@check
def engine_echo_polling_payload():
    """Text and binary packets in one POST come back as the same payload on the next GET."""
    status, data, _ = request("GET", "EIO=4&transport=polling", path=ENGINE)
    assert status == 200 and json.loads(data[1:])["upgrades"] == ["websocket"], data
    sid = json.loads(data[1:])["sid"]
    payload = RS.join(["4hello", "4test2", "bAQIDBA=="])
    assert request("POST", f"EIO=4&transport=polling&sid={sid}", body=payload.encode(), path=ENGINE)[:2] == (200, "ok")
    assert request("GET", f"EIO=4&transport=polling&sid={sid}", path=ENGINE)[:2] == (200, payload)


@check
def engine_echo_websocket_text_and_binary():
    """`40` is only a message here: it comes back as it went, with no CONNECT answer."""
    socket = ws("EIO=4&transport=websocket", path=ENGINE)
    assert socket.recv(timeout=5).startswith("0{")
    for message in ["4hello", "40", bytes([1, 2, 3, 4])]:
        socket.send(message)
        assert ws_recv_skipping_pings(socket) == message
    socket.close()


@check
def engine_echo_upgrade():
    """Probe, upgrade, then the echo on the WebSocket; polling for the sid is refused after."""
    status, data, _ = request("GET", "EIO=4&transport=polling", path=ENGINE)
    sid = json.loads(data[1:])["sid"]
    socket = ws(f"EIO=4&transport=websocket&sid={sid}", path=ENGINE)
    socket.send("2probe")
    assert socket.recv(timeout=5) == "3probe"
    socket.send("5")
    socket.send("4after upgrade")
    assert ws_recv_skipping_pings(socket) == "4after upgrade"
    assert request("GET", f"EIO=4&transport=polling&sid={sid}", path=ENGINE)[0] == 400
    socket.close()


@check
def engine_echo_has_no_connect_timeout():
    """Server: --socketio-connect-timeout 1. An Engine.IO session never sends CONNECT and is
    still open (heartbeats answered) after the timeout."""
    socket = ws("EIO=4&transport=websocket", path=ENGINE)
    assert socket.recv(timeout=5).startswith("0{")
    deadline = time.time() + 1.5
    while time.time() < deadline:
        try:
            if socket.recv(timeout=max(0.01, deadline - time.time())) == "2":
                socket.send("3")
        except TimeoutError:
            break
    socket.send("4still here")
    assert ws_recv_skipping_pings(socket) == "4still here"
    socket.close()


if sys.argv[4:] == ["chat"]:
    names = ENGINE_RULES + [name for name in CHECKS if name.startswith("chat_")]
else:
    names = sys.argv[4:] or [name for name in CHECKS if not name.startswith(("limits_", "chat_", "engine_"))]
for name in names:
    CHECKS[name]()
    print("ok", name, flush=True)
