/* tacit-backtest.c
 *
 * The replay's suggestions are kept as (rule, machine, time) only; hour
 * buckets are filled once the span is known (an open range takes the
 * events' span, as `replay --stats` does). The per-rule figures are the
 * engine's own stats, the station figures tacit-alarm-load's: nothing is
 * counted twice in two ways.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-backtest.h"

#include <math.h>
#include <string.h>

#include "tacit-error.h"
#include "tacit-replay.h"
#include "tacit-store-private.h"

typedef struct {
  TacitTime  time;
  guint      rule;        /* index into Run.rule_ids */
  char      *machine;     /* interned */
} Firing;

typedef struct {
  TacitLibrary      *library;
  TacitAlarmLoad    *load;
  GArray            *firings;     /* Firing */
  GHashTable        *rule_index;  /* rule id → index + 1 */
  GPtrArray         *rule_ids;    /* char*, borrowed from the library's rules */
  TacitProgressFunc  progress;
  gpointer           progress_data;
  guint64            range_events;
} Run;

static void
run_reset (Run *run)
{
  g_clear_pointer (&run->load, tacit_alarm_load_free);
  run->load = tacit_alarm_load_new (run->library);
  g_array_set_size (run->firings, 0);
}

static void
ready_cb (TacitSuggestion *s,
          gpointer         data)
{
  Run *run = data;
  Firing firing;
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (run->rule_index, s->rule->id));

  tacit_alarm_load_add (run->load, s);
  if (index == 0)
    {
      g_ptr_array_add (run->rule_ids, s->rule->id);
      index = run->rule_ids->len;
      g_hash_table_insert (run->rule_index, s->rule->id, GUINT_TO_POINTER (index));
    }
  firing.time = s->time;
  firing.rule = index - 1;
  firing.machine = (char *) g_intern_string (s->machine);
  g_array_append_val (run->firings, firing);
}

static void
restart_cb (gpointer data)
{
  run_reset (data);
}

static gboolean
progress_cb (guint64  done,
             guint64  total,
             gpointer data)
{
  Run *run = data;

  if (run->progress == NULL)
    return TRUE;
  return run->progress (done, MAX (run->range_events, done), run->progress_data);
}

/* ---- the store ---- */

gboolean
tacit_backtest_history_range (TacitStore *store,
                              TacitTime  *first,
                              TacitTime  *last,
                              GError    **error)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  int rc;

  g_return_val_if_fail (TACIT_IS_STORE (store), FALSE);

  stmt = _tacit_store_prepare (store, "SELECT min(time), max(time) FROM events", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    {
      *first = sqlite3_column_int64 (stmt, 0);
      *last = sqlite3_column_int64 (stmt, 1);
      found = TRUE;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    return _tacit_store_sql_error (store, error, "reading the history's range");
  return found;
}

static guint64
count_range_events (TacitStore *store,
                    TacitTime   from,
                    TacitTime   to)
{
  sqlite3_stmt *stmt = _tacit_store_prepare (store,
    "SELECT count(*) FROM events WHERE time >= ?1 AND time < ?2", NULL);
  guint64 n = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, from);
  sqlite3_bind_int64 (stmt, 2, to);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* The store's library reduced to rule_ids (NULL: all of it). */
static TacitLibrary *
load_library (TacitStore         *store,
              const char * const *rule_ids,
              GError            **error)
{
  g_autoptr(TacitLibrary) full = tacit_store_load_library (store, error);
  g_autoptr(TacitLibrary) chosen = NULL;
  GPtrArray *machines;

  if (full == NULL || rule_ids == NULL)
    return g_steal_pointer (&full);
  chosen = tacit_library_new ();
  tacit_library_set_name (chosen, tacit_library_get_name (full));
  tacit_library_set_revision (chosen, tacit_library_get_revision (full));
  machines = tacit_library_get_machines (full);
  for (guint i = 0; machines != NULL && i < machines->len; i++)
    {
      const TacitMachine *m = g_ptr_array_index (machines, i);
      tacit_library_add_machine (chosen, m->id, m->name, m->class_name, m->cell);
    }
  for (guint i = 0; rule_ids[i] != NULL; i++)
    {
      TacitRule *rule = tacit_library_lookup_rule (full, rule_ids[i]);

      if (rule == NULL)
        {
          g_set_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_NOT_FOUND,
                       "%s: no rule “%s” to backtest", tacit_store_get_path (store), rule_ids[i]);
          return NULL;
        }
      if (tacit_library_lookup_rule (chosen, rule_ids[i]) == NULL)
        tacit_library_put_rule (chosen, rule);
    }
  return g_steal_pointer (&chosen);
}

/* ---- the result ---- */

