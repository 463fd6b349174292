"""Lost password, through a real SMTP server: the mail, the link, single
use, expiry, no account enumeration, sessions ended, the per-address cap."""
import re
import time
import unittest

import harness
from harness import Workdir, Server, SMTPSink, audit_entries

TTL = 3  # --reset-ttl
LINK = re.compile(r"http://exportctl\.test/reset\.html#token=([A-Za-z0-9_-]{43})")


class ResetTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.smtp = SMTPSink()
        cls.work = Workdir()
        for name in ("hana", "ivan", "jun", "kim"):
            cls.work.add_user(name, "viewer")
        cls.work.add_user("root", "admin")
        cls.server = Server(cls.work, "--smtp", cls.smtp.url, "--reset-ttl", str(TTL),
                            "--public-url", "http://exportctl.test/",
                            "--mail-from", "noreply@exportctl.test", "--reset-per-email", "3")

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        cls.smtp.stop()
        cls.work.cleanup()
        assert rc == 0, rc

    def request_reset(self, email):
        t = time.monotonic()
        r = self.server.client().post("/api/v1/password-reset", {"email": email})
        return r, time.monotonic() - t

    def token_from(self, mail):
        m = LINK.search(mail["data"])
        self.assertIsNotNone(m, mail["data"])
        return m.group(1)

    def confirm(self, token, password):
        return self.server.client().post("/api/v1/password-reset/confirm",
                                         {"token": token, "password": password})

    def test_reset_flow(self):
        one = self.server.client()
        one.sign_in("hana")
        two = self.server.client()
        two.sign_in("hana", remember=True)

        unknown, t_unknown = self.request_reset("nobody@example.com")
        known, t_known = self.request_reset("hana@example.com")
        # Same answer whatever the address; neither waits for the mail.
        self.assertEqual((unknown.status, known.status), (202, 202))
        self.assertEqual(unknown.json, known.json)
        self.assertLess(max(t_unknown, t_known), 1.0)

        mail = self.smtp.wait_for("hana@example.com")[0]
        self.assertEqual(mail["from"], "noreply@exportctl.test")
        self.assertIn("Subject: exportctl: reset your password", mail["data"])
        token = self.token_from(mail)
        # The queue is worked in order: the unknown address was handled first
        # and produced no mail.
        self.assertEqual(self.smtp.mails_to("nobody@example.com"), [])

        # A weak password is refused without using up the link.
        r = self.confirm(token, "short")
        self.assertEqual((r.status, r.code), (400, "weak_password"))
        r = self.confirm(token, "a brand new passphrase")
        self.assertEqual(r.status, 200, r)

        # Every session of the user has ended; the old password is gone.
        self.assertEqual(one.get("/api/v1/me").status, 401)
        self.assertEqual(two.get("/api/v1/me").status, 401)
        self.server.client().sign_in("hana", expect=401)
        self.server.client().sign_in("hana", password="a brand new passphrase")

        # Single use.
        r = self.confirm(token, "another new passphrase")
        self.assertEqual((r.status, r.code), (400, "invalid_token"))
        self.server.client().sign_in("hana", password="another new passphrase", expect=401)

        admin = self.server.client()
        admin.sign_in("root")
        actions = [e["action"] for e in audit_entries(admin, action="password_reset.")]
        self.assertIn("password_reset.request", actions)
        self.assertIn("password_reset.confirm", actions)
        self.assertIn("password_reset.fail", actions)
        confirm = audit_entries(admin, action="password_reset.confirm")[0]
        self.assertEqual(confirm["actor"], "hana")
        self.assertEqual(confirm["request_id"] and len(confirm["request_id"]), 32)

    def test_expired_link_is_refused(self):
        self.request_reset("ivan@example.com")
        token = self.token_from(self.smtp.wait_for("ivan@example.com")[0])
        time.sleep(TTL + 1.5)
        r = self.confirm(token, "a brand new passphrase")
        self.assertEqual((r.status, r.code), (400, "invalid_token"))
        self.server.client().sign_in("ivan")

    def test_garbage_tokens_are_refused(self):
        for token in ("", "x", "A" * 43, "!" * 43):
            with self.subTest(token=token):
                r = self.confirm(token, "a brand new passphrase")
                self.assertEqual(r.status, 400, r)
        r = self.server.client().post("/api/v1/password-reset", {"email": "not an address"})
        self.assertEqual(r.status, 400)
        r = self.server.client().post("/api/v1/password-reset",
                                      {"email": "a@b.c\r\nBcc: x@y.z"})
        self.assertEqual(r.status, 400)

    def test_mails_per_address_are_capped(self):
        for _ in range(5):
            self.assertEqual(self.request_reset("jun@example.com")[0].status, 202)
        # A later job for someone else shows the five were handled.
        self.request_reset("kim@example.com")
        self.smtp.wait_for("kim@example.com")
        self.assertEqual(len(self.smtp.mails_to("jun@example.com")), 3)


if __name__ == "__main__":
    harness.main()
