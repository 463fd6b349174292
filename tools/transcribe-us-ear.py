#!/usr/bin/env python3
"""Transcribe the US EAR tables into exportctl's regime CSV format.

Reads three JSON parses of the Export Administration Regulations from the
directory given as argument:

  country-chart.ecfr-2026-07-23.json   15 CFR 738 Supp. 1 (Commerce Country Chart)
  country-groups.ecfr-2026-07-23.json  15 CFR 740 Supp. 1 (Country Groups)
  ccl.ecfr-2026-07-23.json             15 CFR 774 Supp. 1 (Commerce Control List)

and writes data/regimes/us/sets.csv and data/regimes/us/items.csv in the
format of docs/regime-data.md.  regime.csv, sources.csv and rules.csv are
written by hand and are not touched; the item lists that some rules in
rules.csv carry are derived here, printed, and checked against rules.csv.

This script was used once, to transcribe the eCFR issue of 2026-07-23.  The
CSV files it wrote were then reviewed and are the source of truth: edit the
CSVs, not this script, when the regulation changes.  It is kept so that the
transcription can be reproduced and audited.

Nothing is skipped silently.  A country name that does not map with
certainty to an ISO 3166-1 code in data/countries.csv, or a CCL chart cell
the parser does not recognise, stops the run unless it is listed in one of
the hand-decision tables below (each with its reason), and every hand
decision is printed.

Usage: tools/transcribe-us-ear.py JSON_DIR [--countries CSV] [--out DIR] [--check]
Python 3 standard library only.
"""

import argparse
import csv
import io
import json
import os
import re
import sys

ISSUE = "2026-07-23"
CHART_JSON = "country-chart.ecfr-%s.json" % ISSUE
GROUPS_JSON = "country-groups.ecfr-%s.json" % ISSUE
CCL_JSON = "ccl.ecfr-%s.json" % ISSUE

# Chart columns, in the order of the Country Chart.
COLUMNS = ["CB1", "CB2", "CB3", "NP1", "NP2", "NS1", "NS2", "MT1",
           "RS1", "RS2", "FC1", "CC1", "CC2", "CC3", "AT1", "AT2"]
GROUPS = ["A:1", "A:2", "A:3", "A:4", "A:5", "A:6", "B",
          "D:1", "D:2", "D:3", "D:4", "D:5", "E:1", "E:2"]

# ---- country names ------------------------------------------------------
# Names in the EAR tables that are not spelt as in data/countries.csv.  Each
# was checked by hand; anything not here and not an exact match is an error.
NAME_TO_ISO = {
    "Bahamas, The": "BS",
    "The Bahamas": "BS",
    "Bosnia & Herzegovina": "BA",
    "Brunei": "BN",
    "Burma": "MM",
    "Cape Verde": "CV",
    "China (PRC)": "CN",
    "Congo (Democratic Republic of the)": "CD",
    "Congo (Democratic Republic of)": "CD",
    "Congo (Republic of the)": "CG",
    "Cote d'Ivoire": "CI",
    "Cote d'lvoire": "CI",  # sic, lower-case L, in the Country Group B list
    "Czech Republic": "CZ",
    "Gambia, The": "GM",
    "Korea, North": "KP",
    "Korea, South": "KR",
    "Macau": "MO",
    "Micronesia (Federated State of)": "FM",
    "Russia": "RU",
    "Saint Kitts & Nevis": "KN",
    "St. Kitts and Nevis": "KN",
    "St. Lucia": "LC",
    "St. Vincent and the Grenadines": "VC",
    "Sao Tome & Principe": "ST",
    "Seycheles": "SC",  # sic, in the Country Chart
    "Sint Maarten (the Dutch two-fifths of the island of Saint Martin)": "SX",
    "South Sudan, Republic of": "SS",
    "Trinidad & Tobago": "TT",
    "Vatican City": "VA",
    # ISO 3166-1 assigns Kosovo no code; XK is the user-assigned code the EU,
    # the US and data/countries.csv use.
    "Kosovo": "XK",
}
# Names with no code in data/countries.csv.  Their rows cannot be expressed
# (and no query can name them); they are reported on every run.
NO_ISO_CODE = {}

