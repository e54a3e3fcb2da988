#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `meson install` works and the installed programs run.
#
# Installs the build directory with --destdir into a scratch directory,
# checks every installed file is at its place (programs, desktop file,
# metainfo, icons, GSettings schema, translations, RELAX NG schemas, demo
# plant, kiosk session files), then runs the installed programs. When a
# private mount namespace is available (unshare -m, as root), the scratch
# prefix is bind-mounted over the real one, so the programs run exactly as
# installed: tacit-cli replays the installed demo plant, and tacit --help
# speaks Spanish from the installed catalog (the LOCALEDIR built in).
#
# Usage: check-install.sh BUILD_DIR  (environment: MESON, PREFIX, BINDIR,
#        DATADIR, LOCALEDIR, LIBEXECDIR, SYSCONFDIR: meson's options)
set -eu
build=$1
: "${MESON:=meson}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dest="$tmp/dest"

fail () { echo "FAIL: $*"; exit 1; }

$MESON install -C "$build" --no-rebuild --quiet --destdir "$dest" >"$tmp/install.log" 2>&1 \
  || { cat "$tmp/install.log"; fail "meson install"; }

abs () { case $1 in /*) echo "$1" ;; *) echo "$PREFIX/$1" ;; esac; }
bindir=$(abs "$BINDIR"); datadir=$(abs "$DATADIR"); localedir=$(abs "$LOCALEDIR")
libexecdir=$(abs "$LIBEXECDIR"); sysconfdir=$(abs "$SYSCONFDIR")

for f in \
  "$bindir/tacit" "$bindir/tacit-cli" \
  "$datadir/applications/dev.tacit.Tacit.desktop" \
  "$datadir/metainfo/dev.tacit.Tacit.metainfo.xml" \
  "$datadir/icons/hicolor/scalable/apps/dev.tacit.Tacit.svg" \
  "$datadir/icons/hicolor/symbolic/apps/dev.tacit.Tacit-symbolic.svg" \
  "$datadir/glib-2.0/schemas/dev.tacit.Tacit.gschema.xml" \
  "$localedir/es/LC_MESSAGES/tacit.mo" "$localedir/de/LC_MESSAGES/tacit.mo" \
  "$datadir/tacit/tacit-rules-1.rng" "$datadir/tacit/tacit-import-profile-1.rng" \
  "$datadir/tacit/demo/stamping-line.xml" "$datadir/tacit/demo/shift.csv" \
  "$libexecdir/tacit-kiosk-session" "$PREFIX/lib/systemd/system/tacit-kiosk.service" \
  "$PREFIX/lib/sysusers.d/tacit-kiosk.conf" "$sysconfdir/pam.d/tacit-kiosk"; do
  [ -f "$dest$f" ] || fail "not installed: $f"
done
for x in "$bindir/tacit" "$bindir/tacit-cli" "$libexecdir/tacit-kiosk-session"; do
  [ -x "$dest$x" ] || fail "not executable: $x"
done
echo "ok: every file installed under $PREFIX"

# The installed files are the validated ones, translated.
desktop-file-validate "$dest$datadir/applications/dev.tacit.Tacit.desktop" || fail "installed desktop file"
grep -q '^GenericName\[de\]=' "$dest$datadir/applications/dev.tacit.Tacit.desktop" || fail "desktop file not translated"
appstreamcli validate --no-net --no-color "$dest$datadir/metainfo/dev.tacit.Tacit.metainfo.xml" >"$tmp/as.log" 2>&1 \
  || { cat "$tmp/as.log"; fail "installed metainfo"; }
glib-compile-schemas --strict --dry-run "$dest$datadir/glib-2.0/schemas" || fail "installed schema"
msgunfmt "$dest$localedir/es/LC_MESSAGES/tacit.mo" | grep -q 'Número de tarjeta' || fail "es catalog"
msgunfmt "$dest$localedir/de/LC_MESSAGES/tacit.mo" | grep -q 'Ausweisnummer' || fail "de catalog"
# The programs look for their catalogs and data where they were installed.
grep -q "$localedir" "$dest$bindir/tacit" || fail "tacit was not built with LOCALEDIR $localedir"
echo "ok: installed files valid"

# The programs themselves. In a private mount namespace the scratch prefix
# replaces the real one (not for /usr: that would hide the system).
cat >"$tmp/run.sh" <<'EORUN'
set -eu
cd "$WORK"
"$BIN/tacit-cli" --version | grep -qx 'tacit-cli [0-9.]*' || { echo "FAIL: tacit-cli --version"; exit 1; }
"$BIN/tacit-cli" --db "$WORK/installed.db" init
"$BIN/tacit-cli" rules validate "$DEMO/stamping-line.xml"
"$BIN/tacit-cli" --db "$WORK/installed.db" rules import "$DEMO/stamping-line.xml"
"$BIN/tacit-cli" --db "$WORK/installed.db" events import "$DEMO/shift.csv"
"$BIN/tacit-cli" --db "$WORK/installed.db" replay > "$WORK/replay.jsonl"
"$BIN/tacit-cli" replay --rules "$DEMO/stamping-line.xml" --events "$DEMO/shift.csv" > "$WORK/replay-files.jsonl"
n=$(wc -l < "$WORK/replay.jsonl")
[ "$n" -gt 0 ] || { echo "FAIL: the installed demo plant replays to no suggestion"; exit 1; }
[ "$(wc -l < "$WORK/replay-files.jsonl")" = "$n" ] || { echo "FAIL: replay from the database and from files differ"; exit 1; }
echo "ok: installed tacit-cli replays the installed demo plant: $n suggestions"
LC_ALL=C.UTF-8 LANGUAGE= "$BIN/tacit" --help > "$WORK/help.txt"
grep -q -- '--kiosk' "$WORK/help.txt" || { echo "FAIL: tacit --help"; cat "$WORK/help.txt"; exit 1; }
echo "ok: installed tacit --help"
if [ "${CHECK_LOCALE:-}" = yes ]; then
  LC_ALL=C.UTF-8 LANGUAGE=es "$BIN/tacit" --help > "$WORK/help-es.txt"
  grep -q 'Quiosco de operario' "$WORK/help-es.txt" || { echo "FAIL: installed tacit --help is not in Spanish"; cat "$WORK/help-es.txt"; exit 1; }
  LC_ALL=C.UTF-8 LANGUAGE=de "$BIN/tacit" --help > "$WORK/help-de.txt"
  grep -q 'Bediener-Kiosk' "$WORK/help-de.txt" || { echo "FAIL: installed tacit --help is not in German"; cat "$WORK/help-de.txt"; exit 1; }
  echo "ok: installed tacit finds its catalogs (es, de)"
fi
EORUN
mkdir -p "$tmp/work"
if [ "$PREFIX" != /usr ] && [ "$PREFIX" != / ] && [ -d "$PREFIX" ] \
   && unshare -m true 2>/dev/null; then
  env WORK="$tmp/work" BIN="$bindir" DEMO="$datadir/tacit/demo" CHECK_LOCALE=yes \
    unshare -m sh -c 'mount --bind "$1" "$2" && exec sh "$3"' sh "$dest$PREFIX" "$PREFIX" "$tmp/run.sh" \
    </dev/null || fail "installed programs (in place)"
else
  echo "# no private mount namespace: running the installed programs from the scratch directory"
  WORK="$tmp/work" BIN="$dest$bindir" DEMO="$dest$datadir/tacit/demo" sh "$tmp/run.sh" \
    || fail "installed programs"
fi
