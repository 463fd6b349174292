"""SIGKILL in the middle of a stream of checks: every check the server
acknowledged (201) is there after a restart, with its audit entry, and
`exportctl audit verify` finds the hash chain intact."""
import threading
import time
import unittest

import harness
from harness import SHIPMENT, Workdir, Server, bearer_client, audit_entries, run_cli

WRITERS = 4
MAX_SECONDS = 20     # the stream stops by itself at the latest then
KILL_AFTER_ACKS = 40


class CrashTest(unittest.TestCase):
    def test_acknowledged_checks_survive_sigkill(self):
        work = Workdir()
        try:
            self.run_crash(work)
        finally:
            work.cleanup()

    def run_crash(self, work):
        work.add_user("olga", "officer")
        work.add_user("root", "admin")
        server = Server(work)
        c = server.client()
        c.sign_in("olga")
        token = c.make_token()

        acked = {}  # id -> verdict
        lock = threading.Lock()
        stop = threading.Event()
        errors = []

        def writer():
            client = bearer_client(server, token)
            deadline = time.monotonic() + MAX_SECONDS
            while not stop.is_set() and time.monotonic() < deadline:
                try:
                    r = client.post("/api/v1/checks", SHIPMENT)
                except OSError:
                    return  # the server is gone: what was not acknowledged does not count
                if r.status == 201:
                    with lock:
                        acked[r.json["id"]] = r.json["verdict"]
                elif not stop.is_set():
                    errors.append(repr(r))
                    return

        threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + MAX_SECONDS
        while time.monotonic() < deadline:
            with lock:
                if len(acked) >= KILL_AFTER_ACKS:
                    break
            time.sleep(0.01)
        # Requests are in flight on every writer when the server dies.
        server.kill()
        stop.set()
        for t in threads:
            t.join(30)
        self.assertEqual(errors, [])
        self.assertGreaterEqual(len(acked), KILL_AFTER_ACKS)

        again = Server(work)
        try:
            admin = again.client()
            admin.sign_in("root")
            reader = bearer_client(again, token)
            for cid, verdict in sorted(acked.items()):
                r = reader.get("/api/v1/checks/%d" % cid)
                self.assertEqual(r.status, 200, (cid, r))
                self.assertEqual(r.json["verdict"], verdict)
            audited = {e["subject"] for e in audit_entries(admin, action="check.create",
                                                           limit=500)}
            for cid in acked:
                self.assertIn("check:%d" % cid, audited)
            # The server still takes new checks after the crash.
            self.assertEqual(reader.post("/api/v1/checks", SHIPMENT).status, 201)
        finally:
            self.assertEqual(again.stop(), 0)
        p = run_cli("audit", "verify", "--db", work.db)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)


if __name__ == "__main__":
    harness.main()
