"""Determine, screen and shipment checks: the server answers what the
command line answers, every verdict, stored checks and their pages, and
503 without a screening index."""
import copy
import json
import os
import shutil
import unittest

import harness
from harness import SHIPMENT, Workdir, Server, bearer_client, run_cli

# A rule of our own, in a copy of the data, so that a "prohibited" answer
# exists to test (the bundled data has none).
PROHIBIT_RULE = ('test-prohibit,measure,3(1),TW,any,prohibited,,95,2019-01-01,,'
                 '"Test only: hydrogen fluoride to Taiwan is prohibited",M-2019-07-04\n')


def shipment(**changes):
    s = copy.deepcopy(SHIPMENT)
    s.update(changes)
    return s


def strip_record(doc):
    return {k: v for k, v in doc.items()
            if k not in ("id", "created_at", "created_by", "shipment")}


class WorkTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = Workdir()
        cls.data = os.path.join(cls.work.path, "data")
        shutil.copytree(harness.DATA, cls.data)
        with open(os.path.join(cls.data, "regimes", "jp", "rules.csv"), "a") as f:
            f.write(PROHIBIT_RULE)
        cls.work.add_user("olga", "officer")
        cls.work.add_user("vera", "viewer")
        cls.server = Server(cls.work, data=cls.data)
        c = cls.server.client()
        c.sign_in("olga")
        cls.officer = bearer_client(cls.server, c.make_token())
        v = cls.server.client()
        v.sign_in("vera")
        cls.viewer = bearer_client(cls.server, v.make_token())

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        cls.work.cleanup()
        assert rc == 0, rc

    def cli_json(self, *args):
        p = run_cli(*args, "--json", env={"EXPORTCTL_DATA": self.data})
        return json.loads(p.stdout)

    def cli_check(self, doc, index=True):
        path = os.path.join(self.work.path, "shipment.json")
        with open(path, "w") as f:
            json.dump(doc, f)
        args = ["check", path] + (["--index", self.work.index] if index else [])
        return run_cli(*args, "--json", env={"EXPORTCTL_DATA": self.data}, check=False)

    def test_determine_is_the_cli_answer(self):
        for regime, items, dest, date in (("jp", ["3C002"], "KR", "2019-09-01"),
                                          ("jp", ["3C002", "1C350", "none"], "kr", "2023-08-01"),
                                          ("eu", ["1C350"], "KP", "2024-01-01")):
            with self.subTest(regime=regime, items=items):
                r = self.viewer.post("/api/v1/determine", {"regime": regime, "items": items,
                                                           "destination": dest, "date": date})
                self.assertEqual(r.status, 200, r)
                cli = self.cli_json("determine", "--regime", regime, "--item", ",".join(items),
                                    "--to", dest, "--date", date)
                self.assertEqual(r.json, cli)
        ref = self.viewer.post("/api/v1/determine", {"regime": "jp", "items": ["3C002"],
                                                     "destination": "KR", "date": "2019-09-01"})
        item = ref.json["items"][0]
        self.assertEqual((item["outcome"], item["licence_options"]),
                         ("licence_required", ["individual"]))

    def test_determine_errors(self):
        for body, status, code in (
                ({"regime": "zz", "items": ["3C002"], "destination": "KR"}, 422, "unknown_regime"),
                ({"regime": "jp", "items": ["9Z999"], "destination": "KR"}, 422, "unknown_item"),
                ({"regime": "jp", "items": ["3C002"], "destination": "QQ"}, 422,
                 "unknown_country"),
                ({"regime": "jp", "items": ["3C002"], "destination": "KR", "date": "1900-01-01"},
                 422, "no_confirmed_rule")):
            with self.subTest(body=body):
                r = self.viewer.post("/api/v1/determine", body)
                self.assertEqual((r.status, r.code), (status, code), r)

    def test_screen_is_the_cli_answer(self):
        for body, args in (({"name": "Acme Rockets"}, ["Acme Rockets"]),
                           ({"name": "Northern Star Trading", "threshold": 0.7, "limit": 2},
                            ["--threshold", "0.7", "--limit", "2", "Northern Star Trading"]),
                           ({"name": "Kim Example", "type": "person"},
                            ["--type", "person", "Kim Example"]),
                           ({"name": "nothing like any name"}, ["nothing like any name"])):
            with self.subTest(body=body):
                r = self.viewer.post("/api/v1/screen", body)
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.json, self.cli_json("screen", "--index", self.work.index,
                                                       *args))
        hit = self.viewer.post("/api/v1/screen", {"name": "Acme Rockets"}).json
        self.assertEqual(hit["matches"][0]["id"], "E1")

    def test_every_verdict(self):
        listed = [{"role": "end_user", "name": "ACME Rocket Works", "country": "KP"}]
        clean = SHIPMENT["parties"]
        cases = [
            ("clear", shipment(items=[{"item": "none"}], parties=clean)),
            ("licence_required", shipment(parties=clean)),
            ("review", shipment(parties=clean + listed)),
            ("prohibited", shipment(destination="TW", date="2020-01-01",
                                    items=[{"item": "1C350"}, {"item": "3C002"}],
                                    parties=clean + listed)),
        ]
        for verdict, doc in cases:
            with self.subTest(verdict=verdict):
                r = self.officer.post("/api/v1/checks", doc)
                self.assertEqual(r.status, 201, r)
                self.assertEqual(r.json["verdict"], verdict)
                self.assertEqual(len(r.json["items"]), len(doc["items"]))
                self.assertEqual(len(r.json["parties"]), len(doc["parties"]))
                self.assertEqual(r.header("Location"), "/api/v1/checks/%d" % r.json["id"])
                self.assertEqual(r.json["created_by"], "olga")
                self.assertEqual(r.json["shipment"]["items"], doc["items"])
                # The command line gives the same result.
                p = self.cli_check(doc)
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertEqual(json.loads(p.stdout), strip_record(r.json))
                # And the stored record is what was answered.
                g = self.viewer.get("/api/v1/checks/%d" % r.json["id"])
                self.assertEqual(g.status, 200)
                self.assertEqual(g.json, r.json)
        review = self.officer.post("/api/v1/checks", cases[2][1]).json
        self.assertTrue(review["parties"][1]["may_be_listed"])
        self.assertFalse(review["parties"][0]["may_be_listed"])
        self.assertEqual(review["parties"][1]["screening"]["matches"][0]["id"], "E1")
        self.assertTrue(any("may be listed" in s for s in review["verdict_reasons"]))

    def test_paging(self):
        ids = [self.officer.post("/api/v1/checks", SHIPMENT).json["id"] for _ in range(5)]
        seen, before, pages = [], None, 0
        while pages < 50:
            q = "?limit=2" + ("&before=%d" % before if before else "")
            page = self.viewer.get("/api/v1/checks" + q).json
            pages += 1
            self.assertLessEqual(len(page["checks"]), 2)
            seen += [c["id"] for c in page["checks"]]
            before = page["next_before"]
            if before is None:
                break
        self.assertEqual(seen, sorted(seen, reverse=True))
        self.assertEqual(len(seen), len(set(seen)))
        self.assertTrue(set(ids) <= set(seen))
        first = self.viewer.get("/api/v1/checks?limit=1").json["checks"][0]
        self.assertEqual(first["id"], max(seen))
        self.assertEqual(set(first), {"id", "created_at", "user_id", "verdict"})

    def test_cli_check(self):
        p = self.cli_check(shipment(parties=[]), index=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(json.loads(p.stdout)["verdict"], "licence_required")
        p = self.cli_check(SHIPMENT, index=False)
        self.assertEqual(p.returncode, 64, p.stderr)
        self.assertIn("--index", p.stderr)
        p = self.cli_check(shipment(colour="red"))
        self.assertEqual(p.returncode, 65)
        self.assertIn("colour", p.stderr)
        p = self.cli_check(shipment(items=[{"item": "9Z999"}]))
        self.assertEqual(p.returncode, 65)
        path = os.path.join(self.work.path, "human.json")
        with open(path, "w") as f:
            json.dump(shipment(parties=SHIPMENT["parties"] + [
                {"role": "consignee", "name": "Acme Rocket Works"}]), f)
        p = run_cli("check", path, "--index", self.work.index, env={"EXPORTCTL_DATA": self.data})
        self.assertIn("verdict: review", p.stdout)
        self.assertIn("Acme Rocket Works", p.stdout)


class NoIndexTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = Workdir()
        cls.work.add_user("olga", "officer")
        cls.server = Server(cls.work, index=False)
        c = cls.server.client()
        c.sign_in("olga")
        cls.officer = bearer_client(cls.server, c.make_token())

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        cls.work.cleanup()
        assert rc == 0, rc

    def test_screening_needs_an_index(self):
        r = self.officer.post("/api/v1/screen", {"name": "Acme"})
        self.assertEqual((r.status, r.code), (503, "no_index"))
        before = len(self.officer.get("/api/v1/checks").json["checks"])
        r = self.officer.post("/api/v1/checks", SHIPMENT)
        self.assertEqual((r.status, r.code), (503, "no_index"))
        self.assertEqual(len(self.officer.get("/api/v1/checks").json["checks"]), before)
        # A shipment without parties needs no screening.
        r = self.officer.post("/api/v1/checks", shipment(parties=[]))
        self.assertEqual(r.status, 201, r)
        self.assertFalse(self.server.client().get("/api/v1/health").json["index"])


if __name__ == "__main__":
    harness.main()
