"""python-socketio against the compatibility profiles of `persona serve` (chat fixtures,
--matchmaking-timeout 0.3): a full scripted conversation per profile, asserting every event
name and payload shape of the README's tables.

usage: socketio_client_profiles.py PORT TRANSPORT   (TRANSPORT: default | websocket)
"""
import queue
import sys
import time

import socketio

PORT = int(sys.argv[1])
TRANSPORTS = None if sys.argv[2] == "default" else ["websocket"]
URL = f"http://127.0.0.1:{PORT}"


class Client:
    def __init__(self, namespace, events, auth=None):
        self.namespace = namespace
        self.client = socketio.Client(reconnection=False)
        self.events = queue.Queue()
        for name in events:
            self.client.on(name, (lambda name: lambda *a: self.events.put((name, a[0] if a else None)))(name),
                           namespace=namespace)
        self.client.connect(URL, namespaces=[namespace], auth=auth, transports=TRANSPORTS, wait_timeout=5)

    def until(self, wanted, timeout=5):
        seen = []
        deadline = time.time() + timeout
        while True:
            name, payload = self.events.get(timeout=max(0.01, deadline - time.time()))
            seen.append((name, payload))
            if name == wanted:
                return payload, seen

    def emit(self, event, payload):
        self.client.emit(event, payload, namespace=self.namespace)

    def close(self):
        self.client.disconnect()


RANDOM_EVENTS = ["ai_chatbot_session_created", "ai_chatbot_response", "ai_chatbot_session_ended",
                 "random_chat_event", "error"]


def random_chat():
    ns = "/compat/random-chat"
    lonely = Client(ns, RANDOM_EVENTS)
    lonely.emit("join_random_chat", {"language": "en"})
    searching, _ = lonely.until("random_chat_event")
    assert searching["type"] == "searching" and searching["timeout_ms"] > 0 and searching["chat_id"], searching
    created, _ = lonely.until("ai_chatbot_session_created")
    session = created["session_id"]
    assert created == {"session_id": session, "personality": {"id": "parrot", "name": "Parrot"}}, created
    greeting, _ = lonely.until("ai_chatbot_response")
    assert greeting == {"session_id": session, "message": "Squawk, hello!", "partial": False}, greeting
    print("ok random-chat: no human in time, bot session created and greeted", flush=True)
    lonely.emit("send_message_to_ai_chatbot", {"session_id": session, "message": "i am carol"})
    final, seen = lonely.until("ai_chatbot_response")
    partials = [final]
    while final["partial"]:
        final, _ = lonely.until("ai_chatbot_response")
        partials.append(final)
    assert all(p["session_id"] == session and set(p) == {"session_id", "message", "partial"} for p in partials)
    assert "".join(p["message"] for p in partials[:-1]) == "hello carol", partials
    assert final == {"session_id": session, "message": "hello carol", "partial": False}, final
    print("ok random-chat: reply streamed as", len(partials) - 1, "partials and one final", flush=True)
    lonely.emit("end_ai_chatbot_session", {"session_id": session})
    ended, _ = lonely.until("ai_chatbot_session_ended")
    assert ended == {"session_id": session, "reason": "user", "farewell": "Squawk, goodbye!"}, ended
    print("ok random-chat: ended with ai_chatbot_session_ended", flush=True)
    lonely.close()

    a, b = Client(ns, RANDOM_EVENTS), Client(ns, RANDOM_EVENTS)
    a.emit("join_random_chat", {"language": "en"})
    a.until("random_chat_event")
    b.emit("join_random_chat", {"language": "en"})
    matched_b, _ = b.until("random_chat_event")
    matched_a, _ = a.until("random_chat_event")
    assert matched_a["type"] == "matched" and matched_b["type"] == "matched", (matched_a, matched_b)
    assert set(matched_a) == {"type", "chat_id"}, matched_a
    ca, cb = matched_a["chat_id"], matched_b["chat_id"]
    a.emit("random_chat_typing", {"chat_id": ca, "typing": True})
    typing, _ = b.until("random_chat_event")
    assert typing == {"type": "typing", "chat_id": cb, "typing": True}, typing
    a.emit("send_random_chat_message", {"chat_id": ca, "message": "hi stranger"})
    relayed, _ = b.until("random_chat_event")
    assert relayed == {"type": "message", "chat_id": cb, "message": "hi stranger"}, relayed
    b.emit("leave_random_chat", {"chat_id": cb})
    left, _ = a.until("random_chat_event")
    assert left == {"type": "ended", "chat_id": ca, "reason": "partner_left"}, left
    print("ok random-chat: two humans matched, typing and messages relayed, partner left", flush=True)
    a.close()
    b.close()


