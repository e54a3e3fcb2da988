/* bench-core.c: figures for the core on a synthetic plant.
 *
 * Generates a plant (machines × items, a time-ordered CSV event log and a
 * rule library), then prints:
 *   - CSV import into the database, events/s
 *   - replay from files (parse + engine), events/s
 *   - peak RSS of a replay, for two event counts (memory must stay flat)
 *
 * Figures, not pass/fail: run with `meson test --benchmark` or directly:
 *   bench-core [--events N] [--rules N] [--machines N] [--items N]
 *              [--memory-events N] [--keep DIR]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "tacit-library-xml.h"
#include "tacit-replay.h"
#include "tacit-store.h"

static gint64 n_events = 1000000;
static gint64 memory_events = 10000000;
static int n_rules = 10000;
static int n_machines = 50;
static int n_items = 20;
static char *keep_dir;
static char *child_replay;   /* internal: "EVENTS.csv:LIBRARY.xml" */

static const GOptionEntry entries[] = {
  { "events", 0, 0, G_OPTION_ARG_INT64, &n_events, "Events in the main run (default 1,000,000)", "N" },
  { "rules", 0, 0, G_OPTION_ARG_INT, &n_rules, "Rules in the library (default 10,000)", "N" },
  { "machines", 0, 0, G_OPTION_ARG_INT, &n_machines, "Machines (default 50)", "N" },
  { "items", 0, 0, G_OPTION_ARG_INT, &n_items, "Items per machine (default 20)", "N" },
  { "memory-events", 0, 0, G_OPTION_ARG_INT64, &memory_events,
    "Events of the large replay whose peak RSS is measured (default 10,000,000; 0 skips)", "N" },
  { "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep_dir, "Write the generated files here and keep them", "DIR" },
  { "child-replay", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &child_replay, NULL, NULL },
  { NULL }
};

/* Items: the first 14 samples, then 4 events, then 2 conditions (for 20). */
static TacitKind
item_kind (int item)
{
  int n_samples = n_items * 7 / 10, n_evts = n_items * 2 / 10;

  if (item < n_samples)
    return TACIT_KIND_SAMPLE;
  if (item < n_samples + n_evts)
    return TACIT_KIND_EVENT;
  return TACIT_KIND_CONDITION;
}

/* A tiny deterministic generator (xorshift64*): the same plant every run. */
static guint64 rng_state = 0x9E3779B97F4A7C15ull;

static guint32
rng_next (void)
{
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (guint32) ((rng_state * 0x2545F4914F6CDD1Dull) >> 32);
}

static void
write_events (const char *path, gint64 count)
{
  FILE *f = fopen (path, "w");
  g_autofree double *level = g_new0 (double, (gsize) n_machines * n_items);
  static const char *levels[] = { "normal", "normal", "normal", "warning", "fault" };
  TacitTime t = G_GINT64_CONSTANT (1793599200) * TACIT_USEC_PER_SEC;  /* 2026-11-02T06:00Z */
  char time[TACIT_TIME_FORMAT_LEN];

  g_assert (f != NULL);
  rng_state = 0x9E3779B97F4A7C15ull;
  for (int i = 0; i < n_machines * n_items; i++)
    level[i] = 50;
  fputs ("time,machine,kind,item,value,code\n", f);
  for (gint64 e = 0; e < count; e++)
    {
      int m = rng_next () % n_machines, item = rng_next () % n_items;
      TacitKind kind = item_kind (item);
      double *v = &level[m * n_items + item];

      t += 1000 + rng_next () % 2000;   /* ~500 events/s for the whole plant */
      tacit_time_format_ms_buf (t, time);
      if (kind == TACIT_KIND_SAMPLE)
        {
          *v += ((int) (rng_next () % 201) - 100) / 100.0;
          *v = CLAMP (*v, 0, 100);
          fprintf (f, "%s,m%02d,sample,i%02d,%.2f,\n", time, m, item, *v);
        }
      else if (kind == TACIT_KIND_EVENT)
        {
          /* Lots, programs and tools change now and then, not every report. */
          if (rng_next () % 20 == 0)
            *v = rng_next () % 8;
          fprintf (f, "%s,m%02d,event,i%02d,L%d,\n", time, m, item, (int) *v % 8);
        }
      else
        {
          guint32 roll = rng_next () % 100;
          const char *level_name = roll < 1 ? levels[4] : roll < 3 ? levels[3] : levels[0];
          fprintf (f, "%s,m%02d,condition,i%02d,%s,%s\n", time, m, item, level_name,
                   strcmp (level_name, "fault") == 0 ? "E12" : "");
        }
    }
  g_assert (fclose (f) == 0);
}

/* Rules of the kinds the engine supports, spread over machines: threshold
 * triggers on the upper tail of the samples (some with an on-delay),
 * change and value triggers on events, alarm triggers with a code; state
 * and count conditions; cooldowns. About 1 event in 20 fires something, a
 * busy plant — each rule still sees every event of its machine and item. */
static void
write_rule (GString *xml, int r)
{
  int m = r % n_machines, item = (r / n_machines) % n_items;
  TacitKind kind = item_kind (item);
  int other = (item + 1 + r % 3) % (n_items * 7 / 10);

  g_string_append_printf (xml, "<rule id='rule-%05d' kind='process-hack' status='%s'>"
                               "<title>Rule %d</title><scope machine='m%02d'/>",
                          r, r % 10 == 0 ? "proposed" : "approved", r, m);
  if (kind == TACIT_KIND_SAMPLE)
    g_string_append_printf (xml, "<on kind='sample' item='i%02d' op='gt' value='%d'%s/>",
                            item, 75 + r % 10, r % 5 == 0 ? " for='2s'" : "");
  else if (kind == TACIT_KIND_EVENT)
    g_string_append_printf (xml, "<on kind='event' item='i%02d'%s/>", item,
                            r % 2 ? " value='L3'" : "");
  else
    g_string_append_printf (xml, "<on kind='condition' item='i%02d' value='fault' code='E12'/>", item);
  g_string_append_printf (xml, "<if><state item='i%02d' op='%s' value='%d'/>",
                          other, r % 2 ? "ge" : "lt", 40 + r % 20);
  if (r % 4 == 0)
    g_string_append_printf (xml, "<count kind='condition' value='fault' min='1' within='%dm'/>",
                            1 + r % 10);
  g_string_append_printf (xml, "</if><advise severity='warning' cooldown='%ds'><text>Advice %d</text>"
                               "</advise></rule>\n", r % 3 * 30, r);
}

static void
write_library (const char *path)
{
  GString *xml = g_string_new ("<library xmlns='urn:tacit:rules:1' name='bench'>\n<machines>");

  for (int m = 0; m < n_machines; m++)
    g_string_append_printf (xml, "<machine id='m%02d' class='press' cell='c%d'/>", m, m % 5);
  g_string_append (xml, "</machines>\n");
  for (int r = 0; r < n_rules; r++)
    write_rule (xml, r);
  g_string_append (xml, "</library>\n");
  g_assert (g_file_set_contents (path, xml->str, (gssize) xml->len, NULL));
  g_string_free (xml, TRUE);
}

static void
count_cb (TacitSuggestion *s, gpointer data)
{
  (*(guint64 *) data)++;
}

static double
now_seconds (void)
{
  return g_get_monotonic_time () / 1e6;
}

static long
peak_rss_kib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

static double
replay_file (TacitLibrary *library, const char *events, guint64 *suggestions)
{
  const char *paths[] = { events, NULL };
  TacitReplaySink sink = { count_cb, NULL, NULL, suggestions };
  TacitReplayOptions options;
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitEngine) engine = NULL;
  double start = now_seconds ();

  tacit_replay_options_init (&options);
  engine = tacit_replay_files (library, paths, &options, &sink, &error);
  g_assert_no_error (error);
  return now_seconds () - start;
}

