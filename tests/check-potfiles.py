#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""po/POTFILES.in is complete and current.

Fails when a source file with translatable strings (_(), N_(), C_(),
NC_(), ngettext, translatable="yes", or a desktop/metainfo/gschema
template) is missing from po/POTFILES.in, or when POTFILES.in lists a file
that does not exist.

Usage: check-potfiles.py SOURCE_ROOT
"""
import os
import re
import sys

MARKERS = re.compile(r'(?<![A-Za-z0-9_])(?:N?C?_|NC_|g?d?n?gettext|g_dpgettext2?)\s*\(|translatable="yes"')
SCANNED = ('.c', '.h', '.ui')
SKIP_DIRS = {'tests', 'po', '.git', 'subprojects'}


def listed_files(root):
    with open(os.path.join(root, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        return [line.strip() for line in f
                if line.strip() and not line.lstrip().startswith('#')]


def translatable_files(root):
    found = set()
    for top in ('app', 'ui', 'data'):
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
            for name in filenames:
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root)
                if name.endswith(('.desktop.in', '.metainfo.xml.in', '.gschema.xml')):
                    found.add(rel)
                elif name.endswith(SCANNED):
                    with open(path, encoding='utf-8', errors='replace') as f:
                        if MARKERS.search(f.read()):
                            found.add(rel)
    return found


def main():
    root = sys.argv[1]
    listed = listed_files(root)
    problems = []
    for rel in listed:
        if not os.path.isfile(os.path.join(root, rel)):
            problems.append(f'po/POTFILES.in: {rel}: listed but does not exist')
    if len(set(listed)) != len(listed):
        problems.append('po/POTFILES.in: a file is listed twice')
    for rel in sorted(translatable_files(root) - set(listed)):
        problems.append(f'{rel}: has translatable strings but is missing from po/POTFILES.in')
    for p in problems:
        print(p, file=sys.stderr)
    print(f'{len(listed)} files listed, {len(problems)} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
