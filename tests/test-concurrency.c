/* test-concurrency.c: four writer threads, each with its own TacitStore
 * connection on the same file, as ingestion, the engine and the kiosk UI
 * write at once: event imports, rule saves, recorded suggestions and
 * operator responses, in turn, for a bounded time. Every write must
 * succeed (WAL + BEGIN IMMEDIATE + the busy timeout absorb the
 * contention; on a badly overloaded machine a write may time out with
 * TACIT_STORE_ERROR_BUSY, storing nothing, and is retried as callers do:
 * the retries are counted), nothing may be lost (the stored counts equal what the
 * threads were told was stored), and nothing may deadlock (a watchdog
 * fails the test if the threads do not finish in time).
 *
 * TACIT_STRESS_SECONDS sets the duration (default 3; docs/reliability.md
 * records a 60 s run).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "tacit-error.h"
#include "tacit-library-xml.h"
#include "tacit-store.h"
#include "tacit-test-utils.h"

#define N_THREADS        4
#define EVENTS_PER_BATCH 200
#define SUGGESTIONS_PER_BATCH 20
#define T0 G_GINT64_CONSTANT (1793599200000000) /* 2026-11-02T06:00:00Z */

typedef struct {
  const char *path;
  guint       index;
  gint64      deadline;
  TacitRule  *rule;            /* what the suggestions name */
  /* What this thread was told was stored. */
  guint64     events;
  guint64     rules;
  guint64     suggestions;
  guint64     responses;
  guint64     operations;
  gint64      worst_wait_us;   /* the slowest single write */
  guint64     busy;            /* writes that timed out waiting, then retried */
  GPtrArray  *suggestion_ids;  /* this thread's, for its responses */
} Writer;

static GMutex done_lock;
static GCond done_cond;
static guint n_done;

static TacitEventReader *
events_reader (Writer *w,
               guint   batch)
{
  g_autoptr(GString) csv = g_string_new ("time,machine,kind,item,value\n");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GInputStream) stream = NULL;

  /* Distinct times per thread and batch: the events are all new. */
  for (guint i = 0; i < EVENTS_PER_BATCH; i++)
    {
      g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (1793599200 + w->index * 100000000LL +
                                                              batch * EVENTS_PER_BATCH + i);
      g_autofree char *stamp = g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ");

      g_string_append_printf (csv, "%s,press-%u,sample,oil_temp,%u\n", stamp, w->index, i);
    }
  bytes = g_string_free_to_bytes (g_steal_pointer (&csv));
  stream = g_memory_input_stream_new_from_bytes (bytes);
  return tacit_event_reader_new_for_stream (stream, "stress.csv", TACIT_EVENT_FORMAT_CSV,
                                            TACIT_EVENT_READER_NONE);
}

static gboolean
do_import (Writer      *w,
           TacitStore  *store,
           guint        batch,
           GError     **error)
{
  g_autoptr(TacitEventReader) reader = events_reader (w, batch);
  TacitImportStats stats = { 0 };

  if (!tacit_store_import_events (store, &reader, 1, &stats, NULL, NULL, error))
    return FALSE;
  g_assert_cmpuint (stats.events, ==, EVENTS_PER_BATCH);
  w->events += stats.events;
  return TRUE;
}

static gboolean
do_save_rule (Writer      *w,
              TacitStore  *store,
              guint        batch,
              GError     **error)
{
  g_autoptr(TacitRule) rule = tacit_rule_copy (w->rule);

  g_free (rule->id);
  rule->id = g_strdup_printf ("w%u-rule-%u", w->index, batch);
  if (!tacit_store_save_rule (store, rule, 0, tacit_test_actor ("eng-stress"), error))
    return FALSE;
  w->rules++;
  return TRUE;
}

