/* test-rule-index.c: the store keeps rule_index in step with every
 * revision (import, save, backfill of an older database), the filters
 * mean the same in SQL and in memory, and the line diff of the history
 * view.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>

#include "tacit-error.h"
#include "tacit-library-xml.h"
#include "tacit-rule-diff.h"
#include "tacit-rule-index.h"
#include "tacit-test-utils.h"

static char *
demo_library_path (void)
{
  return g_build_filename (TACIT_SOURCE_DATADIR, "demo", "stamping-line.xml", NULL);
}

static TacitStore *
demo_store (char **path_out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "index.db", NULL);
  g_autofree char *library_path = demo_library_path ();
  g_autoptr(TacitLibrary) library = tacit_library_load_file (library_path, &error);
  g_autoptr(TacitStore) store = NULL;

  g_assert_no_error (error);
  store = tacit_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (tacit_store_import_library (store, library, tacit_test_actor ("eng-9"), &error));
  g_assert_no_error (error);
  if (path_out != NULL)
    *path_out = g_steal_pointer (&path);
  return g_steal_pointer (&store);
}

static const TacitRuleSummary *
find (GPtrArray  *rows,
      const char *id)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const TacitRuleSummary *s = g_ptr_array_index (rows, i);

      if (g_strcmp0 (s->id, id) == 0)
        return s;
    }
  return NULL;
}

static void
test_import_fills_index (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitStore) store = demo_store (NULL);
  g_autoptr(GPtrArray) rows = tacit_rule_index_query (store, NULL, &error);
  const TacitRuleSummary *s;

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 16);
  /* By id. */
  for (guint i = 1; i < rows->len; i++)
    g_assert_cmpint (strcmp (((TacitRuleSummary *) rows->pdata[i - 1])->id,
                             ((TacitRuleSummary *) rows->pdata[i])->id), <, 0);
  s = find (rows, "coil-b-hot-oil");
  g_assert_nonnull (s);
  g_assert_cmpuint (s->revision, ==, 3);
  g_assert_cmpstr (s->status, ==, "approved");
  g_assert_cmpstr (s->kind, ==, "process-hack");
  g_assert_cmpstr (s->severity, ==, "warning");
  g_assert_cmpstr (s->title, ==, "Slow the ram on supplier-B coil when the oil runs hot");
  g_assert_cmpstr (s->author, ==, "op-117");
  g_assert_cmpstr (s->machines, ==, "");
  g_assert_cmpstr (s->classes, ==, "press");
  g_assert_cmpstr (s->trigger, ==, "condition hydraulic = fault E1234");
  g_assert_cmpstr (s->tags, ==, "die-cracking supplier-b");
  g_assert_cmpstr (s->saved_by, ==, "eng-9");
  g_assert_cmpint (s->saved_at, >, 0);
  /* The Spanish advice is searchable, casefolded. */
  g_assert_nonnull (strstr (s->search, "baje la velocidad"));
  s = find (rows, "e1234-cold-oil-false-alarm");
  g_assert_cmpstr (s->machines, ==, "press-3");
  g_assert_cmpstr (s->severity, ==, "info");
}

