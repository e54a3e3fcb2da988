/* tacit-rule-index.c: rule summaries for the library view (rule_index).
 *
 * Filtering happens in two places with one meaning: SQL narrows by the
 * equality fields (status, kind, author), tacit_rule_filter_matches()
 * does the rest, and the library view calls the same function on the
 * summaries it holds in memory, once per keystroke.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-rule-index.h"
#include "tacit-rule-index-private.h"
#include "tacit-store-private.h"

#include <string.h>

#include "tacit-error.h"
#include "tacit-library-xml.h"
#include "tacit-time.h"

#define SUMMARY_COLUMNS \
  "id, revision, status, kind, severity, title, author, machines, classes, " \
  "cells, trigger, tags, saved_at, saved_by, search"

/* ---- summaries ---- */

enum {
  F_ID, F_STATUS, F_KIND, F_SEVERITY, F_TITLE, F_AUTHOR, F_MACHINES, F_CLASSES,
  F_CELLS, F_TRIGGER, F_TAGS, F_SAVED_BY, F_SEARCH, N_FIELDS
};

/* Packs the strings into one block after the struct. */
static TacitRuleSummary *
summary_pack (const char *const fields[N_FIELDS],
              guint             revision,
              gint64            saved_at)
{
  gsize lens[N_FIELDS], total = sizeof (TacitRuleSummary);
  TacitRuleSummary *summary;
  const char **slots[N_FIELDS];
  char *p;

  for (guint i = 0; i < N_FIELDS; i++)
    total += (lens[i] = fields[i] != NULL ? strlen (fields[i]) : 0) + 1;
  summary = g_malloc (total);
  summary->revision = revision;
  summary->saved_at = saved_at;
  slots[F_ID] = &summary->id;
  slots[F_STATUS] = &summary->status;
  slots[F_KIND] = &summary->kind;
  slots[F_SEVERITY] = &summary->severity;
  slots[F_TITLE] = &summary->title;
  slots[F_AUTHOR] = &summary->author;
  slots[F_MACHINES] = &summary->machines;
  slots[F_CLASSES] = &summary->classes;
  slots[F_CELLS] = &summary->cells;
  slots[F_TRIGGER] = &summary->trigger;
  slots[F_TAGS] = &summary->tags;
  slots[F_SAVED_BY] = &summary->saved_by;
  slots[F_SEARCH] = &summary->search;
  p = (char *) (summary + 1);
  for (guint i = 0; i < N_FIELDS; i++)
    {
      if (lens[i] > 0)
        memcpy (p, fields[i], lens[i]);
      p[lens[i]] = '\0';
      *slots[i] = p;
      p += lens[i] + 1;
    }
  return summary;
}

static void
append_word (GString    *list,
             const char *word)
{
  if (word == NULL || *word == '\0')
    return;
  if (list->len > 0)
    g_string_append_c (list, ' ');
  g_string_append (list, word);
}

char *
tacit_rule_describe_trigger (const TacitRule *rule)
{
  const TacitTrigger *trigger = &rule->trigger;
  const TacitSelector *sel = &trigger->selector;
  GString *text = g_string_new (tacit_kind_to_string (sel->kind));

  append_word (text, sel->item);
  if (sel->predicate.op != TACIT_OP_NONE)
    {
      append_word (text, sel->predicate.op == TACIT_OP_EQ ? "=" : tacit_op_to_string (sel->predicate.op));
      append_word (text, sel->predicate.value);
    }
  append_word (text, sel->code);
  if (trigger->edge == TACIT_EDGE_EVERY)
    g_string_append (text, " (every)");
  if (trigger->on_delay > 0)
    {
      g_autofree char *delay = tacit_duration_format (trigger->on_delay);

      g_string_append_printf (text, " for %s", delay);
    }
  return g_string_free (text, FALSE);
}

static char *
scope_list (const TacitRule *rule,
            TacitScopeType   type)
{
  GString *list = g_string_new (NULL);

  for (guint i = 0; rule->scopes != NULL && i < rule->scopes->len; i++)
    {
      const TacitScope *scope = g_ptr_array_index (rule->scopes, i);

      if (scope->type == type)
        append_word (list, scope->value);
    }
  return g_string_free (list, FALSE);
}

