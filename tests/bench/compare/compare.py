#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tacit side by side with CLIPS and json-rules-engine on one workload.

One synthetic workload — machines reporting numeric samples; rules with a
rising threshold trigger on one item, a state condition on another item of
the same machine, and a cooldown — expressed three ways:

  * a Tacit rule library + CSV event file,
  * a CLIPS program: event facts, one defrule per rule (plus the rules that
    keep the latest values, the previous match and the cooldown), a clock
    fact that walks the events in order,
  * a json-rules-engine setup: one rule per Tacit rule; the harness keeps
    the latest values and passes them as facts, and keeps the rise and
    cooldown state that json-rules-engine has no notion of.

First the three must agree: the same firings on a small workload. Then each
is timed on the large one, engine alone (events already in memory) and, for
Tacit, end to end from the CSV file.

  compare.py --tacit-cli PATH --bench-engine PATH [--rules N] [--events N]
             [--jre-rules N] [--jre-events N] [--check-only]
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

ITEMS = 10


def workload(n_machines, n_rules, n_events, seed=7):
    rng = random.Random(seed)
    rules = []
    for r in range(n_rules):
        m = r % n_machines
        a = rng.randrange(ITEMS)
        b = (a + 1 + rng.randrange(ITEMS - 1)) % ITEMS
        rules.append({
            "id": "r%06d" % r, "machine": "m%03d" % m,
            "trigger_item": "i%d" % a, "threshold": 60 + rng.randrange(30),
            "state_item": "i%d" % b, "state_min": 30 + rng.randrange(40),
            "cooldown": rng.choice([0, 30, 120]),
        })
    return rules, list(event_stream(rng, n_machines, n_events))


def event_stream(rng, n_machines, n_events):
    """The events one at a time (tests/bench/scaling.py streams millions)."""
    level = {}
    t = 0
    for _ in range(n_events):
        m = rng.randrange(n_machines)
        i = rng.randrange(ITEMS)
        v = level.get((m, i), 50) + rng.randint(-4, 4)
        v = max(0, min(100, v))
        level[(m, i)] = v
        t += rng.randint(1, 400)           # milliseconds
        yield (t, "m%03d" % m, "i%d" % i, v)