static void
test_save_updates_index (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitStore) store = demo_store (NULL);
  g_autoptr(GPtrArray) revisions = tacit_store_list_rule_revisions (store, "coil-b-hot-oil", &error);
  g_autoptr(TacitRule) edit = NULL;
  g_autofree TacitRuleSummary *s = NULL;
  g_autoptr(GPtrArray) history = NULL;
  TacitRuleRevisionInfo *last;

  g_assert_no_error (error);
  edit = tacit_rule_copy (g_ptr_array_index (revisions, revisions->len - 1));
  g_free (edit->title);
  edit->title = g_strdup ("Slow the ram on B coil with hot oil");
  g_ptr_array_add (edit->tags, g_strdup ("ram"));
  g_assert_true (tacit_store_save_rule (store, edit, 3, tacit_test_actor ("eng-4"), &error));
  g_assert_no_error (error);
  s = tacit_rule_index_lookup (store, "coil-b-hot-oil", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s->revision, ==, 4);
  g_assert_cmpstr (s->title, ==, "Slow the ram on B coil with hot oil");
  g_assert_cmpstr (s->tags, ==, "die-cracking supplier-b ram");
  g_assert_cmpstr (s->saved_by, ==, "eng-4");
  g_assert_null (tacit_rule_index_lookup (store, "no-such-rule", &error));
  g_assert_no_error (error);

  /* The history: who saved each revision, and its XML. */
  history = tacit_rule_index_list_revisions (store, "coil-b-hot-oil", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 2);
  g_assert_cmpuint (((TacitRuleRevisionInfo *) history->pdata[0])->revision, ==, 3);
  g_assert_cmpstr (((TacitRuleRevisionInfo *) history->pdata[0])->saved_by, ==, "eng-9");
  last = history->pdata[1];
  g_assert_cmpuint (last->revision, ==, 4);
  g_assert_cmpstr (last->saved_by, ==, "eng-4");
  g_assert_nonnull (strstr (last->xml, "<tag>ram</tag>"));

  /* A refused save leaves the index alone. */
  g_assert_false (tacit_store_save_rule (store, edit, 3, tacit_test_actor ("eng-4"), &error));
  g_assert_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_CONFLICT);
  g_clear_pointer (&s, g_free);
  s = tacit_rule_index_lookup (store, "coil-b-hot-oil", NULL);
  g_assert_cmpuint (s->revision, ==, 4);
}

static guint
count_matching (TacitStore            *store,
                const TacitRuleFilter *filter)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = tacit_rule_index_query (store, NULL, &error);
  g_autoptr(GPtrArray) rows = tacit_rule_index_query (store, filter, &error);
  guint in_memory = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    in_memory += tacit_rule_filter_matches (filter, g_ptr_array_index (all, i));
  /* SQL and the in-memory filter agree. */
  g_assert_cmpuint (rows->len, ==, in_memory);
  for (guint i = 0; i < rows->len; i++)
    g_assert_true (tacit_rule_filter_matches (filter, g_ptr_array_index (rows, i)));
  return rows->len;
}

static void
test_filters (void)
{
  g_autoptr(TacitStore) store = demo_store (NULL);
  TacitRuleFilter filter = { 0 };

  filter.text = "hydraulic";
  g_assert_cmpuint (count_matching (store, &filter), ==, 3);
  filter.text = "  HYDRAULIC   e1234 ";
  g_assert_cmpuint (count_matching (store, &filter), ==, 2);
  filter.text = "holgura";            /* only in one Spanish advice */
  g_assert_cmpuint (count_matching (store, &filter), ==, 1);
  filter.text = "no-such-word";
  g_assert_cmpuint (count_matching (store, &filter), ==, 0);

  filter = (TacitRuleFilter) { .status = "proposed" };
  g_assert_cmpuint (count_matching (store, &filter), ==, 3);
  filter = (TacitRuleFilter) { .kind = "override" };
  g_assert_cmpuint (count_matching (store, &filter), ==, 2);
  filter = (TacitRuleFilter) { .kind = "override", .status = "approved" };
  g_assert_cmpuint (count_matching (store, &filter), ==, 1);
  filter = (TacitRuleFilter) { .author = "op-117" };
  g_assert_cmpuint (count_matching (store, &filter), >=, 1);
  filter = (TacitRuleFilter) { .tag = "die-cracking" };
  g_assert_cmpuint (count_matching (store, &filter), ==, 1);
  /* Whole words only: "die" is not the tag "die-cracking". */
  filter = (TacitRuleFilter) { .tag = "die" };
  g_assert_cmpuint (count_matching (store, &filter), ==, 0);
  filter = (TacitRuleFilter) { .scope_type = TACIT_SCOPE_FILTER_MACHINE, .scope_value = "press-3" };
  g_assert_cmpuint (count_matching (store, &filter), >=, 1);
  filter = (TacitRuleFilter) { .scope_type = TACIT_SCOPE_FILTER_CLASS, .scope_value = "press-3" };
  g_assert_cmpuint (count_matching (store, &filter), ==, 0);
  filter = (TacitRuleFilter) { .scope_type = TACIT_SCOPE_FILTER_ANY, .scope_value = "press" };
  g_assert_cmpuint (count_matching (store, &filter), >=, 1);
}

