/* test-dataset.c: per-rule evidence and the dataset export, on a small
 * store built suggestion by suggestion so that every figure can be worked
 * out by hand (the numbers in the comments are those hand computations).
 *
 * The fixture: rule r1 (approved, holdout 0.2, an outcome) fired 11 times
 * live on press-1 every 10 minutes from 05:00 UTC (across the 06:00 shift
 * change) and 5 times held out on press-2; rule r2 (proposed, no outcome)
 * fired twice in shadow on press-1.
 *
 *   live      s0  s1  s2  s3  s4  s5  s6  s7  s8  s9  s10
 *   outcome    1   0   0   2   0   1   0   0   0   0  open
 *   response  acc acc acc acc dis dis dis exp  -   -   -
 *   (s0 was dismissed first, then accepted: the latest answer counts)
 *   held-out  h0..h4, outcomes 1 1 0 1 0
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "tacit-dataset.h"
#include "tacit-evidence.h"
#include "tacit-library-xml.h"
#include "tacit-store.h"
#include "tacit-suggestion.h"
#include "tacit-test-utils.h"

#define MINUTE (60 * TACIT_USEC_PER_SEC)
#define EPS 1e-6

static const char library_xml[] =
  "<library xmlns='urn:tacit:rules:1' name='Evidence' revision='1'>"
  " <rule id='r1' kind='process-hack' status='approved'>"
  "  <title>Slow down</title><on kind='sample' item='oil_temp' op='gt' value='60'/>"
  "  <advise holdout='0.2'><text>Slow down.</text><action parameter='ram_speed' change='-5%'/></advise>"
  "  <outcome kind='event' item='scrap_count' within='10m'/>"
  " </rule>"
  " <rule id='r2' kind='override' status='proposed'>"
  "  <title>Ignore</title><on kind='condition' item='hydraulic' value='fault'/>"
  "  <advise><text>Ignore it.</text></advise>"
  " </rule>"
  "</library>";

typedef struct {
  char         *dir;
  TacitStore   *store;
  TacitLibrary *library;
  TacitTime     t0;
  char          live[11][33];
} Fixture;

static TacitTime
parse_time (const char *text)
{
  TacitTime t = 0;
  const char *problem = NULL;

  g_assert_true (tacit_time_parse (text, strlen (text), FALSE, &t, &problem));
  return t;
}

static void
add_suggestion (Fixture    *f,
                const char *rule_id,
                const char *machine,
                TacitTime   time,
                TacitMode   mode,
                gboolean    closed,
                guint       outcome,
                char        id_out[33])
{
  g_autoptr(TacitSuggestion) s = tacit_suggestion_new ();
  g_autoptr(GError) error = NULL;
  TacitRule *rule = tacit_library_lookup_rule (f->library, rule_id);
  TacitEvent trigger = { time, machine, TACIT_KIND_SAMPLE, "oil_temp", "65", NULL, NULL };
  const char *items[] = { "material", "oil_temp" };
  const char *values[] = { "B", "65" };

  tacit_suggestion_compute_id (rule->id, rule->revision, machine, time, s->id);
  s->time = time;
  s->machine = g_strdup (machine);
  s->rule = tacit_rule_ref (rule);
  s->mode = mode;
  s->propensity = mode == TACIT_MODE_SHADOW ? 0 : 1 - rule->holdout;
  s->trigger = tacit_event_copy (&trigger);
  tacit_suggestion_set_context (s, items, values, 2);
  s->has_outcome = rule->has_outcome;
  s->outcome_closed = rule->has_outcome && closed;
  s->outcome = outcome;
  g_assert_true (tacit_store_record_suggestions (f->store, &s, 1, &error));
  g_assert_no_error (error);
  if (id_out != NULL)
    memcpy (id_out, s->id, 33);
}

static void
respond (Fixture          *f,
         guint             i,
         TacitResponseKind kind,
         TacitTime         delay)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tacit_store_record_response (f->store, f->live[i], kind,
                                              kind == TACIT_RESPONSE_DISMISSED ? "busy" : NULL,
                                              "op-1", f->t0 + i * 10 * MINUTE + delay, &error));
  g_assert_no_error (error);
}

static void
add_events (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  TacitImportStats stats;
  TacitEvent events[] = {
    { f->t0, "press-1", TACIT_KIND_SAMPLE, "oil_temp", "65", NULL, NULL },
    { f->t0 + 3 * MINUTE, "press-1", TACIT_KIND_EVENT, "scrap_count", "1", NULL, "a \"quoted\" note" },
    { f->t0 + 70 * MINUTE, "press-2", TACIT_KIND_CONDITION, "hydraulic", "fault", "E1", NULL },
  };

  g_assert_true (tacit_store_insert_events (f->store, events, G_N_ELEMENTS (events), &stats, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  static const guint live_outcomes[] = { 1, 0, 0, 2, 0, 1, 0, 0, 0, 0, 0 };
  static const guint held_outcomes[] = { 1, 1, 0, 1, 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;

  f->dir = tacit_test_tmpdir ();
  db = g_build_filename (f->dir, "evidence.db", NULL);
  f->store = tacit_store_open (db, &error);
  g_assert_no_error (error);
  f->library = tacit_library_load_data (library_xml, strlen (library_xml), "evidence.xml", &error);
  g_assert_no_error (error);
  g_assert_true (tacit_store_import_library (f->store, f->library, tacit_test_actor ("test"), &error));
  f->t0 = parse_time ("2026-11-02T05:00:00Z");

  for (guint i = 0; i < 11; i++)
    add_suggestion (f, "r1", "press-1", f->t0 + i * 10 * MINUTE, TACIT_MODE_LIVE,
                    i < 10, live_outcomes[i], f->live[i]);
  for (guint j = 0; j < 5; j++)
    add_suggestion (f, "r1", "press-2", f->t0 + j * 10 * MINUTE + TACIT_USEC_PER_SEC,
                    TACIT_MODE_HELD_OUT, TRUE, held_outcomes[j], NULL);
  add_suggestion (f, "r2", "press-1", f->t0 + 5 * MINUTE, TACIT_MODE_SHADOW, FALSE, 0, NULL);
  add_suggestion (f, "r2", "press-1", f->t0 + 65 * MINUTE, TACIT_MODE_SHADOW, FALSE, 0, NULL);

  respond (f, 0, TACIT_RESPONSE_DISMISSED, 30 * TACIT_USEC_PER_SEC);
  respond (f, 0, TACIT_RESPONSE_ACCEPTED, MINUTE);
  for (guint i = 1; i <= 3; i++)
    respond (f, i, TACIT_RESPONSE_ACCEPTED, MINUTE);
  for (guint i = 4; i <= 6; i++)
    respond (f, i, TACIT_RESPONSE_DISMISSED, MINUTE);
  respond (f, 7, TACIT_RESPONSE_EXPIRED, 60 * MINUTE);
  add_events (f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  g_clear_object (&f->library);
  g_free (f->dir);
}

static void
assert_proportion (const TacitProportion *p, guint64 k, guint64 n, double low, double high)
{
  g_assert_cmpuint (p->k, ==, k);
  g_assert_cmpuint (p->n, ==, n);
  g_assert_cmpfloat_with_epsilon (p->rate, (double) k / (double) n, EPS);
  g_assert_cmpfloat_with_epsilon (p->low, low, EPS);
  g_assert_cmpfloat_with_epsilon (p->high, high, EPS);
}

/* ---------------------------------------------------------- evidence */

