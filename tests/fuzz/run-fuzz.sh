#!/bin/sh
# run-fuzz.sh BUILDDIR TARGET SECONDS [WORKDIR]: runs one libFuzzer target
# (csv, jsonl, mtconnect, rules) from its seed corpus for SECONDS, niced,
# one job. New corpus entries go to WORKDIR/TARGET (default /tmp/tacit-fuzz),
# crashes to WORKDIR/TARGET-artifacts/; the last line of the log has the
# number of executions. Copy a crash to regressions/TARGET-WHAT once fixed.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
builddir=$1 target=$2 seconds=$3 work=${4:-/tmp/tacit-fuzz}
here=$(cd "$(dirname "$0")" && pwd)
dict=
case $target in mtconnect|rules) dict=-dict=$here/xml.dict ;; esac
mkdir -p "$work/$target" "$work/$target-artifacts"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  exec nice -n 10 "$builddir/tests/fuzz/fuzz-$target" $dict \
    -max_total_time="$seconds" -rss_limit_mb=1536 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$work/$target-artifacts/" \
    "$work/$target" "$here/corpus-$target"
