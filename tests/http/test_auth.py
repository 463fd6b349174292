"""Sign-in, cookies, remember me, idle expiry, CSRF, bearer tokens,
throttling and disabled users, against a live server."""
import subprocess
import time
import unittest

import harness
from harness import Workdir, Server, bearer_client

IDLE = 2       # --session-idle for the expiry tests
REMEMBER = 5   # --remember-age for the expiry tests


def cookie_attrs(set_cookie):
    parts = [p.strip() for p in set_cookie.split(";")]
    attrs = {}
    for p in parts[1:]:
        k, _, v = p.partition("=")
        attrs[k.lower()] = v
    return parts[0], attrs


class SessionTest(unittest.TestCase):
    """Default timeouts: cookies, CSRF, sign-out, tokens, disabled users."""

    @classmethod
    def setUpClass(cls):
        cls.work = Workdir()
        for name, role in (("alice", "officer"), ("bob", "viewer"), ("root", "admin"),
                           ("carol", "viewer"), ("erin", "officer")):
            cls.work.add_user(name, role)
        cls.server = Server(cls.work)

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        cls.work.cleanup()
        assert rc == 0, rc

    def test_browser_session_cookie(self):
        c = self.server.client()
        r = c.sign_in("alice", remember=False)
        first, attrs = cookie_attrs(r.header("Set-Cookie"))
        self.assertTrue(first.startswith("ectl_session="))
        self.assertEqual(len(first.split("=", 1)[1]), 43)
        self.assertIn("httponly", attrs)
        self.assertEqual(attrs.get("samesite"), "Lax")
        self.assertEqual(attrs.get("path"), "/")
        self.assertNotIn("max-age", attrs)
        self.assertNotIn("expires", attrs)
        self.assertNotIn("secure", attrs)
        self.assertEqual(r.json["user"]["name"], "alice")
        self.assertEqual(r.json["user"]["role"], "officer")
        self.assertNotIn("password_hash", r.json["user"])
        self.assertFalse(r.json["session"]["persistent"])
        self.assertEqual(r.json["session"]["idle_timeout"], 12 * 3600)
        me = c.get("/api/v1/me")
        self.assertEqual(me.status, 200)
        self.assertEqual(me.json["csrf_token"], r.json["csrf_token"])
        self.assertEqual(me.json["auth"], "session")

    def test_remember_me_cookie_lasts_30_days(self):
        c = self.server.client()
        r = c.sign_in("alice", remember=True)
        _, attrs = cookie_attrs(r.header("Set-Cookie"))
        self.assertEqual(attrs.get("max-age"), str(30 * 86400))
        self.assertIn("httponly", attrs)
        self.assertEqual(attrs.get("samesite"), "Lax")
        self.assertTrue(r.json["session"]["persistent"])

    def test_secure_cookie_behind_tls_proxy(self):
        c = self.server.client()
        r = c.post("/api/v1/session", {"username": "alice", "password": harness.PASSWORD},
                   headers={"X-Forwarded-Proto": "https"})
        self.assertEqual(r.status, 201)
        _, attrs = cookie_attrs(r.header("Set-Cookie"))
        self.assertIn("secure", attrs)

    def test_wrong_password_and_unknown_user_look_the_same(self):
        c = self.server.client()
        a = c.post("/api/v1/session", {"username": "alice", "password": "wrong password!!"})
        b = c.post("/api/v1/session", {"username": "nobody", "password": "wrong password!!"})
        self.assertEqual((a.status, b.status), (401, 401))
        self.assertEqual(a.json, b.json)
        self.assertEqual(a.code, "invalid_credentials")
        self.assertIsNone(a.header("Set-Cookie"))

    def test_csrf_required_for_cookie_writes(self):
        c = self.server.client()
        c.sign_in("alice")
        good = c.csrf
        c.csrf = None
        r = c.post("/api/v1/tokens", {"label": "no csrf"})
        self.assertEqual((r.status, r.code), (403, "csrf_missing"))
        c.csrf = "0" * 64
        r = c.post("/api/v1/tokens", {"label": "wrong csrf"})
        self.assertEqual((r.status, r.code), (403, "csrf_invalid"))
        c.csrf = good[:-1]
        r = c.post("/api/v1/tokens", {"label": "short csrf"})
        self.assertEqual((r.status, r.code), (403, "csrf_invalid"))
        # Another session's token is wrong for this one.
        other = self.server.client()
        other.sign_in("alice")
        c.csrf = other.csrf
        r = c.post("/api/v1/checks", harness.SHIPMENT)
        self.assertEqual((r.status, r.code), (403, "csrf_invalid"))
        r = c.request("DELETE", "/api/v1/session")
        self.assertEqual((r.status, r.code), (403, "csrf_invalid"))
        # Nothing was made by the refused requests.
        c.csrf = good
        labels = [t["label"] for t in c.get("/api/v1/tokens").json["tokens"]]
        self.assertFalse({"no csrf", "wrong csrf", "short csrf"} & set(labels))
        # Reads need no token; writes with the right one go through.
        c.csrf = None
        self.assertEqual(c.get("/api/v1/me").status, 200)
        c.csrf = good
        self.assertEqual(c.post("/api/v1/tokens", {"label": "with csrf"}).status, 201)

    def test_sign_out_ends_the_session(self):
        c = self.server.client()
        c.sign_in("bob")
        old = c.cookie
        r = c.request("DELETE", "/api/v1/session")
        self.assertEqual(r.status, 204)
        name, attrs = cookie_attrs(c.set_cookie)
        self.assertEqual(name, "ectl_session=")
        self.assertEqual(attrs.get("max-age"), "0")
        c.cookie = old
        r = c.get("/api/v1/me")
        self.assertEqual(r.status, 401)
        self.assertEqual(r.code, "session_expired")

    def test_garbage_cookie_is_401(self):
        c = self.server.client()
        c.cookie = "not-a-token"
        r = c.get("/api/v1/me")
        self.assertEqual(r.status, 401)
        c.cookie = "A" * 43
        self.assertEqual(c.get("/api/v1/me").status, 401)

    def test_bearer_token_life_cycle(self):
        c = self.server.client()
        c.sign_in("bob")
        r = c.post("/api/v1/tokens", {"label": "ci"})
        self.assertEqual(r.status, 201)
        self.assertEqual(r.json["user"], "bob")
        tok, tid = r.json["token"], r.json["id"]
        m = bearer_client(self.server, tok)
        me = m.get("/api/v1/me")
        self.assertEqual(me.status, 200)
        self.assertEqual(me.json["auth"], "token")
        self.assertIsNone(me.json["csrf_token"])
        # A bearer write needs no CSRF token.
        self.assertEqual(m.post("/api/v1/determine", {"regime": "jp", "items": ["3C002"],
                                                      "destination": "KR"}).status, 200)
        # The token's role is its user's.
        self.assertEqual(m.post("/api/v1/checks", harness.SHIPMENT).status, 403)
        listed = c.get("/api/v1/tokens").json["tokens"]
        self.assertIn(tid, [t["id"] for t in listed])
        self.assertEqual(c.request("DELETE", "/api/v1/tokens/%d" % tid).status, 204)
        r = m.get("/api/v1/me")
        self.assertEqual((r.status, r.code), (401, "invalid_token"))
        self.assertEqual(c.request("DELETE", "/api/v1/tokens/%d" % tid).status, 404)
        r = bearer_client(self.server, "x" * 43).get("/api/v1/me")
        self.assertEqual(r.status, 401)
        r = c.get("/api/v1/me", headers={"Authorization": "Basic Ym9iOmJvYg=="})
        self.assertEqual(r.status, 401)

    def test_disabled_user_is_shut_out(self):
        admin = self.server.client()
        admin.sign_in("root")
        c = self.server.client()
        c.sign_in("carol")
        tok = c.make_token()
        uid = c.get("/api/v1/me").json["user"]["id"]
        r = admin.request("PATCH", "/api/v1/users/%d" % uid, {"disabled": True})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json["disabled"])
        self.assertEqual(c.get("/api/v1/me").status, 401)
        self.assertEqual(bearer_client(self.server, tok).get("/api/v1/me").status, 401)
        self.server.client().sign_in("carol", expect=401)
        r = admin.request("PATCH", "/api/v1/users/%d" % uid, {"disabled": False})
        self.assertEqual(r.status, 200)
        self.server.client().sign_in("carol")
        me = admin.get("/api/v1/me").json["user"]["id"]
        r = admin.request("PATCH", "/api/v1/users/%d" % me, {"disabled": True})
        self.assertEqual(r.status, 409)

    def test_role_change_applies_at_once(self):
        admin = self.server.client()
        admin.sign_in("root")
        c = self.server.client()
        c.sign_in("erin")
        tok = c.make_token()
        uid = c.get("/api/v1/me").json["user"]["id"]
        bearer = bearer_client(self.server, tok)
        self.assertEqual(bearer.get("/api/v1/users").status, 403)
        r = admin.request("PATCH", "/api/v1/users/%d" % uid, {"role": "admin"})
        self.assertEqual((r.status, r.json["role"]), (200, "admin"), r)
        # The same session and the same token, the new role: no sign-in again.
        self.assertEqual(c.get("/api/v1/me").json["user"]["role"], "admin")
        self.assertEqual(bearer.get("/api/v1/users").status, 200)
        r = admin.request("PATCH", "/api/v1/users/%d" % uid, {"role": "viewer"})
        self.assertEqual((r.status, r.json["role"]), (200, "viewer"))
        self.assertEqual(bearer.get("/api/v1/users").status, 403)
        self.assertEqual(c.get("/api/v1/checks").status, 200)
        r = admin.request("PATCH", "/api/v1/users/%d" % uid, {"role": "owner"})
        self.assertEqual((r.status, r.code), (400, "invalid_request"))
        self.assertEqual(c.get("/api/v1/me").json["user"]["role"], "viewer")
        # The last admin cannot lock everyone out by demoting themselves.
        me = admin.get("/api/v1/me").json["user"]["id"]
        r = admin.request("PATCH", "/api/v1/users/%d" % me, {"role": "officer"})
        self.assertEqual((r.status, r.code), (409, "conflict"))
        self.assertEqual(admin.get("/api/v1/me").json["user"]["role"], "admin")
        r = admin.request("PATCH", "/api/v1/users/%d" % me, {"role": "admin"})
        self.assertEqual(r.status, 200)


