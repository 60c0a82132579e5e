"""A `process` engine plugin that misbehaves on request, for the live tests.

The first word of each message picks the behaviour:
  crash        exit(3) before answering          crash-late   one token, then exit(3)
  hang         never answer                       garbage      print a line that is not JSON
  long         one token line of 4,000 bytes      wrongid      a token for another request
  error        an `error` line                    decline      a `decline` line
  slow N       N tokens of 64 bytes, 0.1 s apart; stops early on a `cancel` line (logged to
               stderr). Long tokens, so the server's outbound PII hold-back (128 bytes)
               releases each one promptly.
  pid          sleep 0.2 s, then answer with this process's id
  log          write a marker to stderr, then answer
anything else: "ok <pid>".
"""

import json
import os
import select
import sys
import time


def send(**line):
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()


def cancelled(request_id, wait):
    """Waits up to `wait` seconds for a cancel line for `request_id` on stdin."""
    ready, _, _ = select.select([sys.stdin], [], [], wait)
    if not ready:
        return False
    line = sys.stdin.readline()
    if not line:
        sys.exit(0)
    message = json.loads(line)
    return message.get("type") == "cancel" and message.get("id") == request_id


def main():
    pid = os.getpid()
    while True:
        raw = sys.stdin.readline()
        if not raw:
            return
        request = json.loads(raw)
        if request.get("type") != "message":
            continue
        rid = request["id"]
        words = request["text"].split()
        word = words[0] if words else ""
        if word == "crash":
            sys.exit(3)
        if word == "crash-late":
            send(type="token", id=rid, text="partial ")
            time.sleep(0.05)
            sys.exit(3)
        if word == "hang":
            time.sleep(3600)
        if word == "garbage":
            print("this is not json", flush=True)
            continue
        if word == "long":
            send(type="token", id=rid, text="x" * 4000)
            send(type="end", id=rid)
            continue
        if word == "wrongid":
            send(type="token", id=rid + 1000, text="stray")
            continue
        if word == "error":
            send(type="error", id=rid, message="the plugin refuses")
            continue
        if word == "decline":
            send(type="decline", id=rid)
            continue
        if word == "slow":
            count = int(words[1]) if len(words) > 1 else 20
            for index in range(count):
                send(type="token", id=rid, text=(f"t{index} " + "word " * 13)[:64])
                if cancelled(rid, 0.1):
                    print(f"cancel received for {rid} after {index + 1} tokens", file=sys.stderr, flush=True)
                    break
            send(type="end", id=rid)
            continue
        if word == "pid":
            time.sleep(0.2)
            send(type="token", id=rid, text=str(pid))
            send(type="end", id=rid)
            continue
        if word == "log":
            print("plugin-stderr-marker", file=sys.stderr, flush=True)
        send(type="token", id=rid, text=f"ok {pid}")
        send(type="end", id=rid)


if __name__ == "__main__":
    main()
