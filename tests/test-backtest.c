/* test-backtest.c: the backtest's figures against hand-counted fixtures —
 * the CLI fixture shift (the numbers of tests/data/cli/stats.table), a
 * long synthetic history (hour buckets, per hour, progress and cancel),
 * a choice of rules and a range, and stale shelves per station.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "tacit-backtest.h"
#include "tacit-error.h"
#include "tacit-event-reader.h"
#include "tacit-library-xml.h"
#include "tacit-test-utils.h"

#define T0 G_GINT64_CONSTANT (1793599200000000)   /* 2026-11-02T06:00:00Z */
#define SEC TACIT_USEC_PER_SEC

static TacitStore *
open_store (const char *name)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  TacitStore *store = tacit_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static void
import_library (TacitStore *store, TacitLibrary *library)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tacit_store_import_library (store, library, tacit_test_actor ("tacit-test"), &error));
  g_assert_no_error (error);
}

/* The CLI fixture: library.xml and shift.csv. */
static TacitStore *
shift_store (void)
{
  g_autofree char *lib_path = tacit_test_data_path ("cli/library.xml");
  g_autofree char *csv_path = tacit_test_data_path ("cli/shift.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitLibrary) library = tacit_library_load_file (lib_path, &error);
  TacitStore *store = open_store ("shift.db");
  g_autoptr(TacitEventReader) reader = NULL;

  g_assert_no_error (error);
  import_library (store, library);
  reader = tacit_event_reader_new_for_path (csv_path, TACIT_EVENT_FORMAT_AUTO, 0, &error);
  g_assert_no_error (error);
  g_assert_true (tacit_store_import_events (store, &reader, 1, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return store;
}

static const TacitStationLoad *
station (const TacitBacktestResult *result, const char *name)
{
  for (guint i = 0; i < result->stations->len; i++)
    if (g_str_equal (g_array_index (result->stations, TacitStationLoad, i).station, name))
      return &g_array_index (result->stations, TacitStationLoad, i);
  g_assert_not_reached ();
}

/* The same figures as tests/data/cli/stats.table, from the store. */
static void
test_shift_figures (void)
{
  g_autoptr(TacitStore) store = shift_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitBacktestResult) result = NULL;
  const TacitBacktestRule *coil, *spindle;
  const TacitStationLoad *stamping, *machining;
  TacitTime first, last;
  const char *ids[] = { "coil-b-hot-oil", "e1234-cold-oil", "lot-4471-hard", "spindle-overload" };

  g_assert_true (tacit_backtest_history_range (store, &first, &last, &error));
  g_assert_cmpint (first, ==, T0);
  g_assert_cmpint (last, ==, T0 + 40 * 60 * SEC);

  result = tacit_backtest_run (store, NULL, TACIT_TIME_MIN, TACIT_TIME_MAX, NULL, NULL, &error);
  g_assert_no_error (error);
  /* 40 minutes of events; the draft tool-change-check is not evaluated. */
  g_assert_cmpfloat_with_epsilon (result->hours, 40.0 / 60, 1e-12);
  g_assert_cmpuint (result->n_events, ==, 15);
  g_assert_cmpuint (result->n_suggestions, ==, 4);
  g_assert_cmpuint (result->rules->len, ==, 4);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      const TacitBacktestRule *rule = g_ptr_array_index (result->rules, i);

      g_assert_cmpstr (rule->rule, ==, ids[i]);
      g_assert_cmpuint (rule->firings, ==, 1);
      g_assert_cmpuint (rule->suppressed, ==, 0);
      g_assert_cmpfloat_with_epsilon (rule->per_hour, 1.5, 1e-12);
      g_assert_false (rule->flood);
      g_assert_false (rule->chattering);
      /* Nothing answered in this store. */
      g_assert_cmpuint (rule->acceptance.n, ==, 0);
      g_assert_true (isnan (rule->lift));
    }
  coil = tacit_backtest_result_lookup (result, "coil-b-hot-oil");
  g_assert_cmpuint (coil->revision, ==, 3);
  /* The third E1234 fault on press-3 (06:03:01.250999) meets the count of 3. */
  g_assert_cmpint (coil->first_fired, ==, T0 + 181250999);
  g_assert_cmpstr (coil->machines, ==, "press-3 ×1");
  spindle = tacit_backtest_result_lookup (result, "spindle-overload");
  g_assert_cmpstr (spindle->machines, ==, "cnc-1 ×1");

  g_assert_cmpuint (result->n_hours, ==, 1);
  g_assert_cmpint (result->hour0, ==, T0);
  g_assert_cmpuint (g_array_index (result->hourly, guint32, 0), ==, 4);

  g_assert_cmpuint (result->stations->len, ==, 2);
  machining = station (result, "machining");
  stamping = station (result, "stamping");
  g_assert_cmpuint (machining->suggestions, ==, 1);
  g_assert_cmpfloat_with_epsilon (machining->per_window_mean, 0.25, 1e-12);
  g_assert_cmpuint (stamping->suggestions, ==, 3);
  g_assert_cmpfloat_with_epsilon (stamping->per_window_mean, 0.75, 1e-12);
  g_assert_cmpuint (stamping->per_window_peak, ==, 3);
  g_assert_cmpfloat (stamping->top10_share, ==, 1.0);
  g_assert_cmpint (stamping->stale_shelves, ==, 0);
}

/* Chosen rules and a closed range: the span is the range asked for. */
static void
test_choice_and_range (void)
{
  g_autoptr(TacitStore) store = shift_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitBacktestResult) result = NULL;
  g_autoptr(TacitBacktestResult) missing = NULL;
  const char *ids[] = { "lot-4471-hard", "coil-b-hot-oil", NULL };

  /* [06:00, 06:03): the coil rule's third fault is outside. */
  result = tacit_backtest_run (store, ids, T0, T0 + 3 * 60 * SEC, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (result->hours, 0.05, 1e-12);
  g_assert_cmpuint (result->rules->len, ==, 2);
  g_assert_cmpuint (tacit_backtest_result_lookup (result, "coil-b-hot-oil")->firings, ==, 0);
  g_assert_cmpuint (tacit_backtest_result_lookup (result, "lot-4471-hard")->firings, ==, 1);
  g_assert_cmpfloat_with_epsilon (tacit_backtest_result_lookup (result, "lot-4471-hard")->per_hour, 20.0, 1e-9);
  g_assert_null (tacit_backtest_result_lookup (result, "spindle-overload"));
  g_assert_cmpstr (tacit_backtest_result_lookup (result, "coil-b-hot-oil")->machines, ==, "");

  ids[1] = "no-such-rule";
  missing = tacit_backtest_run (store, ids, TACIT_TIME_MIN, TACIT_TIME_MAX, NULL, NULL, &error);
  g_assert_null (missing);
  g_assert_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_NOT_FOUND);
}