TacitRuleSummary *
tacit_rule_summary_new (const TacitRule *rule,
                        gint64           saved_at,
                        const char      *saved_by)
{
  g_autofree char *machines = scope_list (rule, TACIT_SCOPE_MACHINE);
  g_autofree char *classes = scope_list (rule, TACIT_SCOPE_CLASS);
  g_autofree char *cells = scope_list (rule, TACIT_SCOPE_CELL);
  g_autofree char *trigger = tacit_rule_describe_trigger (rule);
  g_autofree char *search = NULL;
  g_autoptr(GString) tags = g_string_new (NULL);
  g_autoptr(GString) haystack = g_string_new (NULL);
  const char *fields[N_FIELDS];

  g_return_val_if_fail (rule != NULL && rule->id != NULL, NULL);

  for (guint i = 0; rule->tags != NULL && i < rule->tags->len; i++)
    append_word (tags, g_ptr_array_index (rule->tags, i));
  /* What a typed word may find: names, scope, trigger, credit, tags and
   * the advice itself, in every language. */
  append_word (haystack, rule->id);
  append_word (haystack, rule->title);
  append_word (haystack, rule->provenance.author);
  append_word (haystack, machines);
  append_word (haystack, classes);
  append_word (haystack, cells);
  append_word (haystack, trigger);
  append_word (haystack, tags->str);
  for (guint i = 0; rule->texts != NULL && i < rule->texts->len; i++)
    append_word (haystack, ((TacitAdviceText *) g_ptr_array_index (rule->texts, i))->text);
  search = g_utf8_casefold (haystack->str, -1);

  fields[F_ID] = rule->id;
  fields[F_STATUS] = tacit_rule_status_to_string (rule->status);
  fields[F_KIND] = tacit_rule_kind_to_string (rule->kind);
  fields[F_SEVERITY] = tacit_severity_to_string (rule->severity);
  fields[F_TITLE] = rule->title;
  fields[F_AUTHOR] = rule->provenance.author;
  fields[F_MACHINES] = machines;
  fields[F_CLASSES] = classes;
  fields[F_CELLS] = cells;
  fields[F_TRIGGER] = trigger;
  fields[F_TAGS] = tags->str;
  fields[F_SAVED_BY] = saved_by;
  fields[F_SEARCH] = search;
  return summary_pack (fields, rule->revision, saved_at);
}

static TacitRuleSummary *
summary_from_row (sqlite3_stmt *stmt)
{
  static const int columns[N_FIELDS] = {
    [F_ID] = 0, [F_STATUS] = 2, [F_KIND] = 3, [F_SEVERITY] = 4, [F_TITLE] = 5,
    [F_AUTHOR] = 6, [F_MACHINES] = 7, [F_CLASSES] = 8, [F_CELLS] = 9,
    [F_TRIGGER] = 10, [F_TAGS] = 11, [F_SAVED_BY] = 13, [F_SEARCH] = 14,
  };
  const char *fields[N_FIELDS];

  for (guint i = 0; i < N_FIELDS; i++)
    fields[i] = (const char *) sqlite3_column_text (stmt, columns[i]);
  return summary_pack (fields, (guint) sqlite3_column_int64 (stmt, 1),
                       sqlite3_column_int64 (stmt, 12));
}

