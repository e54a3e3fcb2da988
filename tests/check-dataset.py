#!/usr/bin/env python3
# check-dataset.py: `tacit-cli export dataset` end to end, as an ML team
# would use it.
#
# Builds a fixture database with tacit-cli (tests/data/dataset: a library
# with a randomised holdout, two presses across a shift change), records
# operator responses, then for every layout exports twice and checks that
#   - every JSONL line validates against the JSON Schema the card gives for
#     its file (Debian's python3-jsonschema, draft 2020-12),
#   - the card's sha256, bytes and line counts match the files,
#   - the two exports are byte-identical and leave no temporary files,
#   - the export equals the checked-in one in tests/data/dataset/expected;
# and that `report --rules` (JSON and table) equals the checked-in report.
#
#   check-dataset.py TACIT_CLI DATA_DIR [--update]
#
# --update rewrites the expected files (review the diff before committing).
#
# SPDX-License-Identifier: GPL-3.0-or-later

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:
    print("1..0 # SKIP python3-jsonschema is not installed (make deps installs it)")
    sys.exit(77)

LAYOUTS = ("flat", "episodes", "bandit")
USEC = 1000000


class Failure(Exception):
    pass


def check(cond, message):
    if not cond:
        raise Failure(message)


def run(cli, *args, status=0):
    proc = subprocess.run([cli, *args], capture_output=True, text=True,
                          env=dict(os.environ, LC_ALL="C.UTF-8"))
    check(proc.returncode == status,
          "tacit-cli %s: exit %d (wanted %d)\nstdout: %s\nstderr: %s"
          % (" ".join(args), proc.returncode, status, proc.stdout, proc.stderr))
    return proc


def build_database(cli, data, db):
    run(cli, "--db", db, "init")
    run(cli, "--db", db, "rules", "import", os.path.join(data, "library.xml"))
    run(cli, "--db", db, "events", "import", os.path.join(data, "events.csv"))
    run(cli, "--db", db, "replay", "--record")
    run(cli, "--db", db, "replay", "--record")   # idempotent: no duplicates
    record_responses(db)


def record_responses(db):
    """Operator answers for the live suggestions, in a fixed pattern:
    accepted, dismissed with a reason, expired, none. The first one is first
    dismissed, then accepted a minute later: the latest answer wins."""
    con = sqlite3.connect(db)
    with con:
        rows = con.execute("SELECT id, time FROM suggestions WHERE mode = 'live' "
                           "ORDER BY time, rule_id, machine, id").fetchall()
        for i, (sid, time) in enumerate(rows):
            answer = ("accepted", "dismissed", "expired", None)[i % 4]
            if answer is None:
                continue
            reason = "not-now" if answer == "dismissed" else None
            actor = None if answer == "expired" else "op-%d" % (100 + i % 3)
            at = time + (2 if i == 0 else 1) * 60 * USEC
            con.execute("INSERT INTO responses (suggestion_id, response, reason, actor, "
                        "responded_at, recorded_at) VALUES (?, ?, ?, ?, ?, 0)",
                        (sid, answer, reason, actor, at))
            if i == 0:
                con.execute("INSERT INTO responses (suggestion_id, response, reason, actor, "
                            "responded_at, recorded_at) VALUES (?, 'dismissed', 'busy', "
                            "'op-100', ?, 0)", (sid, time + 30 * USEC))
    con.close()


def check_export(out):
    with open(os.path.join(out, "dataset.json"), "rb") as f:
        card = json.loads(f.read().decode("utf-8"))
    names = sorted(os.listdir(out))
    check(names == sorted(list(card["files"]) + ["dataset.json"]),
          "%s holds %s, the card lists %s" % (out, names, list(card["files"])))
    for name, entry in card["files"].items():
        with open(os.path.join(out, name), "rb") as f:
            data = f.read()
        check(hashlib.sha256(data).hexdigest() == entry["sha256"], name + ": sha256 differs")
        check(len(data) == entry["bytes"], name + ": bytes differ")
        if "schema" not in entry:
            check(data.startswith(b"<?xml"), name + ": not XML")
            continue
        schema = entry["schema"]
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
            if hasattr(jsonschema.Draft202012Validator, "FORMAT_CHECKER")
            else jsonschema.FormatChecker())
        lines = data.decode("utf-8").splitlines()
        check(len(lines) == entry["lines"], name + ": line count differs from the card")
        for n, line in enumerate(lines, 1):
            errors = list(validator.iter_errors(json.loads(line)))
            check(not errors, "%s:%d: %s" % (name, n, errors[0].message if errors else ""))
    return card


