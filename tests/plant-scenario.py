#!/usr/bin/env python3
# plant-scenario.py: a plant on loopback (issue 9, docs/architecture.md).
#
# Mosquitto (persistence on), the hub (`tacit-cli hub`) and 20 simulated
# kiosk processes (plant-kiosk: real core functions, each with its own
# kiosk database and plant link) run traffic. Mid-traffic the broker is
# stopped for 30 s and restarted; one kiosk is stopped (SIGSTOP) for 60 s
# and resumed; a new library revision is imported into the hub's database.
# Afterwards the hub holds exactly every message each kiosk created (per
# kiosk and type, from each kiosk's database), no row twice, and every
# kiosk's store has the revision the hub published last, with its rules.
#
#   plant-scenario.py TACIT_CLI PLANT_KIOSK     (exit 0 pass, 1 fail, 77 skip)
#
# SPDX-License-Identifier: GPL-3.0-or-later
import getpass
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

N_KIOSKS = int(os.environ.get("TACIT_PLANT_KIOSKS", "20"))
TRAFFIC_S = 95
INTERVAL_MS = 400
MOSQUITTO = "/usr/sbin/mosquitto"
PLANT = "plant-s"

LIBRARY = """<?xml version="1.0" encoding="UTF-8"?>
<library xmlns="urn:tacit:rules:1" name="Scenario plant" revision="{revision}">
  <machines><machine id="press-1" name="Press 1" class="press" cell="stamping"/></machines>
  <rule id="accumulator" kind="alarm-response" status="approved">
    <title>{title}</title>
    <on kind="condition" item="hydraulic" value="fault" code="E1234"/>
    <advise severity="warning"><text>{title}</text></advise>
  </rule>
  <rule id="coil-b" kind="material-note" status="approved">
    <title>Supplier B coil runs hard</title>
    <on kind="event" item="material_supplier" value="B"/>
    <advise><text>Watch the die on supplier B coil</text></advise>
  </rule>
</library>
"""


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


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


