/* tacit-time.h: event time, kept as microseconds since the Unix epoch (UTC).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef gint64 TacitTime;

#define TACIT_TIME_MIN G_MININT64
#define TACIT_TIME_MAX G_MAXINT64
#define TACIT_USEC_PER_SEC  G_GINT64_CONSTANT (1000000)
#define TACIT_TIME_FORMAT_LEN 40

/* RFC 3339 ("2026-11-02T06:00:01.250Z", "…+02:00"); fractions beyond
 * microseconds are truncated. With allow_no_zone a missing offset means UTC
 * (MTConnect agents). On failure *problem says why (static string). */
gboolean tacit_time_parse         (const char  *text,
                                   gsize        len,
                                   gboolean     allow_no_zone,
                                   TacitTime   *out,
                                   const char **problem);

/* Milliseconds, truncated: "2026-11-02T06:00:01.250Z". buf >= TACIT_TIME_FORMAT_LEN. */
char    *tacit_time_format_ms_buf (TacitTime   time,
                                   char       *buf);
char    *tacit_time_format_ms     (TacitTime   time);
/* Microseconds, for storage and exports: "2026-11-02T06:00:01.250999Z". */
char    *tacit_time_format_us_buf (TacitTime   time,
                                   char       *buf);
char    *tacit_time_format_us     (TacitTime   time);

/* Durations: an integer with a unit ms, s, m, h or d ("90s", "15m"). */
gboolean tacit_duration_parse     (const char  *text,
                                   TacitTime   *out);
/* Canonical form: the largest unit that represents it exactly. */
char    *tacit_duration_format    (TacitTime    duration);

G_END_DECLS