# Destinations the chart governs through another country's row.  Only the
# three cases the EAR itself names; 738.3(b) gives no exhaustive list.
# (code, parent code, sources, note)
INHERIT = [
    ("HK", "CN", "CHART;HK",
     "no row of its own: governed by the China row since 2020-12-23 (source HK)"),
    ("LI", "CH", "CHART;P738_3",
     "its row refers to Switzerland (chart footnote 5, 738.3(b)): Switzerland's marks"),
    ("KY", "GB", "CHART;P738_3",
     "no row of its own: dependent territory governed by the United Kingdom row (738.3(b))"),
]

# Chart footnotes that this data turns into sets for rules.csv.
FOOTNOTE_SETS = [
    ("FN1", 1, "CHART",
     "chart footnote 1: UN sanctions (746.1(b)) and Iraq (746.3) requirements not in the chart"),
    ("FN10", 10, "CHART",
     "chart footnote 10: listed firearms entries need a licence despite the empty row"),
    ("RU_BY", 6, "CHART;P746",
     "chart footnote 6: 746.8 adds licence requirements for items in any ECCN"),
]

# ---- CCL ----------------------------------------------------------------
REASONS = ("NS", "NP", "CB", "MT", "RS", "FC", "CC", "AT",
           "UN", "SL", "EI", "CW", "SI", "SS")
COLUMN_RE = re.compile(r"\b(NS|NP|CB|MT|RS|FC|CC|AT)\s*Column\s*([0-9])\b")

# Non-chart licence requirements, recognised in the "Country Chart" cell of a
# control row.  (label, regex, covered) - covered names the rules.csv rule
# that already decides it, so the row needs no guard.
NONCHART = [
    ("AT to North Korea only", r"North Korea for anti-terrorism|to North Korea for anti-terrorism",
     "us-embargo (KP is an embargo row)"),
    ("746.8 Russia/Belarus", r"See § 746\.8", "us-746-8 / us-746-8-unlisted"),
    ("UN (746.1(b))", r"for UN controls", None),
    ("RS Iraq/Pakistan", r"A license is required for items controlled by this entry.*"
                         r"(Iraq|Pakistan).*regional stability", None),
    ("RS China/Russia/Venezuela (742.6(a)(7))", r"China, Russia,? or Venezuela", None),
    ("Macau or D:5", r"Macau or a destination specified in Country Group D:5", None),
    ("UAE, D:1, D:4, D:5 (742.6(a)(6)(iii)(B))",
     r"United Arab Emirates or destinations specified in Country Groups D:1, D:4, and D:5", None),
    ("worldwide", r"Worldwide control|any destination worldwide", None),
    ("all destinations except Canada", r"ALL destinations, except Canada", None),
    ("SL all destinations (742.13)", r"required for all destinations, as specified in § 742\.13", None),
    ("EI (742.15)", r"742\.15", None),
    ("SI (742.14)", r"742\.14", None),
    ("CW (742.18)", r"CW reasons", None),
    ("RS 742.6(a)(11)", r"^See § 742\.6\(a\)\(11\)", None),
    ("no column (N/A)", r"^N/A\.?$", None),
]

# Hand decisions for control rows whose chart cell the patterns above do not
# decide.  Key: (ECCN, text of the control row).  Value: (columns, why).
HAND_ROWS = {
    ("1D018", "MT applies to \u201csoftware\u201d for the \u201cdevelopment\u201d, \u201cproduction\u201d, "
              "operation, or maintenance of items controlled by 1B018 for MT reasons"):
        (["MT1"], "the chart cell repeats the control text and names no column; the "
                  "Country Chart has a single MT column, MT1"),
}

# LVS values that are a dollar amount for the whole entry, possibly with
# "N/A for MT" / "N/A for NP": those only exclude reasons whose columns do
# not start with NS, which the NAME@SET/PREFIX rule already refuses.
LVS_WHOLE = re.compile(r"^\$[0-9][0-9,]*\.?$|"
                       r"^\$[0-9][0-9,]*[.,;:]?\s*(except\s+)?N/A for (MT|NP)(,? NP)?\.?$")
# Entries whose LVS text gives a value for every paragraph (checked by hand).
LVS_HAND = {
    "9B515": "$1500, and $5000 for 9B515.b: a value for every paragraph",
}

