"""Shared pieces of the HTTP tests: a real `exportctl serve` on 127.0.0.1
with a temporary SQLite database, a real SMTP server (aiosmtpd) that keeps
what it receives, and a small JSON client on urllib.

Usage: python3 test_x.py EXPORTCTL_BINARY [unittest args].  Every server
and SMTP server is started and stopped by the tests themselves; every wait
is bounded.
"""
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.environ.get("EXPORTCTL_DATA") or os.path.join(SOURCE_ROOT, "data")
EXPORTCTL = None  # set by main()

# Under a sanitizer build, any finding must fail the test: UBSan would
# otherwise print and carry on.  Leaks show in the exit status of a server
# stopped with SIGTERM (Server.stop checks it is 0).
os.environ.setdefault("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1")
os.environ.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")

PASSWORD = "correct horse battery staple"
ROLES = ("viewer", "officer", "admin")

# A small list of our own, so that screening has something to find.
LIST_CSV = """id,type,name,aliases,countries
E1,entity,Acme Rocket Works,ACME RW;Acme Rockets,KP
E2,entity,Northern Star Trading Company,,KP
P1,person,KIM Example Person,,KP
"""

SHIPMENT = {
    "regime": "jp", "date": "2019-09-01", "destination": "KR", "end_use_concern": False,
    "items": [{"item": "3C002", "description": "resist", "quantity": 100, "value": 25000,
               "currency": "JPY"}],
    "parties": [{"role": "buyer", "name": "Daehan Semiconductor", "country": "KR"}],
}


def run_cli(*args, input=None, check=True, env=None):
    e = dict(os.environ)
    e["EXPORTCTL_DATA"] = DATA
    if env:
        e.update(env)
    p = subprocess.run([EXPORTCTL, *args], input=input, capture_output=True, text=True,
                       timeout=60, env=e)
    if check and p.returncode != 0:
        raise AssertionError("exportctl %s: exit %d\n%s" % (" ".join(args), p.returncode, p.stderr))
    return p


class Workdir:
    """A temporary folder with a database, users and a screening index."""

    def __init__(self):
        self.path = tempfile.mkdtemp(prefix="ectl-http-")
        self.db = os.path.join(self.path, "exportctl.db")
        self.index = os.path.join(self.path, "lists.idx")
        lst = os.path.join(self.path, "testlist.csv")
        with open(lst, "w") as f:
            f.write(LIST_CSV)
        run_cli("lists", "build", "-o", self.index, lst)

    def add_user(self, name, role, email=None, password=PASSWORD):
        run_cli("users", "add", name, "--role", role, "--email", email or name + "@example.com",
                "--password-stdin", "--db", self.db, input=password + "\n")

    def cleanup(self):
        shutil.rmtree(self.path, ignore_errors=True)