static gboolean
do_suggestions (Writer      *w,
                TacitStore  *store,
                guint        batch,
                GError     **error)
{
  TacitSuggestion *s[SUGGESTIONS_PER_BATCH];
  gboolean ok;

  for (guint i = 0; i < SUGGESTIONS_PER_BATCH; i++)
    {
      g_autofree char *machine = g_strdup_printf ("press-%u", w->index);
      TacitTime time = T0 + ((gint64) batch * SUGGESTIONS_PER_BATCH + i) * G_USEC_PER_SEC;
      TacitEvent trigger = { time, machine, TACIT_KIND_EVENT, "mode", "auto", NULL, NULL };

      s[i] = tacit_suggestion_new ();
      s[i]->time = time;
      s[i]->machine = g_strdup (machine);
      s[i]->rule = tacit_rule_ref (w->rule);
      s[i]->mode = TACIT_MODE_LIVE;
      s[i]->propensity = 1.0;
      s[i]->trigger = tacit_event_copy (&trigger);
      tacit_suggestion_compute_id (w->rule->id, w->rule->revision, machine, time, s[i]->id);
    }
  ok = tacit_store_record_suggestions (store, s, SUGGESTIONS_PER_BATCH, error);
  for (guint i = 0; i < SUGGESTIONS_PER_BATCH; i++)
    {
      if (ok)
        g_ptr_array_add (w->suggestion_ids, g_strdup (s[i]->id));
      tacit_suggestion_unref (s[i]);
    }
  if (ok)
    w->suggestions += SUGGESTIONS_PER_BATCH;
  return ok;
}

static gboolean
do_response (Writer      *w,
             TacitStore  *store,
             guint        batch,
             GError     **error)
{
  g_autofree char *reason = NULL;
  const char *id;

  if (w->suggestion_ids->len == 0)
    return TRUE;
  id = w->suggestion_ids->pdata[batch % w->suggestion_ids->len];
  reason = g_strdup_printf ("w%u-%u", w->index, batch);
  if (!tacit_store_record_response (store, id, TACIT_RESPONSE_DISMISSED, reason,
                                    "op-stress", T0 + batch, error))
    return FALSE;
  w->responses++;
  return TRUE;
}

static gpointer
writer_thread (gpointer data)
{
  Writer *w = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitStore) store = tacit_store_open (w->path, &error);

  g_assert_no_error (error);
  /* Each thread cycles through the kinds of write, starting at a
   * different one, so that every kind meets every other. */
  for (guint op = 0; g_get_monotonic_time () < w->deadline; op++)
    {
      guint batch = op / 4;
      gint64 start = g_get_monotonic_time ();
      gboolean ok;

      /* A write that waited out the busy timeout fails cleanly with
       * TACIT_STORE_ERROR_BUSY, having stored nothing; its caller (the
       * kiosk, listen) tries again, and so does this. Anything else is a
       * failure. */
      do
        {
          g_clear_error (&error);
          switch ((op + w->index) % 4)
            {
            case 0:
              ok = do_import (w, store, batch, &error);
              break;
            case 1:
              ok = do_suggestions (w, store, batch, &error);
              break;
            case 2:
              ok = do_response (w, store, batch, &error);
              break;
            default:
              ok = do_save_rule (w, store, batch, &error);
              break;
            }
          if (!ok)
            {
              g_assert_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_BUSY);
              w->busy++;
            }
        }
      while (!ok);
      w->operations++;
      w->worst_wait_us = MAX (w->worst_wait_us, g_get_monotonic_time () - start);
    }
  g_mutex_lock (&done_lock);
  n_done++;
  g_cond_signal (&done_cond);
  g_mutex_unlock (&done_lock);
  return NULL;
}