class ExpiryTest(unittest.TestCase):
    """Short timeouts (hidden options) so the tests need not wait 12 hours."""

    @classmethod
    def setUpClass(cls):
        cls.work = Workdir()
        cls.work.add_user("dave", "viewer")
        cls.server = Server(cls.work, "--session-idle", str(IDLE),
                            "--remember-age", str(REMEMBER))

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        cls.work.cleanup()
        assert rc == 0, rc

    def test_idle_browser_session_expires_and_use_keeps_it(self):
        idle = self.server.client()
        idle.sign_in("dave")
        busy = self.server.client()
        busy.sign_in("dave")
        remembered = self.server.client()
        r = remembered.sign_in("dave", remember=True)
        _, attrs = cookie_attrs(r.header("Set-Cookie"))
        self.assertEqual(attrs.get("max-age"), str(REMEMBER))
        for _ in range(3):
            time.sleep(IDLE * 0.6)
            self.assertEqual(busy.get("/api/v1/me").status, 200)
        r = idle.get("/api/v1/me")
        self.assertEqual((r.status, r.code), (401, "session_expired"))
        self.assertIn("Max-Age=0", r.header("Set-Cookie"))
        # A remembered session has no idle timeout ...
        self.assertEqual(remembered.get("/api/v1/me").status, 200)
        # ... but ends at its absolute expiry.
        time.sleep(REMEMBER - IDLE * 1.8 + 1.2)
        self.assertEqual(remembered.get("/api/v1/me").status, 401)
        self.assertEqual(busy.get("/api/v1/me").status, 401)


class ThrottleTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = Workdir()
        for name in ("erin", "frank", "grace"):
            cls.work.add_user(name, "viewer")
        cls.server = Server(cls.work, "--throttle-user", "3", "--throttle-addr", "6",
                            "--throttle-window", "60")

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        cls.work.cleanup()
        assert rc == 0, rc

    def test_per_account_then_per_address(self):
        c = self.server.client()
        for _ in range(3):
            c.sign_in("erin", password="wrong password!!", expect=401)
        # Even the right password is refused now, with a time to wait.
        r = c.sign_in("erin", expect=429)
        self.assertEqual(r.code, "too_many_requests")
        wait = int(r.header("Retry-After"))
        self.assertTrue(0 < wait <= 60, wait)
        self.assertIsNone(r.header("Set-Cookie"))
        # Another account from the same address still signs in.
        self.server.client().sign_in("frank")
        # Unknown accounts count too, per address: 3 + 3 failures reach 6.
        for name in ("ghost1", "ghost2", "ghost3"):
            c.sign_in(name, password="wrong password!!", expect=401)
        r = c.sign_in("grace", expect=429)
        self.assertTrue(int(r.header("Retry-After")) > 0)
        # The server trusts no proxy: a forged X-Forwarded-For changes nothing.
        r = c.post("/api/v1/session", {"username": "grace", "password": harness.PASSWORD},
                   headers={"X-Forwarded-For": "203.0.113.9"})
        self.assertEqual(r.status, 429)
        # The server is still serving everything else.
        self.assertEqual(c.get("/api/v1/health").status, 200)


