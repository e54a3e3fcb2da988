#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scaling curves, instruction counts and import against the sqlite3 shell.

The workload is compare/compare.py's (rising threshold trigger, a state
condition on another item of the same machine, a cooldown; 50 machines x 10
items of numeric samples), written by its generator. One event stream (its
own seed) is shared by every library size, so the series differ only in
the rules.

  1. events/s as the library grows (fixed events; a plant of 50 machines,
     where every rule added is one more candidate for the events of its
     machine and item, and a plant of 50,000 machines, where the rules are
     spread thin) and as the events grow (fixed library): Tacit engine alone (bench-engine, events in memory),
     Tacit end to end (tacit-cli replay --stats from the CSV file, library
     loading included) and CLIPS engine alone (facts built, on the first
     --clips-events events of the same stream, each run capped at
     --clips-timeout seconds). Peak RSS of the end-to-end replay.
  2. the ratio events/s at the largest library / at the smallest.
  3. instructions per event from valgrind --tool=callgrind.
  4. tacit-cli events import against sqlite3's .import --csv of the same CSV.

Every timing is the best of --repeats runs (CLIPS runs longer than 30 s are
run once). Charts (gnuplot, SVG) go to --img-dir; the figures are printed
and written as JSON to WORK/results.json.

  scaling.py --tacit-cli PATH --bench-engine PATH [--img-dir DIR] [--work DIR]
             [--rules N...] [--events N...] [--only PART...] [--no-clips] [--quick]
  scaling.py ... --img-dir DIR --charts-from RESULTS.json [--clips-from EARLIER.json]
"""
import argparse
import itertools
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "compare"))
import compare  # noqa: E402  (the one workload generator)

EVENT_SEED = 11


def log(msg):
    print(msg, flush=True)


# ------------------------------------------------------------ workload files

def library_path(work, n_rules, machines):
    d = os.path.join(work, "lib-%d-%dm" % (n_rules, machines))
    path = os.path.join(d, "library.xml")
    if not os.path.exists(path):
        os.makedirs(d, exist_ok=True)
        rules, _ = compare.workload(machines, n_rules, 0)
        compare.write_tacit(d, rules, [], machines)
    return path


def library_rules(n_rules, machines):
    return compare.workload(machines, n_rules, 0)[0]


def events_stream(n_events, machines):
    return compare.event_stream(random.Random(EVENT_SEED), machines, n_events)


def events_path(work, n_events, machines):
    d = os.path.join(work, "ev-%d-%dm" % (n_events, machines))
    path = os.path.join(d, "events.csv")
    if not os.path.exists(path):
        os.makedirs(d, exist_ok=True)
        start = time.monotonic()
        compare.write_tacit(d, [], events_stream(n_events, machines), machines)
        log("  (wrote %s events in %.0f s)" % (format(n_events, ","), time.monotonic() - start))
    return path


# ------------------------------------------------------------------- running

def run_measured(argv, timeout=None, **kw):
    """Runs argv; returns (stdout, wall seconds, peak RSS MiB) or None on timeout."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            text=True, **kw)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return None
    wall = time.monotonic() - start
    if proc.returncode != 0:
        raise RuntimeError("%s failed with status %d" % (argv[0], proc.returncode))
    return out, wall


