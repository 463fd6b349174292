"""The route table, /openapi.json, and every route x role.

`exportctl serve --print-routes` prints the table the server dispatches on,
straight from server/routes.c; /openapi.json is generated from it.  These
tests hold the two against each other, probe every route of the document on
a live server, and call every route as each role, allowed and refused.
"""
import os
import signal
import socket
import subprocess
import unittest

import harness
from harness import ROLES, SHIPMENT, Workdir, Server, bearer_client

TYPES = {"string": "string", "boolean": "boolean", "integer": "integer", "number": "number",
         "string[]": "array", "object[]": "array"}


def table():
    out = harness.run_cli("serve", "--print-routes").stdout
    rows = []
    for line in out.splitlines():
        method, path, auth, role, status, body, query = line.split("\t")
        rows.append({"method": method, "path": path, "auth": auth,
                     "role": None if role == "-" else role, "status": status,
                     "body": None if body == "-" else body,
                     "query": [] if query == "-" else query.split(",")})
    return rows


def parse_body(spec):
    """'Name:f:string!,g:object[],g.h:integer' -> (name, {field: (type, required)})."""
    name, fields = spec.split(":", 1)
    out = {}
    for f in fields.split(","):
        key, typ = f.rsplit(":", 1)
        out[key] = (typ.rstrip("!"), typ.endswith("!"))
    return name, out


def schema_fields(doc, name, prefix=""):
    s = doc["components"]["schemas"][name]
    assert s["type"] == "object" and s["additionalProperties"] is False, name
    out = {}
    for key, p in s["properties"].items():
        typ = p["type"]
        if typ == "array":
            items = p["items"]
            typ = "object[]" if "$ref" in items else "string[]"
        out[prefix + key] = (typ, key in s.get("required", []))
        if typ == "object[]":
            out.update(schema_fields(doc, p["items"]["$ref"].rsplit("/", 1)[1],
                                     prefix + key + "."))
    return out


class RoutesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = Workdir()
        for role in ROLES:
            cls.work.add_user(role, role)
        cls.work.add_user("victim", "viewer")
        cls.server = Server(cls.work)
        cls.rows = table()
        cls.doc = cls.server.client().get("/openapi.json").json
        cls.tokens = {}
        cls.sessions = {}
        for role in ROLES:
            c = cls.server.client()
            c.sign_in(role)
            cls.sessions[role] = c
            cls.tokens[role] = c.make_token("matrix")

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        cls.work.cleanup()
        assert rc == 0, rc

    # ---- the document against the table --------------------------------

    def test_every_table_route_is_documented_exactly(self):
        self.assertGreaterEqual(len(self.rows), 15)
        for row in self.rows:
            with self.subTest(route=(row["method"], row["path"])):
                op = self.doc["paths"][row["path"]][row["method"].lower()]
                self.assertEqual(op["x-required-role"], row["role"])
                self.assertEqual(op["x-auth"], row["auth"])
                self.assertIn(row["status"], op["responses"])
                if row["auth"] == "none":
                    self.assertEqual(op["security"], [])
                else:
                    self.assertIn("401", op["responses"])
                    self.assertIn("403", op["responses"])
                params = [p["name"] for p in op.get("parameters", []) if p["in"] == "query"]
                self.assertEqual(params, row["query"])
                if "{id}" in row["path"]:
                    self.assertIn("id", [p["name"] for p in op["parameters"] if p["in"] == "path"])
                if row["body"] is None:
                    self.assertNotIn("requestBody", op)
                    continue
                name, fields = parse_body(row["body"])
                ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                self.assertEqual(ref, "#/components/schemas/" + name)
                self.assertEqual(schema_fields(self.doc, name), fields)
                for code in ("400", "413", "415"):
                    self.assertIn(code, op["responses"])

    def test_document_has_nothing_the_table_lacks(self):
        ops = {(m.upper(), p) for p, item in self.doc["paths"].items() for m in item}
        rows = {(r["method"], r["path"]) for r in self.rows}
        self.assertEqual(ops, rows)
        self.assertEqual(self.doc["openapi"], "3.0.3")

    def test_every_documented_route_answers_on_the_live_server(self):
        anon = self.server.client()
        for path, item in self.doc["paths"].items():
            concrete = path.replace("{id}", "999999")
            for method, op in item.items():
                with self.subTest(route=(method, path)):
                    r = anon.request(method.upper(), concrete,
                                     {} if "requestBody" in op else None)
                    self.assertNotIn(r.status, (404, 405) if op["x-auth"] == "none" else (),
                                     r)
                    if op["x-auth"] != "none":
                        self.assertEqual(r.status, 401, r)
                        self.assertIn(r.code, ("unauthenticated", "session_expired"))
            # A method the path does not take: 405 with the right Allow.
            for method in ("PUT", "PATCH", "DELETE", "GET", "POST"):
                if method.lower() in item:
                    continue
                with self.subTest(route=(method, path)):
                    r = anon.request(method, concrete)
                    self.assertEqual(r.status, 405, r)
                    self.assertEqual(r.code, "method_not_allowed")
                    self.assertEqual(sorted(r.header("Allow").split(", ")),
                                     sorted(m.upper() for m in item))
                break

    def test_unknown_path_is_a_json_404(self):
        r = self.server.client().get("/api/v1/nothing-here")
        self.assertEqual(r.status, 404)
        self.assertEqual(r.code, "not_found")
        self.assertTrue(r.header("Content-Type").startswith("application/json"))

    # ---- every route x role ---------------------------------------------

    def call(self, client, method, path, role):
        """One representative, valid call of a route."""
        if (method, path) == ("DELETE", "/api/v1/session"):
            c = self.server.client()
            c.sign_in(role)
            client = c if client.cookie else client
            return client.request("DELETE", path)
        if (method, path) == ("POST", "/api/v1/tokens"):
            return client.post(path, {"label": "matrix-" + role})
        if (method, path) == ("DELETE", "/api/v1/tokens/{id}"):
            # A token of the caller's own: always allowed.
            tok = self.sessions[role].post("/api/v1/tokens", {"label": "to-revoke"}).json
            return client.request("DELETE", "/api/v1/tokens/%d" % tok["id"])
        bodies = {
            ("POST", "/api/v1/determine"): {"regime": "jp", "items": ["3C002"],
                                            "destination": "KR", "date": "2019-09-01"},
            ("POST", "/api/v1/screen"): {"name": "Acme Rocket Works"},
            ("POST", "/api/v1/checks"): SHIPMENT,
            ("POST", "/api/v1/users"): {"name": "new-" + role, "email": "new-%s@example.com" % role,
                                        "role": "viewer", "password": harness.PASSWORD},
            ("PATCH", "/api/v1/users/{id}"): {"disabled": False},
        }
        concrete = path.replace("{id}", "1")
        if (method, path) in bodies:
            return client.request(method, concrete, bodies[(method, path)])
        if method == "GET":
            return client.get(concrete)
        raise AssertionError("no representative call for %s %s: add one" % (method, path))

    def test_every_route_as_every_role(self):
        rank = {r: i for i, r in enumerate(ROLES)}
        for row in self.rows:
            if row["auth"] == "none":
                continue
            for role in ROLES:
                allowed = rank[role] >= rank[row["role"]]
                kinds = ["session"] if row["auth"] == "session" else ["session", "token"]
                for kind in kinds:
                    with self.subTest(route=(row["method"], row["path"]), role=role, via=kind):
                        client = (self.sessions[role] if kind == "session"
                                  else bearer_client(self.server, self.tokens[role]))
                        r = self.call(client, row["method"], row["path"], role)
                        if allowed:
                            self.assertNotIn(r.status, (401, 403), r)
                            self.assertLess(r.status, 500, r)
                        else:
                            self.assertEqual(r.status, 403, r)
                            self.assertEqual(r.code, "forbidden")

    def test_session_route_refuses_bearer(self):
        c = bearer_client(self.server, self.tokens["admin"])
        r = c.request("DELETE", "/api/v1/session")
        self.assertEqual(r.status, 401, r)

    def test_other_users_tokens_are_admin_only(self):
        victim = self.server.client()
        victim.sign_in("victim")
        tok = victim.post("/api/v1/tokens", {"label": "mine"}).json
        for role in ("viewer", "officer"):
            with self.subTest(role=role):
                c = bearer_client(self.server, self.tokens[role])
                r = c.request("DELETE", "/api/v1/tokens/%d?user=victim" % tok["id"])
                self.assertEqual(r.status, 403, r)
                r = c.post("/api/v1/tokens", {"label": "x", "user": "victim"})
                self.assertEqual(r.status, 403, r)
                r = c.get("/api/v1/tokens?user=victim")
                self.assertEqual(r.status, 403, r)
                # Without naming the owner, the id is looked up among the
                # caller's own tokens: not found, and still not revoked.
                r = c.request("DELETE", "/api/v1/tokens/%d" % tok["id"])
                self.assertEqual(r.status, 404, r)
        self.assertEqual(bearer_client(self.server, tok["token"]).get("/api/v1/me").status, 200)
        admin = bearer_client(self.server, self.tokens["admin"])
        listed = admin.get("/api/v1/tokens?user=victim").json["tokens"]
        self.assertEqual([t["id"] for t in listed], [tok["id"]])
        self.assertNotIn("token", listed[0])
        r = admin.request("DELETE", "/api/v1/tokens/%d?user=victim" % tok["id"])
        self.assertEqual(r.status, 204, r)
        self.assertEqual(bearer_client(self.server, tok["token"]).get("/api/v1/me").status, 401)
        r = admin.post("/api/v1/tokens", {"label": "for victim", "user": "victim"})
        self.assertEqual(r.status, 201, r)
        me = bearer_client(self.server, r.json["token"]).get("/api/v1/me").json
        self.assertEqual(me["user"]["name"], "victim")


