/* tacit-event.h: one observation from a machine (SPEC "Machine events").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tacit-time.h"

G_BEGIN_DECLS

typedef enum {
  TACIT_KIND_SAMPLE,
  TACIT_KIND_EVENT,
  TACIT_KIND_CONDITION,
} TacitKind;
#define TACIT_N_KINDS 3

/* A plain struct, not a GObject: the engine handles millions per second.
 * Strings are borrowed; whoever hands an event out says how long they live
 * (a reader: until its next call). code and text are NULL when absent. */
typedef struct {
  TacitTime   time;
  const char *machine;
  TacitKind   kind;
  const char *item;
  const char *value;
  const char *code;
  const char *text;
} TacitEvent;

const char *tacit_kind_to_string          (TacitKind         kind);
gboolean    tacit_kind_from_string        (const char       *text,
                                           TacitKind        *out);

/* "UNAVAILABLE" in any case: the value is unknown and no comparison holds. */
gboolean    tacit_value_is_unavailable    (const char       *value);
/* TRUE when the whole string is a finite number (C locale, no spaces). */
gboolean    tacit_value_parse_number      (const char       *value,
                                           double           *out);
/* Condition values: normal, warning, fault, unavailable (any case in,
 * lower case out). Returns NULL when it is none of them. */
const char *tacit_condition_value_canonical (const char     *value);

/* A deep copy in one allocation; free with g_free(). */
TacitEvent *tacit_event_copy              (const TacitEvent *event);

G_END_DECLS
