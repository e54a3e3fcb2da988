/* bench-library-view.c: the desktop's library view at 100,000 rules.
 *
 * Generates a store with N rules (default 100,000; --rules N), each with
 * its canonical XML in rules and its summary in rule_index (written
 * directly, in one transaction: set-up, not what is measured), then
 * measures what the library view does:
 *
 *   open       store open + model loaded (every summary read) + the first
 *              page of 50 rows made into items with their column texts
 *   keystroke  the filter after each character of a typed search, and
 *              after each backspace (which widens: the whole library is
 *              filtered again)
 *   filters    a status filter, a scope filter, a sort by title
 *
 * Targets (issue 4): open < 1 s, < 50 ms per keystroke.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "tacit-library-xml.h"
#include "tacit-rule-index-private.h"
#include "tacit-rule-list-model.h"
#include "tacit-store.h"

static const char *const items[] = {
  "hydraulic", "oil_temp", "material_lot", "spindle_load", "coolant_level", "tonnage",
  "die_temp", "ram_speed", "program", "tool_id", "scrap_count", "part_count",
};
static const char *const words[] = {
  "slow", "check", "coil", "supplier", "press", "die", "burr", "warm", "cold", "tool",
  "spindle", "coolant", "lot", "hard", "soft", "alarm", "nuisance", "restart", "clearance",
  "lubricate", "inspect", "first", "article", "wear",
};
static const char *const kinds[] = {
  "process-hack", "material-note", "override", "alarm-response", "quality-check",
};

static TacitRule *
make_rule (guint   i,
           GRand  *rand)
{
  TacitRule *rule = tacit_rule_new ();
  TacitAdviceText *text = g_new0 (TacitAdviceText, 1);
  TacitScope *scope = g_new0 (TacitScope, 1);
  const char *item = items[g_rand_int_range (rand, 0, G_N_ELEMENTS (items))];
  GString *title = g_string_new (NULL);

  for (guint w = 0; w < 6; w++)
    g_string_append_printf (title, "%s%s", w > 0 ? " " : "",
                            words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
  g_string_append_printf (title, " on %s", item);
  rule->id = g_strdup_printf ("rule-%06u", i);
  tacit_rule_kind_from_string (kinds[i % G_N_ELEMENTS (kinds)], &rule->kind);
  rule->status = (TacitRuleStatus) (i % 4);
  rule->revision = 1 + i % 3;
  rule->title = g_string_free (title, FALSE);
  scope->type = (TacitScopeType) (i % 3);
  scope->value = scope->type == TACIT_SCOPE_MACHINE ? g_strdup_printf ("press-%u", i % 50)
               : scope->type == TACIT_SCOPE_CLASS ? g_strdup (i % 2 ? "press" : "cnc")
               : g_strdup_printf ("cell-%u", i % 8);
  g_ptr_array_add (rule->scopes, scope);
  rule->trigger.selector.has_kind = TRUE;
  rule->trigger.selector.kind = TACIT_KIND_CONDITION;
  rule->trigger.selector.item = g_strdup (item);
  tacit_predicate_set (&rule->trigger.selector.predicate, TACIT_OP_EQ, "fault", NULL);
  rule->trigger.selector.code = g_strdup_printf ("E%04u", i % 9000);
  rule->severity = (TacitSeverity) (i % 3);
  text->text = g_strdup_printf ("When %s reports a fault, %s the %s before restarting (%u).", item,
                                words[i % G_N_ELEMENTS (words)], words[(i / 7) % G_N_ELEMENTS (words)], i);
  g_ptr_array_add (rule->texts, text);
  rule->provenance.author = g_strdup_printf ("op-%u", 100 + i % 40);
  g_ptr_array_add (rule->tags, g_strdup (words[(i / 3) % G_N_ELEMENTS (words)]));
  return rule;
}

static void
check (int         rc,
       sqlite3    *db,
       const char *doing)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_error ("%s: %s", doing, sqlite3_errmsg (db));
}

static void
generate (const char *path,
          guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitStore) store = tacit_store_open (path, &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  sqlite3 *db = NULL;
  sqlite3_stmt *rules = NULL, *index = NULL;
  gint64 now = g_get_real_time ();

  if (store == NULL)
    g_error ("%s", error->message);
  g_clear_object (&store);   /* schema made; now plain SQL */
  check (sqlite3_open (path, &db), db, "opening");
  check (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), db, "begin");
  check (sqlite3_prepare_v2 (db, "INSERT INTO rules (id, revision, status, kind, title, xml, saved_at, saved_by) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'bench')", -1, &rules, NULL), db, "prepare");
  check (sqlite3_prepare_v2 (db, TACIT_RULE_INDEX_PUT_SQL, -1, &index, NULL), db, "prepare");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TacitRule) rule = make_rule (i, rand);
      g_autofree char *xml = tacit_rule_to_xml (rule);
      g_autofree TacitRuleSummary *summary = tacit_rule_summary_new (rule, now, "bench");

      sqlite3_bind_text (rules, 1, rule->id, -1, SQLITE_STATIC);
      sqlite3_bind_int (rules, 2, rule->revision);
      sqlite3_bind_text (rules, 3, tacit_rule_status_to_string (rule->status), -1, SQLITE_STATIC);
      sqlite3_bind_text (rules, 4, tacit_rule_kind_to_string (rule->kind), -1, SQLITE_STATIC);
      sqlite3_bind_text (rules, 5, rule->title, -1, SQLITE_STATIC);
      sqlite3_bind_text (rules, 6, xml, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (rules, 7, now);
      check (sqlite3_step (rules), db, "inserting a rule");
      sqlite3_reset (rules);
      _tacit_rule_index_bind (index, summary);
      check (sqlite3_step (index), db, "indexing a rule");
      sqlite3_reset (index);
    }
  sqlite3_finalize (rules);
  sqlite3_finalize (index);
  check (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), db, "commit");
  sqlite3_close (db);
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
first_page (TacitRuleListModel *model)
{
  guint n = MIN (50, g_list_model_get_n_items (G_LIST_MODEL (model)));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TacitRuleItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);

      for (guint c = 0; c < TACIT_RULE_N_COLUMNS; c++)
        g_free (tacit_rule_item_dup_column (item, c));
    }
}

