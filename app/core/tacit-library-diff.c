/* tacit-library-diff.c
 *
 * Rules are compared by their canonical XML with the revision left out:
 * the revision says where a copy came from, not what it says.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-library-diff.h"
#include "tacit-library-xml.h"

#include <string.h>

static const char *change_names[] = {
  "added", "changed", "retired", "unchanged", "stale", "conflict",
};

const char *
tacit_change_kind_to_string (TacitChangeKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (change_names), NULL);
  return change_names[kind];
}

static char *
content_of (const TacitRule *rule)
{
  g_autoptr(TacitRule) copy = tacit_rule_copy (rule);

  copy->revision = 1;
  return tacit_rule_to_xml (copy);
}

static gboolean
same_content (const TacitRule *a, const TacitRule *b)
{
  g_autofree char *xa = content_of (a);
  g_autofree char *xb = content_of (b);

  return strcmp (xa, xb) == 0;
}

/* The stored revision numbered revision, or NULL. */
static TacitRule *
stored_revision (TacitStore *store, const char *id, guint revision, GError **error)
{
  g_autoptr(GPtrArray) revisions = tacit_store_list_rule_revisions (store, id, error);

  for (guint i = 0; revisions != NULL && i < revisions->len; i++)
    {
      TacitRule *rule = g_ptr_array_index (revisions, i);
      if (rule->revision == revision)
        return tacit_rule_ref (rule);
    }
  return NULL;
}

static gboolean
classify (TacitStore *store, TacitRule *rule, TacitRule *current, TacitRuleChange *change,
          GError **error)
{
  g_autoptr(TacitRule) base = NULL;
  g_autoptr(GError) local_error = NULL;

  change->rule = tacit_rule_ref (rule);
  change->stored_revision = current ? current->revision : 0;
  if (current == NULL)
    change->kind = TACIT_CHANGE_ADDED;
  else if (same_content (rule, current))
    change->kind = TACIT_CHANGE_UNCHANGED;
  else if (rule->revision >= current->revision)
    change->kind = rule->status == TACIT_RULE_STATUS_RETIRED &&
                   current->status != TACIT_RULE_STATUS_RETIRED
                   ? TACIT_CHANGE_RETIRED : TACIT_CHANGE_CHANGED;
  else
    {
      /* The file starts from an older revision: unchanged since then is a
       * stale copy; changed since then collides with the newer work. */
      base = stored_revision (store, rule->id, rule->revision, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      change->kind = base != NULL && same_content (rule, base)
                     ? TACIT_CHANGE_STALE : TACIT_CHANGE_CONFLICT;
    }
  return TRUE;
}

static void
change_clear (gpointer data)
{
  g_clear_pointer (&((TacitRuleChange *) data)->rule, tacit_rule_unref);
}

TacitLibraryDiff *
tacit_library_diff (TacitStore *store, TacitLibrary *library, GError **error)
{
  g_autoptr(TacitLibraryDiff) diff = g_new0 (TacitLibraryDiff, 1);
  g_autoptr(TacitLibrary) stored = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  GPtrArray *stored_rules;

  g_return_val_if_fail (TACIT_IS_STORE (store) && TACIT_IS_LIBRARY (library), NULL);

  stored = tacit_store_load_library (store, error);
  if (stored == NULL)
    return NULL;
  diff->changes = g_array_new (FALSE, TRUE, sizeof (TacitRuleChange));
  g_array_set_clear_func (diff->changes, change_clear);
  rules = tacit_library_dup_rules_sorted (library);
  for (guint i = 0; i < rules->len; i++)
    {
      TacitRule *rule = g_ptr_array_index (rules, i);
      TacitRuleChange change = { 0 };

      if (!classify (store, rule, tacit_library_lookup_rule (stored, rule->id), &change, error))
        {
          change_clear (&change);
          return NULL;
        }
      g_array_append_val (diff->changes, change);
      diff->counts[change.kind]++;
    }
  stored_rules = tacit_library_get_rules (stored);
  for (guint i = 0; i < stored_rules->len; i++)
    {
      TacitRule *rule = g_ptr_array_index (stored_rules, i);
      diff->only_in_store += tacit_library_lookup_rule (library, rule->id) == NULL;
    }
  return g_steal_pointer (&diff);
}

void
tacit_library_diff_free (TacitLibraryDiff *diff)
{
  if (diff == NULL)
    return;
  g_clear_pointer (&diff->changes, g_array_unref);
  g_free (diff);
}

TacitLibrary *
tacit_library_diff_to_import (TacitLibraryDiff *diff, TacitLibrary *library)
{
  TacitLibrary *out = tacit_library_new ();
  GPtrArray *machines = tacit_library_get_machines (library);

  tacit_library_set_name (out, tacit_library_get_name (library));
  tacit_library_set_revision (out, tacit_library_get_revision (library));
  for (guint i = 0; i < machines->len; i++)
    {
      const TacitMachine *m = g_ptr_array_index (machines, i);
      tacit_library_add_machine (out, m->id, m->name, m->class_name, m->cell);
    }
  for (guint i = 0; i < diff->changes->len; i++)
    {
      TacitRuleChange *change = &g_array_index (diff->changes, TacitRuleChange, i);

      if (change->kind == TACIT_CHANGE_ADDED || change->kind == TACIT_CHANGE_CHANGED ||
          change->kind == TACIT_CHANGE_RETIRED)
        tacit_library_put_rule (out, change->rule);
    }
  return out;
}
