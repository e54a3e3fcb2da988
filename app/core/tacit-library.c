/* tacit-library.c: a rule library (machines registry + rules).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-library.h"

#include <string.h>

#include "tacit-error.h"

struct _TacitLibrary
{
  GObject     parent_instance;

  char       *name;
  guint       revision;
  GPtrArray  *machines;       /* TacitMachine*, insertion order */
  GHashTable *machines_by_id; /* id → TacitMachine* (borrowed from machines) */
  GPtrArray  *rules;          /* TacitRule*, insertion order */
  GHashTable *rules_by_id;    /* id → TacitRule* (borrowed from rules) */
};

G_DEFINE_FINAL_TYPE (TacitLibrary, tacit_library, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_REVISION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* g_set_str() is GLib 2.76. */
static gboolean
set_str (char **slot, const char *value)
{
  if (g_strcmp0 (*slot, value) == 0)
    return FALSE;
  g_free (*slot);
  *slot = g_strdup (value);
  return TRUE;
}

static void
machine_free (gpointer data)
{
  TacitMachine *machine = data;

  g_free (machine->id);
  g_free (machine->name);
  g_free (machine->class_name);
  g_free (machine->cell);
  g_free (machine);
}

static void
tacit_library_finalize (GObject *object)
{
  TacitLibrary *self = TACIT_LIBRARY (object);

  g_free (self->name);
  g_hash_table_unref (self->machines_by_id);
  g_ptr_array_unref (self->machines);
  g_hash_table_unref (self->rules_by_id);
  g_ptr_array_unref (self->rules);

  G_OBJECT_CLASS (tacit_library_parent_class)->finalize (object);
}

static void
tacit_library_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TacitLibrary *self = TACIT_LIBRARY (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_REVISION:
      g_value_set_uint (value, self->revision);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tacit_library_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TacitLibrary *self = TACIT_LIBRARY (object);

  switch (prop_id)
    {
    case PROP_NAME:
      tacit_library_set_name (self, g_value_get_string (value));
      break;
    case PROP_REVISION:
      tacit_library_set_revision (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tacit_library_class_init (TacitLibraryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tacit_library_finalize;
  object_class->get_property = tacit_library_get_property;
  object_class->set_property = tacit_library_set_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REVISION] =
    g_param_spec_uint ("revision", NULL, NULL, 1, G_MAXUINT, 1,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tacit_library_init (TacitLibrary *self)
{
  self->revision = 1;
  self->machines = g_ptr_array_new_with_free_func (machine_free);
  self->machines_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) tacit_rule_unref);
  self->rules_by_id = g_hash_table_new (g_str_hash, g_str_equal);
}

TacitLibrary *
tacit_library_new (void)
{
  return g_object_new (TACIT_TYPE_LIBRARY, NULL);
}

const char *
tacit_library_get_name (TacitLibrary *self)
{
  g_return_val_if_fail (TACIT_IS_LIBRARY (self), NULL);
  return self->name;
}

void
tacit_library_set_name (TacitLibrary *self,
                        const char   *name)
{
  g_return_if_fail (TACIT_IS_LIBRARY (self));

  if (set_str (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

guint
tacit_library_get_revision (TacitLibrary *self)
{
  g_return_val_if_fail (TACIT_IS_LIBRARY (self), 0);
  return self->revision;
}

void
tacit_library_set_revision (TacitLibrary *self,
                            guint         revision)
{
  g_return_if_fail (TACIT_IS_LIBRARY (self));

  if (self->revision == revision)
    return;
  self->revision = revision;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVISION]);
}

void
tacit_library_add_machine (TacitLibrary *self,
                           const char   *id,
                           const char   *name,
                           const char   *class_name,
                           const char   *cell)
{
  TacitMachine *machine;

  g_return_if_fail (TACIT_IS_LIBRARY (self));
  g_return_if_fail (id != NULL);

  machine = g_hash_table_lookup (self->machines_by_id, id);
  if (machine == NULL)
    {
      machine = g_new0 (TacitMachine, 1);
      machine->id = g_strdup (id);
      g_ptr_array_add (self->machines, machine);
      g_hash_table_insert (self->machines_by_id, machine->id, machine);
    }
  set_str (&machine->name, name);
  set_str (&machine->class_name, class_name);
  set_str (&machine->cell, cell);
}

const TacitMachine *
tacit_library_lookup_machine (TacitLibrary *self,
                              const char   *id)
{
  g_return_val_if_fail (TACIT_IS_LIBRARY (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return g_hash_table_lookup (self->machines_by_id, id);
}

GPtrArray *
tacit_library_get_machines (TacitLibrary *self)
{
  g_return_val_if_fail (TACIT_IS_LIBRARY (self), NULL);
  return self->machines;
}

gboolean
tacit_library_add_rule (TacitLibrary  *self,
                        TacitRule     *rule,
                        GError       **error)
{
  g_return_val_if_fail (TACIT_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (rule != NULL && rule->id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_hash_table_contains (self->rules_by_id, rule->id))
    {
      g_set_error (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_INVALID,
                   "rule id '%s' is used twice", rule->id);
      return FALSE;
    }
  g_ptr_array_add (self->rules, tacit_rule_ref (rule));
  g_hash_table_insert (self->rules_by_id, rule->id, rule);
  return TRUE;
}

void
tacit_library_put_rule (TacitLibrary *self,
                        TacitRule    *rule)
{
  TacitRule *old;
  guint index;

  g_return_if_fail (TACIT_IS_LIBRARY (self));
  g_return_if_fail (rule != NULL && rule->id != NULL);

  old = g_hash_table_lookup (self->rules_by_id, rule->id);
  if (old == NULL)
    {
      g_ptr_array_add (self->rules, tacit_rule_ref (rule));
      g_hash_table_insert (self->rules_by_id, rule->id, rule);
      return;
    }
  if (old == rule)
    return;
  /* Keep its place: a replaced rule stays where it was. The key is the
   * new rule's id, which outlives the old one's. */
  if (!g_ptr_array_find (self->rules, old, &index))
    g_assert_not_reached ();
  g_hash_table_insert (self->rules_by_id, rule->id, rule);
  g_ptr_array_index (self->rules, index) = tacit_rule_ref (rule);
  tacit_rule_unref (old);
}

TacitRule *
tacit_library_lookup_rule (TacitLibrary *self,
                           const char   *id)
{
  g_return_val_if_fail (TACIT_IS_LIBRARY (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return g_hash_table_lookup (self->rules_by_id, id);
}

GPtrArray *
tacit_library_get_rules (TacitLibrary *self)
{
  g_return_val_if_fail (TACIT_IS_LIBRARY (self), NULL);
  return self->rules;
}

static int
compare_rule_ids (gconstpointer a,
                  gconstpointer b)
{
  const TacitRule *ra = *(const TacitRule * const *) a;
  const TacitRule *rb = *(const TacitRule * const *) b;

  return strcmp (ra->id, rb->id);
}

GPtrArray *
tacit_library_dup_rules_sorted (TacitLibrary *self)
{
  GPtrArray *sorted;

  g_return_val_if_fail (TACIT_IS_LIBRARY (self), NULL);

  sorted = g_ptr_array_new_full (self->rules->len, (GDestroyNotify) tacit_rule_unref);
  for (guint i = 0; i < self->rules->len; i++)
    g_ptr_array_add (sorted, tacit_rule_ref (g_ptr_array_index (self->rules, i)));
  g_ptr_array_sort (sorted, compare_rule_ids);
  return sorted;
}