void
_tacit_rule_index_bind (sqlite3_stmt           *stmt,
                        const TacitRuleSummary *summary)
{
  const char *texts[] = {
    summary->id, NULL, summary->status, summary->kind, summary->severity,
    summary->title, summary->author, summary->machines, summary->classes,
    summary->cells, summary->trigger, summary->tags, NULL, summary->saved_by,
    summary->search,
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    if (texts[i] != NULL)
      sqlite3_bind_text (stmt, (int) i + 1, texts[i], -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, summary->revision);
  sqlite3_bind_int64 (stmt, 13, summary->saved_at);
  if (*summary->saved_by == '\0')
    sqlite3_bind_null (stmt, 14);
}

/* ---- filtering ---- */

static gboolean
is_empty (const char *text)
{
  return text == NULL || *text == '\0';
}

gboolean
tacit_rule_index_has_word (const char *list,
                           const char *word)
{
  gsize len = strlen (word);
  const char *p = list;

  while ((p = strstr (p, word)) != NULL)
    {
      if ((p == list || p[-1] == ' ') && (p[len] == ' ' || p[len] == '\0'))
        return TRUE;
      p += len;
    }
  return FALSE;
}

static gboolean
scope_matches (const TacitRuleFilter  *filter,
               const TacitRuleSummary *summary)
{
  const char *value = filter->scope_value;

  if (is_empty (value))
    return TRUE;
  switch (filter->scope_type)
    {
    case TACIT_SCOPE_FILTER_MACHINE:
      return tacit_rule_index_has_word (summary->machines, value);
    case TACIT_SCOPE_FILTER_CLASS:
      return tacit_rule_index_has_word (summary->classes, value);
    case TACIT_SCOPE_FILTER_CELL:
      return tacit_rule_index_has_word (summary->cells, value);
    case TACIT_SCOPE_FILTER_ANY:
    default:
      return tacit_rule_index_has_word (summary->machines, value) ||
             tacit_rule_index_has_word (summary->classes, value) ||
             tacit_rule_index_has_word (summary->cells, value);
    }
}

struct _TacitRuleMatcher
{
  TacitRuleFilter filter;     /* strings borrowed from the caller's filter */
  char          **words;      /* the text, casefolded, split; NULL-terminated */
  gboolean        any;        /* nothing to check */
};

TacitRuleMatcher *
tacit_rule_matcher_new (const TacitRuleFilter *filter)
{
  TacitRuleMatcher *matcher = g_new0 (TacitRuleMatcher, 1);
  g_autofree char *folded = NULL;
  g_autoptr(GPtrArray) words = g_ptr_array_new ();
  char *token, *rest;

  if (filter != NULL)
    matcher->filter = *filter;
  folded = g_utf8_casefold (matcher->filter.text != NULL ? matcher->filter.text : "", -1);
  for (token = strtok_r (folded, " \t\n", &rest); token != NULL; token = strtok_r (NULL, " \t\n", &rest))
    g_ptr_array_add (words, g_strdup (token));
  g_ptr_array_add (words, NULL);
  matcher->words = (char **) g_ptr_array_free (g_steal_pointer (&words), FALSE);
  matcher->any = matcher->words[0] == NULL && is_empty (matcher->filter.status) &&
                 is_empty (matcher->filter.kind) && is_empty (matcher->filter.author) &&
                 is_empty (matcher->filter.tag) && is_empty (matcher->filter.scope_value);
  return matcher;
}

void
tacit_rule_matcher_free (TacitRuleMatcher *matcher)
{
  if (matcher == NULL)
    return;
  g_strfreev (matcher->words);
  g_free (matcher);
}

gboolean
tacit_rule_matcher_matches (const TacitRuleMatcher *matcher,
                            const TacitRuleSummary *summary)
{
  const TacitRuleFilter *filter = &matcher->filter;

  if (matcher->any)
    return TRUE;
  if ((!is_empty (filter->status) && strcmp (filter->status, summary->status) != 0) ||
      (!is_empty (filter->kind) && strcmp (filter->kind, summary->kind) != 0) ||
      (!is_empty (filter->author) && strcmp (filter->author, summary->author) != 0) ||
      (!is_empty (filter->tag) && !tacit_rule_index_has_word (summary->tags, filter->tag)) ||
      !scope_matches (filter, summary))
    return FALSE;
  for (char **word = matcher->words; *word != NULL; word++)
    if (strstr (summary->search, *word) == NULL)
      return FALSE;
  return TRUE;
}

gboolean
tacit_rule_filter_matches (const TacitRuleFilter  *filter,
                           const TacitRuleSummary *summary)
{
  g_autoptr(TacitRuleMatcher) matcher = NULL;

  g_return_val_if_fail (summary != NULL, FALSE);

  if (filter == NULL)
    return TRUE;
  matcher = tacit_rule_matcher_new (filter);
  return tacit_rule_matcher_matches (matcher, summary);
}

/* ---- queries ---- */

typedef sqlite3_stmt RuleIndexStmt;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RuleIndexStmt, sqlite3_finalize)

static void
bind_optional (sqlite3_stmt *stmt,
               int           index,
               const char   *text)
{
  if (!is_empty (text))
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
}

GPtrArray *
tacit_rule_index_query (TacitStore            *store,
                        const TacitRuleFilter *filter,
                        GError               **error)
{
  g_autoptr(RuleIndexStmt) stmt = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(TacitRuleMatcher) matcher = NULL;
  int rc;

  g_return_val_if_fail (TACIT_IS_STORE (store), NULL);

  stmt = _tacit_store_prepare (store,
                               "SELECT " SUMMARY_COLUMNS " FROM rule_index "
                               "WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR kind = ?2) "
                               "AND (?3 IS NULL OR author = ?3) ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  if (filter != NULL)
    {
      bind_optional (stmt, 1, filter->status);
      bind_optional (stmt, 2, filter->kind);
      bind_optional (stmt, 3, filter->author);
    }
  rows = g_ptr_array_new_with_free_func (g_free);
  matcher = tacit_rule_matcher_new (filter);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TacitRuleSummary *summary = summary_from_row (stmt);

      if (tacit_rule_matcher_matches (matcher, summary))
        g_ptr_array_add (rows, summary);
      else
        g_free (summary);
    }
  if (rc != SQLITE_DONE)
    {
      _tacit_store_sql_error (store, error, "reading the rule index");
      return NULL;
    }
  return g_steal_pointer (&rows);
}

