/* tacit-backtest.h: chosen rules replayed over a range of the stored
 * history — firings per hour (the chart), per-rule figures (firings, per
 * hour, suppressed by cooldown, flood, chattering, where and when it
 * fired), the evidence of stored responses (acceptance, outcome lift) and
 * the alarm load per station. The figures are those of `tacit-cli replay
 * --stats` over the same range: both come from tacit-replay, the engine's
 * stats and tacit-alarm-load.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tacit-alarm-load.h"
#include "tacit-engine.h"
#include "tacit-evidence.h"
#include "tacit-store.h"

G_BEGIN_DECLS

#define TACIT_BACKTEST_HOUR (G_GINT64_CONSTANT (3600) * TACIT_USEC_PER_SEC)

typedef struct {
  char            *rule;          /* rule id */
  guint            revision;
  TacitRuleStatus  status;
  char            *title;
  guint64          firings;       /* live, shadow and held-out */
  guint64          suppressed;    /* by cooldown */
  double           per_hour;      /* firings per hour of replayed time; 0 when no span */
  gboolean         flood;
  gboolean         chattering;
  TacitTime        first_fired;   /* TACIT_TIME_MAX when it never fired */
  TacitTime        last_fired;    /* TACIT_TIME_MIN when it never fired */
  char            *machines;      /* "press-3 ×4, press-1 ×2", most firings first; "" when none */
  GArray          *hourly;        /* guint32 firings per hour bucket (n_hours) */
  /* From the stored suggestions and responses in the range. */
  TacitProportion  acceptance;    /* accepted of accepted + dismissed */
  TacitProportion  outcome_accepted;
  TacitProportion  outcome_dismissed;
  double           lift;          /* outcome accepted − dismissed; NAN when either n is 0 */
  double           lift_low;      /* Newcombe 95 %, from the two Wilson intervals */
  double           lift_high;
  TacitRuleEvidence *evidence;    /* NULL when nothing stored in the range */
} TacitBacktestRule;

typedef struct {
  TacitTime  from;                /* the replayed span */
  TacitTime  to;
  double     hours;               /* (to − from) in hours, as `replay --stats` */
  guint64    n_events;
  guint64    n_suggestions;
  TacitTime  hour0;               /* start of the first hour bucket (from, floored to the hour) */
  guint      n_hours;
  GArray    *hourly;              /* guint32 firings of all rules per hour bucket */
  GPtrArray *rules;               /* TacitBacktestRule*, sorted by rule id */
  GArray    *stations;            /* TacitStationLoad, sorted by station, with stale shelves */
  /* The engine's figures as the replay left them, for retirement proposals. */
  TacitRuleStats *stats;
  guint           n_stats;
  TacitLibrary   *library;        /* the replayed rules */
  GPtrArray      *evidence;       /* TacitRuleEvidence* over the range */
} TacitBacktestResult;

/* The first and last stored event times; FALSE (error unset) when there
 * are none. */
gboolean             tacit_backtest_history_range (TacitStore        *store,
                                                   TacitTime         *first,
                                                   TacitTime         *last,
                                                   GError           **error);

/* Replays the stored events in [from, to) (TACIT_TIME_MIN/MAX: open; the
 * span is then that of the events, as `replay --stats` takes it) with the
 * store's library reduced to rule_ids (NULL: every rule). progress may be
 * NULL and cancels when it returns FALSE (G_IO_ERROR_CANCELLED). */
TacitBacktestResult *tacit_backtest_run           (TacitStore         *store,
                                                   const char * const *rule_ids,
                                                   TacitTime           from,
                                                   TacitTime           to,
                                                   TacitProgressFunc   progress,
                                                   gpointer            progress_data,
                                                   GError            **error);

/* The same in a worker thread with its own connection to db_path.
 * progress_func (may be NULL) runs in the caller's main context with a
 * fraction 0..1; cancellable cancels. */
typedef void (*TacitBacktestProgressFunc) (double   fraction,
                                           gpointer user_data);
void                 tacit_backtest_run_async     (const char                *db_path,
                                                   const char * const        *rule_ids,
                                                   TacitTime                  from,
                                                   TacitTime                  to,
                                                   TacitBacktestProgressFunc  progress_func,
                                                   gpointer                   progress_data,
                                                   GCancellable              *cancellable,
                                                   GAsyncReadyCallback        callback,
                                                   gpointer                   user_data);
TacitBacktestResult *tacit_backtest_run_finish    (GAsyncResult              *result,
                                                   GError                   **error);

const TacitBacktestRule *tacit_backtest_result_lookup (const TacitBacktestResult *result,
                                                       const char                *rule_id);
void                 tacit_backtest_result_free   (TacitBacktestResult       *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TacitBacktestResult, tacit_backtest_result_free)

G_END_DECLS