class WebTest(unittest.TestCase):
    """The web UI's files, served from memory, by exact name only."""

    FILES = {"index.html": "<!doctype html><title>home</title>", "app.css": "body{}",
             "app.js": "void 0;", "icon.svg": "<svg/>", "notes.md": "not served",
             ".hidden.js": "not served"}

    @classmethod
    def setUpClass(cls):
        cls.work = Workdir()
        web = os.path.join(cls.work.path, "web")
        os.makedirs(os.path.join(web, "sub"))
        for name, text in cls.FILES.items():
            with open(os.path.join(web, name), "w") as f:
                f.write(text)
        with open(os.path.join(web, "sub", "deep.js"), "w") as f:
            f.write("not served")
        cls.server = Server(cls.work, "--web", web)

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        cls.work.cleanup()
        assert rc == 0, rc

    def test_files_and_types(self):
        c = self.server.client()
        for path, ctype, name in (("/", "text/html", "index.html"),
                                  ("/index.html", "text/html", "index.html"),
                                  ("/app.css", "text/css", "app.css"),
                                  ("/app.js", "text/javascript", "app.js"),
                                  ("/icon.svg", "image/svg+xml", "icon.svg")):
            with self.subTest(path=path):
                r = c.get(path)
                self.assertEqual(r.status, 200)
                self.assertTrue(r.header("Content-Type").startswith(ctype), r.header("Content-Type"))
                self.assertEqual(r.raw.decode(), self.FILES[name])
        page = c.get("/")
        csp = page.header("Content-Security-Policy")
        self.assertIn("script-src 'self'", csp)
        self.assertIn("frame-ancestors 'none'", csp)
        self.assertNotIn("unsafe-inline", csp)
        self.assertEqual(page.header("Referrer-Policy"), "no-referrer")
        self.assertIsNone(c.get("/app.css").header("Content-Security-Policy"))

    def test_nothing_else(self):
        c = self.server.client()
        for path in ("/notes.md", "/.hidden.js", "/sub/deep.js", "/../web/app.js",
                     "/%2e%2e/etc/passwd", "/app.css/", "//app.css", "/APP.CSS"):
            with self.subTest(path=path):
                r = c.get(path)
                self.assertEqual(r.status, 404, r)
                self.assertEqual(r.code, "not_found")
        r = c.post("/", {})
        self.assertEqual(r.status, 404)


class LifecycleTest(unittest.TestCase):
    def test_sigint_stops_cleanly(self):
        work = Workdir()
        try:
            server = Server(work)
            self.assertEqual(server.client().get("/api/v1/health").status, 200)
            server.proc.send_signal(signal.SIGINT)
            self.assertEqual(server.proc.wait(10), 0)
            self.assertIn("SIGINT: stopping", server.stderr())
            server.stop()
        finally:
            work.cleanup()

    def test_busy_port_is_an_error(self):
        work = Workdir()
        try:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                s.listen(1)
                port = s.getsockname()[1]
                p = subprocess.run([harness.EXPORTCTL, "serve", "--listen", "127.0.0.1:%d" % port,
                                    "--db", work.db], capture_output=True, text=True, timeout=30,
                                   env=dict(os.environ, EXPORTCTL_DATA=harness.DATA))
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("cannot listen", p.stderr)
            self.assertEqual(p.stdout, "")
        finally:
            work.cleanup()


if __name__ == "__main__":
    harness.main()
