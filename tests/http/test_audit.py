"""The audit log through the API: every kind of action is recorded with its
actor, time and the request id the client saw; filters and pages work."""
import time
import unittest

import harness
from harness import SHIPMENT, Workdir, Server, bearer_client, audit_entries


class AuditTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = Workdir()
        cls.work.add_user("root", "admin")
        cls.work.add_user("olga", "officer")
        cls.server = Server(cls.work)
        cls.admin = cls.server.client()
        cls.admin.sign_in("root")

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        cls.work.cleanup()
        assert rc == 0, rc

    def find(self, action, request_id):
        for e in audit_entries(self.admin, action=action, limit=500):
            if e["request_id"] == request_id:
                return e
        self.fail("no %s entry for request %s" % (action, request_id))

    def test_every_action_is_recorded(self):
        t0 = int(time.time()) - 1
        olga = self.server.client()
        steps = []  # (action, response, actor)
        r = olga.post("/api/v1/session", {"username": "olga", "password": "wrong password!!"})
        steps.append(("session.fail", r, "anonymous"))
        r = olga.sign_in("olga")
        steps.append(("session.create", r, "olga"))
        r = olga.post("/api/v1/tokens", {"label": "audit"})
        steps.append(("token.create", r, "olga"))
        tid = r.json["id"]
        bot = bearer_client(self.server, r.json["token"])
        r = bot.post("/api/v1/determine", {"regime": "jp", "items": ["3C002"],
                                           "destination": "KR", "date": "2019-09-01"})
        steps.append(("determine", r, "olga"))
        r = bot.post("/api/v1/screen", {"name": "Acme Rockets"})
        steps.append(("screen", r, "olga"))
        r = bot.post("/api/v1/checks", SHIPMENT)
        steps.append(("check.create", r, "olga"))
        cid = r.json["id"]
        r = olga.request("DELETE", "/api/v1/tokens/%d" % tid)
        steps.append(("token.revoke", r, "olga"))
        r = self.admin.post("/api/v1/users", {"name": "newbie", "email": "newbie@example.com",
                                              "role": "viewer", "password": harness.PASSWORD})
        steps.append(("user.create", r, "root"))
        uid = r.json["id"]
        r = self.admin.request("PATCH", "/api/v1/users/%d" % uid, {"disabled": True})
        steps.append(("user.update", r, "root"))
        r = self.server.client().post("/api/v1/password-reset", {"email": "olga@example.com"})
        steps.append(("password_reset.request", r, "anonymous"))
        r = olga.request("DELETE", "/api/v1/session")
        steps.append(("session.delete", r, "olga"))

        for action, resp, actor in steps:
            with self.subTest(action=action):
                self.assertLess(resp.status, 402 if action == "session.fail" else 300, resp)
                rid = resp.header("X-Request-Id")
                self.assertRegex(rid, "^[0-9a-f]{32}$")
                if action == "password_reset.request":
                    # Written by the mail job, a moment after the answer.
                    for _ in range(100):
                        got = [e for e in audit_entries(self.admin, action=action)
                               if e["request_id"] == rid]
                        if got:
                            break
                        time.sleep(0.05)
                e = self.find(action, rid)
                self.assertEqual(e["actor"], actor)
                at = time.mktime(time.strptime(e["at"], "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
                self.assertTrue(t0 <= at <= time.time() + 1, e)
                self.assertRegex(e["hash"], "^[0-9a-f]{64}$")
        check = self.find("check.create", steps[5][1].header("X-Request-Id"))
        self.assertEqual(check["subject"], "check:%d" % cid)
        self.assertEqual(check["detail"]["verdict"], "licence_required")
        self.assertEqual(check["detail"]["via"], "token:%d" % tid)
        screen = self.find("screen", steps[4][1].header("X-Request-Id"))
        self.assertEqual(screen["detail"]["matches"], 1)
        update = self.find("user.update", steps[8][1].header("X-Request-Id"))
        self.assertEqual(update["detail"]["disabled"], True)

    def test_filters_and_pages(self):
        for _ in range(3):
            self.admin.get("/api/v1/me")
            self.admin.post("/api/v1/determine", {"regime": "jp", "items": ["none"],
                                                  "destination": "KR"})
        only = audit_entries(self.admin, action="determine")
        self.assertTrue(only)
        self.assertTrue(all(e["action"] == "determine" for e in only))
        mine = audit_entries(self.admin, actor="root")
        self.assertTrue(mine and all(e["actor"] == "root" for e in mine))
        self.assertEqual(audit_entries(self.admin, since="2999-01-01"), [])
        self.assertTrue(audit_entries(self.admin, since="2000-01-01T00:00:00Z"))
        seen, before = [], None
        for _ in range(100):
            q = {"limit": 3}
            if before:
                q["before"] = before
            r = self.admin.get("/api/v1/audit?" + "&".join("%s=%s" % kv for kv in q.items()))
            seen += [e["seq"] for e in r.json["entries"]]
            before = r.json["next_before"]
            if before is None:
                break
        self.assertEqual(seen, list(range(max(seen), 0, -1)))
        # The chain links each entry to the one before it.
        entries = audit_entries(self.admin, limit=50)
        for newer, older in zip(entries, entries[1:]):
            self.assertEqual(newer["prev_hash"], older["hash"])


if __name__ == "__main__":
    harness.main()
