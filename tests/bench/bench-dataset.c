/* bench-dataset.c: the dataset export's time and memory.
 *
 * Records N synthetic suggestions (20 machines, 10 rules, some with a
 * holdout, every third live one answered) into a fresh database, then
 * exports it in a process of its own and prints the export's wall time and
 * peak RSS. It does so for N/10 and N: the two peaks should be about the
 * same (memory stays flat however many suggestions there are).
 *
 *   bench-dataset [--suggestions N] [--layout flat|episodes|bandit] [--keep DIR] [--single]
 *
 * Figures, not pass/fail: run with `meson test --benchmark` or directly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "tacit-dataset.h"
#include "tacit-library-xml.h"
#include "tacit-store.h"
#include "tacit-store-private.h"

#define BATCH 20000
#define N_MACHINES 20
#define N_RULES 10

static gint64 n_suggestions = 1000000;
static char *layout_name;
static char *keep_dir;
static gboolean single;
static char *child_export;   /* internal: "DB:OUT:LAYOUT" */

static const GOptionEntry entries[] = {
  { "suggestions", 0, 0, G_OPTION_ARG_INT64, &n_suggestions,
    "Suggestions in the large run (default 1,000,000; a run of a tenth comes first)", "N" },
  { "layout", 0, 0, G_OPTION_ARG_STRING, &layout_name, "Export layout (default flat)", "LAYOUT" },
  { "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep_dir, "Work in DIR and keep the files", "DIR" },
  { "single", 0, 0, G_OPTION_ARG_NONE, &single, "Skip the run of a tenth of N", NULL },
  { "child-export", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &child_export, NULL, NULL },
  { NULL }
};

static double
now_seconds (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* VmHWM, the high-water mark of this process image: getrusage's ru_maxrss
 * would also count the parent's image from before exec (Linux keeps the
 * larger of the two). */
static long
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmHWM:")) == NULL)
    return -1;
  return strtol (line + strlen ("VmHWM:"), NULL, 10);
}

static TacitLibrary *
make_library (void)
{
  g_autoptr(GString) xml = g_string_new ("<library xmlns='urn:tacit:rules:1' name='Bench' revision='1'>");
  g_autoptr(GError) error = NULL;
  TacitLibrary *library;

  for (int r = 0; r < N_RULES; r++)
    g_string_append_printf (xml,
      "<rule id='rule-%02d' kind='process-hack' status='%s'><title>Rule %d</title>"
      "<on kind='sample' item='item-%d' op='gt' value='50'/>"
      "<advise severity='warning' holdout='%s'><text>Slow the ram down by %d%%.</text>"
      "<action parameter='ram_speed' change='-%d%%'/></advise>"
      "<outcome kind='event' item='scrap_count' within='10m'/></rule>",
      r, r == N_RULES - 1 ? "proposed" : "approved", r, r, r % 3 == 0 ? "0.1" : "0", r + 1, r + 1);
  g_string_append (xml, "</library>");
  library = tacit_library_load_data (xml->str, xml->len, "bench.xml", &error);
  g_assert_no_error (error);
  return library;
}

/* One batch of suggestions, re-timed for every batch: allocating ten
 * million of them would measure malloc, not the store. */
static GPtrArray *
make_batch (TacitLibrary *library)
{
  GPtrArray *batch = g_ptr_array_new_with_free_func ((GDestroyNotify) tacit_suggestion_unref);
  const char *items[] = { "item-0", "material_lot", "oil_temp", "program" };

  for (guint i = 0; i < BATCH; i++)
    {
      TacitSuggestion *s = tacit_suggestion_new ();
      TacitRule *rule = g_ptr_array_index (tacit_library_get_rules (library), i % N_RULES);
      g_autofree char *machine = g_strdup_printf ("press-%02u", i % N_MACHINES);
      g_autofree char *temp = g_strdup_printf ("%u.5", 40 + i % 30);
      const char *values[] = { "51", "4471", temp, "O1234" };
      TacitEvent trigger = { 0, machine, TACIT_KIND_SAMPLE, "item-0", "51", NULL, NULL };

      s->machine = g_steal_pointer (&machine);
      s->rule = tacit_rule_ref (rule);
      s->trigger = tacit_event_copy (&trigger);
      tacit_suggestion_set_context (s, items, values, G_N_ELEMENTS (items));
      s->has_outcome = TRUE;
      s->outcome_closed = TRUE;
      g_ptr_array_add (batch, s);
    }
  return batch;
}