WIDGET_EVENTS = ["connected", "message:received", "message:partial", "typing:start", "typing:stop", "online",
                 "offline", "error"]


def widget():
    ns = "/compat/widget"
    visitor = Client(ns, WIDGET_EVENTS, auth={"deploymentKey": "demo-key", "visitorId": "v-42"})
    connected, _ = visitor.until("connected")
    conversation = connected["conversationId"]
    assert connected == {"conversationId": conversation, "visitorId": "v-42",
                         "personality": {"id": "parrot", "name": "Parrot"}}, connected
    online, _ = visitor.until("online")
    assert online == {"conversationId": conversation, "participant": "assistant"}, online
    greeting, _ = visitor.until("message:received")
    assert greeting["role"] == "assistant" and greeting["content"] == "Squawk, hello!", greeting
    print("ok widget: connected with the deployment's personality, assistant online, greeting", flush=True)
    visitor.emit("message:send", {"content": "i am dave"})
    echoed, _ = visitor.until("message:received")
    assert echoed["role"] == "user" and echoed["content"] == "i am dave" and echoed["conversationId"] == conversation
    assert set(echoed) == {"id", "conversationId", "role", "content"}, echoed
    start, _ = visitor.until("typing:start")
    assert start == {"conversationId": conversation, "participant": "assistant"}, start
    answer, seen = visitor.until("message:received")
    partials = [p for n, p in seen if n == "message:partial"]
    assert partials and all(set(p) == {"id", "conversationId", "delta"} for p in partials), partials
    assert "".join(p["delta"] for p in partials) == "hello dave" == answer["content"], (partials, answer)
    assert answer["role"] == "assistant" and set(answer) == {"id", "conversationId", "role", "content"}, answer
    assert all(p["id"] == answer["id"] for p in partials), (partials, answer)
    stop, _ = visitor.until("typing:stop")
    assert stop == start, stop
    print("ok widget: message echoed, answer streamed as", len(partials), "partials, typing shown", flush=True)
    visitor.emit("typing:start", {})
    visitor.emit("typing:stop", {})
    visitor.close()

    # A conversation that ends (brief answers twice): the farewell, then the assistant goes offline.
    brief = Client(ns, WIDGET_EVENTS, auth={"deploymentKey": "brief-key", "visitorId": "v-43"})
    connected, _ = brief.until("connected")
    conversation = connected["conversationId"]
    assert connected["personality"] == {"id": "brief", "name": "Brief"}, connected
    brief.until("online")
    for index in range(2):
        brief.emit("message:send", {"content": f"point {index}"})
        brief.until("typing:stop")
    farewell, _ = brief.until("message:received")
    assert farewell == {"id": conversation + "-farewell", "conversationId": conversation, "role": "assistant",
                        "content": "That is all from brief."}, farewell
    offline, _ = brief.until("offline")
    assert offline == {"conversationId": conversation, "participant": "assistant"}, offline
    brief.close()
    print("ok widget: at the limit the farewell arrives, then the assistant goes offline", flush=True)

    refused = Client(ns, WIDGET_EVENTS, auth={"deploymentKey": "wrong", "visitorId": "v-1"})
    error, _ = refused.until("error")
    assert error == {"message": "Invalid deployment key"}, error
    refused.close()
    # The DISCONNECT that follows is checked on the wire: python-socketio ignores a namespace
    # DISCONNECT that arrives before its connect() has marked the client connected (a race that
    # loses under load), so its namespace list cannot show it reliably.
    import json
    from websockets.sync.client import connect
    raw = connect(f"ws://127.0.0.1:{PORT}/socket.io/?EIO=4&transport=websocket", open_timeout=5)
    assert raw.recv(timeout=5).startswith("0{")
    raw.send("40" + ns + "," + json.dumps({"deploymentKey": "wrong", "visitorId": "v-1"}))
    frames = []
    while not frames or not frames[-1].startswith("41"):
        frame = raw.recv(timeout=5)
        if frame != "2":  # a server ping, should one fall in between
            frames.append(frame)
    raw.close()
    assert frames[0].startswith("40" + ns + ",{") and frames[1:] == [
        "42" + ns + ',["error",{"message":"Invalid deployment key"}]', "41" + ns + ","], frames
    print("ok widget: an unknown deployment key gets the error and a disconnect", flush=True)


random_chat()
widget()