/* ---- a long history ---- */

static const char hot_library[] =
  "<library xmlns=\"urn:tacit:rules:1\" name=\"Long\">\n"
  "  <machines><machine id=\"press-1\" cell=\"stamping\"/></machines>\n"
  "  <rule id=\"hot-oil\" kind=\"process-hack\" status=\"approved\">\n"
  "    <title>Hot oil</title>\n"
  "    <on kind=\"sample\" item=\"oil_temp\" op=\"gt\" value=\"55\"/>\n"
  "    <advise><text>Cool it</text></advise>\n"
  "  </rule>\n"
  "</library>\n";

#define N_LONG 70000

/* One oil_temp sample a second; every 120th is hot: a firing every 2 min. */
static TacitStore *
long_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitLibrary) library = tacit_library_load_data (hot_library, strlen (hot_library), "long.xml", &error);
  TacitStore *store = open_store ("long.db");
  g_autofree TacitEvent *events = g_new0 (TacitEvent, N_LONG);

  g_assert_no_error (error);
  import_library (store, library);
  for (guint i = 0; i < N_LONG; i++)
    {
      events[i].time = T0 + (gint64) i * SEC;
      events[i].machine = "press-1";
      events[i].kind = TACIT_KIND_SAMPLE;
      events[i].item = "oil_temp";
      events[i].value = i % 120 == 119 ? "60" : "50";
    }
  g_assert_true (tacit_store_insert_events (store, events, N_LONG, NULL, &error));
  g_assert_no_error (error);
  return store;
}

typedef struct {
  guint   calls;
  guint64 last_done;
  guint64 last_total;
  gboolean cancel;
} Progress;

static gboolean
progress_cb (guint64 done, guint64 total, gpointer data)
{
  Progress *p = data;

  p->calls++;
  p->last_done = done;
  p->last_total = total;
  return !p->cancel;
}

static void
test_long_history (void)
{
  g_autoptr(TacitStore) store = long_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitBacktestResult) result = NULL;
  g_autoptr(TacitBacktestResult) cancelled = NULL;
  const TacitBacktestRule *hot;
  Progress progress = { 0 };

  result = tacit_backtest_run (store, NULL, TACIT_TIME_MIN, TACIT_TIME_MAX, progress_cb, &progress, &error);
  g_assert_no_error (error);
  /* Firings at seconds 119, 239, …, 69959: 583 of them over 69999 s. */
  hot = tacit_backtest_result_lookup (result, "hot-oil");
  g_assert_cmpuint (hot->firings, ==, 583);
  g_assert_cmpfloat_with_epsilon (hot->per_hour, 583 / (69999.0 / 3600), 1e-9);
  g_assert_false (hot->chattering);
  g_assert_false (hot->flood);
  g_assert_cmpint (hot->first_fired, ==, T0 + 119 * SEC);
  g_assert_cmpint (hot->last_fired, ==, T0 + 69959 * SEC);
  g_assert_cmpstr (hot->machines, ==, "press-1 ×583");
  /* 20 hour buckets: 19 full hours of 30, then 13 in the last part hour. */
  g_assert_cmpuint (result->n_hours, ==, 20);
  for (guint h = 0; h < 19; h++)
    g_assert_cmpuint (g_array_index (result->hourly, guint32, h), ==, 30);
  g_assert_cmpuint (g_array_index (result->hourly, guint32, 19), ==, 13);
  g_assert_cmpuint (g_array_index (hot->hourly, guint32, 19), ==, 13);
  /* One station: 5 a window, 117 windows (69999 s / 600 s, rounded up). */
  g_assert_cmpuint (result->stations->len, ==, 1);
  g_assert_cmpuint (station (result, "stamping")->per_window_peak, ==, 5);
  g_assert_cmpfloat_with_epsilon (station (result, "stamping")->per_window_mean, 583.0 / 117, 1e-9);
  /* Progress came (every 65,536 events) with the range's own total. */
  g_assert_cmpuint (progress.calls, ==, 1);
  g_assert_cmpuint (progress.last_done, ==, 65536);
  g_assert_cmpuint (progress.last_total, ==, N_LONG);

  progress.cancel = TRUE;
  cancelled = tacit_backtest_run (store, NULL, TACIT_TIME_MIN, TACIT_TIME_MAX, progress_cb, &progress, &error);
  g_assert_null (cancelled);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* ---- off the main thread ---- */