static void
test_wilson (void)
{
  TacitProportion p;

  /* 3 of 10: the textbook example, [0.1078, 0.6032]. */
  tacit_proportion_init (&p, 3, 10);
  assert_proportion (&p, 3, 10, 0.107791, 0.603222);
  /* The interval stays inside [0, 1] at the ends, unlike Wald's. */
  tacit_proportion_init (&p, 0, 5);
  g_assert_cmpfloat (p.low, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (p.high, 0.434482, EPS);
  tacit_proportion_init (&p, 5, 5);
  g_assert_cmpfloat (p.high, ==, 1.0);
  tacit_proportion_init (&p, 0, 0);
  g_assert_true (isnan (p.rate) && isnan (p.low) && isnan (p.high));
}

static void
test_evidence (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  const TacitRuleEvidence *r1, *r2;

  rows = tacit_evidence_compute (f->store, TACIT_TIME_MIN, TACIT_TIME_MAX, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  r1 = g_ptr_array_index (rows, 0);
  r2 = g_ptr_array_index (rows, 1);
  g_assert_cmpstr (r1->rule, ==, "r1");
  g_assert_cmpuint (r1->firings, ==, 16);
  g_assert_cmpuint (r1->live, ==, 11);
  g_assert_cmpuint (r1->held_out, ==, 5);
  g_assert_cmpuint (r1->shadow, ==, 0);
  g_assert_cmpuint (r1->accepted, ==, 4);
  g_assert_cmpuint (r1->dismissed, ==, 3);
  g_assert_cmpuint (r1->expired, ==, 1);
  g_assert_cmpuint (r1->unanswered, ==, 3);
  /* 4 accepted of 7 answered. */
  assert_proportion (&r1->acceptance, 4, 7, 0.250458, 0.841780);
  /* Accepted s0..s3 had outcomes 1 0 0 2: 2 of 4; dismissed s4..s6: 1 of 3. */
  assert_proportion (&r1->outcome_accepted, 2, 4, 0.150039, 0.849961);
  assert_proportion (&r1->outcome_dismissed, 1, 3, 0.061492, 0.792340);
  /* Shown: 3 of the 10 closed windows (s10's is open); held out: 3 of 5. */
  assert_proportion (&r1->outcome_shown, 3, 10, 0.107791, 0.603222);
  assert_proportion (&r1->outcome_held_out, 3, 5, 0.230724, 0.882379);
  /* 0.3 − 0.6, Newcombe: −0.3 ∓ sqrt((0.3−0.1078)² + (0.8824−0.6)²) etc. */
  g_assert_cmpfloat_with_epsilon (r1->lift, -0.3, EPS);
  g_assert_cmpfloat_with_epsilon (r1->lift_low, -0.641588, EPS);
  g_assert_cmpfloat_with_epsilon (r1->lift_high, 0.177816, EPS);
  g_assert_cmpfloat_with_epsilon (r1->relative_lift, -0.5, EPS);

  g_assert_cmpstr (r2->rule, ==, "r2");
  g_assert_cmpuint (r2->firings, ==, 2);
  g_assert_cmpuint (r2->shadow, ==, 2);
  g_assert_cmpuint (r2->acceptance.n, ==, 0);
  g_assert_true (isnan (r2->lift));
}

static void
test_evidence_range (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  const TacitRuleEvidence *r1;

  /* [05:00, 05:30): s0..s2 live, h0..h2 held out, one shadow at 05:05. */
  rows = tacit_evidence_compute (f->store, f->t0, f->t0 + 30 * MINUTE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  r1 = g_ptr_array_index (rows, 0);
  g_assert_cmpuint (r1->live, ==, 3);
  g_assert_cmpuint (r1->held_out, ==, 3);
  assert_proportion (&r1->outcome_shown, 1, 3, 0.061492, 0.792340);
}

static void
test_evidence_json (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) rows = tacit_evidence_compute (f->store, TACIT_TIME_MIN, TACIT_TIME_MAX, NULL);
  g_autoptr(GString) json = g_string_new (NULL);

  tacit_rule_evidence_to_json (g_ptr_array_index (rows, 1), json);
  g_assert_true (g_str_has_prefix (json->str, "{\"rule\":\"r2\",\"revision\":1,\"firings\":2,"));
  g_assert_nonnull (strstr (json->str, "\"acceptance\":{\"k\":0,\"n\":0,\"rate\":null,\"low\":null,\"high\":null}"));
  g_assert_true (g_str_has_suffix (json->str, "\"lift\":{\"diff\":null,\"low\":null,\"high\":null,\"relative\":null}}"));
}

/* ---------------------------------------------------------- export */

static char *
read_file (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static guint
count_substr (const char *haystack, const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static char *
export (Fixture *f, const char *name, TacitDatasetLayout layout, TacitDatasetStats *stats)
{
  g_autoptr(GError) error = NULL;
  char *out = g_build_filename (f->dir, name, NULL);
  TacitDatasetOptions options;

  tacit_dataset_options_init (&options);
  options.actor = tacit_test_actor ("test");
  options.layout = layout;
  g_assert_true (tacit_dataset_export (f->store, out, &options, stats, NULL, NULL, &error));
  g_assert_no_error (error);
  return out;
}

static void
test_export (Fixture *f, gconstpointer data)
{
  TacitDatasetStats stats;
  g_autofree char *a = export (f, "a", TACIT_DATASET_LAYOUT_FLAT, &stats);
  g_autofree char *b = export (f, "b", TACIT_DATASET_LAYOUT_FLAT, NULL);
  const char *names[] = { "suggestions.jsonl", "events.jsonl", "rules.xml", "dataset.json" };
  g_autofree char *suggestions = read_file (a, "suggestions.jsonl");
  g_autofree char *events = read_file (a, "events.jsonl");
  g_autofree char *card = read_file (a, "dataset.json");
  g_autofree char *first = NULL;

  g_assert_cmpuint (stats.suggestions, ==, 18);
  g_assert_cmpuint (stats.events, ==, 3);
  g_assert_cmpuint (count_substr (suggestions, "\n"), ==, 18);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *x = read_file (a, names[i]);
      g_autofree char *y = read_file (b, names[i]);
      g_assert_cmpstr (x, ==, y);
    }
  /* The first line is s0, answered twice: the later answer is exported. */
  first = g_strndup (suggestions, strchr (suggestions, '\n') - suggestions);
  g_assert_true (g_str_has_prefix (first, "{\"time\":\"2026-11-02T05:00:00.000000Z\",\"machine\":\"press-1\","
                                          "\"rule\":\"r1\",\"revision\":1,\"kind\":\"process-hack\","));
  g_assert_nonnull (strstr (first, "\"propensity\":0.8,\"actions\":[{\"parameter\":\"ram_speed\",\"change\":\"-5%\"}],"
                                   "\"context\":{\"material\":\"B\",\"oil_temp\":\"65\"},"
                                   "\"response\":{\"response\":\"accepted\",\"reason\":null,\"actor\":\"op-1\","
                                   "\"time\":\"2026-11-02T05:01:00.000000Z\"},\"outcome\":1}"));
  /* s10's window is open; shadow r2 has no outcome. */
  g_assert_cmpuint (count_substr (suggestions, "\"outcome\":null}"), ==, 3);
  g_assert_nonnull (strstr (events, "\"text\":\"a \\\"quoted\\\" note\"}"));
  g_assert_nonnull (strstr (card, "\"suggestions\": 18,\n    \"live\": 11,\n    \"shadow\": 2,\n"
                                  "    \"held_out\": 5,\n    \"with_response\": 8,\n    \"outcome_known\": 15,\n"
                                  "    \"events\": 3\n"));
  g_assert_nonnull (strstr (card, "\"library\": {\"name\": \"Evidence\", \"revision\": 1, \"rules\": 2}"));
}

static void
test_export_range (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_build_filename (f->dir, "range", NULL);
  g_autofree char *card = NULL;
  TacitDatasetOptions options;
  TacitDatasetStats stats;

  tacit_dataset_options_init (&options);
  options.actor = tacit_test_actor ("test");
  options.from = f->t0 + MINUTE;
  options.to = f->t0 + 30 * MINUTE;
  g_assert_true (tacit_dataset_export (f->store, out, &options, &stats, NULL, NULL, &error));
  g_assert_no_error (error);
  /* s1, s2, h1, h2 and the shadow at 05:05 (h0 at 05:00:01 is before);
   * one event, the scrap count at 05:03. */
  g_assert_cmpuint (stats.suggestions, ==, 5);
  g_assert_cmpuint (stats.events, ==, 1);
  card = read_file (out, "dataset.json");
  g_assert_nonnull (strstr (card, "\"time_range\": {\"from\": \"2026-11-02T05:01:00.000000Z\", "
                                  "\"to\": \"2026-11-02T05:30:00.000000Z\", "
                                  "\"first\": \"2026-11-02T05:03:00.000000Z\", "
                                  "\"last\": \"2026-11-02T05:20:01.000000Z\"}"));
}

static gboolean
cancel_cb (guint64 done, guint64 total, gpointer data)
{
  guint *calls = data;

  (*calls)++;
  g_assert_cmpuint (total, ==, 18 + 3);
  return FALSE;
}

static void
test_export_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_build_filename (f->dir, "cancelled", NULL);
  g_autoptr(GDir) dir = NULL;
  TacitDatasetOptions options;
  guint calls = 0;

  tacit_dataset_options_init (&options);
  options.actor = tacit_test_actor ("test");
  options.layout = TACIT_DATASET_LAYOUT_BANDIT;
  g_assert_false (tacit_dataset_export (f->store, out, &options, NULL, cancel_cb, &calls, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (calls, ==, 1);
  /* Nothing written, not even a temporary file. */
  dir = g_dir_open (out, 0, NULL);
  g_assert_nonnull (dir);
  g_assert_null (g_dir_read_name (dir));
}

static void
test_shift_start (void)
{
  TacitDatasetOptions o;

  tacit_dataset_options_init (&o);
  o.actor = tacit_test_actor ("test");
  g_assert_cmpint (tacit_dataset_shift_start (&o, parse_time ("2026-11-02T05:59:59.999999Z")), ==,
                   parse_time ("2026-11-01T22:00:00Z"));
  g_assert_cmpint (tacit_dataset_shift_start (&o, parse_time ("2026-11-02T06:00:00Z")), ==,
                   parse_time ("2026-11-02T06:00:00Z"));
  g_assert_cmpint (tacit_dataset_shift_start (&o, parse_time ("2026-11-02T13:59:59Z")), ==,
                   parse_time ("2026-11-02T06:00:00Z"));
  g_assert_cmpint (tacit_dataset_shift_start (&o, parse_time ("2026-11-02T14:00:00Z")), ==,
                   parse_time ("2026-11-02T14:00:00Z"));
  g_assert_cmpint (tacit_dataset_shift_start (&o, parse_time ("2026-11-02T23:10:00Z")), ==,
                   parse_time ("2026-11-02T22:00:00Z"));
  /* Before the epoch: floor, not truncation. */
  g_assert_cmpint (tacit_dataset_shift_start (&o, parse_time ("1969-12-31T23:00:00Z")), ==,
                   parse_time ("1969-12-31T22:00:00Z"));
}

static void
test_episodes (Fixture *f, gconstpointer data)
{
  TacitDatasetStats stats;
  g_autofree char *out = export (f, "episodes", TACIT_DATASET_LAYOUT_EPISODES, &stats);
  g_autofree char *steps = read_file (out, "episodes.jsonl");
  g_auto(GStrv) lines = g_strsplit (steps, "\n", -1);

  /* press-1 22:00 shift: s0, shadow 05:05, s1..s5 (7 steps); press-1
   * 06:00 shift: s6, shadow 06:05, s7..s10 (6); press-2: h0..h4 (5). */
  g_assert_cmpuint (stats.episodes, ==, 3);
  g_assert_cmpuint (stats.steps, ==, 18);
  g_assert_cmpuint (g_strv_length (lines), ==, 19);   /* and "" after the last newline */
  g_assert_cmpuint (count_substr (steps, "\"is_first\":true"), ==, 3);
  g_assert_cmpuint (count_substr (steps, "\"is_last\":true"), ==, 3);
  g_assert_cmpuint (count_substr (steps, "\"is_terminal\":true"), ==, 0);
  g_assert_true (g_str_has_prefix (lines[0], "{\"episode_id\":\"press-1/2026-11-01T22:00:00.000000Z\","));
  g_assert_nonnull (strstr (lines[6], "\"step\":6,\"is_first\":false,\"is_last\":true,"));
  g_assert_nonnull (strstr (lines[7], "\"episode_id\":\"press-1/2026-11-02T06:00:00.000000Z\""));
  g_assert_nonnull (strstr (lines[7], "\"step\":0,\"is_first\":true,\"is_last\":false,"));
  /* s0: accepted, followed; shadow: not shown, no response. */
  g_assert_nonnull (strstr (lines[0], "\"shown\":true,") );
  g_assert_nonnull (strstr (lines[0], "\"response\":\"accepted\",\"followed\":true},\"reward\":1,\"discount\":1}"));
  g_assert_nonnull (strstr (lines[1], "\"mode\":\"shadow\",\"shown\":false,"));
  g_assert_nonnull (strstr (lines[17], "\"is_last\":true,"));
}

static void
test_bandit (Fixture *f, gconstpointer data)
{
  TacitDatasetStats stats;
  g_autofree char *out = export (f, "bandit", TACIT_DATASET_LAYOUT_BANDIT, &stats);
  g_autofree char *rounds = read_file (out, "bandit.jsonl");

  /* Shadow suggestions are no logged decision. */
  g_assert_cmpuint (stats.rounds, ==, 16);
  g_assert_cmpuint (count_substr (rounds, "\"action\":1,\"mode\":\"live\",\"pscore\":0.8,\"propensity\":0.8,"), ==, 11);
  g_assert_cmpuint (count_substr (rounds, "\"action\":0,\"mode\":\"held-out\",\"pscore\":0.2,\"propensity\":0.8,"), ==, 5);
  g_assert_nonnull (strstr (rounds, "\"response\":\"accepted\",\"reward\":1,\"outcome\":1}"));
  g_assert_nonnull (strstr (rounds, "\"response\":\"dismissed\",\"reward\":0,\"outcome\":0}"));
  g_assert_true (g_str_has_prefix (rounds, "{\"round\":0,\"timestamp\":\"2026-11-02T05:00:00.000000Z\","));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dataset/wilson", test_wilson);
  g_test_add_func ("/dataset/shift-start", test_shift_start);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/dataset/evidence", test_evidence);
  ADD ("/dataset/evidence-range", test_evidence_range);
  ADD ("/dataset/evidence-json", test_evidence_json);
  ADD ("/dataset/export", test_export);
  ADD ("/dataset/export-range", test_export_range);
  ADD ("/dataset/export-cancel", test_export_cancel);
  ADD ("/dataset/episodes", test_episodes);
  ADD ("/dataset/bandit", test_bandit);
#undef ADD
  return g_test_run ();
}