static void
backtest_rule_free (TacitBacktestRule *rule)
{
  g_free (rule->rule);
  g_free (rule->title);
  g_free (rule->machines);
  g_clear_pointer (&rule->hourly, g_array_unref);
  g_clear_pointer (&rule->evidence, tacit_rule_evidence_free);
  g_free (rule);
}

void
tacit_backtest_result_free (TacitBacktestResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->hourly, g_array_unref);
  g_clear_pointer (&result->rules, g_ptr_array_unref);
  g_clear_pointer (&result->stations, g_array_unref);
  for (guint i = 0; i < result->n_stats; i++)
    tacit_rule_unref (result->stats[i].rule);
  g_free (result->stats);
  g_clear_object (&result->library);
  g_clear_pointer (&result->evidence, g_ptr_array_unref);
  g_free (result);
}

const TacitBacktestRule *
tacit_backtest_result_lookup (const TacitBacktestResult *result,
                              const char                *rule_id)
{
  g_return_val_if_fail (result != NULL && rule_id != NULL, NULL);

  for (guint i = 0; i < result->rules->len; i++)
    {
      const TacitBacktestRule *rule = g_ptr_array_index (result->rules, i);

      if (strcmp (rule->rule, rule_id) == 0)
        return rule;
    }
  return NULL;
}

typedef struct {
  const char *machine;
  guint       count;
} MachineCount;

static int
machine_count_compare (gconstpointer a,
                       gconstpointer b)
{
  const MachineCount *x = a, *y = b;

  if (x->count != y->count)
    return x->count < y->count ? 1 : -1;
  return strcmp (x->machine, y->machine);
}

/* "press-3 ×4, press-1 ×2" from the machines of one rule's firings. */
static char *
describe_machines (GHashTable *counts)
{
  g_autoptr(GArray) sorted = g_array_new (FALSE, FALSE, sizeof (MachineCount));
  GString *text = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      MachineCount mc = { key, GPOINTER_TO_UINT (value) };
      g_array_append_val (sorted, mc);
    }
  g_array_sort (sorted, machine_count_compare);
  for (guint i = 0; i < sorted->len; i++)
    {
      const MachineCount *mc = &g_array_index (sorted, MachineCount, i);
      g_string_append_printf (text, "%s%s ×%u", i > 0 ? ", " : "", mc->machine, mc->count);
    }
  return g_string_free (text, FALSE);
}

static TacitBacktestRule *
new_backtest_rule (const TacitRuleStats *st,
                   TacitBacktestResult  *result)
{
  TacitBacktestRule *rule = g_new0 (TacitBacktestRule, 1);

  rule->rule = g_strdup (st->rule->id);
  rule->revision = st->rule->revision;
  rule->status = st->rule->status;
  rule->title = g_strdup (st->rule->title);
  rule->firings = st->firings;
  rule->suppressed = st->suppressed;
  rule->per_hour = result->hours > 0 ? st->firings / result->hours : 0;
  rule->flood = st->flood;
  rule->chattering = st->chattering;
  rule->first_fired = TACIT_TIME_MAX;
  rule->last_fired = TACIT_TIME_MIN;
  rule->machines = g_strdup ("");
  rule->hourly = g_array_sized_new (FALSE, TRUE, sizeof (guint32), result->n_hours);
  g_array_set_size (rule->hourly, result->n_hours);
  tacit_proportion_init (&rule->acceptance, 0, 0);
  tacit_proportion_init (&rule->outcome_accepted, 0, 0);
  tacit_proportion_init (&rule->outcome_dismissed, 0, 0);
  rule->lift = rule->lift_low = rule->lift_high = NAN;
  return rule;
}

static void
attach_evidence (TacitBacktestRule *rule,
                 GPtrArray         *evidence)
{
  for (guint i = 0; evidence != NULL && i < evidence->len; i++)
    {
      const TacitRuleEvidence *e = g_ptr_array_index (evidence, i);
      TacitRuleEvidence *copy;

      if (strcmp (e->rule, rule->rule) != 0)
        continue;
      rule->acceptance = e->acceptance;
      rule->outcome_accepted = e->outcome_accepted;
      rule->outcome_dismissed = e->outcome_dismissed;
      tacit_proportion_diff (&e->outcome_accepted, &e->outcome_dismissed,
                             &rule->lift, &rule->lift_low, &rule->lift_high);
      copy = g_memdup2 (e, sizeof *e);
      copy->rule = g_strdup (e->rule);
      rule->evidence = copy;
      return;
    }
}

static guint
hour_of (const TacitBacktestResult *result,
         TacitTime                  time)
{
  gint64 h = (time - result->hour0) / TACIT_BACKTEST_HOUR;

  return (guint) CLAMP (h, 0, (gint64) result->n_hours - 1);
}