static double
time_filter (TacitRuleListModel    *model,
             const TacitRuleFilter *filter)
{
  gint64 start = g_get_monotonic_time ();

  tacit_rule_list_model_set_filter (model, filter);
  first_page (model);
  return ms_since (start);
}

int
main (int   argc,
      char *argv[])
{
  int n_rules = 100000;
  const char *typed = "hydraulic slow";
  GOptionEntry entries[] = {
    { "rules", 0, 0, G_OPTION_ARG_INT, &n_rules, "Rules in the library (default 100000)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TacitStore) store = NULL;
  g_autoptr(TacitRuleListModel) model = NULL;
  TacitRuleFilter filter = { 0 };
  double worst = 0, total = 0, worst_wide = 0, t;
  gint64 start;
  guint len = strlen (typed);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  dir = g_dir_make_tmp ("tacit-bench-library-XXXXXX", &error);
  path = g_build_filename (dir, "library.db", NULL);

  start = g_get_monotonic_time ();
  generate (path, (guint) n_rules);
  g_print ("set-up: %d rules generated in %.0f ms\n", n_rules, ms_since (start));

  start = g_get_monotonic_time ();
  if ((store = tacit_store_open (path, &error)) == NULL)
    g_error ("%s", error->message);
  t = ms_since (start);
  model = tacit_rule_list_model_new ();
  if (!tacit_rule_list_model_load (model, store, &error))
    g_error ("%s", error->message);
  first_page (model);
  g_print ("open: %.1f ms (store open %.1f ms, then %u summaries loaded and the first page of 50 rows) "
           "[target < 1000 ms]\n", ms_since (start), t, g_list_model_get_n_items (G_LIST_MODEL (model)));

  for (guint i = 1; i <= len; i++)
    {
      g_autofree char *prefix = g_strndup (typed, i);

      filter.text = prefix;
      t = time_filter (model, &filter);
      g_print ("  keystroke %-16s %6.2f ms  %6u rows\n", prefix, t,
               g_list_model_get_n_items (G_LIST_MODEL (model)));
      worst = MAX (worst, t);
      total += t;
    }
  for (guint i = len; i-- > 0;)
    {
      g_autofree char *prefix = g_strndup (typed, i);

      filter.text = prefix;
      t = time_filter (model, &filter);
      worst_wide = MAX (worst_wide, t);
    }
  g_print ("keystroke: typing “%s”: mean %.2f ms, worst %.2f ms; backspacing (whole library "
           "refiltered): worst %.2f ms [target < 50 ms]\n", typed, total / len, worst, worst_wide);

  filter = (TacitRuleFilter) { .status = "proposed" };
  g_print ("filter: status proposed %.2f ms", time_filter (model, &filter));
  filter = (TacitRuleFilter) { .scope_type = TACIT_SCOPE_FILTER_MACHINE, .scope_value = "press-7" };
  g_print (", machine press-7 %.2f ms (%u rows)", time_filter (model, &filter),
           g_list_model_get_n_items (G_LIST_MODEL (model)));
  start = g_get_monotonic_time ();
  tacit_rule_list_model_set_sort (model, TACIT_RULE_COLUMN_TITLE, FALSE);
  g_print (", sort by title %.1f ms\n", ms_since (start));

  g_clear_object (&model);
  g_clear_object (&store);
  g_remove (path);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_remove (wal);
    g_remove (shm);
  }
  g_rmdir (dir);
  return 0;
}
