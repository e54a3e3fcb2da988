/* tacit-json.h: a small deterministic JSON writer (fixed key order, shortest
 * round-trip numbers), for replay output and dataset exports.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends s as a JSON string literal (quotes included); NULL → null. */
void tacit_json_append_string (GString    *out,
                               const char *s);
/* Shortest text that reads back as the same double; non-finite → null. */
void tacit_json_append_double (GString    *out,
                               double      value);
/* Appends "key": (with a leading comma unless first). */
void tacit_json_append_key    (GString    *out,
                               const char *key,
                               gboolean    first);

G_END_DECLS
