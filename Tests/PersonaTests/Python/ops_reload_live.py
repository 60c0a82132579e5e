"""Hot reload while sessions are active, against a live `persona serve`, with the third-party
`websockets` client and plain urllib for the admin API.

Usage: ops_reload_live.py WS_URL ADMIN_URL TOKEN PERSONALITIES_DIR

The folder starts with storyteller.yaml (streams slowly) and beta.yaml. While a storyteller
reply is streaming and a beta session is open, the script edits storyteller, removes beta and
adds gamma, then reloads through the admin API. It checks that the streaming reply finishes
whole, the beta session ends with reason personality_removed, new sessions get the new
version, and the old session moves to the new version after its reply. Prints `ok ...` lines.
"""

import asyncio
import json
import os
import sys
import urllib.request

import websockets

TIMEOUT = 10.0
STORY = ("once upon a time there was a tiny program that served chats over a socket and it "
         "streamed every token one after another until the very end of the tale")


def admin(base, token, method, path):
    request = urllib.request.Request(base + path, method=method, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


class Client:
    def __init__(self, ws):
        self.ws = ws

    @classmethod
    async def open(cls, url):
        client = cls(await websockets.connect(url))
        assert (await client.recv())["type"] == "welcome"
        return client

    async def send(self, **message):
        await self.ws.send(json.dumps(message))

    async def recv(self):
        return json.loads(await asyncio.wait_for(self.ws.recv(), TIMEOUT))

    async def until(self, type_, **match):
        frames = []
        while True:
            frame = await self.recv()
            frames.append(frame)
            if frame["type"] == type_ and all(frame.get(k) == v for k, v in match.items()):
                return frames

    async def start(self, personality):
        await self.send(type="start", personality=personality)
        return (await self.until("session_started"))[-1]


def personality(id_, greeting, reply, tokens_per_second):
    return (f"id: {id_}\nname: {id_.title()}\ndescription: Live reload test.\nengine: script\n"
            f"greeting: \"{greeting}\"\nstream: {{ tokens_per_second: {tokens_per_second} }}\n"
            f"script:\n  rules:\n    - match: \"short\"\n      reply: \"once upon a time\"\n"
            f"    - match: \"*\"\n      reply: \"{reply}\"\n")


async def main(ws_url, admin_url, token, folder):
    teller = await Client.open(ws_url)
    started = await teller.start("storyteller")
    session = started["session"]
    old_version = started["personality"]["version"]
    await teller.send(type="message", session=session, text="tell me a story", id="m1")
    frames = await teller.until("token", session=session)
    assert any(f["type"] == "reply_start" for f in frames), frames
    first_tokens = [f["delta"] for f in frames if f["type"] == "token"]

    leaver = await Client.open(ws_url)
    beta = await leaver.start("beta")
    print("ok sessions active")

    with open(os.path.join(folder, "storyteller.yaml"), "w") as file:
        file.write(personality("storyteller", "Gather round, friends.", STORY, 50))
    os.remove(os.path.join(folder, "beta.yaml"))
    with open(os.path.join(folder, "gamma.yaml"), "w") as file:
        file.write(personality("gamma", "Hi from gamma.", "gamma here", 0))
    status, body = admin(admin_url, token, "POST", "/admin/reload")
    assert status == 200 and body["result"] == "applied", body
    diff = body["diff"]
    assert [a["id"] for a in diff["added"]] == ["gamma"], diff
    assert [r["id"] for r in diff["removed"]] == ["beta"], diff
    assert [c["id"] for c in diff["changed"]] == ["storyteller"], diff
    new_version = diff["changed"][0]["new_version"]
    assert diff["changed"][0]["old_version"] == old_version, (diff, old_version)
    print("ok reload applied mid-reply")

    rest = await teller.until("reply_end", session=session)
    tokens = first_tokens + [f["delta"] for f in rest if f["type"] == "token"]
    end = rest[-1]
    assert end["finish"] == "stop", end
    assert "".join(tokens) == STORY, "".join(tokens)
    assert end["tokens"] == len(tokens), (end, len(tokens))
    print("ok streaming reply finished whole on the old version")

    ended = await leaver.until("session_ended", session=beta["session"])
    assert ended[-1]["reason"] == "personality_removed", ended[-1]
    print("ok removed personality's session ended with a reason")

    newcomer = await Client.open(ws_url)
    fresh = await newcomer.start("storyteller")
    assert fresh["personality"]["version"] == new_version, (fresh, new_version)
    assert fresh["greeting"] == "Gather round, friends.", fresh
    gamma = await newcomer.start("gamma")
    assert gamma["personality"]["id"] == "gamma", gamma
    print("ok new sessions use the new version")

    await teller.send(type="message", session=session, text="short", id="m2")
    await teller.until("reply_end", session=session)
    status, body = admin(admin_url, token, "GET", "/admin/sessions")
    assert status == 200, body
    mine = next(s for s in body["sessions"] if s["id"] == session)
    assert mine["version"] == new_version, (mine, new_version)
    print("ok the old session moved to the new version after its reply")

    for client in (teller, leaver, newcomer):
        await client.ws.close()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