static void
test_backfill (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TacitStore) store = demo_store (&path);
  g_autoptr(GPtrArray) before = tacit_rule_index_query (store, NULL, &error);
  g_autoptr(GPtrArray) after = NULL;
  sqlite3 *db = NULL;

  g_clear_object (&store);
  /* A database that reached schema 4 before the store kept the index. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM rule_index", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  store = tacit_store_open (path, &error);
  g_assert_no_error (error);
  after = tacit_rule_index_query (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < after->len; i++)
    {
      const TacitRuleSummary *a = before->pdata[i], *b = after->pdata[i];

      g_assert_cmpstr (a->id, ==, b->id);
      g_assert_cmpuint (a->revision, ==, b->revision);
      g_assert_cmpstr (a->search, ==, b->search);
      g_assert_cmpstr (a->trigger, ==, b->trigger);
      g_assert_cmpint (a->saved_at, ==, b->saved_at);
    }
}

static void
test_describe_trigger (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitRule) rule = tacit_rule_from_xml (
    "<rule xmlns='urn:tacit:rules:1' id='r' kind='override' status='draft'>"
    "<title>T</title><on kind='sample' item='oil_temp' op='gt' value='55' for='2m'/>"
    "<advise><text>x</text></advise></rule>", -1, &error);

  g_assert_no_error (error);
  g_autofree char *text = tacit_rule_describe_trigger (rule);
  g_assert_cmpstr (text, ==, "sample oil_temp gt 55 for 2m");
}

static char *
diff_text (const char *a,
           const char *b)
{
  g_autoptr(GArray) diff = tacit_line_diff (a, b);

  return tacit_line_diff_format (diff);
}

static void
test_line_diff (void)
{
  g_autofree char *same = diff_text ("a\nb\n", "a\nb\n");
  g_autofree char *changed = diff_text ("a\nb\nc\nd\n", "a\nB\nc\nd\ne\n");
  g_autofree char *empty_old = diff_text ("", "x\ny");
  g_autofree char *interleaved = diff_text ("1\n2\n3\n4\n5\n", "1\n3\n4\n6\n5\n");
  g_autoptr(GArray) diff = tacit_line_diff ("a\nb\nc\n", "a\nc\nd\n");
  guint added, removed;

  g_assert_cmpstr (same, ==, "  a\n  b\n");
  g_assert_cmpstr (changed, ==, "  a\n- b\n+ B\n  c\n  d\n+ e\n");
  g_assert_cmpstr (empty_old, ==, "+ x\n+ y\n");
  g_assert_cmpstr (interleaved, ==, "  1\n- 2\n  3\n  4\n+ 6\n  5\n");
  tacit_line_diff_count (diff, &added, &removed);
  g_assert_cmpuint (added, ==, 1);
  g_assert_cmpuint (removed, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rule-index/import", test_import_fills_index);
  g_test_add_func ("/rule-index/save", test_save_updates_index);
  g_test_add_func ("/rule-index/filters", test_filters);
  g_test_add_func ("/rule-index/backfill", test_backfill);
  g_test_add_func ("/rule-index/describe-trigger", test_describe_trigger);
  g_test_add_func ("/rule-index/line-diff", test_line_diff);
  return g_test_run ();
}