static void
retime_batch (GPtrArray *batch, guint64 first)
{
  for (guint i = 0; i < batch->len; i++)
    {
      TacitSuggestion *s = g_ptr_array_index (batch, i);
      guint64 n = first + i;
      /* 2026-11-02T00:00Z, one suggestion every 3 s. */
      TacitTime t = G_GINT64_CONSTANT (1793577600) * TACIT_USEC_PER_SEC + (gint64) n * 3 * TACIT_USEC_PER_SEC;

      s->time = t;
      s->trigger->time = t;
      tacit_suggestion_compute_id (s->rule->id, s->rule->revision, s->machine, t, s->id);
      if (s->rule->status != TACIT_RULE_STATUS_APPROVED)
        {
          s->mode = TACIT_MODE_SHADOW;
          s->propensity = 0;
        }
      else
        {
          s->propensity = 1 - s->rule->holdout;
          s->mode = tacit_suggestion_id_draw (s->id) < s->rule->holdout ? TACIT_MODE_HELD_OUT
                                                                        : TACIT_MODE_LIVE;
        }
      s->outcome = (guint) (n % 7 == 0);
      /* Sequential ids (still 32 hex digits) once the holdout is drawn from
       * the real one: the store's primary key then grows at its end, and
       * recording ten million takes minutes instead of an hour. What the
       * export reads is the same. */
      g_snprintf (s->id, sizeof s->id, "%032" G_GINT64_MODIFIER "x", (gint64) n);
    }
}

/* Every third live suggestion gets an answer, straight through SQL in the
 * batch's transaction (tacit_store_record_response is one transaction
 * each, made for a tap on a kiosk). */
static void
answer_batch (sqlite3 *db, GPtrArray *batch)
{
  static const char sql[] =
    "INSERT INTO responses (suggestion_id, response, reason, actor, responded_at, recorded_at) "
    "VALUES (?1, ?2, NULL, 'op-1', ?3, 0)";
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < batch->len; i += 3)
    {
      TacitSuggestion *s = g_ptr_array_index (batch, i);

      if (s->mode != TACIT_MODE_LIVE)
        continue;
      sqlite3_bind_text (stmt, 1, s->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, i % 2 ? "accepted" : "dismissed", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, s->time + 60 * TACIT_USEC_PER_SEC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
}

static void
record (const char *db_path, guint64 n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitStore) store = tacit_store_open (db_path, &error);
  g_autoptr(TacitLibrary) library = make_library ();
  g_autoptr(GPtrArray) batch = make_batch (library);
  sqlite3 *db = _tacit_store_get_db (store);
  g_autoptr(TacitOperator) bench_actor = tacit_operator_new_local ("bench");
  double start = now_seconds ();

  g_assert_no_error (error);
  /* Setting up, not measured: suggestion ids are hashes, so inserts land
   * all over the primary key; a page cache that holds it keeps the set-up
   * from being disk-bound. The export runs with the store's defaults. */
  sqlite3_exec (db, "PRAGMA cache_size = -1048576", NULL, NULL, NULL);
  sqlite3_exec (db, "PRAGMA synchronous = OFF", NULL, NULL, NULL);
  g_assert_true (tacit_store_import_library (store, library, bench_actor, &error));
  for (guint64 done = 0; done < n; done += BATCH)
    {
      retime_batch (batch, done);
      if (n - done < BATCH)
        g_ptr_array_set_size (batch, (guint) (n - done));
      g_assert_true (tacit_store_record_suggestions (store, (TacitSuggestion **) batch->pdata,
                                                     batch->len, &error));
      g_assert_no_error (error);
      sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
      answer_batch (db, batch);
      sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
    }
  printf ("record %'" G_GUINT64_FORMAT " suggestions: %.1f s\n", n, now_seconds () - start);
  fflush (stdout);
}