def run_with_rss(argv):
    """Runs argv, stdout discarded; returns (wall seconds, peak RSS MiB)."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError("%s failed with status %d" % (argv[0], proc.returncode))
    return wall, usage.ru_maxrss / 1024.0


def best(n, fn):
    return min(fn() for _ in range(n))


def tacit_engine(args, lib, csv):
    """(engine seconds, library load seconds, suggestions), best of repeats."""
    runs = []
    for _ in range(args.repeats):
        out, _ = run_measured([args.bench_engine, lib, csv])
        engine = float(re.search(r"engine-alone ([0-9.]+)", out).group(1))
        load = float(re.search(r"load-library ([0-9.]+)", out).group(1))
        sugg = int(re.search(r"suggestions ([0-9]+)", out).group(1))
        runs.append((engine, load, sugg))
    return min(r[0] for r in runs), min(r[1] for r in runs), runs[0][2]


def tacit_end_to_end(args, lib, csv):
    """(wall seconds, peak RSS MiB) of tacit-cli replay --stats, best of repeats."""
    runs = [run_with_rss([args.tacit_cli, "replay", "--rules", lib, "--events", csv, "--stats"])
            for _ in range(args.repeats)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def clips_engine(args, work, n_rules, n_events, machines):
    """CLIPS seconds over the first n_events of the stream, or None past the cap."""
    d = os.path.join(work, "clips-%d-%dm" % (n_rules, machines))
    os.makedirs(d, exist_ok=True)
    events = itertools.islice(events_stream(n_events, machines), n_events)
    compare.write_clips(d, library_rules(n_rules, machines), events, False)
    secs = None
    for i in range(args.repeats):
        res = run_measured(["clips", "-f2", os.path.join(d, "run.clp")], timeout=args.clips_timeout)
        if res is None:
            break
        run = float(re.search(r"SECONDS ([0-9.e-]+)", res[0]).group(1))
        secs = run if secs is None else min(secs, run)
        if res[1] > 30:
            break
    shutil.rmtree(d)
    return secs


# ---------------------------------------------------------------- the parts

MEASURED = {}


def scaling(args, work, series, fixed, sizes, large_plant=False):
    rows = []
    for size in sizes:
        n_rules, n_events = (size, fixed) if series == "rules" else (fixed, size)
        machines = args.large_plant if large_plant else args.machines
        if (n_rules, n_events, machines) in MEASURED:     # a point two series share
            rows.append(MEASURED[(n_rules, n_events, machines)])
            log("%8s rules %10s events: as above" % (format(n_rules, ","), format(n_events, ",")))
            continue
        lib = library_path(work, n_rules, machines)
        csv = events_path(work, n_events, machines)
        engine, load, sugg = tacit_engine(args, lib, csv)
        e2e, rss = tacit_end_to_end(args, lib, csv)
        row = {"rules": n_rules, "events": n_events, "machines": machines, "suggestions": sugg,
               "engine_eps": n_events / engine, "load_s": load,
               "e2e_eps": n_events / e2e, "e2e_s": e2e, "rss_mib": rss,
               "e2e_without_load_eps": n_events / max(e2e - load, 1e-9)}
        # CLIPS: the first --clips-events events in the rules series; the
        # whole stream in the events series, up to --clips-max-events.
        clips_events = min(n_events, args.clips_events) if series == "rules" else n_events
        if args.clips and clips_events <= args.clips_max_events:
            clips_secs = clips_engine(args, work, n_rules, clips_events, machines)
            row["clips_events"] = clips_events
            row["clips_eps"] = clips_events / clips_secs if clips_secs else None
        log("%8s rules %10s events %6s machines: %s suggestions; engine %9.0f ev/s | end to end "
            "%9.0f ev/s (load %.2f s, %.0f ev/s without it), peak RSS %.1f MiB | CLIPS %s"
            % (format(n_rules, ","), format(n_events, ","), format(machines, ","), format(sugg, ","),
               row["engine_eps"], row["e2e_eps"],
               load, row["e2e_without_load_eps"], rss,
               "%.0f ev/s" % row["clips_eps"] if row.get("clips_eps")
               else "not run" if "clips_eps" not in row
               else "> %d s, not finished" % args.clips_timeout))
        rows.append(row)
        MEASURED[(n_rules, n_events, machines)] = row
    return rows


def callgrind_ir(argv, toggles, work):
    out = os.path.join(work, "callgrind.out")
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out]
    cmd += ["--toggle-collect=" + t for t in toggles]
    subprocess.run(cmd + argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(out) as f:
        text = f.read()
    os.unlink(out)
    return int(re.search(r"^(?:totals|summary): (\d+)", text, re.M).group(1))


def instructions(args, work):
    lib = library_path(work, args.callgrind_rules, args.machines)
    csv = events_path(work, args.callgrind_events, args.machines)
    n = args.callgrind_events
    engine = callgrind_ir([args.bench_engine, lib, csv],
                          ["tacit_engine_push", "tacit_engine_finish"], work)
    load = callgrind_ir([args.bench_engine, lib, csv], ["tacit_library_load_file"], work)
    e2e = callgrind_ir([args.tacit_cli, "replay", "--rules", lib, "--events", csv, "--stats"],
                       [], work)
    res = {"rules": args.callgrind_rules, "events": n, "engine_ir_per_event": engine / n,
           "e2e_ir_per_event": e2e / n, "load_ir": load,
           "e2e_without_load_ir_per_event": (e2e - load) / n}
    log("instructions (callgrind), %s rules x %s events: engine alone %.0f/event; end to end "
        "%.0f/event (%.0f/event without the library load of %s instructions)"
        % (format(args.callgrind_rules, ","), format(n, ","), res["engine_ir_per_event"],
           res["e2e_ir_per_event"], res["e2e_without_load_ir_per_event"], format(load, ",")))
    return res


def import_vs_sqlite(args, work):
    csv = events_path(work, args.import_events, args.machines)
    n = args.import_events

    def tacit():
        db = os.path.join(work, "import-tacit.db")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.unlink(db + suffix)
        _, wall = run_measured([args.tacit_cli, "--db", db, "events", "import", csv],
                               stderr=subprocess.DEVNULL)
        return wall

    def sqlite():
        db = os.path.join(work, "import-sqlite.db")
        if os.path.exists(db):
            os.unlink(db)
        _, wall = run_measured(["sqlite3", db, ".import --csv %s events_raw" % csv])
        return wall

    def sqlite_indexed():
        # The same CSV into a table with Tacit's (machine, time) index.
        db = os.path.join(work, "import-sqlite-indexed.db")
        if os.path.exists(db):
            os.unlink(db)
        _, wall = run_measured(["sqlite3", db,
                                "CREATE TABLE events_raw (time, machine, kind, item, value);",
                                "CREATE INDEX events_raw_machine_time ON events_raw (machine, time);",
                                ".import --csv --skip 1 %s events_raw" % csv])
        return wall

    t, s = best(args.repeats, tacit), best(args.repeats, sqlite)
    si = best(args.repeats, sqlite_indexed)
    res = {"events": n, "tacit_s": t, "sqlite_s": s, "ratio": t / s,
           "sqlite_indexed_s": si, "ratio_indexed": t / si}
    log("import %s events: tacit-cli events import %.2f s (%.0f ev/s); sqlite3 .import --csv "
        "%.2f s (%.0f ev/s); Tacit/sqlite3 time %.2fx (goal <= 1.5x); sqlite3 into a table "
        "with the (machine, time) index %.2f s, Tacit/that %.2fx"
        % (format(n, ","), t, n / t, s, n / s, t / s, si, t / si))
    return res


# ------------------------------------------------------------------- charts

GNUPLOT_COMMON = """
set terminal svg size 720,440 dynamic font 'sans,12' background '#ffffff'
set output '%(out)s'
set logscale x 10
set logscale y 10
set grid xtics ytics lc rgb '#dddddd'
set key outside bottom center horizontal
set format x "%%.0s%%c"
set format y "%%.0s%%c"
set xlabel '%(xlabel)s'
set ylabel 'events/s'
set title '%(title)s'
"""


def chart(args, path, rows, series, title):
    dat = path + ".dat"
    with open(dat, "w") as f:
        f.write("# %s engine_eps e2e_eps clips_eps rss_mib\n" % series)
        for r in rows:
            f.write("%d %.1f %.1f %s %.1f\n" % (r[series], r["engine_eps"], r["e2e_eps"],
                                                "%.1f" % r["clips_eps"] if r.get("clips_eps") else "NaN",
                                                r["rss_mib"]))
    script = GNUPLOT_COMMON % {"out": path, "title": title,
                               "xlabel": "rules in the library" if series == "rules" else "events replayed"}
    plots = ["'%s' using 1:2 with linespoints lw 2 pt 7 lc rgb '#1c71d8' title 'Tacit engine alone'" % dat,
             "'%s' using 1:3 with linespoints lw 2 pt 5 lc rgb '#26a269' title 'Tacit end to end (CSV, library load included)'" % dat]
    if any(r.get("clips_eps") for r in rows):
        plots.append("'%s' using 1:4 with linespoints lw 2 pt 9 lc rgb '#c01c28' title 'CLIPS engine alone'" % dat)
    if series == "events":
        script += "set y2label 'peak RSS, MiB (end to end)'\nset y2range [0:*]\nset y2tics\nset ytics nomirror\n"
        plots.append("'%s' using 1:5 axes x1y2 with linespoints lw 1 pt 4 lc rgb '#613583' "
                     "title 'peak RSS (right axis)'" % dat)
    script += "plot " + ", \\\n     ".join(plots) + "\n"
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    os.unlink(dat)
    log("chart: %s" % path)


def redraw_charts(args):
    with open(args.charts_from) as f:
        results = json.load(f)
    clips = {}
    if args.clips_from:
        with open(args.clips_from) as f:
            earlier = json.load(f)
        for series in ("rules", "plant", "events"):
            for r in earlier.get(series, []):
                clips[(r["rules"], r["events"], r.get("machines"))] = r.get("clips_eps")
    for series in ("rules", "plant", "events"):
        for r in results.get(series, []):
            key = (r["rules"], r["events"], r.get("machines"))
            if key in clips:
                r["clips_eps"] = clips[key]
    for series, name, title in (
            ("rules", "scaling-rules-fixed.svg", "events/s as the library grows (1,000,000 events, 50 machines)"),
            ("plant", "scaling-rules-large-plant.svg",
             "events/s as the library grows (1,000,000 events, 50,000 machines)"),
            ("events", "scaling-events.svg", "events/s and memory as the events grow (10,000 rules)")):
        if results.get(series):
            chart(args, os.path.join(args.img_dir, name), results[series],
                  "events" if series == "events" else "rules", title)


# --------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tacit-cli", required=True)
    ap.add_argument("--bench-engine", required=True)
    ap.add_argument("--img-dir", help="write the SVG charts here (needs gnuplot)")
    ap.add_argument("--work", help="keep the generated files here (default: a temporary directory)")
    ap.add_argument("--machines", type=int, default=50)
    ap.add_argument("--large-plant", type=int, default=50000,
                    help="machines of the large-plant series (rules spread over them)")
    ap.add_argument("--rules", type=int, nargs="+", default=[100, 1000, 10000, 100000])
    ap.add_argument("--fixed-events", type=int, default=1000000)
    ap.add_argument("--events", type=int, nargs="+", default=[100000, 1000000, 10000000])
    ap.add_argument("--fixed-rules", type=int, default=10000)
    ap.add_argument("--clips-events", type=int, default=200000)
    ap.add_argument("--clips-max-events", type=int, default=1000000,
                    help="no CLIPS run in the events series beyond this stream length")
    ap.add_argument("--clips-timeout", type=int, default=300)
    ap.add_argument("--no-clips", dest="clips", action="store_false")
    ap.add_argument("--callgrind-rules", type=int, default=1000)
    ap.add_argument("--callgrind-events", type=int, default=100000)
    ap.add_argument("--import-events", type=int, default=1000000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--only", nargs="+", choices=["rules", "plant", "events", "callgrind", "import"],
                    default=["rules", "plant", "events", "callgrind", "import"])
    ap.add_argument("--quick", action="store_true", help="small sizes, one run each (a smoke test)")
    ap.add_argument("--charts-from", metavar="RESULTS.json",
                    help="only draw the charts from a run's results (with --img-dir)")
    ap.add_argument("--clips-from", metavar="RESULTS.json",
                    help="with --charts-from: CLIPS figures from this (earlier) run")
    args = ap.parse_args()
    if args.charts_from:
        redraw_charts(args)
        return
    if args.quick:
        args.rules, args.fixed_events = [100, 1000], 20000
        args.events, args.fixed_rules = [10000, 20000], 1000
        args.clips_events, args.callgrind_events, args.import_events = 5000, 5000, 20000
        args.large_plant = 500
        args.repeats = 1
    if args.clips and not shutil.which("clips"):
        sys.exit("clips is not installed (Debian package clips), or pass --no-clips")

    work = args.work or tempfile.mkdtemp(prefix="tacit-scaling-")
    os.makedirs(work, exist_ok=True)
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    log("workload: compare.py's, %d machines x %d items; best of %d; load average %s"
        % (args.machines, compare.ITEMS, args.repeats, load))
    results = {"load_average_start": load, "repeats": args.repeats}
    try:
        for series, large in (("rules", False), ("plant", True)):
            if series not in args.only:
                continue
            what = "%s machines" % format(args.large_plant if large else args.machines, ",")
            log("== events/s as the library grows (%s events; %s)" % (format(args.fixed_events, ","), what))
            rows = results[series] = scaling(args, work, "rules", args.fixed_events, args.rules, large)
            lo, hi = rows[0], rows[-1]
            flat = results[series + "_flatness"] = {
                "engine": lo["engine_eps"] / hi["engine_eps"], "e2e": lo["e2e_eps"] / hi["e2e_eps"],
                "e2e_without_load": lo["e2e_without_load_eps"] / hi["e2e_without_load_eps"]}
            log("events/s at %s rules / at %s rules: engine alone %.1fx, end to end %.1fx "
                "(%.1fx without library loading); goal <= 2x"
                % (format(lo["rules"], ","), format(hi["rules"], ","), flat["engine"], flat["e2e"],
                   flat["e2e_without_load"]))
            if args.img_dir:
                chart(args, os.path.join(args.img_dir, "scaling-rules-%s.svg" % ("large-plant" if large else "fixed")),
                      rows, "rules", "events/s as the library grows (%s events, %s)"
                      % (format(args.fixed_events, ","), what))
        if "events" in args.only:
            log("== events/s as the events grow (%s rules)" % format(args.fixed_rules, ","))
            rows = results["events"] = scaling(args, work, "events", args.fixed_rules, args.events)
            if args.img_dir:
                chart(args, os.path.join(args.img_dir, "scaling-events.svg"), rows, "events",
                      "events/s and memory as the events grow (%s rules)" % format(args.fixed_rules, ","))
        if "callgrind" in args.only:
            results["callgrind"] = instructions(args, work)
        if "import" in args.only:
            results["import"] = import_vs_sqlite(args, work)
    finally:
        with open("/proc/loadavg") as f:
            results["load_average_end"] = " ".join(f.read().split()[:3])
        log("load average at the end: %s" % results["load_average_end"])
        if args.work:
            with open(os.path.join(work, "results.json"), "w") as f:
                json.dump(results, f, indent=1)
        else:
            shutil.rmtree(work)


if __name__ == "__main__":
    main()