/* Fills the hour buckets, first/last firing and machines per rule. */
static void
bin_firings (TacitBacktestResult *result,
             Run                 *run)
{
  g_autoptr(GPtrArray) machine_counts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autoptr(GPtrArray) by_index = g_ptr_array_new ();

  for (guint i = 0; i < run->rule_ids->len; i++)
    {
      g_ptr_array_add (machine_counts, g_hash_table_new (g_str_hash, g_str_equal));
      g_ptr_array_add (by_index, (gpointer) tacit_backtest_result_lookup (result, g_ptr_array_index (run->rule_ids, i)));
    }
  for (guint i = 0; i < run->firings->len; i++)
    {
      const Firing *f = &g_array_index (run->firings, Firing, i);
      TacitBacktestRule *rule = g_ptr_array_index (by_index, f->rule);
      GHashTable *counts = g_ptr_array_index (machine_counts, f->rule);
      guint h = hour_of (result, f->time);

      g_array_index (result->hourly, guint32, h)++;
      if (rule == NULL)
        continue;
      g_array_index (rule->hourly, guint32, h)++;
      rule->first_fired = MIN (rule->first_fired, f->time);
      rule->last_fired = MAX (rule->last_fired, f->time);
      g_hash_table_insert (counts, f->machine,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, f->machine)) + 1));
    }
  for (guint i = 0; i < run->rule_ids->len; i++)
    {
      TacitBacktestRule *rule = g_ptr_array_index (by_index, i);

      if (rule == NULL)
        continue;
      g_free (rule->machines);
      rule->machines = describe_machines (g_ptr_array_index (machine_counts, i));
    }
}

/* The span as `replay --stats` takes it: the asked range when both ends
 * are given, else the events' first and last time. */
static void
set_span (TacitBacktestResult *result,
          TacitEngine         *engine,
          TacitTime            from,
          TacitTime            to)
{
  gboolean known = TRUE;

  result->from = from;
  result->to = to;
  if (from == TACIT_TIME_MIN || to == TACIT_TIME_MAX)
    {
      known = tacit_engine_get_n_events (engine) > 0;
      result->from = known ? tacit_engine_get_first_time (engine) : 0;
      result->to = known ? tacit_engine_get_last_time (engine) : 0;
    }
  result->hours = known ? (double) (result->to - result->from) / (3600.0 * TACIT_USEC_PER_SEC) : 0;
  result->hour0 = result->from - (((result->from % TACIT_BACKTEST_HOUR) + TACIT_BACKTEST_HOUR) % TACIT_BACKTEST_HOUR);
  result->n_hours = known ? (guint) ((MAX (result->to, result->from + 1) - result->hour0 + TACIT_BACKTEST_HOUR - 1)
                                     / TACIT_BACKTEST_HOUR) : 1;
  result->n_hours = MAX (result->n_hours, 1);
  /* The last event of an open range lies exactly at `to`: give it a bucket. */
  if (known && (result->to - result->hour0) % TACIT_BACKTEST_HOUR == 0 && result->to > result->hour0)
    result->n_hours++;
}

static TacitBacktestResult *
build_result (TacitStore  *store,
              TacitEngine *engine,
              Run         *run,
              TacitTime    from,
              TacitTime    to,
              GError     **error)
{
  g_autoptr(TacitBacktestResult) result = g_new0 (TacitBacktestResult, 1);
  const TacitRuleStats *stats;
  guint n_stats = 0;

  result->library = g_object_ref (run->library);
  result->n_events = tacit_engine_get_n_events (engine);
  result->n_suggestions = run->firings->len;
  set_span (result, engine, from, to);
  result->hourly = g_array_sized_new (FALSE, TRUE, sizeof (guint32), result->n_hours);
  g_array_set_size (result->hourly, result->n_hours);
  result->evidence = tacit_evidence_compute (store, from, to, error);
  if (result->evidence == NULL)
    return NULL;
  stats = tacit_engine_get_stats (engine, &n_stats);
  result->stats = g_new0 (TacitRuleStats, MAX (n_stats, 1));
  result->n_stats = n_stats;
  result->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) backtest_rule_free);
  for (guint i = 0; i < n_stats; i++)
    {
      TacitBacktestRule *rule = new_backtest_rule (&stats[i], result);

      result->stats[i] = stats[i];
      tacit_rule_ref (stats[i].rule);
      attach_evidence (rule, result->evidence);
      g_ptr_array_add (result->rules, rule);
    }
  bin_firings (result, run);
  if (!tacit_alarm_load_add_shelves (run->load, store, g_get_real_time (), error))
    return NULL;
  result->stations = tacit_alarm_load_compute (run->load, result->from, result->to);
  return g_steal_pointer (&result);
}