static void
async_done_cb (GObject *source, GAsyncResult *res, gpointer data)
{
  GAsyncResult **out = data;
  *out = g_object_ref (res);
}

static void
progress_fraction_cb (double fraction, gpointer data)
{
  double *last = data;

  g_assert_cmpfloat (fraction, >=, 0);
  g_assert_cmpfloat (fraction, <=, 1);
  *last = fraction;
}

static void
test_async (void)
{
  g_autoptr(TacitStore) store = long_store ();
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GAsyncResult) res2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitBacktestResult) result = NULL;
  g_autoptr(TacitBacktestResult) none = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  double fraction = -1;

  tacit_backtest_run_async (tacit_store_get_path (store), NULL, TACIT_TIME_MIN, TACIT_TIME_MAX,
                            progress_fraction_cb, &fraction, NULL, async_done_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  result = tacit_backtest_run_finish (res, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tacit_backtest_result_lookup (result, "hot-oil")->firings, ==, 583);
  /* 65536 of 70000 events, posted to this thread. */
  g_assert_cmpfloat_with_epsilon (fraction, 0.936, 1e-9);

  g_cancellable_cancel (cancellable);
  tacit_backtest_run_async (tacit_store_get_path (store), NULL, TACIT_TIME_MIN, TACIT_TIME_MAX,
                            NULL, NULL, cancellable, async_done_cb, &res2);
  while (res2 == NULL)
    g_main_context_iteration (NULL, TRUE);
  none = tacit_backtest_run_finish (res2, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* ---- stale shelves ---- */

static void
exec (sqlite3 *db, const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static void
test_stale_shelves (void)
{
  g_autoptr(TacitStore) store = shift_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitBacktestResult) result = NULL;
  g_autofree char *sql = NULL;
  sqlite3 *db = NULL;
  gint64 now = g_get_real_time ();
  gint64 hour = G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC;

  g_assert_cmpint (sqlite3_open (tacit_store_get_path (store), &db), ==, SQLITE_OK);
  /* stamping: open for 2 days (stale); timed, expired a minute ago but
   * never cleared (stale); shelved an hour ago, expiring later (fresh);
   * cleared after 3 days (not open). paint: one stale shelf, no
   * suggestions. */
  sql = g_strdup_printf (
    "INSERT INTO shelves (rule_id, station, kind, actor, shelved_at, expires_at, cleared_at) VALUES "
    "('coil-b-hot-oil', 'stamping', 'lot', 'op-117', %" G_GINT64_FORMAT ", NULL, NULL),"
    "('lot-4471-hard', 'stamping', 'timed', 'op-117', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", NULL),"
    "('lot-4471-hard', 'stamping', 'timed', 'op-204', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", NULL),"
    "('coil-b-hot-oil', 'stamping', 'one-shot', 'op-204', %" G_GINT64_FORMAT ", NULL, %" G_GINT64_FORMAT "),"
    "('coil-b-hot-oil', 'paint', 'one-shot', 'op-311', %" G_GINT64_FORMAT ", NULL, NULL)",
    now - 48 * hour, now - 2 * hour, now - 60 * G_USEC_PER_SEC, now - hour, now + hour,
    now - 72 * hour, now - 10 * G_USEC_PER_SEC, now - 30 * hour);
  exec (db, sql);
  sqlite3_close (db);

  result = tacit_backtest_run (store, NULL, TACIT_TIME_MIN, TACIT_TIME_MAX, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->stations->len, ==, 3);
  g_assert_cmpint (station (result, "stamping")->stale_shelves, ==, 2);
  g_assert_cmpint (station (result, "machining")->stale_shelves, ==, 0);
  g_assert_cmpint (station (result, "paint")->stale_shelves, ==, 1);
  g_assert_cmpuint (station (result, "paint")->suggestions, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/backtest/shift-figures", test_shift_figures);
  g_test_add_func ("/backtest/choice-and-range", test_choice_and_range);
  g_test_add_func ("/backtest/long-history", test_long_history);
  g_test_add_func ("/backtest/async", test_async);
  g_test_add_func ("/backtest/stale-shelves", test_stale_shelves);
  return g_test_run ();
}