# Chart footnotes naming ECCNs (checked by hand against the footnote text).
FN10_ECCNS = ["0A501", "0A502", "0A504", "0A505", "0A506", "0A507", "0A508",
              "0A509", "0D501", "0D505", "0E501", "0E504", "0E505"]
FN7_ECCNS = ["6A003", "9A515"]


class Fatal(Exception):
    pass


def say(*a):
    print(*a, file=sys.stderr)


def one_line(s):
    return re.sub(r"\s+", " ", s or "").strip()


def load_countries(path):
    by_name, codes = {}, set()
    with open(path, encoding="utf-8", newline="") as f:
        rows = csv.reader(line for line in f if line.strip() and not line.startswith("#"))
        header = next(rows)
        if header != ["code", "name"]:
            raise Fatal("%s: unexpected header %r" % (path, header))
        for code, name in rows:
            codes.add(code)
            by_name[name] = code
    return by_name, codes


class Names:
    def __init__(self, by_name, codes):
        self.by_name, self.codes = by_name, codes
        self.hand_used, self.unmapped = {}, {}

    def code(self, name, where):
        """ISO code for an EAR name, or None for a reported NO_ISO_CODE name."""
        if name in self.by_name:
            return self.by_name[name]
        if name in NAME_TO_ISO:
            c = NAME_TO_ISO[name]
            if c not in self.codes:
                raise Fatal("hand mapping %r -> %s: %s not in countries.csv" % (name, c, c))
            self.hand_used[name] = c
            return c
        if name in NO_ISO_CODE:
            self.unmapped.setdefault(name, set()).add(where)
            return None
        raise Fatal("%s: country name %r has no certain ISO 3166-1 code; add it to "
                    "NAME_TO_ISO (or NO_ISO_CODE) after checking by hand" % (where, name))


def csv_text(header, rows, comments=()):
    buf = io.StringIO()
    for c in comments:
        buf.write(("# " + c).rstrip() + "\n" if c else "#\n")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(r)
    return buf.getvalue()


# ---- sets.csv -------------------------------------------------------------

