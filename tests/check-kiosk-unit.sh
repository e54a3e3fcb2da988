#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The floor kiosk's session files (data/kiosk/) are valid, offline (no
# running systemd needed):
# - systemd-analyze verify accepts the configured unit with no warning
#   (an unknown key is only a warning there, so any output fails);
# - systemd-sysusers creates the tacit-kiosk user in a scratch root, with
#   the state directory as home and no login shell;
# - the session launcher is valid sh and execs the installed tacit.
#
# Usage: check-kiosk-unit.sh BUILT_UNIT SYSUSERS_FILE BUILT_SESSION_SCRIPT
set -eu
unit=$1 sysusers=$2 session=$3

for tool in systemd-analyze systemd-sysusers; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed (package systemd)"; exit 77; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The unit's ExecStart must name an executable that exists: /usr/bin/cage.
cp "$unit" "$tmp/tacit-kiosk.service"
if ! (cd "$tmp" && systemd-analyze verify --man=no --generators=no tacit-kiosk.service) \
     >"$tmp/verify.log" 2>&1; then
  cat "$tmp/verify.log"; echo "FAIL: systemd-analyze verify"; exit 1
fi
if grep -q 'tacit-kiosk' "$tmp/verify.log"; then
  cat "$tmp/verify.log"; echo "FAIL: systemd-analyze verify warns about the unit"; exit 1
fi
for key in 'User=tacit-kiosk' 'Restart=always' 'PAMName=tacit-kiosk' 'TTYPath=/dev/tty1' \
           'NoNewPrivileges=yes' 'ProtectSystem=strict' 'StateDirectory=tacit' 'PrivateTmp=yes'; do
  grep -qx "$key" "$unit" || { echo "FAIL: $unit has no $key"; exit 1; }
done
grep -q '^ExecStart=/usr/bin/cage .*-- .*/tacit-kiosk-session$' "$unit" \
  || { echo "FAIL: ExecStart does not run tacit-kiosk-session in cage"; exit 1; }
echo "ok: systemd-analyze verify"

mkdir -p "$tmp/root/etc"
systemd-sysusers --root="$tmp/root" "$sysusers"
entry=$(grep '^tacit-kiosk:' "$tmp/root/etc/passwd") \
  || { echo "FAIL: systemd-sysusers created no tacit-kiosk user"; exit 1; }
uid=$(echo "$entry" | cut -d: -f3)
home=$(echo "$entry" | cut -d: -f6)
shell=$(echo "$entry" | cut -d: -f7)
[ "$uid" -gt 0 ] && [ "$uid" -lt 1000 ] || { echo "FAIL: tacit-kiosk uid $uid is not a system uid"; exit 1; }
[ "$home" = /var/lib/tacit ] || { echo "FAIL: tacit-kiosk home is $home"; exit 1; }
[ "$shell" = /usr/sbin/nologin ] || { echo "FAIL: tacit-kiosk shell is $shell"; exit 1; }
echo "ok: systemd-sysusers: $entry"

sh -n "$session"
grep -q '^exec /.*/tacit --kiosk ' "$session" || { echo "FAIL: $session does not exec tacit --kiosk"; exit 1; }
grep -q 'squeekboard' "$session" || { echo "FAIL: $session does not start squeekboard"; exit 1; }
echo "ok: session launcher"
