/* tacit-duplicates.c
 *
 * A scope is expanded into the set of registry machines it covers; two
 * rules overlap when either is unscoped, when both name the same machine,
 * class or cell (even one the registry does not know), or when their
 * machine sets intersect. Pairs are found per trigger key (kind, item,
 * code, op, value), so a large library costs one pass plus the pairs
 * within each group.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-duplicates.h"

#include <string.h>

void
tacit_duplicate_free (TacitDuplicate *duplicate)
{
  if (duplicate == NULL)
    return;
  g_free (duplicate->rule_a);
  g_free (duplicate->rule_b);
  g_free (duplicate->trigger);
  g_free (duplicate);
}

gboolean
tacit_duplicates_same_trigger (const TacitRule *a,
                               const TacitRule *b)
{
  const TacitSelector *x = &a->trigger.selector;
  const TacitSelector *y = &b->trigger.selector;

  return x->kind == y->kind &&
         g_strcmp0 (x->item, y->item) == 0 &&
         g_strcmp0 (x->code, y->code) == 0 &&
         x->predicate.op == y->predicate.op &&
         g_strcmp0 (x->predicate.value, y->predicate.value) == 0;
}

char *
tacit_duplicates_describe_trigger (const TacitRule *rule)
{
  const TacitSelector *s = &rule->trigger.selector;
  GString *text = g_string_new (tacit_kind_to_string (s->kind));

  if (s->item != NULL)
    g_string_append_printf (text, " %s", s->item);
  if (s->code != NULL)
    g_string_append_printf (text, " code=%s", s->code);
  if (s->predicate.op != TACIT_OP_NONE)
    g_string_append_printf (text, " %s %s", tacit_op_to_string (s->predicate.op),
                            s->predicate.value != NULL ? s->predicate.value : "");
  return g_string_free (text, FALSE);
}

static gboolean
scope_covers (const TacitScope   *scope,
              const TacitMachine *machine)
{
  switch (scope->type)
    {
    case TACIT_SCOPE_MACHINE:
      return g_strcmp0 (scope->value, machine->id) == 0;
    case TACIT_SCOPE_CLASS:
      return g_strcmp0 (scope->value, machine->class_name) == 0;
    case TACIT_SCOPE_CELL:
    default:
      return g_strcmp0 (scope->value, machine->cell) == 0;
    }
}

static gboolean
rule_covers (const TacitRule    *rule,
             const TacitMachine *machine)
{
  for (guint i = 0; i < rule->scopes->len; i++)
    if (scope_covers (g_ptr_array_index (rule->scopes, i), machine))
      return TRUE;
  return FALSE;
}

static gboolean
scopes_name_the_same (const TacitRule *a,
                      const TacitRule *b)
{
  for (guint i = 0; i < a->scopes->len; i++)
    for (guint j = 0; j < b->scopes->len; j++)
      {
        const TacitScope *x = g_ptr_array_index (a->scopes, i);
        const TacitScope *y = g_ptr_array_index (b->scopes, j);

        if (x->type == y->type && g_strcmp0 (x->value, y->value) == 0)
          return TRUE;
      }
  return FALSE;
}

gboolean
tacit_duplicates_scopes_overlap (TacitLibrary    *library,
                                 const TacitRule *a,
                                 const TacitRule *b)
{
  GPtrArray *machines;

  if (a->scopes == NULL || b->scopes == NULL || a->scopes->len == 0 || b->scopes->len == 0)
    return TRUE;
  if (scopes_name_the_same (a, b))
    return TRUE;
  machines = tacit_library_get_machines (library);
  for (guint i = 0; machines != NULL && i < machines->len; i++)
    {
      const TacitMachine *machine = g_ptr_array_index (machines, i);

      if (rule_covers (a, machine) && rule_covers (b, machine))
        return TRUE;
    }
  return FALSE;
}

static char *
trigger_key (const TacitRule *rule)
{
  const TacitSelector *s = &rule->trigger.selector;

  /* \x1f cannot occur in a valid library's attribute values. */
  return g_strdup_printf ("%d\x1f%s\x1f%s\x1f%d\x1f%s", s->kind, s->item ? s->item : "\x1e",
                          s->code ? s->code : "\x1e", s->predicate.op,
                          s->predicate.value ? s->predicate.value : "\x1e");
}

static int
duplicate_compare (gconstpointer a,
                   gconstpointer b)
{
  const TacitDuplicate *x = *(const TacitDuplicate * const *) a;
  const TacitDuplicate *y = *(const TacitDuplicate * const *) b;
  int c = strcmp (x->rule_a, y->rule_a);

  return c != 0 ? c : strcmp (x->rule_b, y->rule_b);
}

static void
find_in_group (TacitLibrary *library,
               GPtrArray    *group,
               GPtrArray    *out)
{
  for (guint i = 0; i < group->len; i++)
    for (guint j = i + 1; j < group->len; j++)
      {
        const TacitRule *a = g_ptr_array_index (group, i);
        const TacitRule *b = g_ptr_array_index (group, j);
        TacitDuplicate *dup;

        if (!tacit_duplicates_same_trigger (a, b) || !tacit_duplicates_scopes_overlap (library, a, b))
          continue;
        dup = g_new0 (TacitDuplicate, 1);
        /* group is sorted by id, so a < b. */
        dup->rule_a = g_strdup (a->id);
        dup->rule_b = g_strdup (b->id);
        dup->trigger = tacit_duplicates_describe_trigger (a);
        g_ptr_array_add (out, dup);
      }
}

GPtrArray *
tacit_duplicates_find (TacitLibrary *library)
{
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GHashTable) groups = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) tacit_duplicate_free);
  GHashTableIter iter;
  gpointer group;

  g_return_val_if_fail (TACIT_IS_LIBRARY (library), out);

  rules = tacit_library_dup_rules_sorted (library);
  groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < rules->len; i++)
    {
      TacitRule *rule = g_ptr_array_index (rules, i);
      char *key;
      GPtrArray *members;

      if (rule->status == TACIT_RULE_STATUS_RETIRED)
        continue;
      key = trigger_key (rule);
      members = g_hash_table_lookup (groups, key);
      if (members == NULL)
        {
          members = g_ptr_array_new ();
          g_hash_table_insert (groups, key, members);
        }
      else
        g_free (key);
      g_ptr_array_add (members, rule);
    }
  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, NULL, &group))
    if (((GPtrArray *) group)->len > 1)
      find_in_group (library, group, out);
  g_ptr_array_sort (out, duplicate_compare);
  return out;
}