def build_sets(chart, groups, names):
    cols = [c.replace(" ", "") for c in chart["columns"]]
    if cols != COLUMNS:
        raise Fatal("chart columns %r, expected %r" % (cols, COLUMNS))
    if chart.get("ecfrIssueDate") != ISSUE or groups.get("ecfrIssueDate") != ISSUE:
        raise Fatal("the JSON files are not the eCFR issue of %s" % ISSUE)

    marks, footnotes = {}, {}      # code -> set of columns / footnote numbers
    for name, row in chart["countries"].items():
        code = names.code(name, "country chart")
        m = {x.replace(" ", "") for x in row["marks"]}
        bad = m - set(COLUMNS)
        if bad:
            raise Fatal("chart row %s: unknown columns %r" % (name, sorted(bad)))
        if code is None:
            continue
        if code in marks:
            raise Fatal("two chart rows map to %s" % code)
        marks[code] = m
        footnotes[code] = set(row.get("footnotes") or [])
    embargo = {}
    for name, row in chart["embargoed"].items():
        code = names.code(name, "country chart (embargo rows)")
        if code is None or code in marks:
            raise Fatal("embargo row %s" % name)
        embargo[code] = row
        footnotes[code] = set(row.get("footnotes") or [])

    notes = {}
    inherit_src = {}
    for code, parent, src, note in INHERIT:
        if code in embargo or parent not in marks:
            raise Fatal("inheritance %s -> %s" % (code, parent))
        if code in marks and marks[code] != marks[parent]:
            raise Fatal("%s has its own row %r, different from %s's %r: decide by hand"
                        % (code, sorted(marks[code]), parent, sorted(marks[parent])))
        marks[code] = set(marks[parent])
        footnotes[code] = set(footnotes[parent])
        notes[code] = note
        inherit_src[code] = src

    rows = []
    for col in COLUMNS:
        if not any(col in marks[c] for c in marks):
            # A column no country has an X in (AT 1, AT 2 today) is still a
            # column entries point to: declare it with a row without country.
            rows.append([col, "chart", "", "", "", "CHART", "no country has an X in this column"])
        for code in sorted(c for c in marks if col in marks[c]):
            rows.append([col, "chart", code, "", "", inherit_src.get(code, "CHART"),
                         notes.get(code, "")])
    for code in sorted(marks):
        rows.append(["CHART", "set", code, "", "", inherit_src.get(code, "CHART"),
                     notes.get(code, "")])
    for code in sorted(embargo):
        ptr = one_line(embargo[code]["pointer"])
        ref = re.sub(r"^See (part )?", "Part ", ptr).replace("Part Sections", "sections")
        ref = ref.replace("Part § ", "§ ")
        ref = re.sub(r" (of the EAR )?to determine whether.*$", "", ref)
        rows.append(["EMBARGO", "set", code, "", "", "CHART;P746",
                     "chart row has no marks and points to " + ref])
    for set_id, fn, src, note in FOOTNOTE_SETS:
        for code in sorted(c for c in footnotes if fn in footnotes[c]):
            n = note
            if code in notes:
                n = note + "; " + notes[code]
            rows.append([set_id, "set", code, "", "", inherit_src.get(code, src) if code in notes
                         else src, n])

    # Country Groups.
    if list(groups["groups"]) != GROUPS:
        raise Fatal("groups %r, expected %r" % (list(groups["groups"]), GROUPS))
    members = {}
    for g in GROUPS:
        members[g] = []
        for name in groups["groups"][g]:
            code = names.code(name, "country group " + g)
            if code is not None:
                if code in members[g]:
                    raise Fatal("%s listed twice in %s" % (code, g))
                members[g].append(code)
    if "HK" in {c for g in GROUPS for c in members[g]}:
        raise Fatal("Hong Kong appears in the group tables: revisit the HK derivation")
    gnotes = groups.get("notes", {})
    for key in ("macau", "uae", "d5Controlling"):
        if key not in gnotes:
            raise Fatal("group note %r missing" % key)
    for g in GROUPS:
        for code in sorted(members[g]):
            note = ""
            if code == "MO" and g.startswith("D:"):
                note = ("Macau is not in D:5; the EAR names it separately wherever it "
                        "means 'Macau or D:5'")
            if code == "AE" and g == "A:5":
                note = ("License Exception STA only for approved UAE entities "
                        "(Supp. No. 8 to Part 740, 740.2(a)(26))")
            if g == "D:5":
                note = ("the State Department arms-embargo list (22 CFR 126.1) controls "
                        "if it differs")
            rows.append([g, "group", code, "", "", "GROUPS", note])
        if "CN" in members[g]:
            rows.append([g, "group", "HK", "", "", "GROUPS;HK",
                         "not in the table: Hong Kong is treated as China since 2020-12-23 "
                         "(source HK)"])
    stats = {"marks": marks, "embargo": embargo, "members": members, "footnotes": footnotes}
    return rows, stats


# ---- items.csv -------------------------------------------------------------

def row_reason(control):
    m = re.match(r"\s*(NS|NP|CB|MT|RS|FC|CC|AT|UN|SL|EI|CW|SI|SS)\b", control)
    if m:
        return m.group(1)
    if re.match(r"\s*Russian industry sector", control):
        return "FP"
    return None


def listed_reasons(rfc):
    if not rfc:
        return set()
    out = set(re.findall(r"\b(NS|NP|CB|MT|RS|FC|CC|AT|UN|SL|EI|CW|SI|SS)\b", rfc))
    if re.search(r"foreign policy", rfc, re.I):
        out.add("FP")
    return out


