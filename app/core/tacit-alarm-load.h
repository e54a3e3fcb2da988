/* tacit-alarm-load.h: alarm-load figures per station, as ISA-18.2 and
 * EEMUA 191 define them, over the suggestions of a replay or of live
 * operation. One implementation for `tacit-cli replay --stats` and the
 * desktop's backtest.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tacit-library.h"
#include "tacit-store.h"
#include "tacit-suggestion.h"

G_BEGIN_DECLS

/* ISA-18.2: more than 10 alarms in 10 minutes for one operator is a flood. */
#define TACIT_ALARM_LOAD_WINDOW      (G_GINT64_CONSTANT (600) * TACIT_USEC_PER_SEC)
#define TACIT_ALARM_LOAD_FLOOD_LIMIT 10
/* A shelf still open after a day (wall clock) is stale: shelving is for a
 * shift's nuisance, not a way to retire a rule unseen (EEMUA 191 asks for
 * shelved alarms to be reviewed; a timed shelf past its expiry that was
 * never cleared is stale too). */
#define TACIT_ALARM_LOAD_STALE_SHELF (G_GINT64_CONSTANT (24) * 3600 * G_USEC_PER_SEC)

typedef struct {
  char    *station;
  guint64  suggestions;        /* shown or would be shown: live and shadow */
  guint64  windows;            /* 10-minute windows in the time span */
  double   per_window_mean;    /* suggestions per 10 minutes, average */
  guint64  per_window_peak;    /* ... in the busiest window */
  double   flood_share;        /* share of windows with more than 10 */
  double   top10_share;        /* share of the 10 most frequent rules */
  gint64   stale_shelves;      /* open shelves of the station that are stale now;
                                * -1 when not counted (no store: replay of files) */
} TacitStationLoad;

typedef struct _TacitAlarmLoad TacitAlarmLoad;

/* Stations are the machines' cells (a kiosk serves a cell); a machine the
 * registry does not know, or without a cell, is its own station. */
TacitAlarmLoad *tacit_alarm_load_new     (TacitLibrary    *library);
void            tacit_alarm_load_free    (TacitAlarmLoad  *self);
/* Held-out suggestions are never shown and do not count. */
void            tacit_alarm_load_add     (TacitAlarmLoad  *self,
                                          TacitSuggestion *suggestion);
/* Counts the store's stale shelves (open, and shelved more than
 * TACIT_ALARM_LOAD_STALE_SHELF before now, or timed and past their
 * expiry) per station (the shelf's station); a station with stale shelves
 * and no suggestions is listed too. now: wall clock, µs. */
gboolean        tacit_alarm_load_add_shelves (TacitAlarmLoad *self,
                                              TacitStore     *store,
                                              gint64          now,
                                              GError        **error);
/* Figures over [from, to): the replayed span (to > from). Sorted by
 * station; free with g_array_unref. */
GArray         *tacit_alarm_load_compute (TacitAlarmLoad  *self,
                                          TacitTime        from,
                                          TacitTime        to);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TacitAlarmLoad, tacit_alarm_load_free)

G_END_DECLS