class Broker:
    def __init__(self, directory):
        self.dir = directory
        self.port = free_port()
        self.conf = os.path.join(directory, "mosquitto.conf")
        with open(self.conf, "w") as f:
            f.write(f"listener {self.port} 127.0.0.1\nallow_anonymous true\n"
                    f"persistence true\npersistence_location {directory}/\n"
                    f"autosave_interval 5\nmax_queued_messages 0\n"
                    f"log_dest file {directory}/mosquitto.log\n"
                    # As root, mosquitto would drop to the user 'mosquitto', who can
                    # write neither its log nor its persistence file here.
                    f"user {getpass.getuser()}\n")
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen([MOSQUITTO, "-c", self.conf], cwd=self.dir,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while not port_open(self.port):
            if time.monotonic() > deadline:
                raise RuntimeError("mosquitto did not start")
            time.sleep(0.05)

    def stop(self):
        if self.proc is not None:
            self.proc.terminate()      # mosquitto saves its persistence on SIGTERM
            self.proc.wait(timeout=30)
            self.proc = None


def query(path, sql, args=()):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def make_kiosk_db(tacit_cli, path, name):
    """A kiosk database with a ledger: a copy of every message id the outbox
    ever held (the outbox itself is emptied as the broker acknowledges)."""
    subprocess.run([tacit_cli, "--db", path, "kiosk-link", "--plant", PLANT, "--kiosk", name],
                   check=True, stdout=subprocess.DEVNULL)
    db = sqlite3.connect(path)
    db.executescript("CREATE TABLE ledger (message_id TEXT PRIMARY KEY, type TEXT NOT NULL);"
                     "CREATE TRIGGER ledger AFTER INSERT ON outbox BEGIN"
                     " INSERT INTO ledger VALUES (NEW.message_id, NEW.type); END;")
    db.close()


def kiosk_counts(path):
    """What a kiosk created, by message type."""
    return dict(query(path, "SELECT type, count(*) FROM ledger GROUP BY type"))


def main():
    tacit_cli, plant_kiosk = sys.argv[1], sys.argv[2]
    if not os.access(MOSQUITTO, os.X_OK):
        print("SKIP: mosquitto is not installed")
        return 77
    work = tempfile.mkdtemp(prefix="tacit-plant-")
    broker = Broker(work)
    hub = None
    kiosks = []
    failures = []
    started = time.monotonic()
    try:
        broker.start()
        url = f"mqtt://127.0.0.1:{broker.port}"
        hub_db = os.path.join(work, "hub.db")
        lib1 = os.path.join(work, "library-1.xml")
        lib2 = os.path.join(work, "library-2.xml")
        with open(lib1, "w") as f:
            f.write(LIBRARY.format(revision=1, title="Check the accumulator"))
        with open(lib2, "w") as f:
            f.write(LIBRARY.format(revision=1, title="Check the accumulator, then the relief valve"))
        subprocess.run([tacit_cli, "--db", hub_db, "rules", "import", lib1], check=True,
                       stdout=subprocess.DEVNULL)
        hub_log = open(os.path.join(work, "hub.log"), "w")
        hub = subprocess.Popen([tacit_cli, "--db", hub_db, "hub", "--mqtt", url, "--plant", PLANT,
                                "--status", "10"], stdout=hub_log, stderr=subprocess.STDOUT)
        for i in range(N_KIOSKS):
            name = f"kiosk-{i:02d}"
            make_kiosk_db(tacit_cli, os.path.join(work, name + ".db"), name)
            out = open(os.path.join(work, name + ".log"), "w")
            proc = subprocess.Popen([plant_kiosk, "--db", os.path.join(work, name + ".db"),
                                     "--mqtt", url, "--plant", PLANT, "--kiosk", name,
                                     "--interval-ms", str(INTERVAL_MS), "--duration", str(TRAFFIC_S)],
                                    stdout=out, stderr=subprocess.STDOUT)
            kiosks.append((name, proc))
        log(f"broker on {broker.port}, hub and {N_KIOSKS} kiosks started")

        t0 = time.monotonic()
        at = lambda s: time.sleep(max(0.0, t0 + s - time.monotonic()))
        cut = kiosks[0]
        at(5)
        os.kill(cut[1].pid, signal.SIGSTOP)
        log(f"{cut[0]} stopped (SIGSTOP)")
        at(12)
        broker.stop()
        log("broker stopped")
        at(42)
        broker.start()
        log("broker restarted after 30 s")
        at(50)
        subprocess.run([tacit_cli, "--db", hub_db, "rules", "import", lib2], check=True,
                       stdout=subprocess.DEVNULL)
        new_title = "Check the accumulator, then the relief valve"
        log("library revision 2 imported into the hub database")
        at(65)
        os.kill(cut[1].pid, signal.SIGCONT)
        log(f"{cut[0]} resumed after 60 s")
        at(TRAFFIC_S + 1)
        log("traffic over; waiting for every outbox to drain")

        # Everything drains: every outbox empty, every kiosk on the new library.
        deadline = time.monotonic() + 100
        while True:
            pending = sum(query(os.path.join(work, n + ".db"), "SELECT count(*) FROM outbox")[0][0]
                          for n, _ in kiosks)
            titles = [query(os.path.join(work, n + ".db"),
                            "SELECT title FROM rules WHERE id = 'accumulator' ORDER BY revision DESC LIMIT 1")
                      for n, _ in kiosks]
            behind = sum(1 for t in titles if not t or t[0][0] != new_title)
            if pending == 0 and behind == 0:
                break
            if time.monotonic() > deadline:
                failures.append(f"not drained: {pending} messages waiting, {behind} kiosks without the new library")
                break
            time.sleep(1)
        log(f"drained after {time.monotonic() - t0 - TRAFFIC_S:.0f} s")
        time.sleep(2)    # the hub stores what it has taken off the network

        for name, proc in kiosks:
            proc.terminate()
        for name, proc in kiosks:
            proc.wait(timeout=30)
        hub.terminate()
        hub.wait(timeout=30)
        hub_log.close()
        summary = open(os.path.join(work, "hub.log")).read()
        published = re.findall(r"library revision (\d+) published", summary)
        if not published:
            failures.append("the hub printed no summary:\n" + summary)
            return 1
        published = int(published[-1])

        # Per kiosk and type: the hub stored exactly what the kiosk created.
        total_created = 0
        busy_retries = 0
        for name, proc in kiosks:
            path = os.path.join(work, name + ".db")
            created = kiosk_counts(path)
            total_created += sum(created.values())
            rows = dict(query(hub_db, "SELECT type, count(*) FROM received_messages"
                                      " WHERE kiosk = ? AND status = 'stored' GROUP BY type", (name,)))
            for kind in set(created) | set(rows):
                if rows.get(kind, 0) != created.get(kind, 0):
                    failures.append(f"{name} {kind}: created {created.get(kind, 0)}, hub stored {rows.get(kind, 0)}")
            ids = {r[0] for r in query(path, "SELECT message_id FROM ledger")}
            hub_ids = {r[0] for r in query(hub_db, "SELECT message_id FROM received_messages WHERE kiosk = ?", (name,))}
            if ids != hub_ids:
                failures.append(f"{name}: {len(ids - hub_ids)} message ids never stored, {len(hub_ids - ids)} unknown")
            other = query(hub_db, "SELECT status, count(*) FROM received_messages"
                                  " WHERE kiosk = ? AND status != 'stored' GROUP BY status", (name,))
            if other:
                failures.append(f"{name}: messages not stored: {other}")
            revision = query(path, "SELECT library_revision FROM plant_kiosk")[0][0]
            if revision != published:
                failures.append(f"{name}: library revision {revision}, the hub published {published}")
            output = open(os.path.join(work, name + ".log")).read()
            m = re.search(r"busy retries (\d+)", output)
            if m:
                busy_retries += int(m.group(1))
            else:
                failures.append(f"{name} did not finish its traffic: {output.strip()}")

        # No row twice: the hub's tables hold the sum of the kiosks' rows.
        for table, where in (("responses", ""), ("sign_ins", ""), ("held_suggestions", ""),
                             ("rules", " WHERE saved_by = 'op-117'")):
            kiosk_rows = sum(query(os.path.join(work, n + ".db"), f"SELECT count(*) FROM {table}{where}")[0][0]
                             for n, _ in kiosks)
            hub_rows = query(hub_db, f"SELECT count(*) FROM {table}{where}")[0][0]
            if kiosk_rows != hub_rows:
                failures.append(f"{table}: kiosks hold {kiosk_rows} rows, the hub {hub_rows}")
        received = query(hub_db, "SELECT count(*) FROM received_messages")[0][0]
        duplicates = re.findall(r"duplicates (\d+)", summary)
        log(f"{total_created} messages created by {N_KIOSKS} kiosks, {received} stored by the hub, "
            f"{duplicates[-1] if duplicates else '?'} redeliveries recognised; library revision "
            f"{published} on every kiosk; {busy_retries} kiosk writes retried after a busy timeout; "
            f"{time.monotonic() - started:.0f} s in all")
        if total_created < N_KIOSKS * 100:
            failures.append(f"too little traffic to prove anything: {total_created}")
    finally:
        for name, proc in kiosks:
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGCONT)
                proc.kill()
        if hub is not None and hub.poll() is None:
            hub.kill()
        broker.stop()
        if failures:
            for name in ("mosquitto.log", "hub.log"):
                path = os.path.join(work, name)
                if os.path.exists(path):
                    print(f"{name} (tail):\n" + "".join(open(path).readlines()[-20:]))
    for failure in failures:
        print("FAIL: " + failure)
    if not failures:
        shutil.rmtree(work, ignore_errors=True)
        print("PASS")
        return 0
    print(f"(kept {work})")
    return 1


if __name__ == "__main__":
    sys.exit(main())
