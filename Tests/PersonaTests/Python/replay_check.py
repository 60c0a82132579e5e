"""Resume from seq 0 and check the replay against what was acknowledged.

Shared by the tests that kill a server (durability.py) or a node (redis_nodes.py) and then
make sure no acknowledged message was lost or repeated.
"""

import asyncio
import json


class Running:
    """Counts the clients that are running (started, or resumed and checked), so that a test
    kills a server or a node only once every client is past its start or resume: a kill that
    falls mid-resume would fail the resume, not the property under test."""

    def __init__(self, total):
        self.total = total
        self.count = 0
        self.everyone = asyncio.Event()

    def mark(self):
        self.count += 1
        if self.count == self.total:
            self.everyone.set()

    async def wait(self, tasks, seconds, what):
        """Returns once every client is running; a client task that fails first raises its
        failure here, and `seconds` without everyone running is an AssertionError."""
        waiter = asyncio.create_task(self.everyone.wait())
        pending = {waiter, *tasks}
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        try:
            while not self.everyone.is_set():
                left = deadline - loop.time()
                if left <= 0:
                    raise AssertionError(f"{what}: only {self.count} of {self.total} clients running after {seconds} s")
                done, pending = await asyncio.wait(pending, timeout=left, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    task.result()
        finally:
            waiter.cancel()


async def resume_from_zero(ws, number, session, token):
    """Resumes `session` from seq 0 on `ws`; returns the replayed user-message ids, in seq order."""
    await ws.send(json.dumps({"type": "resume", "session": session, "resume_token": token, "last_seq": 0}))
    replayed, seqs, last = [], [], None
    while True:
        frame = json.loads(await ws.recv())
        kind = frame["type"]
        if kind == "session_resumed":
            last = frame["last_seq"]
            if last == 0:
                break
        elif kind == "error":
            raise AssertionError(f"client {number}: resume refused: {frame}")
        elif kind == "ack":
            replayed.append(frame["id"])
            seqs.append(frame["seq"])
        elif kind == "reply_end":
            seqs.append(frame["seq"])
        if last is not None and seqs and seqs[-1] >= last:
            break
    if seqs != sorted(set(seqs)):
        raise AssertionError(f"client {number}: replayed seqs out of order or repeated: {seqs}")
    return replayed


def verify(client, replayed):
    """Every id in `client.acked` is in `replayed`, once and in order; then `client.acked`
    becomes the replay (messages stored but never acknowledged — in flight at a kill — may be
    replayed and join the record)."""
    if len(replayed) != len(set(replayed)):
        raise AssertionError(f"client {client.number}: a message was replayed twice: {replayed}")
    acked = set(client.acked)
    in_replay = [m for m in replayed if m in acked]
    if in_replay != client.acked:
        missing = [m for m in client.acked if m not in set(replayed)]
        raise AssertionError(f"client {client.number}: acknowledged {len(client.acked)}, "
                             f"replayed {len(in_replay)} of them; missing {missing[:5]}")
    client.acked = list(replayed)