class TrustedProxyTest(unittest.TestCase):
    """--trusted-proxy 127.0.0.1: the tests play the proxy, X-Forwarded-For names the client."""

    @classmethod
    def setUpClass(cls):
        cls.work = Workdir()
        for name, role in (("henry", "viewer"), ("iris", "admin")):
            cls.work.add_user(name, role)
        cls.server = Server(cls.work, "--throttle-user", "100", "--throttle-addr", "3",
                            "--throttle-window", "60", "--trusted-proxy", "10.9.9.9,127.0.0.1")

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        cls.work.cleanup()
        assert rc == 0, rc

    def sign_in(self, xff, password=harness.PASSWORD, username="henry"):
        return self.server.client().post(
            "/api/v1/session", {"username": username, "password": password},
            headers={"X-Forwarded-For": xff})

    def test_throttle_and_audit_per_forwarded_client(self):
        for name in ("ghost1", "ghost2", "ghost3"):
            self.assertEqual(self.sign_in("203.0.113.5", "wrong password!!", name).status, 401)
        self.assertEqual(self.sign_in("203.0.113.5").status, 429)
        # The other clients behind the same proxy are not held up by that one.
        self.assertEqual(self.sign_in("203.0.113.6").status, 201)
        # What a client wrote left of the proxy's entry is not believed...
        self.assertEqual(self.sign_in("203.0.113.6, 203.0.113.5").status, 429)
        self.assertEqual(self.sign_in("203.0.113.5, 203.0.113.6").status, 201)
        # ...nor are further trusted proxies at the right end, which are skipped.
        self.assertEqual(self.sign_in("203.0.113.5, 10.9.9.9").status, 429)
        # Garbage where the client's address should be: the proxy's own address.
        self.assertEqual(self.sign_in("not-an-address").status, 201)
        # IPv6 clients are written the canonical way.
        self.assertEqual(self.sign_in("2001:DB8:0:0::1").status, 201)
        admin = self.server.client()
        admin.sign_in("iris")
        addrs = {(e["action"], e["detail"].get("addr"))
                 for e in harness.audit_entries(admin, limit=100)}
        self.assertIn(("session.fail", "203.0.113.5"), addrs)
        self.assertIn(("session.throttled", "203.0.113.5"), addrs)
        self.assertIn(("session.create", "203.0.113.6"), addrs)
        self.assertIn(("session.create", "127.0.0.1"), addrs)
        self.assertIn(("session.create", "2001:db8::1"), addrs)

    def test_bad_proxy_list_is_refused(self):
        p = subprocess.run([harness.EXPORTCTL, "serve", "--listen", "127.0.0.1:0",
                            "--trusted-proxy", "10.0.0.0/8", "--db", self.work.db],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 64)
        self.assertIn("'10.0.0.0/8' is not an IPv4 or IPv6 address", p.stderr)


if __name__ == "__main__":
    harness.main()