def iso(ms):
    # From 2026-11-02T06:00Z; days roll over (calendar of November 2026).
    s, ms = divmod(ms, 1000)
    d, s = divmod(6 * 3600 + s, 86400)
    month, day = (11, 2 + d) if d < 29 else (12, d - 28)
    assert month == 11 or day <= 31, "workload longer than two months"
    return "2026-%02d-%02dT%02d:%02d:%02d.%03dZ" % (month, day, s // 3600, s // 60 % 60, s % 60, ms)


# ---------------------------------------------------------------- Tacit

def write_tacit(d, rules, events, n_machines):
    with open(os.path.join(d, "library.xml"), "w") as f:
        f.write("<library xmlns='urn:tacit:rules:1' name='compare'>\n<machines>")
        for m in range(n_machines):
            f.write("<machine id='m%03d'/>" % m)
        f.write("</machines>\n")
        for r in rules:
            f.write("<rule id='%s' kind='process-hack' status='approved'><title>t</title>"
                    "<scope machine='%s'/>"
                    "<on kind='sample' item='%s' op='gt' value='%d'/>"
                    "<if><state item='%s' op='gt' value='%d'/></if>"
                    "<advise cooldown='%ds'><text>x</text></advise></rule>\n"
                    % (r["id"], r["machine"], r["trigger_item"], r["threshold"],
                       r["state_item"], r["state_min"], r["cooldown"]))
        f.write("</library>\n")
    with open(os.path.join(d, "events.csv"), "w") as f:
        f.write("time,machine,kind,item,value\n")
        for t, m, i, v in events:
            f.write("%s,%s,sample,%s,%d\n" % (iso(t), m, i, v))


def tacit_firings(cli, d):
    out = subprocess.run([cli, "replay", "--rules", os.path.join(d, "library.xml"),
                          "--events", os.path.join(d, "events.csv")],
                         capture_output=True, text=True, check=True).stdout
    firings = set()
    for line in out.splitlines():
        s = json.loads(line)
        firings.add((s["time"], s["machine"], s["rule"]))
    return firings


def tacit_times(cli, bench_engine, d):
    res = subprocess.run([bench_engine, os.path.join(d, "library.xml"), os.path.join(d, "events.csv")],
                         capture_output=True, text=True, check=True).stdout
    engine = float(re.search(r"engine-alone ([0-9.]+)", res).group(1))
    start = time.monotonic()
    subprocess.run([cli, "replay", "--rules", os.path.join(d, "library.xml"),
                    "--events", os.path.join(d, "events.csv"), "--stats"],
                   stdout=subprocess.DEVNULL, check=True)
    return engine, time.monotonic() - start


# ---------------------------------------------------------------- CLIPS

CLIPS_HEADER = """
(deftemplate ev (slot t) (slot m) (slot i) (slot v))
(deftemplate event (slot t) (slot m) (slot i) (slot v))
(deftemplate latest (slot m) (slot i) (slot v))
(deftemplate matched (slot r) (slot m))
(deftemplate lastfire (slot r) (slot m) (slot t))
(defglobal ?*firings* = 0 ?*log* = FALSE ?*start* = 0 ?*queue* = (create$))

; The latest value of every item, updated before any rule looks (SPEC:
; conditions include the trigger event).
(defrule latest-update (declare (salience 100))
  (event (m ?m) (i ?i) (v ?v))
  ?l <- (latest (m ?m) (i ?i) (v ~?v))
  => (modify ?l (v ?v)))
(defrule latest-new (declare (salience 100))
  (event (m ?m) (i ?i) (v ?v))
  (not (latest (m ?m) (i ?i)))
  => (assert (latest (m ?m) (i ?i) (v ?v))))

; The stream: the events are facts already (ev, in file order); each is
; asserted as the current event, the rules run, and it is retracted.
(deffunction play ()
  (foreach ?f ?*queue*
    (bind ?e (assert (event (t (fact-slot-value ?f t)) (m (fact-slot-value ?f m))
                            (i (fact-slot-value ?f i)) (v (fact-slot-value ?f v)))))
    (run)
    (retract ?e)))
"""


def clips_rule(r):
    # fire: rises (no 'matched' fact yet), state holds, out of cooldown;
    # track-on/off keep 'matched' as the previous event's match.
    c = r["cooldown"] * 1000
    rid, m, a, b = r["id"], r["machine"], r["trigger_item"], r["state_item"]
    return """(defrule %(id)s (declare (salience 10))
  (event (t ?t) (m %(m)s) (i %(a)s) (v ?v&:(> ?v %(th)d)))
  (not (matched (r %(id)s) (m %(m)s)))
  (latest (m %(m)s) (i %(b)s) (v ?w&:(> ?w %(sm)d)))
  ?lf <- (lastfire (r %(id)s) (m %(m)s) (t ?lt&:(>= ?t (+ ?lt %(c)d))))
  =>
  (bind ?*firings* (+ ?*firings* 1))
  (if ?*log* then (printout t "F " ?t " %(m)s %(id)s" crlf))
  ; matched now, so the modified cooldown record cannot fire it again
  (assert (matched (r %(id)s) (m %(m)s)))
  (modify ?lf (t ?t)))
(defrule %(id)s-on (declare (salience 5))
  (event (m %(m)s) (i %(a)s) (v ?v&:(> ?v %(th)d)))
  (not (matched (r %(id)s) (m %(m)s)))
  => (assert (matched (r %(id)s) (m %(m)s))))
(defrule %(id)s-off (declare (salience 5))
  (event (m %(m)s) (i %(a)s) (v ?v&:(<= ?v %(th)d)))
  ?f <- (matched (r %(id)s) (m %(m)s))
  => (retract ?f))
""" % {"id": rid, "m": m, "a": a, "b": b, "th": r["threshold"], "sm": r["state_min"], "c": c}


def write_clips(d, rules, events, log):
    with open(os.path.join(d, "rules.clp"), "w") as f:
        f.write(CLIPS_HEADER)
        # One cooldown record per rule, long expired at the start.
        f.write("(deffacts cooldowns\n")
        for r in rules:
            f.write("  (lastfire (r %s) (m %s) (t -1000000000))\n" % (r["id"], r["machine"]))
        f.write(")\n")
        for r in rules:
            f.write(clips_rule(r))
    with open(os.path.join(d, "events.fct"), "w") as f:
        for t, m, i, v in events:
            f.write("(ev (t %d) (m %s) (i %s) (v %d))\n" % (t, m, i, v))
    with open(os.path.join(d, "run.clp"), "w") as f:
        f.write("(load* %s)\n" % json.dumps(os.path.join(d, "rules.clp")))
        f.write("(reset)\n")
        f.write("(bind ?*log* %s)\n" % ("TRUE" if log else "FALSE"))
        f.write("(load-facts %s)\n" % json.dumps(os.path.join(d, "events.fct")))
        f.write("(bind ?*queue* (find-all-facts ((?f ev)) TRUE))\n")
        f.write("(bind ?*start* (time))\n(play)\n")
        f.write("(printout t \"SECONDS \" (- (time) ?*start*) \" FIRINGS \" ?*firings* crlf)\n(exit)\n")


def run_clips(d, events, rules, log):
    write_clips(d, rules, events, log)
    out = subprocess.run(["clips", "-f2", os.path.join(d, "run.clp")], stdin=subprocess.DEVNULL,
                         capture_output=True, text=True, check=True).stdout
    firings = set()
    for line in out.splitlines():
        if line.startswith("F "):
            _, t, m, rid = line.split()
            firings.add((iso(int(t)), m, rid))
    secs = float(re.search(r"SECONDS ([0-9.e-]+)", out).group(1))
    return firings, secs


# ------------------------------------------------------ json-rules-engine

JRE_HARNESS = r"""
const { Engine } = require('json-rules-engine');
const fs = require('fs');
const [,, rulesPath, eventsPath, log] = process.argv;
const rules = JSON.parse(fs.readFileSync(rulesPath));
const events = JSON.parse(fs.readFileSync(eventsPath));
const engine = new Engine([], { allowUndefinedFacts: true });
const byId = {};
for (const r of rules) {
  byId[r.id] = r;
  engine.addRule({
    name: r.id,
    conditions: { all: [
      { fact: 'machine', operator: 'equal', value: r.machine },
      { fact: 'item', operator: 'equal', value: r.trigger_item },
      { fact: 'value', operator: 'greaterThan', value: r.threshold },
      { fact: 'latest', path: '$.' + r.state_item, operator: 'greaterThan', value: r.state_min },
    ] },
    event: { type: r.id },
  });
}
(async () => {
  const latest = {}, matched = {}, lastFire = {};
  let firings = 0;
  const start = process.hrtime.bigint();
  for (const [t, m, i, v] of events) {
    latest[m] = latest[m] || {};
    latest[m][i] = v;
    const { events: fired } = await engine.run({ machine: m, item: i, value: v, latest: latest[m] });
    const firedIds = new Set(fired.map(e => e.type));
    // Rise and cooldown are the harness's: json-rules-engine keeps no state.
    for (const r of rules) {
      if (r.machine !== m || r.trigger_item !== i) continue;
      const key = r.id + '/' + m;
      const was = matched[key] || false;
      matched[key] = v > r.threshold;
      if (!firedIds.has(r.id) || was) continue;
      if (lastFire[key] !== undefined && t < lastFire[key] + r.cooldown * 1000) continue;
      lastFire[key] = t;
      firings++;
      if (log === '1') console.log('F ' + t + ' ' + m + ' ' + r.id);
    }
  }
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  console.log('SECONDS ' + secs + ' FIRINGS ' + firings);
})();
"""


def run_jre(d, jre_dir, rules, events, log):
    with open(os.path.join(d, "jre-rules.json"), "w") as f:
        json.dump(rules, f)
    with open(os.path.join(d, "jre-events.json"), "w") as f:
        json.dump(events, f)
    harness = os.path.join(jre_dir, "harness.js")
    with open(harness, "w") as f:
        f.write(JRE_HARNESS)
    out = subprocess.run(["node", harness, os.path.join(d, "jre-rules.json"),
                          os.path.join(d, "jre-events.json"), "1" if log else "0"],
                         capture_output=True, text=True, check=True, cwd=jre_dir).stdout
    firings = set()
    for line in out.splitlines():
        if line.startswith("F "):
            _, t, m, rid = line.split()
            firings.add((iso(int(t)), m, rid))
    return firings, float(re.search(r"SECONDS ([0-9.e-]+)", out).group(1))


# ------------------------------------------------------------------ main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tacit-cli", required=True)
    ap.add_argument("--bench-engine", required=True)
    ap.add_argument("--jre-dir", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "node"))
    ap.add_argument("--machines", type=int, default=50)
    ap.add_argument("--rules", type=int, nargs="+", default=[2000, 10000])
    ap.add_argument("--events", type=int, default=200000)
    ap.add_argument("--jre-rules", type=int, default=2000)
    ap.add_argument("--jre-events", type=int, default=200)
    ap.add_argument("--check-only", action="store_true")
    args = ap.parse_args()
    have_jre = os.path.isdir(os.path.join(args.jre_dir, "node_modules", "json-rules-engine"))
    if not shutil.which("clips"):
        sys.exit("clips is not installed (Debian package clips)")

    with tempfile.TemporaryDirectory() as d:
        # 1. Agreement on a small workload.
        rules, events = workload(5, 100, 10000)
        write_tacit(d, rules, events, 5)
        tacit = tacit_firings(args.tacit_cli, d)
        clips, _ = run_clips(d, events, rules, True)
        print("agreement, 100 rules × 10,000 events: Tacit %d firings, CLIPS %d%s"
              % (len(tacit), len(clips), ", same" if tacit == clips else ", DIFFERENT"))
        ok = tacit == clips and len(tacit) > 0
        if have_jre:
            jre, _ = run_jre(d, args.jre_dir, rules, events, True)
            print("agreement: json-rules-engine %d firings%s"
                  % (len(jre), ", same" if jre == tacit else ", DIFFERENT"))
            ok = ok and jre == tacit
        else:
            print("json-rules-engine is not installed in %s (npm install there)" % args.jre_dir)
        if not ok:
            sys.exit(1)
        if args.check_only:
            return

        # 2. Throughput on the large workload, one run each.
        for n_rules in args.rules:
            rules, events = workload(args.machines, n_rules, args.events)
            write_tacit(d, rules, events, args.machines)
            engine, end_to_end = tacit_times(args.tacit_cli, args.bench_engine, d)
            _, clips_secs = run_clips(d, events, rules, False)
            n = len(events)
            print("%6d rules, %d events: Tacit engine alone %.0f ev/s, end to end %.0f ev/s; "
                  "CLIPS engine alone %.0f ev/s; Tacit/CLIPS %.1f× engine, %.1f× end to end"
                  % (n_rules, n, n / engine, n / end_to_end, n / clips_secs,
                     clips_secs / engine, clips_secs / end_to_end))
        if have_jre:
            rules, events = workload(args.machines, args.jre_rules, args.jre_events)
            write_tacit(d, rules, events, args.machines)
            _, jre_secs = run_jre(d, args.jre_dir, rules, events, False)
            rules_big, events_big = workload(args.machines, args.jre_rules, args.events)
            write_tacit(d, rules_big, events_big, args.machines)
            engine, _ = tacit_times(args.tacit_cli, args.bench_engine, d)
            print("%6d rules: json-rules-engine %.0f ev/s (%d events); Tacit %.0f ev/s; Tacit/jre %.0f×"
                  % (args.jre_rules, len(events) / jre_secs, len(events), len(events_big) / engine,
                     (len(events_big) / engine) / (len(events) / jre_secs)))


if __name__ == "__main__":
    main()
