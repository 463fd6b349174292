"""Many clients at once: determinations from several threads, mixed with
shipment checks (appended in their own transaction) and token requests
(which wait for the audit writer), then the chain.  Every 200 answer has
exactly one audit entry, the number of entries is the number of audited
answers, and `exportctl audit verify` finds the chain intact -- also when
the server is stopped with SIGTERM in the middle of the stream."""
import http.client
import json
import sqlite3
import threading
import time
import unittest
import urllib.parse

import harness
from harness import SHIPMENT, Workdir, Server, run_cli

THREADS = 8
REQUESTS_EACH = 150   # per determine thread
MAX_SECONDS = 60      # every loop stops by itself at the latest then
QUESTION = {"regime": "jp", "items": ["3C002"], "destination": "KR", "date": "2019-09-01"}


class Hammer:
    """Clients on keep-alive connections, each counting its answers by
    request id."""

    def __init__(self, server, token):
        self.url = urllib.parse.urlsplit(server.base)
        self.token = token
        self.lock = threading.Lock()
        self.ok = {}          # action -> [request id of each 2xx answer]
        self.failures = []    # unexpected answers (not 2xx, not a dropped connection)
        self.stop = threading.Event()

    def post(self, conn, path, body):
        conn.request("POST", path, body=json.dumps(body),
                     headers={"Content-Type": "application/json",
                              "Authorization": "Bearer " + self.token})
        r = conn.getresponse()
        data = r.read()
        return r.status, r.getheader("X-Request-Id"), data

    def loop(self, action, path, body, count, expect):
        conn = http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=30)
        deadline = time.monotonic() + MAX_SECONDS
        try:
            for _ in range(count):
                if self.stop.is_set() or time.monotonic() > deadline:
                    return
                try:
                    status, rid, data = self.post(conn, path, body)
                except (OSError, http.client.HTTPException):
                    return  # the server went away: an unanswered request does not count
                with self.lock:
                    if status == expect:
                        self.ok.setdefault(action, []).append(rid)
                    else:
                        self.failures.append((action, status, data[:300]))
        finally:
            conn.close()

    def threads(self, determine=THREADS, checks=1, tokens=1):
        ts = [threading.Thread(target=self.loop, args=("determine", "/api/v1/determine",
                                                       QUESTION, REQUESTS_EACH, 200))
              for _ in range(determine)]
        ts += [threading.Thread(target=self.loop, args=("check.create", "/api/v1/checks",
                                                        SHIPMENT, REQUESTS_EACH // 5, 201))
               for _ in range(checks)]
        ts += [threading.Thread(target=self.loop, args=("token.create", "/api/v1/tokens",
                                                        {"label": "hammer"}, REQUESTS_EACH // 10,
                                                        201))
               for _ in range(tokens)]
        for t in ts:
            t.start()
        return ts


def entries_by_request(db):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        rows = con.execute("SELECT action, request_id FROM audit_log").fetchall()
    finally:
        con.close()
    return rows


class ConcurrencyTest(unittest.TestCase):
    def setUp(self):
        self.work = Workdir()
        self.work.add_user("olga", "officer")

    def tearDown(self):
        self.work.cleanup()

    def start(self):
        """A server, and a token of olga's; the number of entries so far."""
        server = Server(self.work)
        c = server.client()
        c.sign_in("olga")
        token = c.make_token()
        return server, token, len(entries_by_request(self.work.db))

    def check_log(self, hammer, before, stopped=False):
        """Every 2xx answer has exactly one entry with its request id.  A
        determination in flight when the server stopped may have been
        recorded without being answered (never the other way round): at
        most one per connection."""
        rows = entries_by_request(self.work.db)
        counts = {}
        for action, rid in rows:
            counts[(action, rid)] = counts.get((action, rid), 0) + 1
        answered = 0
        for action, rids in hammer.ok.items():
            for rid in rids:
                self.assertEqual(counts.get((action, rid)), 1, (action, rid))
            answered += len(rids)
        determined = sum(1 for action, _ in rows if action == "determine")
        answered_determine = len(hammer.ok.get("determine", []))
        if stopped:
            self.assertGreaterEqual(determined, answered_determine)
            self.assertLessEqual(determined, answered_determine + THREADS)
        else:
            self.assertEqual(determined, answered_determine)
            self.assertEqual(len(rows), before + answered)
        p = run_cli("audit", "verify", "--db", self.work.db)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("audit log intact: %d entries" % len(rows), p.stdout)
        return len(rows)

    def test_every_answer_has_its_entry_and_the_chain_holds(self):
        server, token, before = self.start()
        hammer = Hammer(server, token)
        try:
            for t in hammer.threads():
                t.join(MAX_SECONDS + 30)
        finally:
            rc = server.stop()
        self.assertEqual(rc, 0)
        self.assertEqual(hammer.failures, [])
        self.assertEqual(len(hammer.ok["determine"]), THREADS * REQUESTS_EACH)
        self.check_log(hammer, before)

    def test_sigterm_under_load_answers_or_records(self):
        server, token, before = self.start()
        hammer = Hammer(server, token)
        threads = hammer.threads(checks=0, tokens=0)
        deadline = time.monotonic() + MAX_SECONDS
        while time.monotonic() < deadline:
            with hammer.lock:
                if len(hammer.ok.get("determine", [])) >= THREADS * 20:
                    break
            time.sleep(0.01)
        # Stopped with requests in flight on every connection: it must exit
        # 0, and whatever it answered 200 must be on record.
        rc = server.stop()
        hammer.stop.set()
        for t in threads:
            t.join(60)
        self.assertEqual(rc, 0)
        self.assertEqual(hammer.failures, [])
        self.check_log(hammer, before, stopped=True)


if __name__ == "__main__":
    harness.main()