def check_semantics(out, layout):
    """What the schemas cannot say."""
    if layout == "episodes":
        steps = [json.loads(l) for l in open(os.path.join(out, "episodes.jsonl"), encoding="utf-8")]
        for i, s in enumerate(steps):
            first = i == 0 or steps[i - 1]["episode_id"] != s["episode_id"]
            last = i == len(steps) - 1 or steps[i + 1]["episode_id"] != s["episode_id"]
            check(s["is_first"] == first and s["is_last"] == last,
                  "episodes.jsonl:%d: is_first/is_last wrong" % (i + 1))
            check(s["shift_start"] <= s["time"] < s["shift_end"],
                  "episodes.jsonl:%d: step outside its shift" % (i + 1))
    if layout == "bandit":
        for n, line in enumerate(open(os.path.join(out, "bandit.jsonl"), encoding="utf-8"), 1):
            r = json.loads(line)
            want = r["propensity"] if r["action"] == 1 else 1 - r["propensity"]
            check(abs(r["pscore"] - want) < 1e-12, "bandit.jsonl:%d: pscore" % n)


def compare_dirs(a, b):
    for name in sorted(set(os.listdir(a)) | set(os.listdir(b))):
        pa, pb = os.path.join(a, name), os.path.join(b, name)
        check(os.path.exists(pa) and os.path.exists(pb), "%s only in one of %s, %s" % (name, a, b))
        with open(pa, "rb") as fa, open(pb, "rb") as fb:
            check(normalise(fa.read()) == normalise(fb.read()), "%s differs: %s vs %s" % (name, pa, pb))


def normalise(data):
    # The exporting version changes with every release; nothing else may.
    return re.sub(rb'"exported_by": "tacit [^"]*"', b'"exported_by": "tacit VERSION"', data)


def main():
    if len(sys.argv) < 3:
        print("usage: check-dataset.py TACIT_CLI DATA_DIR [--update]", file=sys.stderr)
        return 2
    cli, data = sys.argv[1], sys.argv[2]
    update = "--update" in sys.argv[3:]
    expected = os.path.join(data, "expected")
    tmp = tempfile.mkdtemp(prefix="tacit-dataset-")
    try:
        db = os.path.join(tmp, "fixture.db")
        build_database(cli, data, db)
        for layout in LAYOUTS:
            outs = []
            for copy in ("a", "b"):
                out = os.path.join(tmp, layout + "-" + copy)
                args = ["--db", db, "export", "dataset", "--out", out]
                if layout != "flat":
                    args += ["--layout", layout]
                run(cli, *args)
                card = check_export(out)
                check(card["layout"] == layout, "card layout")
                check_semantics(out, layout)
                outs.append(out)
            compare_dirs(outs[0], outs[1])
            if update:
                shutil.rmtree(os.path.join(expected, layout), ignore_errors=True)
                shutil.copytree(outs[0], os.path.join(expected, layout))
            compare_dirs(outs[0], os.path.join(expected, layout))
            print("ok - export --layout %s: valid, checksums match, reproducible, as expected" % layout)

        report = run(cli, "--db", db, "report", "--rules", "--format", "json").stdout
        json.loads(report)
        if update:
            with open(os.path.join(expected, "report.json"), "w", encoding="utf-8") as f:
                f.write(report)
        with open(os.path.join(expected, "report.json"), encoding="utf-8") as f:
            check(f.read() == report, "report --rules --format json differs from expected/report.json")
        print("ok - report --rules --format json as expected")

        table = run(cli, "--db", db, "report", "--rules").stdout
        if update:
            with open(os.path.join(expected, "report.table"), "w", encoding="utf-8") as f:
                f.write(table)
        with open(os.path.join(expected, "report.table"), encoding="utf-8") as f:
            check(f.read() == table, "report --rules differs from expected/report.table")
        run(cli, "--db", db, "report", status=2)
        run(cli, "--db", db, "report", "--rules", "--format", "xml", status=2)
        print("ok - report --rules (table) as expected; bad usage exits 2")

        # Usage errors and an unwritable target: exit statuses, nothing written.
        run(cli, "--db", db, "export", "dataset", status=2)
        run(cli, "--db", db, "export", "dataset", "--out", os.path.join(tmp, "x"),
            "--layout", "nope", status=2)
        blocker = os.path.join(tmp, "file")
        open(blocker, "w").close()
        run(cli, "--db", db, "export", "dataset", "--out", os.path.join(blocker, "sub"), status=3)
        print("ok - bad usage exits 2, an unwritable directory exits 3")
    except Failure as e:
        print("not ok - " + str(e))
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
