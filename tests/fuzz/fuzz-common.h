/* fuzz-common.h: the bodies of the fuzz targets, shared by the libFuzzer
 * entry points (fuzz-*.c) and the regression test that replays kept inputs
 * (test-fuzz-regressions.c) with the normal compiler.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tacit-event-reader.h"

G_BEGIN_DECLS

/* Makes GLib criticals and warnings fatal: a g_return_if_fail() tripped
 * by hostile input is a bug the fuzzer must report. */
void     tacit_fuzz_init      (void);

/* Reads every event of data in format. Returns the number of events read
 * before the end or the first error; *error_out (may be NULL) receives the
 * error. Aborts when a reader breaks its contract (an error without the
 * "NAME:LINE: " prefix, an event with invalid UTF-8 or a NULL field). */
guint64  tacit_fuzz_events    (const guint8      *data,
                               gsize              size,
                               TacitEventFormat   format,
                               GError           **error_out);

/* Loads data as a rule library; when valid, writes it back as canonical
 * XML and aborts unless that loads again and writes the same bytes. */
gboolean tacit_fuzz_library   (const guint8      *data,
                               gsize              size,
                               GError           **error_out);

G_END_DECLS