static gint64
raw_count (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
test_four_writers (void)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "stress.db", NULL);
  g_autoptr(TacitRule) rule = NULL;
  g_autoptr(TacitStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *env = g_getenv ("TACIT_STRESS_SECONDS");
  double seconds = env != NULL ? g_ascii_strtod (env, NULL) : 3.0;
  Writer writers[N_THREADS];
  GThread *threads[N_THREADS];
  Writer total = { 0 };
  gint64 watchdog;

  /* The schema exists before the threads start, as in the field. */
  store = tacit_store_open (path, &error);
  g_assert_no_error (error);
  rule = tacit_rule_from_xml ("<rule xmlns=\"urn:tacit:rules:1\" id=\"stress\" kind=\"override\" "
                              "status=\"approved\"><title>Stress</title>"
                              "<on kind=\"event\" item=\"mode\"/>"
                              "<advise><text>Check the mode.</text></advise></rule>", -1, &error);
  g_assert_no_error (error);
  g_assert_true (tacit_store_save_rule (store, rule, 0, tacit_test_actor ("eng-stress"), &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  n_done = 0;
  for (guint i = 0; i < N_THREADS; i++)
    {
      writers[i] = (Writer) { 0 };
      writers[i].path = path;
      writers[i].index = i;
      writers[i].rule = rule;
      writers[i].deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
      writers[i].suggestion_ids = g_ptr_array_new_with_free_func (g_free);
      threads[i] = g_thread_new ("writer", writer_thread, &writers[i]);
    }

  /* A deadlock shows as threads that never finish: give them the run
   * time plus far more than the busy timeout, then fail loudly. */
  watchdog = g_get_monotonic_time () + (gint64) ((seconds + 60) * G_USEC_PER_SEC);
  g_mutex_lock (&done_lock);
  while (n_done < N_THREADS)
    if (!g_cond_wait_until (&done_cond, &done_lock, watchdog))
      g_error ("deadlock: only %u of %d writers finished", n_done, N_THREADS);
  g_mutex_unlock (&done_lock);

  for (guint i = 0; i < N_THREADS; i++)
    {
      g_thread_join (threads[i]);
      total.events += writers[i].events;
      total.rules += writers[i].rules;
      total.suggestions += writers[i].suggestions;
      total.responses += writers[i].responses;
      total.operations += writers[i].operations;
      total.busy += writers[i].busy;
      total.worst_wait_us = MAX (total.worst_wait_us, writers[i].worst_wait_us);
      g_ptr_array_unref (writers[i].suggestion_ids);
    }
  g_print ("# %.0f s, %d writers: %" G_GUINT64_FORMAT " writes (%" G_GUINT64_FORMAT
           " events, %" G_GUINT64_FORMAT " rules, %" G_GUINT64_FORMAT " suggestions, %"
           G_GUINT64_FORMAT " responses); slowest write %.3f s; %" G_GUINT64_FORMAT
           " busy timeouts retried\n",
           seconds, N_THREADS, total.operations, total.events, total.rules,
           total.suggestions, total.responses, total.worst_wait_us / (double) G_USEC_PER_SEC,
           total.busy);

  /* Every kind of write ran, and every acknowledged write is there. */
  g_assert_cmpuint (total.events, >, 0);
  g_assert_cmpuint (total.rules, >, 0);
  g_assert_cmpuint (total.suggestions, >, 0);
  g_assert_cmpuint (total.responses, >, 0);
  g_assert_cmpint (raw_count (path, "SELECT count(*) FROM events"), ==, total.events);
  g_assert_cmpint (raw_count (path, "SELECT count(*) FROM rules WHERE id != 'stress'"), ==,
                   total.rules);
  g_assert_cmpint (raw_count (path, "SELECT count(*) FROM suggestions"), ==, total.suggestions);
  g_assert_cmpint (raw_count (path, "SELECT count(*) FROM responses"), ==, total.responses);
  g_assert_cmpint (raw_count (path, "SELECT count(*) FROM imports"), ==,
                   total.events / EVENTS_PER_BATCH);
  /* Event ids stay dense under contention: no two imports got the same
   * ids, none were lost. */
  g_assert_cmpint (raw_count (path, "SELECT count(DISTINCT id) FROM events"), ==, total.events);
  g_assert_cmpint (raw_count (path, "SELECT max(id) FROM events"), ==, total.events);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/concurrency/four-writers", test_four_writers);
  return g_test_run ();
}