def classify_row(eccn, control, cell, log):
    """Return (columns, nonchart label or None, covered-by or None)."""
    control, cell = one_line(control), one_line(cell)
    key = (eccn, control)
    if key in HAND_ROWS:
        cols, why = HAND_ROWS[key]
        log.append("%s: %r -> %s (by hand: %s)" % (eccn, cell[:90], ";".join(cols), why))
        return set(cols), None, None
    cols = set()
    for r, n in COLUMN_RE.findall(cell):
        c = r + n
        if c not in COLUMNS:
            raise Fatal("%s: %r names %s, which is not a chart column" % (eccn, cell, c))
        cols.add(c)
    rest = cell
    if control and rest.startswith(control):
        rest = rest[len(control):]
    rest = re.sub(r"\b[A-Z]{2} applies to entire entry\b", "", rest)
    rest = COLUMN_RE.sub("", rest)
    rest = rest.strip(" .,;")
    if cols and not rest:
        return cols, None, None
    if not cols and re.fullmatch(r"Column\s*([123])\.?", cell):
        r = row_reason(control)
        c = "%s%s" % (r, re.fullmatch(r"Column\s*([123])\.?", cell).group(1))
        if c not in COLUMNS:
            raise Fatal("%s: bare %r with reason %r" % (eccn, cell, r))
        log.append("%s: bare %r read as %s (reason named in the control text)" % (eccn, cell, c))
        return {c}, None, None
    for label, rx, covered in NONCHART:
        if re.search(rx, cell):
            if cols:
                log.append("%s: %r gives %s and also refers outside the chart (%s)"
                           % (eccn, cell[:90], ";".join(sorted(cols)), label))
            return cols, label, covered
    if cols:
        log.append("%s: %r gives %s and also refers elsewhere in the EAR"
                   % (eccn, cell[:90], ";".join(sorted(cols))))
        return cols, "column with a further reference: " + rest[:60], None
    raise Fatal("%s: chart cell %r (control %r) not understood; decide by hand in HAND_ROWS"
                % (eccn, cell, control))


def build_items(ccl, chart):
    if ccl.get("ecfrIssueDate") != ISSUE:
        raise Fatal("the CCL JSON is not the eCFR issue of %s" % ISSUE)
    entries = ccl["entries"]
    if len(entries) != ccl.get("entryCount"):
        raise Fatal("entryCount %r but %d entries" % (ccl.get("entryCount"), len(entries)))
    seen = set()
    log = []
    report = {k: [] for k in ("guard", "unrated", "lvs_skipped", "gbs_skipped",
                              "exc_dropped", "uncovered", "nonchart_labels", "at_missing",
                              "dup_rows", "norows")}
    rows = []
    info = {}
    for e in entries:
        eccn = e["eccn"]
        if not re.fullmatch(r"[0-9][A-E][0-9]{3}", eccn):
            raise Fatal("odd ECCN %r" % eccn)
        if eccn in seen:
            raise Fatal("ECCN %s twice" % eccn)
        seen.add(eccn)
        cols, labels, row_reasons = set(), [], set()
        pairs = [(one_line(r["control"]), one_line(r["countryChart"])) for r in e["countryChart"]]
        if len(set(pairs)) != len(pairs):
            report["dup_rows"].append(eccn)
        for control, cell in pairs:
            c, label, covered = classify_row(eccn, control, cell, log)
            cols |= c
            rr = row_reason(control)
            if rr:
                row_reasons.add(rr)
            row_reasons |= {x[:2] for x in c}
            if label:
                labels.append((label, covered))
        uncovered = listed_reasons(e.get("reasonForControl")) - row_reasons
        # AT columns carry no X and AT licensing outside the chart is for
        # embargoed destinations, so a missing AT row changes no answer.
        if "AT" in uncovered and pairs:
            report["at_missing"].append(eccn)
        uncovered -= {"AT"}
        if uncovered and cols:
            report["uncovered"].append("%s (%s)" % (eccn, ", ".join(sorted(uncovered))))
        if not pairs and e.get("reasonForControl"):
            report["norows"].append("%s (%s)" % (eccn, one_line(e["reasonForControl"]).rstrip(".")))
        needs_guard = bool(cols) and (any(cov is None for _, cov in labels) or bool(uncovered))
        for label, cov in labels:
            report["nonchart_labels"].append((label, eccn, cov))
        if not cols:
            report["unrated"].append(eccn)

        flags = e.get("licenceExceptionFlags") or {}
        lvs, gbs = one_line(flags.get("LVS")), one_line(flags.get("GBS"))
        exc = []
        if lvs and lvs != "N/A":
            if LVS_WHOLE.match(lvs) or eccn in LVS_HAND:
                exc.append("LVS@B/NS")
            else:
                report["lvs_skipped"].append("%s (%s)" % (eccn, lvs[:70]))
        if gbs and gbs != "N/A":
            if gbs == "Yes":
                exc.append("GBS@B/NS")
            else:
                report["gbs_skipped"].append("%s (%s)" % (eccn, gbs[:70]))
        if exc and needs_guard:
            report["exc_dropped"].append("%s (%s)" % (eccn, ";".join(exc)))
            exc = []
        if exc and not cols:
            raise Fatal("%s: exceptions but no chart column" % eccn)
        if needs_guard:
            report["guard"].append(eccn)
        desc = one_line(e.get("heading"))
        if not desc:
            raise Fatal("%s: no heading" % eccn)
        controls = ";".join(c for c in COLUMNS if c in cols)
        rows.append([eccn, "", desc, controls, ";".join(exc), "", "", "CCL"])
        info[eccn] = {"controls": controls, "exceptions": ";".join(exc)}
    # Footnotes naming ECCNs: check the hand lists against the text.
    fn = chart["footnotes"]
    for num, lst in (("10", FN10_ECCNS), ("7", FN7_ECCNS)):
        for x in lst:
            if x not in fn[num] or x not in seen:
                raise Fatal("footnote %s list: %s not in the footnote or not on the CCL" % (num, x))
        named = set(re.findall(r"\b[0-9][A-E][0-9]{3}\b", fn[num]))
        if named - set(lst) - {"0B501", "0B505"}:  # equipment named only as qualifiers
            raise Fatal("footnote %s names %r, not in the hand list" % (num, named - set(lst)))
    return rows, report, log, info


