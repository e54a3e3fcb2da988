#!/usr/bin/env python3
# bench-plant.py: plant-scale figures (docs/architecture.md), `meson test
# --benchmark plant`:
#
# 1. messages per second the hub stores with 20 kiosks sending at once
#    (each starts with a backlog of ROUNDS rounds of traffic, made offline);
# 2. catch-up: a kiosk that was offline for an hour (and for a shift, and a
#    day) of normal traffic — 30 rounds an hour: 30 responses with their
#    latency update, 10 sign-ins, 6 held suggestions, 6 captures, 1.5 undos —
#    connects; the time from starting its process to the hub holding all of
#    it and its outbox being empty.
#
#   bench-plant.py TACIT_CLI PLANT_KIOSK [--kiosks N] [--rounds N]
#
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import getpass
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

MOSQUITTO = "/usr/sbin/mosquitto"
PLANT = "bench"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def count(path, sql, args=()):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        return db.execute(sql, args).fetchone()[0]
    finally:
        db.close()


def wait_until(predicate, timeout, step=0.05):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise RuntimeError("timed out")
        time.sleep(step)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tacit_cli")
    parser.add_argument("plant_kiosk")
    parser.add_argument("--kiosks", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    if not os.access(MOSQUITTO, os.X_OK):
        print("SKIP: mosquitto is not installed")
        return 77
    work = tempfile.mkdtemp(prefix="tacit-bench-plant-")
    port = free_port()
    url = f"mqtt://127.0.0.1:{port}"
    with open(os.path.join(work, "mosquitto.conf"), "w") as f:
        f.write(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence true\n"
                f"persistence_location {work}/\nmax_queued_messages 0\n"
                f"log_dest file {work}/mosquitto.log\nuser {getpass.getuser()}\n")
    broker = subprocess.Popen([MOSQUITTO, "-c", os.path.join(work, "mosquitto.conf")], cwd=work,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    hub = None
    procs = []
    total_stored = 0
    try:
        wait_until(lambda: port_open(port), 20)
        hub_db = os.path.join(work, "hub.db")
        subprocess.run([args.tacit_cli, "--db", hub_db, "init"], check=True, stdout=subprocess.DEVNULL)
        hub_log = open(os.path.join(work, "hub.log"), "w")
        hub = subprocess.Popen([args.tacit_cli, "--db", hub_db, "hub", "--mqtt", url, "--plant", PLANT,
                                "--status", "1"], stdout=hub_log, stderr=subprocess.STDOUT)
        # The hub's session must exist before kiosks publish: the broker
        # queues only for subscriptions it knows.
        wait_until(lambda: " connected;" in open(os.path.join(work, "hub.log")).read(), 20)
        stored = lambda: count(hub_db, "SELECT count(*) FROM received_messages")

        # 1. Throughput with N kiosks at once.
        names = [f"kiosk-{i:02d}" for i in range(args.kiosks)]
        makers = [subprocess.Popen([args.plant_kiosk, "--db", os.path.join(work, n + ".db"), "--plant", PLANT,
                                    "--kiosk", n, "--backlog", str(args.rounds)],
                                   stdout=subprocess.DEVNULL) for n in names]
        for m in makers:
            if m.wait() != 0:
                raise RuntimeError("plant-kiosk failed making a backlog")
        total = sum(count(os.path.join(work, n + ".db"), "SELECT count(*) FROM outbox") for n in names)
        t0 = time.monotonic()
        procs = [subprocess.Popen([args.plant_kiosk, "--db", os.path.join(work, n + ".db"), "--plant", PLANT,
                                   "--kiosk", n, "--mqtt", url], stdout=subprocess.DEVNULL) for n in names]
        wait_until(lambda: stored() >= total, 600, 0.1)
        elapsed = time.monotonic() - t0
        print(f"throughput: {args.kiosks} kiosks, {total} messages queued offline, all stored by the hub "
              f"in {elapsed:.2f} s: {total / elapsed:.0f} messages/s")
        for p in procs:
            p.terminate()
            p.wait()
        procs = []
        if stored() != total:
            raise RuntimeError(f"hub stored {stored()} of {total}")

        # 2. Catch-up after an hour, a shift, a day offline.
        for label, rounds in (("1 hour", 30), ("8 hours", 240), ("24 hours", 720)):
            name = "offline-" + label.replace(" ", "")
            db = os.path.join(work, name + ".db")
            subprocess.run([args.plant_kiosk, "--db", db, "--plant", PLANT, "--kiosk", name,
                            "--backlog", str(rounds)], check=True, stdout=subprocess.DEVNULL)
            queued = count(db, "SELECT count(*) FROM outbox")
            before = stored()
            t0 = time.monotonic()
            p = subprocess.Popen([args.plant_kiosk, "--db", db, "--plant", PLANT, "--kiosk", name, "--mqtt", url],
                                 stdout=subprocess.DEVNULL)
            procs = [p]
            wait_until(lambda: stored() - before >= queued and count(db, "SELECT count(*) FROM outbox") == 0,
                       300, 0.02)
            elapsed = time.monotonic() - t0
            print(f"catch-up: {label} offline ({queued} messages) sent and stored in {elapsed:.2f} s "
                  f"(process start and connection included)")
            p.terminate()
            p.wait()
            procs = []
        total_stored = stored()
    finally:
        for p in procs:
            p.kill()
        if hub is not None:
            hub.terminate()
            _, _, usage = os.wait4(hub.pid, 0)
            hub.returncode = 0
            if total_stored:
                print(f"hub process: {usage.ru_utime + usage.ru_stime:.1f} s of CPU for "
                      f"{total_stored} messages ({(usage.ru_utime + usage.ru_stime) * 1e6 / total_stored:.0f} µs each), "
                      f"peak RSS {usage.ru_maxrss / 1024:.0f} MB")
        broker.terminate()
        broker.wait()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