TacitRuleSummary *
tacit_rule_index_lookup (TacitStore *store,
                         const char *rule_id,
                         GError    **error)
{
  g_autoptr(RuleIndexStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (TACIT_IS_STORE (store), NULL);
  g_return_val_if_fail (rule_id != NULL, NULL);

  stmt = _tacit_store_prepare (store, "SELECT " SUMMARY_COLUMNS " FROM rule_index WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, rule_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return summary_from_row (stmt);
  if (rc != SQLITE_DONE)
    _tacit_store_sql_error (store, error, "reading the rule index");
  return NULL;
}

void
tacit_rule_revision_info_free (TacitRuleRevisionInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->status);
  g_free (info->title);
  g_free (info->saved_by);
  g_free (info->xml);
  g_free (info);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

GPtrArray *
tacit_rule_index_list_revisions (TacitStore *store,
                                 const char *rule_id,
                                 GError    **error)
{
  g_autoptr(RuleIndexStmt) stmt = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  int rc;

  g_return_val_if_fail (TACIT_IS_STORE (store), NULL);
  g_return_val_if_fail (rule_id != NULL, NULL);

  stmt = _tacit_store_prepare (store,
                               "SELECT revision, status, title, saved_at, saved_by, xml "
                               "FROM rules WHERE id = ?1 ORDER BY revision", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, rule_id, -1, SQLITE_STATIC);
  revisions = g_ptr_array_new_with_free_func ((GDestroyNotify) tacit_rule_revision_info_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TacitRuleRevisionInfo *info = g_new0 (TacitRuleRevisionInfo, 1);

      info->revision = (guint) sqlite3_column_int64 (stmt, 0);
      info->status = column_dup (stmt, 1);
      info->title = column_dup (stmt, 2);
      info->saved_at = sqlite3_column_int64 (stmt, 3);
      info->saved_by = column_dup (stmt, 4);
      info->xml = column_dup (stmt, 5);
      g_ptr_array_add (revisions, info);
    }
  if (rc != SQLITE_DONE)
    {
      _tacit_store_sql_error (store, error, "reading rule revisions");
      return NULL;
    }
  return g_steal_pointer (&revisions);
}

/* ---- backfill ---- */

static gboolean
index_is_empty (TacitStore *store,
                gboolean   *empty,
                GError    **error)
{
  g_autoptr(RuleIndexStmt) stmt =
    _tacit_store_prepare (store, "SELECT NOT EXISTS (SELECT 1 FROM rule_index) "
                                 "AND EXISTS (SELECT 1 FROM rules)", error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return _tacit_store_sql_error (store, error, "reading the rule index");
  *empty = sqlite3_column_int (stmt, 0) != 0;
  return TRUE;
}

static gboolean
backfill_rows (TacitStore *store,
               GError    **error)
{
  g_autoptr(RuleIndexStmt) heads = NULL;
  g_autoptr(RuleIndexStmt) put = NULL;
  int rc;

  heads = _tacit_store_prepare (store,
                                "SELECT h.id, h.xml, h.saved_at, h.saved_by FROM rule_heads AS h "
                                "WHERE NOT EXISTS (SELECT 1 FROM rule_index AS i "
                                "WHERE i.id = h.id AND i.revision = h.revision)", error);
  if (heads == NULL || (put = _tacit_store_prepare (store, TACIT_RULE_INDEX_PUT_SQL, error)) == NULL)
    return FALSE;
  while ((rc = sqlite3_step (heads)) == SQLITE_ROW)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(TacitRule) rule = NULL;
      g_autofree TacitRuleSummary *summary = NULL;
      const char *id = (const char *) sqlite3_column_text (heads, 0);

      rule = tacit_rule_from_xml ((const char *) sqlite3_column_text (heads, 1),
                                  sqlite3_column_bytes (heads, 1), &local_error);
      if (rule == NULL)
        {
          g_set_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_CORRUPT,
                       "%s: stored rule “%s” is unreadable: %s",
                       tacit_store_get_path (store), id, local_error->message);
          return FALSE;
        }
      summary = tacit_rule_summary_new (rule, sqlite3_column_int64 (heads, 2),
                                        (const char *) sqlite3_column_text (heads, 3));
      _tacit_rule_index_bind (put, summary);
      if (sqlite3_step (put) != SQLITE_DONE)
        return _tacit_store_sql_error (store, error, "filling the rule index");
      sqlite3_reset (put);
      sqlite3_clear_bindings (put);
    }
  if (rc != SQLITE_DONE)
    return _tacit_store_sql_error (store, error, "filling the rule index");
  return TRUE;
}

gboolean
_tacit_rule_index_backfill (TacitStore *store,
                            GError    **error)
{
  gboolean empty = FALSE;

  if (!index_is_empty (store, &empty, error))
    return FALSE;
  if (!empty)
    return TRUE;
  if (!_tacit_store_begin (store, error))
    return FALSE;
  if (!backfill_rows (store, error) || !_tacit_store_commit (store, error))
    {
      _tacit_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}