static int
run_child (void)
{
  g_auto(GStrv) parts = g_strsplit (child_export, ":", 3);
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitStore) store = tacit_store_open (parts[0], &error);
  TacitDatasetOptions options;
  g_autoptr(TacitOperator) bench_actor = tacit_operator_new_local ("bench");
  TacitDatasetStats stats;
  double start = now_seconds ();

  g_assert_no_error (error);
  tacit_dataset_options_init (&options);
  options.actor = bench_actor;
  g_assert_true (tacit_dataset_layout_from_string (parts[2], &options.layout));
  g_assert_true (tacit_dataset_export (store, parts[1], &options, &stats, NULL, NULL, &error));
  g_assert_no_error (error);
  printf ("%.3f %ld %" G_GUINT64_FORMAT "\n", now_seconds () - start, peak_rss_kib (),
          stats.suggestions);
  return 0;
}

static void
measure_export (const char *self_exe, const char *db, const char *out, guint64 n)
{
  g_autofree char *arg = g_strdup_printf ("%s:%s:%s", db, out, layout_name);
  const char *argv[] = { self_exe, "--child-export", arg, NULL };
  g_autofree char *stdout_text = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *card = g_build_filename (out, "suggestions.jsonl", NULL);
  GStatBuf st;
  double secs;
  long rss;
  guint64 exported;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &stdout_text, NULL, NULL, &error);
  g_assert_no_error (error);
  if (sscanf (stdout_text, "%lf %ld %" G_GUINT64_FORMAT, &secs, &rss, &exported) != 3)
    g_error ("child export printed: %s", stdout_text);
  g_assert_cmpuint (exported, ==, n);
  g_assert_cmpint (g_stat (card, &st), ==, 0);
  printf ("export %'" G_GUINT64_FORMAT " suggestions (--layout %s, own process): %.1f s, "
          "%.0f suggestions/s, peak RSS %.1f MiB, suggestions.jsonl %.0f MiB\n",
          n, layout_name, secs, n / secs, rss / 1024.0, st.st_size / 1048576.0);
  fflush (stdout);
}

static void
run_size (const char *self_exe, const char *dir, guint64 n)
{
  g_autofree char *name = g_strdup_printf ("bench-%" G_GUINT64_FORMAT ".db", n);
  g_autofree char *db = g_build_filename (dir, name, NULL);
  g_autofree char *out = g_build_filename (dir, "export", NULL);

  record (db, n);
  measure_export (self_exe, db, out, n);
  if (keep_dir == NULL)
    {
      g_autofree char *wal = g_strconcat (db, "-wal", NULL);
      g_autofree char *shm = g_strconcat (db, "-shm", NULL);
      const char *files[] = { "suggestions.jsonl", "events.jsonl", "rules.xml", "dataset.json",
                              "episodes.jsonl", "bandit.jsonl" };

      g_unlink (db);
      g_unlink (wal);
      g_unlink (shm);
      for (guint i = 0; i < G_N_ELEMENTS (files); i++)
        {
          g_autofree char *path = g_build_filename (out, files[i], NULL);
          g_unlink (path);
        }
      g_rmdir (out);
    }
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- dataset export benchmark");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  TacitDatasetLayout layout;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  if (layout_name == NULL)
    layout_name = g_strdup ("flat");
  if (!tacit_dataset_layout_from_string (layout_name, &layout))
    g_error ("unknown layout %s", layout_name);
  if (child_export != NULL)
    return run_child ();

  dir = keep_dir != NULL ? g_strdup (keep_dir) : g_dir_make_tmp ("tacit-bench-dataset-XXXXXX", &error);
  g_assert_no_error (error);
  g_mkdir_with_parents (dir, 0777);
  if (!single && n_suggestions >= 10)
    run_size (argv[0], dir, (guint64) n_suggestions / 10);
  run_size (argv[0], dir, (guint64) n_suggestions);
  if (keep_dir == NULL)
    g_rmdir (dir);
  return 0;
}
