#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every catalog in po/LINGUAS is valid and complete for the current sources.

Extracts the messages afresh from the files in po/POTFILES.in (xgettext,
into a temporary directory: the source tree is not touched), merges each
catalog with them and fails on msgfmt --check errors, on untranslated or
fuzzy messages (listing them), so a string added without its translations
is caught even before tacit.pot is regenerated.

Usage: check-catalogs.py SOURCE_ROOT
"""
import os
import subprocess
import sys
import tempfile

KEYWORDS = ['--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
            '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3']


def msgids(po):
    out = subprocess.run(['msgcat', '--no-wrap', po], capture_output=True, text=True, check=True).stdout
    return [line[len('msgid '):] for line in out.splitlines() if line.startswith('msgid ')][1:]


def main():
    root = sys.argv[1]
    po_dir = os.path.join(root, 'po')
    with open(os.path.join(po_dir, 'LINGUAS'), encoding='utf-8') as f:
        languages = [w for line in f if not line.startswith('#') for w in line.split()]
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, 'tacit.pot')
        subprocess.run(['xgettext', '--package-name=tacit', '--from-code=UTF-8', *KEYWORDS,
                        '-D', root, '-f', os.path.join(po_dir, 'POTFILES.in'), '-o', pot],
                       check=True)
        n = len(msgids(pot))
        for lang in languages:
            po = os.path.join(po_dir, f'{lang}.po')
            check = subprocess.run(['msgfmt', '--check', '-o', '/dev/null', po],
                                   capture_output=True, text=True)
            if check.returncode != 0:
                problems.append(f'{lang}.po: msgfmt --check:\n{check.stderr}')
                continue
            merged = os.path.join(tmp, f'{lang}.po')
            subprocess.run(['msgmerge', '--quiet', '--no-fuzzy-matching', '-o', merged, po, pot], check=True)
            for what, flag in (('untranslated', '--untranslated'), ('fuzzy', '--only-fuzzy')):
                out = os.path.join(tmp, f'{lang}-{what}.po')
                subprocess.run(['msgattrib', flag, '--no-obsolete', '-o', out, merged], check=True)
                if os.path.exists(out):
                    for msgid in msgids(out):
                        problems.append(f'{lang}.po: {what}: {msgid}')
            print(f'{lang}: {n} messages checked')
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