static int
run_child (void)
{
  g_auto(GStrv) parts = g_strsplit (child_replay, ":", 2);
  g_autoptr(TacitLibrary) library = tacit_library_load_file (parts[1], NULL);
  guint64 suggestions = 0;
  double secs = replay_file (library, parts[0], &suggestions);

  printf ("%.3f %ld %" G_GUINT64_FORMAT "\n", secs, peak_rss_kib (), suggestions);
  return 0;
}

/* Peak RSS of a replay measured in its own process. */
static void
measure_replay_process (const char *self_exe, const char *events, const char *library,
                        gint64 count)
{
  g_autofree char *arg = g_strdup_printf ("%s:%s", events, library);
  const char *argv[] = { self_exe, "--child-replay", arg, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  double secs;
  long rss;
  guint64 suggestions;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, NULL, &error);
  g_assert_no_error (error);
  if (sscanf (out, "%lf %ld %" G_GUINT64_FORMAT, &secs, &rss, &suggestions) != 3)
    g_error ("child replay printed: %s", out);
  printf ("replay %'" G_GINT64_FORMAT " events (own process): %.2f s, %.0f events/s, "
          "peak RSS %.1f MiB, %" G_GUINT64_FORMAT " suggestions\n",
          count, secs, count / secs, rss / 1024.0, suggestions);
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- core benchmark");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *events = NULL, *library_path = NULL, *db = NULL, *big = NULL;
  g_autoptr(TacitLibrary) library = NULL;
  g_autoptr(TacitStore) store = NULL;
  g_autoptr(TacitEventReader) reader = NULL;
  TacitImportStats stats;
  guint64 suggestions = 0;
  double start, secs;

  setlocale (LC_NUMERIC, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (child_replay != NULL)
    return run_child ();

  dir = keep_dir ? g_strdup (keep_dir) : g_dir_make_tmp ("tacit-bench-XXXXXX", NULL);
  g_mkdir_with_parents (dir, 0700);
  events = g_build_filename (dir, "events.csv", NULL);
  library_path = g_build_filename (dir, "library.xml", NULL);
  db = g_build_filename (dir, "bench.db", NULL);

  printf ("Synthetic plant: %d machines × %d items, %d rules, %'" G_GINT64_FORMAT " events\n",
          n_machines, n_items, n_rules, n_events);
  write_events (events, n_events);
  write_library (library_path);

  start = now_seconds ();
  library = tacit_library_load_file (library_path, &error);
  g_assert_no_error (error);
  printf ("load library: %.3f s\n", now_seconds () - start);

  /* Best of three: the figure is the engine's, not the page cache's. */
  secs = G_MAXDOUBLE;
  for (int i = 0; i < 3; i++)
    {
      double run;
      suggestions = 0;
      run = replay_file (library, events, &suggestions);
      secs = MIN (secs, run);
    }
  printf ("replay (files only, parse + engine): %.3f s, %.0f events/s, %" G_GUINT64_FORMAT
          " suggestions\n", secs, n_events / secs, suggestions);

  g_unlink (db);
  store = tacit_store_open (db, &error);
  g_assert_no_error (error);
  reader = tacit_event_reader_new_for_path (events, TACIT_EVENT_FORMAT_CSV, 0, &error);
  g_assert_no_error (error);
  start = now_seconds ();
  g_assert_true (tacit_store_import_events (store, &reader, 1, &stats, NULL, NULL, &error));
  g_assert_no_error (error);
  secs = now_seconds () - start;
  printf ("import CSV into the database: %.3f s, %.0f events/s\n", secs, stats.events / secs);
  g_clear_object (&store);

  measure_replay_process (argv[0], events, library_path, n_events);
  if (memory_events > 0)
    {
      big = g_build_filename (dir, "events-large.csv", NULL);
      write_events (big, memory_events);
      measure_replay_process (argv[0], big, library_path, memory_events);
      g_unlink (big);
    }
  printf ("peak RSS of this process: %.1f MiB\n", peak_rss_kib () / 1024.0);

  if (keep_dir == NULL)
    {
      g_unlink (events);
      g_unlink (library_path);
      g_unlink (db);
      g_autofree char *wal = g_strconcat (db, "-wal", NULL);
      g_autofree char *shm = g_strconcat (db, "-shm", NULL);
      g_unlink (wal);
      g_unlink (shm);
      g_rmdir (dir);
    }
  return 0;
}
