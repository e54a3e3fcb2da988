#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes data/demo/shift.csv: Tacit's own simulated morning shift of a
stamping line (press-1..3) and a machining cell (cnc-1, cnc-2).

Deterministic (fixed seed): run it again and the file is identical. The
physics is plausible, not real: oil warms up over the shift, supplier-B coil
makes the presses work harder, hot oil with B coil brings hydraulic E1234
faults and scrap; spindles overload on a hard program and tools wear.

  python3 data/demo/make-shift.py > data/demo/shift.csv
"""
import random
import sys
from datetime import datetime, timedelta, timezone

START = datetime(2026, 11, 2, 6, 0, 0, tzinfo=timezone.utc)
HOURS = 4
rng = random.Random(4471)
rows = []


def emit(t, machine, kind, item, value, code="", text=""):
    rows.append((t, len(rows), machine, kind, item, value, code, text))


def stamp(t):
    moment = START + timedelta(milliseconds=int(round(t * 1000)))
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


COILS = [("L4470", "A"), ("L4471", "B"), ("L4472", "B"), ("L4473", "C"), ("L4474", "A"), ("L4475", "B")]


def press(name, offset):
    oil = 38.0 + rng.uniform(-2, 2)
    coil = offset % len(COILS)
    lot, supplier = COILS[coil]
    parts = 0
    fault = False
    speed = 100
    emit(0.0, name, "event", "program", "STAMP-%s" % name[-1])
    emit(0.0, name, "event", "material_lot", lot)
    emit(0.0, name, "event", "material_supplier", supplier)
    emit(0.0, name, "event", "ram_speed", str(speed))
    emit(0.0, name, "condition", "hydraulic", "normal")
    t = rng.uniform(0, 10)
    next_coil = 3600 * rng.uniform(0.6, 1.2)
    while t < HOURS * 3600:
        warm = min(1.0, t / 5400.0)
        hard = 1.0 if supplier == "B" else 0.0
        oil += (38 + 20 * warm + 3 * hard - oil) * 0.02 + rng.gauss(0, 0.4)
        emit(t, name, "sample", "oil_temp", "%.1f" % oil)
        tonnage = 240 + 25 * hard + rng.gauss(0, 6)
        emit(t + 0.2, name, "sample", "tonnage", "%.0f" % tonnage)
        if int(t) % 30 < 10:
            emit(t + 0.4, name, "sample", "die_temp", "%.1f" % (oil + 12 + rng.gauss(0, 1)))
        parts += rng.randint(3, 5)
        if int(t) % 60 < 10:
            emit(t + 0.6, name, "event", "part_count", str(parts))
        risk = 0.004 + (0.05 if oil > 55 and supplier == "B" else 0) + (0.01 if oil < 30 else 0)
        if not fault and rng.random() < risk:
            fault = True
            emit(t + 1.0, name, "condition", "hydraulic", "fault", "E1234", "Hydraulic pressure low")
            if oil > 55 and supplier == "B" and rng.random() < 0.6:
                emit(t + 4.0, name, "event", "scrap_count", str(rng.randint(1, 4)))
        elif fault and rng.random() < 0.5:
            fault = False
            emit(t + 1.5, name, "condition", "hydraulic", "normal")
        if t > next_coil:
            coil = (coil + 1) % len(COILS)
            lot, supplier = COILS[coil]
            emit(t + 2.0, name, "event", "material_lot", lot)
            emit(t + 2.0, name, "event", "material_supplier", supplier)
            next_coil = t + 3600 * rng.uniform(0.7, 1.3)
        if rng.random() < 0.01:
            speed = 95 if speed == 100 else 100
            emit(t + 3.0, name, "event", "ram_speed", str(speed))
        t += 10 + rng.uniform(-0.5, 0.5)


def cnc(name, offset):
    tool = 1
    wear = 0.0
    program = "O1001"
    fault = False
    emit(0.0, name, "event", "program", program)
    emit(0.0, name, "event", "tool_number", "T%02d" % tool)
    emit(0.0, name, "condition", "spindle", "normal")
    emit(0.0, name, "sample", "coolant_level", "82")
    coolant = 82.0
    t = rng.uniform(0, 5) + offset
    next_program = 3600 * rng.uniform(0.8, 1.5)
    while t < HOURS * 3600:
        hard = 1.0 if program == "O2040" else 0.0
        load = 45 + 30 * hard + 25 * wear + rng.gauss(0, 5)
        load = max(5.0, min(120.0, load))
        emit(t, name, "sample", "spindle_load", "%.1f" % load)
        wear += rng.uniform(0.0005, 0.002)
        if not fault and load > 95 and rng.random() < 0.4:
            fault = True
            emit(t + 0.5, name, "condition", "spindle", "fault", "S220", "Spindle overload")
        elif fault and load < 85:
            fault = False
            emit(t + 0.5, name, "condition", "spindle", "normal")
        if int(t) % 60 < 5:
            coolant -= rng.uniform(0.05, 0.2)
            emit(t + 0.2, name, "sample", "coolant_level", "%.1f" % coolant)
        if wear > 0.9 or rng.random() < 0.0008:
            tool = tool % 12 + 1
            wear = 0.0
            emit(t + 1.0, name, "event", "tool_change", "T%02d" % tool)
            emit(t + 1.0, name, "event", "tool_number", "T%02d" % tool)
        if t > next_program:
            program = "O2040" if program == "O1001" else "O1001"
            emit(t + 2.0, name, "event", "program", program)
            next_program = t + 3600 * rng.uniform(0.8, 1.5)
        if coolant < 60:
            coolant = 85.0
            emit(t + 3.0, name, "sample", "coolant_level", "%.1f" % coolant)
        t += 5 + rng.uniform(-0.3, 0.3)


for i, p in enumerate(["press-1", "press-2", "press-3"]):
    press(p, i)
for i, c in enumerate(["cnc-1", "cnc-2"]):
    cnc(c, i)

rows.sort(key=lambda r: (round(r[0], 3), r[1]))
out = sys.stdout
out.write("time,machine,kind,item,value,code,text\n")
for t, _, machine, kind, item, value, code, text in rows:
    out.write("%s,%s,%s,%s,%s,%s,%s\n" % (stamp(t), machine, kind, item, value, code, text))
