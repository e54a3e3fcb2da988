#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""flatpak/dev.tacit.Tacit.json is a manifest that can be built.

The runtime cannot be downloaded on the build machines, so this checks
what can be checked offline:
- flatpak-builder --show-manifest parses it;
- the runtime is the GNOME Platform the code is pinned to (43: GTK 4.8,
  libadwaita 1.2, GLib 2.74);
- every archive/file source has a sha256 (and no source is fetched
  from a moving branch);
- every dependency() the meson build files ask for is either in the
  GNOME 43 runtime or built as a module, at a version the build accepts;
- finish-args are the minimal set (no filesystem, no session bus).

Usage: check-flatpak.py SOURCE_ROOT
"""
import json
import os
import re
import subprocess
import sys

# pkg-config names (and find_library names) the GNOME 43 runtime
# (freedesktop-sdk 22.08 underneath) provides.
RUNTIME = {
    'glib-2.0', 'gio-2.0', 'gobject-2.0', 'gio-unix-2.0', 'gmodule-2.0', 'gthread-2.0',
    'sqlite3', 'libxml-2.0', 'json-glib-1.0', 'libsoup-3.0', 'gtk4', 'libadwaita-1',
    'liblzma', 'bz2', 'zlib', 'm', 'openssl', 'libcrypto', 'libssl',
}
# Dependencies the runtime lacks -> the manifest module that provides them.
MODULES = {
    'libsodium': 'libsodium',
    'libmosquitto': 'libmosquitto',
}
FINISH_ARGS = {
    '--share=network', '--share=ipc', '--socket=wayland', '--socket=fallback-x11', '--device=dri',
}


def meson_dependencies(root):
    """(name, minimum version or None) of every dependency()/find_library()."""
    deps = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(('.', '_build')) and d != 'flatpak']
        if 'meson.build' not in filenames:
            continue
        with open(os.path.join(dirpath, 'meson.build'), encoding='utf-8') as f:
            text = f.read()
        for m in re.finditer(r"(?<![A-Za-z_])dependency\(\s*'([^']+)'([^)]*)\)", text):
            v = re.search(r"version:\s*'>=\s*([0-9.]+)'", m.group(2))
            deps.append((m.group(1), v.group(1) if v else None))
        for m in re.finditer(r"find_library\(\s*'([^']+)'", text):
            deps.append((m.group(1), None))
    return deps


def all_modules(modules):
    for module in modules:
        if isinstance(module, str):      # a path to a module file: not used here
            raise SystemExit(f'module file {module}: keep every module inline')
        yield module
        yield from all_modules(module.get('modules', []))


def version_tuple(text):
    return tuple(int(x) for x in text.split('.'))


def main():
    root = sys.argv[1]
    manifest_path = os.path.join(root, 'flatpak', 'dev.tacit.Tacit.json')
    shown = subprocess.run(['flatpak-builder', '--show-manifest', manifest_path],
                           capture_output=True, text=True)
    if shown.returncode != 0:
        print(f'flatpak-builder --show-manifest failed:\n{shown.stderr}', file=sys.stderr)
        return 1
    manifest = json.loads(shown.stdout)
    problems = []

    if manifest.get('id', manifest.get('app-id')) != 'dev.tacit.Tacit':
        problems.append('app id is not dev.tacit.Tacit')
    if (manifest.get('runtime'), manifest.get('runtime-version'), manifest.get('sdk')) != \
            ('org.gnome.Platform', '43', 'org.gnome.Sdk'):
        problems.append('runtime is not org.gnome.Platform 43 with org.gnome.Sdk')
    if manifest.get('command') != 'tacit':
        problems.append('command is not tacit')
    args = set(manifest.get('finish-args', []))
    for arg in sorted(args - FINISH_ARGS):
        problems.append(f'finish-arg {arg} is not in the minimal set')
    for arg in sorted(FINISH_ARGS - args):
        problems.append(f'finish-arg {arg} is missing')

    modules = {m['name']: m for m in all_modules(manifest.get('modules', []))}
    if 'tacit' not in modules or modules['tacit'].get('buildsystem') != 'meson':
        problems.append('no meson module named tacit')
    for name, module in modules.items():
        sources = module.get('sources', [])
        if not sources:
            problems.append(f'module {name}: no sources')
        for source in sources:
            kind = source.get('type')
            if kind in ('archive', 'file'):
                if not re.fullmatch(r'[0-9a-f]{64}', source.get('sha256', '')):
                    problems.append(f'module {name}: {kind} source {source.get("url", source.get("path"))} has no sha256')
                if 'url' in source and not source['url'].startswith('https://'):
                    problems.append(f'module {name}: {source["url"]} is not https')
            elif kind == 'git':
                if 'commit' not in source:
                    problems.append(f'module {name}: git source without a commit')
            elif kind != 'dir':
                problems.append(f'module {name}: unexpected source type {kind}')

    deps = meson_dependencies(root)
    if not deps:
        problems.append('found no dependency() in the meson build files')
    for dep, minimum in deps:
        if dep in RUNTIME:
            continue
        module = modules.get(MODULES.get(dep, ''))
        if module is None:
            problems.append(f'dependency {dep} is neither in the GNOME 43 runtime nor built as a module')
            continue
        urls = [s.get('url', '') for s in module.get('sources', [])]
        found = [re.search(r'-([0-9]+(?:\.[0-9]+)+)\.tar', u) for u in urls]
        versions = [m.group(1) for m in found if m]
        if not versions:
            problems.append(f'module {module["name"]}: no release version in its archive name')
        elif minimum and version_tuple(versions[0]) < version_tuple(minimum):
            problems.append(f'module {module["name"]} {versions[0]} is older than the build needs (>= {minimum})')

    for p in problems:
        print(p, file=sys.stderr)
    print(f'{len(modules)} modules, {len(deps)} meson dependencies checked, {len(problems)} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
