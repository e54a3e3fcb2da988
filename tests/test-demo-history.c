/* test-demo-history.c: the demo plant's earlier shifts, which give a fresh
 * desktop history to backtest and evidence to weigh.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>

#include "tacit-demo.h"
#include "tacit-demo-history.h"
#include "tacit-test-utils.h"

static gint64
query_int (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static double
acceptance (const char *path,
            const char *rule)
{
  g_autofree char *accepted = g_strdup_printf (
    "SELECT count(*) FROM responses r JOIN suggestions s ON s.id = r.suggestion_id"
    " WHERE s.rule_id = '%s' AND r.response = 'accepted'", rule);
  g_autofree char *answered = g_strdup_printf (
    "SELECT count(*) FROM responses r JOIN suggestions s ON s.id = r.suggestion_id"
    " WHERE s.rule_id = '%s'", rule);
  gint64 n = query_int (path, answered);

  g_assert_cmpint (n, >=, 3);
  return (double) query_int (path, accepted) / (double) n;
}

static void
test_seed_history (void)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "demo.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitStore) store = tacit_store_open (path, &error);
  gint64 start = g_get_monotonic_time ();
  gint64 events, suggestions, responses;

  g_assert_true (tacit_demo_seed (store, &error));
  start = g_get_monotonic_time ();
  g_assert_true (tacit_demo_seed_history (store, &error));
  g_assert_no_error (error);
  g_test_message ("seeding the demo history took %.2f s",
                  (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC);

  /* Three copies of the bundled shift, on the three days before it. */
  events = query_int (path, "SELECT count(*) FROM events");
  g_assert_cmpint (events, ==, 3 * 17508);
  g_assert_cmpint (query_int (path, "SELECT min(time) FROM events"), ==,
                   G_GINT64_CONSTANT (1793599200000000) - 3 * G_GINT64_CONSTANT (86400000000));
  g_assert_cmpint (query_int (path, "SELECT max(time) FROM events"), <,
                   G_GINT64_CONSTANT (1793599200000000) - G_GINT64_CONSTANT (86400000000) + 4 * G_GINT64_CONSTANT (3600000000));

  suggestions = query_int (path, "SELECT count(*) FROM suggestions");
  responses = query_int (path, "SELECT count(*) FROM responses");
  g_assert_cmpint (suggestions, >, 0);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM suggestions WHERE mode = 'shadow'"), >, 0);
  /* Live suggestions are answered, but for a few that expire. */
  g_assert_cmpint (responses, >, query_int (path, "SELECT count(*) FROM suggestions WHERE mode = 'live'") * 9 / 10);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM responses r JOIN suggestions s ON s.id = r.suggestion_id"
                                    " WHERE s.mode <> 'live'"), ==, 0);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM responses WHERE response = 'dismissed' AND reason IS NULL"), ==, 0);
  /* Trusted rules and the one that cries wolf differ as the demo intends. */
  g_assert_cmpfloat (acceptance (path, "hydraulic-warning-repeats"), <, 0.35);
  g_assert_cmpfloat (acceptance (path, "tonnage-overload"), >, 0.6);

  /* Seeding again changes nothing. */
  g_assert_true (tacit_demo_seed_history (store, &error));
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM events"), ==, events);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM responses"), ==, responses);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/demo/history", test_seed_history);
  return g_test_run ();
}
