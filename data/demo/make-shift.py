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


COILS = [("4470", "A"), ("4471", "B"), ("4472", "B"), ("4473", "C"), ("4474", "A"), ("4475", "B")]
PROGRAMS = {"press-1": "BRK-220", "press-2": "STAMP-200", "press-3": "PNL-060"}


def press(name, offset):
    # press-3 starts cold: its first E1234 alarms are the false ones.
    oil = (24.0 if name == "press-3" else 38.0) + rng.uniform(-2, 2)
    coil = offset % len(COILS)
    lot, supplier = COILS[coil]
    parts = 0
    fault = False
    speed = 55 if name == "press-3" else 100
    emit(0.0, name, "event", "program", PROGRAMS[name])
    emit(0.0, name, "event", "material_lot", lot)
    emit(0.0, name, "event", "material_supplier", supplier)
    emit(0.0, name, "event", "ram_speed", str(speed))
    emit(0.0, name, "condition", "hydraulic", "normal")
    t = rng.uniform(0, 10)
    next_coil = 3600 * rng.uniform(0.6, 1.2)
    while t < HOURS * 3600:
        warm = min(1.0, t / 5400.0)
        hard = 1.0 if supplier == "B" else 0.0
        pull = 0.004 if name == "press-3" else 0.02   # press-3's oil cooler is oversized
        oil += (38 + 20 * warm + 3 * hard - oil) * pull + rng.gauss(0, 0.4)
        emit(t, name, "sample", "oil_temp", "%.1f" % oil)
        tonnage = 240 + 25 * hard + rng.gauss(0, 6)
        if name != "press-3" and rng.random() < 0.0015:
            tonnage = 385 + rng.uniform(0, 20)   # a double blank
        emit(t + 0.2, name, "sample", "tonnage", "%.0f" % tonnage)
        if int(t) % 30 < 10:
            die_heat = 30 if name == "press-1" and hard else 12
            emit(t + 0.4, name, "sample", "die_temp", "%.1f" % (oil + die_heat + rng.gauss(0, 1)))
        parts += rng.randint(3, 5)
        if int(t) % 60 < 10:
            emit(t + 0.6, name, "event", "part_count", str(parts))
        risk = 0.004 + (0.05 if oil > 55 and supplier == "B" else 0) + (0.05 if oil < 30 else 0)
        if not fault and rng.random() < 0.006:
            emit(t + 1.2, name, "condition", "hydraulic", "warning", "W310", "Hydraulic filter clogging")
            emit(t + 5.2, name, "condition", "hydraulic", "normal")
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
        if rng.random() < (0.03 if name == "press-3" else 0.01):
            if name == "press-3":
                speed = 70 if speed == 55 else 55
            else:
                speed = 95 if speed == 100 else 100
            emit(t + 3.0, name, "event", "ram_speed", str(speed))
        t += 10 + rng.uniform(-0.5, 0.5)


def cnc(name, offset):
    tool = 1
    wear = 0.0
    # cnc-2 warms its spindle up on O1000 first; E2201 warnings are normal then.
    program = "O1000" if name == "cnc-2" else "O1001"
    fault = False
    emit(0.0, name, "event", "program", program)
    emit(0.0, name, "event", "tool_number", str(tool))
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
        if program == "O1000" and rng.random() < 0.02:
            emit(t + 0.3, name, "condition", "spindle", "warning", "E2201", "Spindle bearing temperature")
            emit(t + 2.3, name, "condition", "spindle", "normal")
        wear += rng.uniform(0.0005, 0.002)
        if not fault and load > 95 and rng.random() < 0.4:
            fault = True
            emit(t + 0.5, name, "condition", "spindle", "fault", "S220", "Spindle overload")
        elif fault and load < 85:
            fault = False
            emit(t + 0.5, name, "condition", "spindle", "normal")
        if int(t) % 60 < 5:
            coolant -= rng.uniform(0.3, 0.6) if name == "cnc-2" else rng.uniform(0.05, 0.2)
            emit(t + 0.2, name, "sample", "coolant_level", "%.1f" % coolant)
        if wear > 0.9 or rng.random() < 0.0008:
            tool = tool % 14 + 1
            wear = 0.0
            emit(t + 1.0, name, "event", "tool_change", str(tool))
            emit(t + 1.0, name, "event", "tool_number", str(tool))
        if program == "O1000" and t > 1200:
            program = "O1001"
            emit(t + 2.0, name, "event", "program", program)
        elif t > next_program:
            program = "O2040" if program == "O1001" else "O1001"
            emit(t + 2.0, name, "event", "program", program)
            next_program = t + 3600 * rng.uniform(0.8, 1.5)
        if coolant < 15:
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
