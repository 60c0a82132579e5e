#!/usr/bin/env python3
"""Polly the parrot: a sample engine for Persona's `process` engine, in plain Python.

Persona starts this program (see parrot.yaml) and keeps it running. It reads one JSON request
per line on stdin and answers each with `token` lines and one `end` line on stdout:

    <- {"type":"message","id":7,"session":"s-1","personality":"parrot","text":"hi",
        "vars":{},"history":[{"user":"...","reply":"..."}]}
    -> {"type":"token","id":7,"text":"Squawk! "}
    -> {"type":"end","id":7,"vars":{"name":"Ann"}}

`vars` in the `end` line become the session's variables, sent back with the next request, so
the program keeps no per-session state of its own. Anything written to stderr goes to
Persona's log. The program ends when stdin closes (Persona stopped or restarted it).
"""

import json
import sys


def answer(request):
    text = request["text"].strip()
    variables = dict(request.get("vars") or {})
    lowered = text.lower()
    if lowered.startswith("my name is "):
        variables["name"] = text[len("my name is "):].strip().rstrip(".!")
        reply = f"Squawk! Hello, {variables['name']}!"
    else:
        name = variables.get("name", "stranger")
        heard = len(request.get("history") or []) + 1
        reply = f"Squawk! {name} said: {text} (message {heard})"
    return reply, variables


def send(line):
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()


def main():
    print("parrot engine ready", file=sys.stderr, flush=True)
    for raw in sys.stdin:
        request = json.loads(raw)
        if request.get("type") != "message":
            continue  # a `cancel` for a reply already finished: nothing to stop
        reply, variables = answer(request)
        for word in reply.split(" "):
            send({"type": "token", "id": request["id"], "text": word + " "})
        send({"type": "end", "id": request["id"], "vars": variables})


if __name__ == "__main__":
    main()
