"""Bad input: every refusal is a clear 4xx with a JSON error, nothing is
stored, and the server goes on serving."""
import copy
import json
import socket
import unittest

import harness
from harness import SHIPMENT, Workdir, Server, bearer_client, audit_entries

MAX_BODY = 65536  # --max-body


def shipment(**changes):
    s = copy.deepcopy(SHIPMENT)
    s.update(changes)
    return s


class InputTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = Workdir()
        cls.work.add_user("olga", "officer")
        cls.work.add_user("root", "admin")
        cls.server = Server(cls.work, "--max-body", str(MAX_BODY))
        c = cls.server.client()
        c.sign_in("olga")
        cls.officer = bearer_client(cls.server, c.make_token())
        a = cls.server.client()
        a.sign_in("root")
        cls.admin = a

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        cls.work.cleanup()
        assert rc == 0, rc

    def stored(self):
        checks = self.officer.get("/api/v1/checks?limit=100").json["checks"]
        audit = audit_entries(self.admin, action="check.")
        return len(checks), len(audit)

    def assertError(self, r, status, code=None, mentions=None):
        self.assertEqual(r.status, status, r)
        self.assertTrue(r.header("Content-Type").startswith("application/json"), r)
        self.assertIsInstance(r.json["error"]["message"], str)
        self.assertTrue(r.json["error"]["message"])
        if code:
            self.assertEqual(r.code, code, r)
        if mentions:
            self.assertIn(mentions, r.json["error"]["message"])

    def test_bad_checks_store_nothing(self):
        before = self.stored()
        bad_item = copy.deepcopy(SHIPMENT["items"][0])
        bad_item["colour"] = "red"
        cases = [
            ("malformed", dict(raw=b'{"regime": "jp",'), 400, "malformed_json", None),
            ("not json", dict(raw=b"regime=jp"), 400, "malformed_json", None),
            ("array", dict(raw=b"[]"), 400, "invalid_request", None),
            ("duplicate key", dict(raw=b'{"regime":"jp","regime":"kr"}'), 400, "malformed_json",
             None),
            ("invalid utf-8", dict(raw=b'{"regime":"\xff"}'), 400, "malformed_json", None),
            ("nul", dict(raw=b'{"regime":"j\\u0000p"}'), 400, "malformed_json", None),
            ("deep", dict(raw=b"[" * 5000 + b"]" * 5000), 400, "malformed_json", None),
            ("unknown field", dict(body=shipment(priority="high")), 400, "invalid_request",
             "priority"),
            ("unknown nested field", dict(body=shipment(items=[bad_item])), 400,
             "invalid_request", "items[0].colour"),
            ("wrong type bool", dict(body=shipment(end_use_concern="yes")), 400,
             "invalid_request", "end_use_concern"),
            ("wrong type items", dict(body=shipment(items="3C002")), 400, "invalid_request",
             "items"),
            ("wrong type quantity", dict(body=shipment(items=[dict(item="3C002", quantity="1")])),
             400, "invalid_request", "quantity"),
            ("negative value", dict(body=shipment(items=[dict(item="3C002", value=-1)])), 400,
             "invalid_request", "value"),
            ("missing destination", dict(body={k: v for k, v in SHIPMENT.items()
                                               if k != "destination"}), 400, "invalid_request",
             "destination"),
            ("no items", dict(body=shipment(items=[])), 400, "invalid_request", "items"),
            ("bad role", dict(body=shipment(parties=[dict(role="owner", name="X")])), 400,
             "invalid_request", "role"),
            ("bad date", dict(body=shipment(date="2019-02-30")), 400, "invalid_request", "date"),
            ("bad currency", dict(body=shipment(items=[dict(item="3C002", currency="yen")])), 400,
             "invalid_request", "currency"),
            ("unknown item", dict(body=shipment(items=[dict(item="9Z999")])), 422, "unknown_item",
             None),
            ("unknown country", dict(body=shipment(destination="QQ")), 422, "unknown_country",
             None),
            ("unknown regime", dict(body=shipment(regime="xx")), 422, "unknown_regime", None),
            ("text/plain", dict(body=SHIPMENT, content_type="text/plain"), 415,
             "unsupported_media_type", None),
            ("no content type", dict(body=SHIPMENT, content_type=None), 415,
             "unsupported_media_type", None),
            ("too large", dict(raw=json.dumps(shipment(items=[dict(item="3C002",
                                                                    description="x" * 900)] * 100))
                               .encode()), 413, "body_too_large", None),
        ]
        for name, kw, status, code, mentions in cases:
            with self.subTest(case=name):
                r = self.officer.request("POST", "/api/v1/checks", kw.get("body"),
                                         raw=kw.get("raw"),
                                         content_type=kw.get("content_type", "application/json"))
                self.assertError(r, status, code, mentions)
        self.assertEqual(self.stored(), before)
        self.assertEqual(self.server.client().get("/api/v1/health").status, 200)
        r = self.officer.post("/api/v1/checks", SHIPMENT)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.stored(), (before[0] + 1, before[1] + 1))

    def test_other_bodies(self):
        cases = [
            ("/api/v1/determine", {"regime": "jp", "items": [], "destination": "KR"}, "items"),
            ("/api/v1/determine", {"regime": "jp", "items": [3], "destination": "KR"},
             "items[0]"),
            ("/api/v1/determine", {"regime": "jp", "items": ["3C002"], "destination": "KOR"},
             "destination"),
            ("/api/v1/determine", {"regime": "jp", "items": ["3C002"], "destination": "KR",
                                   "date": "yesterday"}, "date"),
            ("/api/v1/screen", {"name": ""}, "name"),
            ("/api/v1/screen", {"name": "x", "threshold": 2}, "threshold"),
            ("/api/v1/screen", {"name": "x", "limit": 1.5}, "limit"),
            ("/api/v1/screen", {"name": "x", "limit": 1000}, "limit"),
            ("/api/v1/screen", {"name": "x", "type": "ship"}, "type"),
            ("/api/v1/tokens", {"label": "x", "scope": "all"}, "scope"),
            ("/api/v1/session", {"username": "olga"}, "password"),
            ("/api/v1/session", {"username": "olga", "password": "x", "remember": "yes"},
             "remember"),
        ]
        for path, body, mentions in cases:
            with self.subTest(path=path, body=body):
                c = self.server.client() if path == "/api/v1/session" else self.officer
                self.assertError(c.post(path, body), 400, "invalid_request", mentions)

    def test_body_where_none_is_taken(self):
        r = self.officer.request("GET", "/api/v1/checks", raw=b'{"x":1}')
        self.assertError(r, 400, "invalid_request")

    def test_query_parameters(self):
        for q, mentions in (("?limit=0", "limit"), ("?limit=abc", "limit"),
                            ("?limit=5&sort=id", "sort"), ("?before=-1", "before"),
                            # Not UTF-8, and cut inside a character: still a 400 naming it.
                            ("?%ff%fe=1", "unknown query parameter '??'"),
                            ("?" + "%C3%A9" * 40 + "x=1", "unknown query parameter")):
            with self.subTest(q=q):
                self.assertError(self.officer.get("/api/v1/checks" + q), 400, "invalid_request",
                                 mentions)
        self.assertError(self.admin.get("/api/v1/audit?since=last+week"), 400,
                         "invalid_request", "since")

    def test_bad_ids(self):
        for path in ("/api/v1/checks/0", "/api/v1/checks/abc", "/api/v1/checks/-1",
                     "/api/v1/checks/99999999999999999999999"):
            with self.subTest(path=path):
                self.assertError(self.officer.get(path), 404, "not_found")
        self.assertError(self.officer.get("/api/v1/checks/424242"), 404, "not_found")

    def test_raw_garbage_does_not_hurt(self):
        host, port = self.server.base[len("http://"):].rsplit(":", 1)
        for payload in (b"\x00\x01\x02garbage\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                        b"POST /api/v1/checks HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999"
                        b"\r\nContent-Type: application/json\r\n\r\n{",
                        b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n" + b"X-A: b\r\n" * 5000):
            with socket.create_connection((host, int(port)), timeout=10) as s:
                try:
                    s.sendall(payload)
                    s.shutdown(socket.SHUT_WR)
                    s.recv(65536)
                except OSError:
                    pass
        self.assertEqual(self.server.client().get("/api/v1/health").status, 200)


if __name__ == "__main__":
    harness.main()