def items_comments(report, log):
    def wrap(prefix, items, width=88):
        out, line = [], prefix
        for i, x in enumerate(items):
            piece = x + (", " if i + 1 < len(items) else "")
            if len(line) + len(piece) > width and line.strip():
                out.append(line.rstrip())
                line = "  "
            line += piece
        if line.strip():
            out.append(line.rstrip())
        return out or [prefix + "(none)"]

    c = [
        "Commerce Control List, 15 CFR Part 774 Supplement No. 1, eCFR issue of %s." % ISSUE,
        "Transcribed by tools/transcribe-us-ear.py; this file is the reviewed source of truth.",
        "",
        "controls: the union, over the entry's License Requirements rows, of the Country",
        "Chart columns they name.  Control rows are paragraph-level in the CCL; here they",
        "are united at the ECCN level.  This is conservative: a sub-paragraph that needs no",
        "licence for some column is answered as if the whole entry did.",
        "An entry with no chart column has empty controls (rule us-unrated refers it).",
        "",
        "exceptions: LVS@B/NS when the LVS value is a dollar amount for the whole entry",
        "(\"$3000\", or with \"N/A for MT\"/\"N/A for NP\", which the /NS prefix already",
        "enforces).  GBS@B/NS only when GBS is exactly \"Yes\".  A conditional value",
        "(\"Yes for 3C002.a ...\", \"$500 for 0A501.c ...\", \"N/A for 4A003.b ...\") is NOT",
        "encoded: offering it for the whole ECCN would be wrong for the other paragraphs.",
    ]
    c += wrap("LVS not encoded (conditional): ", report["lvs_skipped"])
    c += wrap("GBS not encoded (conditional): ", report["gbs_skipped"])
    c += [
        "",
        "Entries whose License Requirements also name controls the chart does not decide",
        "(UN, EI, SL, SI, CW, worldwide or named-destination RS/NS rows, or a reason with no",
        "row in the source parse) are listed in the guard rule us-nonchart in rules.csv, so",
        "a destination without an X gives no answer for them; their exceptions are not",
        "encoded, because LVS/GBS cannot overcome those controls.",
    ]
    c += wrap("Exceptions dropped for that reason: ", report["exc_dropped"])
    c += wrap("Reasons named in the entry with no row in the source parse (guarded): ",
              report["uncovered"])
    c += ["Reasons for control given but no License Requirements rows in the source parse"]
    c += wrap("(no controls, so us-unrated refers them): ", report["norows"])
    c += wrap("AT named with no AT row (no effect: no chart row has an AT mark): ",
              report["at_missing"])
    c += wrap("Source parse repeats a control row (harmless, united): ", report["dup_rows"])
    c += ["3D005 carries a second NS/AT row set and paragraphs .a/.b (RTL-to-GDSII and",
          "power/timing optimisation) that look like 3D006's: 3D006 is absent from the source",
          "parse and is not invented here; 3D005's controls are the (conservative) union."]
    c += ["", "Chart cells interpreted by hand or with care (nothing was dropped):"]
    c += ["  " + x for x in log]
    return c