TacitBacktestResult *
tacit_backtest_run (TacitStore         *store,
                    const char * const *rule_ids,
                    TacitTime           from,
                    TacitTime           to,
                    TacitProgressFunc   progress,
                    gpointer            progress_data,
                    GError            **error)
{
  g_autoptr(TacitLibrary) library = NULL;
  g_autoptr(TacitEngine) engine = NULL;
  TacitBacktestResult *result = NULL;
  TacitReplayOptions options;
  Run run = { 0 };
  TacitReplaySink sink = { ready_cb, restart_cb, progress_cb, &run };

  g_return_val_if_fail (TACIT_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  library = load_library (store, rule_ids, error);
  if (library == NULL)
    return NULL;
  tacit_replay_options_init (&options);
  options.from = from;
  options.to = to;
  run.library = library;
  run.firings = g_array_new (FALSE, FALSE, sizeof (Firing));
  run.rule_index = g_hash_table_new (g_str_hash, g_str_equal);
  run.rule_ids = g_ptr_array_new ();
  run.progress = progress;
  run.progress_data = progress_data;
  run.range_events = count_range_events (store, from, to);
  run_reset (&run);

  engine = tacit_replay_store (library, store, &options, &sink, error);
  if (engine != NULL)
    result = build_result (store, engine, &run, from, to, error);
  g_clear_pointer (&run.load, tacit_alarm_load_free);
  g_array_unref (run.firings);
  g_hash_table_unref (run.rule_index);
  g_ptr_array_unref (run.rule_ids);
  return result;
}

/* ---- off the main thread ---- */

typedef struct {
  char                      *db_path;
  GStrv                      rule_ids;
  TacitTime                  from;
  TacitTime                  to;
  TacitBacktestProgressFunc  progress_func;
  gpointer                   progress_data;
  GMainContext              *context;
  GCancellable              *cancellable;
  gint                       progress_permille;  /* last posted, atomic */
  gint                       progress_queued;    /* atomic flag */
} Job;

static void
job_free (Job *job)
{
  g_free (job->db_path);
  g_strfreev (job->rule_ids);
  g_main_context_unref (job->context);
  g_clear_object (&job->cancellable);
  g_free (job);
}

static gboolean
post_progress_cb (gpointer data)
{
  GTask *task = data;
  Job *job = g_task_get_task_data (task);

  g_atomic_int_set (&job->progress_queued, 0);
  if (!g_cancellable_is_cancelled (job->cancellable) && job->progress_func != NULL)
    job->progress_func (g_atomic_int_get (&job->progress_permille) / 1000.0, job->progress_data);
  return G_SOURCE_REMOVE;
}

/* Runs in the worker: at most one progress update queued at a time. */
static gboolean
worker_progress_cb (guint64  done,
                    guint64  total,
                    gpointer data)
{
  GTask *task = data;
  Job *job = g_task_get_task_data (task);

  if (g_cancellable_is_cancelled (job->cancellable))
    return FALSE;
  g_atomic_int_set (&job->progress_permille, total > 0 ? (gint) (1000 * done / total) : 0);
  if (job->progress_func != NULL && g_atomic_int_compare_and_exchange (&job->progress_queued, 0, 1))
    g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, post_progress_cb,
                                g_object_ref (task), g_object_unref);
  return TRUE;
}

static void
backtest_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(TacitStore) store = NULL;
  GError *error = NULL;
  TacitBacktestResult *result;

  store = tacit_store_open (job->db_path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  result = tacit_backtest_run (store, (const char * const *) job->rule_ids, job->from, job->to,
                               worker_progress_cb, task, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) tacit_backtest_result_free);
}

void
tacit_backtest_run_async (const char                *db_path,
                          const char * const        *rule_ids,
                          TacitTime                  from,
                          TacitTime                  to,
                          TacitBacktestProgressFunc  progress_func,
                          gpointer                   progress_data,
                          GCancellable              *cancellable,
                          GAsyncReadyCallback        callback,
                          gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (db_path != NULL);

  job = g_new0 (Job, 1);
  job->db_path = g_strdup (db_path);
  job->rule_ids = rule_ids != NULL ? g_strdupv ((char **) rule_ids) : NULL;
  job->from = from;
  job->to = to;
  job->progress_func = progress_func;
  job->progress_data = progress_data;
  job->context = g_main_context_ref_thread_default ();
  job->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  task = g_task_new (NULL, job->cancellable, callback, user_data);
  g_task_set_source_tag (task, tacit_backtest_run_async);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  /* A cancelled run reports G_IO_ERROR_CANCELLED, whatever the worker did. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, backtest_thread);
}

TacitBacktestResult *
tacit_backtest_run_finish (GAsyncResult *result,
                           GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