class Server:
    """`exportctl serve` on a free loopback port."""

    def __init__(self, work, *extra, index=True, data=None):
        self.work = work
        args = [EXPORTCTL, "serve", "--listen", "127.0.0.1:0", "--db", work.db,
                "--threads", "4", *extra]
        if index:
            args += ["--index", work.index]
        env = dict(os.environ)
        env["EXPORTCTL_DATA"] = data or DATA
        self.log = open(os.path.join(work.path, "server-%d.log" % time.monotonic_ns()), "w+")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.log, env=env)
        line = self._readline(30)
        if not line.startswith("listening on http://"):
            self.proc.kill()
            self.proc.wait(10)
            raise AssertionError("server did not start: %r\n%s" % (line, self.stderr()))
        self.base = line.split(" ", 2)[2].strip()

    def _readline(self, timeout):
        deadline = time.monotonic() + timeout
        buf = b""
        fd = self.proc.stdout.fileno()
        while time.monotonic() < deadline and not buf.endswith(b"\n"):
            r, _, _ = select.select([fd], [], [], 0.2)
            if r:
                chunk = os.read(fd, 1)
                if not chunk:
                    break
                buf += chunk
        return buf.decode(errors="replace")

    def stderr(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def client(self):
        return Client(self.base)

    def stop(self):
        """SIGTERM, and the server must exit 0 within 10 s."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
                raise AssertionError("server did not stop on SIGTERM")
        else:
            rc = self.proc.returncode
        log = self.stderr()
        self.proc.stdout.close()
        self.log.close()
        for bad in ("runtime error:", "Sanitizer"):
            if bad in log:
                raise AssertionError("server log has %r:\n%s" % (bad, log[-4000:]))
        return rc

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self.proc.stdout.close()
        self.log.close()


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.raw = body
        try:
            self.json = json.loads(body) if body else None
        except ValueError:
            self.json = None

    def header(self, name):
        return self.headers.get(name)

    @property
    def code(self):
        """The error code of a JSON error body, or None."""
        if isinstance(self.json, dict) and isinstance(self.json.get("error"), dict):
            return self.json["error"].get("code")
        return None

    def __repr__(self):
        return "<%d %s>" % (self.status, self.raw[:300])


class Client:
    """JSON over HTTP.  Keeps the session cookie and CSRF token by hand,
    so that tests can look at every attribute and send wrong ones."""

    def __init__(self, base):
        self.base = base
        self.cookie = None
        self.csrf = None
        self.bearer = None
        self.set_cookie = None

    def request(self, method, path, body=None, headers=None, raw=None, csrf=True,
                content_type="application/json"):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        h = {}
        if data is not None and content_type:
            h["Content-Type"] = content_type
        if self.cookie:
            h["Cookie"] = "ectl_session=" + self.cookie
        if self.bearer:
            h["Authorization"] = "Bearer " + self.bearer
        if csrf and self.csrf and method not in ("GET", "HEAD"):
            h["X-CSRF-Token"] = self.csrf
        h.update(headers or {})
        h = {k: v for k, v in h.items() if v is not None}
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                r = Response(resp.status, resp.headers, resp.read())
        except urllib.error.HTTPError as e:
            r = Response(e.code, e.headers, e.read())
        sc = r.headers.get("Set-Cookie")
        if sc:
            self.set_cookie = sc
            value = sc.split(";", 1)[0].split("=", 1)[1]
            self.cookie = value or None
        return r

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def sign_in(self, username, password=PASSWORD, remember=False, expect=201):
        r = self.post("/api/v1/session", {"username": username, "password": password,
                                          "remember": remember})
        if r.status != expect:
            raise AssertionError("sign in %s: %r" % (username, r))
        if r.status == 201:
            self.csrf = r.json["csrf_token"]
        return r

    def make_token(self, label="test"):
        r = self.post("/api/v1/tokens", {"label": label})
        if r.status != 201:
            raise AssertionError("token: %r" % r)
        return r.json["token"]


def bearer_client(server, token):
    c = server.client()
    c.bearer = token
    return c


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SMTPSink:
    """A real SMTP server on 127.0.0.1 that keeps every message."""

    def __init__(self):
        from aiosmtpd.controller import Controller  # Debian: python3-aiosmtpd
        self.messages = []
        self.lock = threading.Lock()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                with sink.lock:
                    sink.messages.append({
                        "from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                        "data": envelope.content.decode("utf-8", "replace")})
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()
        self.url = "smtp://127.0.0.1:%d" % self.port

    def mails_to(self, addr):
        with self.lock:
            return [m for m in self.messages if addr in m["to"]]

    def wait_for(self, addr, count=1, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.mails_to(addr)
            if len(got) >= count:
                return got
            time.sleep(0.05)
        raise AssertionError("no mail for %s within %ss (have %d)" % (addr, timeout,
                                                                      len(self.mails_to(addr))))

    def stop(self):
        self.controller.stop()


def audit_entries(admin, **query):
    qs = "&".join("%s=%s" % (k, urllib.request.quote(str(v))) for k, v in query.items())
    r = admin.get("/api/v1/audit" + ("?" + qs if qs else ""))
    assert r.status == 200, r
    return r.json["entries"]


def main():
    global EXPORTCTL
    if len(sys.argv) < 2:
        sys.exit("usage: %s EXPORTCTL [unittest args]" % sys.argv[0])
    EXPORTCTL = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