# ---- rules.csv cross-check ------------------------------------------------

def derived_rule_items(report):
    return {
        "us-nonchart": report["guard"],
        "us-fn10": FN10_ECCNS,
        "us-fn7": FN7_ECCNS,
    }


def check_rules(path, derived):
    if not os.path.exists(path):
        say("note: %s not found; rule item lists not checked" % path)
        return True
    ok = True
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(line for line in f if line.strip() and not line.startswith("#")))
    by_id = {r[0]: r for r in rows[1:]}
    for rid, items in derived.items():
        if rid not in by_id:
            say("rules.csv: rule %s missing (items %s)" % (rid, ";".join(items)))
            ok = False
        elif by_id[rid][2].split(";") != list(items):
            say("rules.csv: rule %s items differ from the derived list:\n  %s"
                % (rid, ";".join(items)))
            ok = False
    return ok


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("json_dir")
    ap.add_argument("--countries", default=os.path.join(here, "..", "data", "countries.csv"))
    ap.add_argument("--out", default=os.path.join(here, "..", "data", "regimes", "us"))
    ap.add_argument("--check", action="store_true",
                    help="write nothing; fail if the CSVs on disk differ from a fresh transcription")
    a = ap.parse_args()
    try:
        def load(name):
            with open(os.path.join(a.json_dir, name), encoding="utf-8") as f:
                return json.load(f)
        chart, groups, ccl = load(CHART_JSON), load(GROUPS_JSON), load(CCL_JSON)
        names = Names(*load_countries(a.countries))
        set_rows, st = build_sets(chart, groups, names)
        item_rows, report, log, _ = build_items(ccl, chart)
    except Fatal as e:
        say("transcribe-us-ear: error: %s" % e)
        return 1

    sets_csv = csv_text(
        ["set", "kind", "country", "from", "to", "source", "note"], set_rows,
        ["US EAR country sets: Commerce Country Chart columns (15 CFR 738 Supp. 1), the",
         "chart's row list (CHART), embargo rows (EMBARGO), footnote sets, and Country",
         "Groups (15 CFR 740 Supp. 1), eCFR issue of %s." % ISSUE,
         "Transcribed by tools/transcribe-us-ear.py; this file is the reviewed source of truth.",
         "from is empty: the data covers nothing before regime.csv covered_from.",
         "Kosovo has a chart row and is in group B but has no code in data/countries.csv;",
         "its rows are not expressed.  AT1 and AT2 have no X on any row, hence no rows here."])
    items_csv = csv_text(["code", "harmonised", "description", "controls", "exceptions",
                          "from", "to", "source"], item_rows, items_comments(report, log))

    for name, c in sorted(names.hand_used.items()):
        say("name mapped by hand: %-40r -> %s" % (name, c))
    for name, where in sorted(names.unmapped.items()):
        say("NOT EXPRESSED: %r (%s): %s" % (name, ", ".join(sorted(where)), NO_ISO_CODE[name]))
    for x in log:
        say("chart cell: " + x)
    derived = derived_rule_items(report)
    for rid, items in derived.items():
        say("rules.csv %s items (%d): %s" % (rid, len(items), ";".join(items)))

    outs = {"sets.csv": sets_csv, "items.csv": items_csv}
    if a.check:
        same = True
        for fn, text in outs.items():
            p = os.path.join(a.out, fn)
            old = open(p, encoding="utf-8").read() if os.path.exists(p) else None
            if old != text:
                say("%s differs from a fresh transcription" % p)
                same = False
        same = check_rules(os.path.join(a.out, "rules.csv"), derived) and same
        return 0 if same else 1
    os.makedirs(a.out, exist_ok=True)
    for fn, text in outs.items():
        with open(os.path.join(a.out, fn), "w", encoding="utf-8", newline="") as f:
            f.write(text)
        say("wrote %s (%d rows)" % (os.path.join(a.out, fn),
                                    sum(1 for l in text.splitlines()
                                        if l and not l.startswith("#")) - 1))
    return 0 if check_rules(os.path.join(a.out, "rules.csv"), derived) else 1


if __name__ == "__main__":
    sys.exit(main())
