/* tacit-rule-list-model.c: the library view's model over rule_index.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-rule-list-model.h"

#include <glib/gi18n.h>
#include <string.h>

/* ---- items ---- */

struct _TacitRuleItem
{
  GObject                 parent_instance;
  GPtrArray              *rows;      /* keeps summary alive */
  const TacitRuleSummary *summary;
};

G_DEFINE_FINAL_TYPE (TacitRuleItem, tacit_rule_item, G_TYPE_OBJECT)

static void
tacit_rule_item_finalize (GObject *object)
{
  g_clear_pointer (&TACIT_RULE_ITEM (object)->rows, g_ptr_array_unref);
  G_OBJECT_CLASS (tacit_rule_item_parent_class)->finalize (object);
}

static void
tacit_rule_item_class_init (TacitRuleItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tacit_rule_item_finalize;
}

static void
tacit_rule_item_init (TacitRuleItem *self)
{
}

static TacitRuleItem *
tacit_rule_item_new (GPtrArray *rows,
                     guint      index)
{
  TacitRuleItem *self = g_object_new (TACIT_TYPE_RULE_ITEM, NULL);

  self->rows = g_ptr_array_ref (rows);
  self->summary = g_ptr_array_index (rows, index);
  return self;
}

const TacitRuleSummary *
tacit_rule_item_get_summary (TacitRuleItem *self)
{
  g_return_val_if_fail (TACIT_IS_RULE_ITEM (self), NULL);
  return self->summary;
}

static void
append_scope (GString    *text,
              const char *label,
              const char *list)
{
  if (*list == '\0')
    return;
  if (text->len > 0)
    g_string_append (text, " · ");
  g_string_append_printf (text, "%s %s", label, list);
}

static char *
scope_text (const TacitRuleSummary *s)
{
  GString *text = g_string_new (NULL);

  append_scope (text, _("machine"), s->machines);
  append_scope (text, _("class"), s->classes);
  append_scope (text, _("cell"), s->cells);
  if (text->len == 0)
    g_string_append (text, _("every machine"));
  return g_string_free (text, FALSE);
}

char *
tacit_rule_item_dup_column (TacitRuleItem  *self,
                            TacitRuleColumn column)
{
  const TacitRuleSummary *s = self->summary;
  g_autoptr(GDateTime) saved = NULL;

  switch (column)
    {
    case TACIT_RULE_COLUMN_TITLE: return g_strdup (s->title);
    case TACIT_RULE_COLUMN_ID: return g_strdup (s->id);
    case TACIT_RULE_COLUMN_STATUS: return g_strdup (s->status);
    case TACIT_RULE_COLUMN_KIND: return g_strdup (s->kind);
    case TACIT_RULE_COLUMN_SEVERITY: return g_strdup (s->severity);
    case TACIT_RULE_COLUMN_SCOPE: return scope_text (s);
    case TACIT_RULE_COLUMN_TRIGGER: return g_strdup (s->trigger);
    case TACIT_RULE_COLUMN_AUTHOR: return g_strdup (s->author);
    case TACIT_RULE_COLUMN_TAGS: return g_strdup (s->tags);
    case TACIT_RULE_COLUMN_REVISION: return g_strdup_printf ("%u", s->revision);
    case TACIT_RULE_COLUMN_SAVED:
      saved = g_date_time_new_from_unix_local (s->saved_at / G_USEC_PER_SEC);
      return saved != NULL ? g_date_time_format (saved, "%Y-%m-%d %H:%M") : g_strdup ("");
    case TACIT_RULE_N_COLUMNS:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* ---- the model ---- */

struct _TacitRuleListModel
{
  GObject         parent_instance;

  GPtrArray      *rows;       /* TacitRuleSummary*, by id */
  GArray         *order;      /* guint: every row, in sort order */
  GArray         *shown;      /* guint: rows the filter leaves, in sort order */
  TacitRuleColumn sort_column;
  gboolean        descending;

  /* The filter, copied. */
  TacitRuleFilter filter;
  char           *strings[6];
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TacitRuleListModel, tacit_rule_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return TACIT_TYPE_RULE_ITEM;
}

static guint
get_n_items (GListModel *model)
{
  return TACIT_RULE_LIST_MODEL (model)->shown->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  TacitRuleListModel *self = TACIT_RULE_LIST_MODEL (model);

  if (position >= self->shown->len)
    return NULL;
  return tacit_rule_item_new (self->rows, g_array_index (self->shown, guint, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
clear_filter (TacitRuleListModel *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->strings); i++)
    g_clear_pointer (&self->strings[i], g_free);
  memset (&self->filter, 0, sizeof self->filter);
}

static void
tacit_rule_list_model_finalize (GObject *object)
{
  TacitRuleListModel *self = TACIT_RULE_LIST_MODEL (object);

  clear_filter (self);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->order, g_array_unref);
  g_clear_pointer (&self->shown, g_array_unref);
  G_OBJECT_CLASS (tacit_rule_list_model_parent_class)->finalize (object);
}

static void
tacit_rule_list_model_class_init (TacitRuleListModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tacit_rule_list_model_finalize;
}

static void
tacit_rule_list_model_init (TacitRuleListModel *self)
{
  self->rows = g_ptr_array_new_with_free_func (g_free);
  self->order = g_array_new (FALSE, FALSE, sizeof (guint));
  self->shown = g_array_new (FALSE, FALSE, sizeof (guint));
  self->sort_column = TACIT_RULE_COLUMN_ID;   /* rule_index order: no sort on load */
}

TacitRuleListModel *
tacit_rule_list_model_new (void)
{
  return g_object_new (TACIT_TYPE_RULE_LIST_MODEL, NULL);
}

int
tacit_rule_column_compare (TacitRuleColumn         column,
                           const TacitRuleSummary *a,
                           const TacitRuleSummary *b)
{
  int result = 0;

  switch (column)
    {
    case TACIT_RULE_COLUMN_TITLE: result = g_ascii_strcasecmp (a->title, b->title); break;
    case TACIT_RULE_COLUMN_ID: break;
    case TACIT_RULE_COLUMN_STATUS: result = strcmp (a->status, b->status); break;
    case TACIT_RULE_COLUMN_KIND: result = strcmp (a->kind, b->kind); break;
    case TACIT_RULE_COLUMN_SEVERITY: result = strcmp (a->severity, b->severity); break;
    case TACIT_RULE_COLUMN_SCOPE:
      result = strcmp (a->machines, b->machines);
      if (result == 0)
        result = strcmp (a->classes, b->classes);
      if (result == 0)
        result = strcmp (a->cells, b->cells);
      break;
    case TACIT_RULE_COLUMN_TRIGGER: result = strcmp (a->trigger, b->trigger); break;
    case TACIT_RULE_COLUMN_AUTHOR: result = strcmp (a->author, b->author); break;
    case TACIT_RULE_COLUMN_TAGS: result = strcmp (a->tags, b->tags); break;
    case TACIT_RULE_COLUMN_REVISION: result = (a->revision > b->revision) - (a->revision < b->revision); break;
    case TACIT_RULE_COLUMN_SAVED: result = (a->saved_at > b->saved_at) - (a->saved_at < b->saved_at); break;
    case TACIT_RULE_N_COLUMNS:
    default:
      break;
    }
  /* Ties by id: a stable, total order. */
  return result != 0 ? result : strcmp (a->id, b->id);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  TacitRuleListModel *self = user_data;
  int result = tacit_rule_column_compare (self->sort_column,
                                          g_ptr_array_index (self->rows, *(const guint *) a),
                                          g_ptr_array_index (self->rows, *(const guint *) b));

  return self->descending ? -result : result;
}

static void
sort_order (TacitRuleListModel *self)
{
  g_array_set_size (self->order, self->rows->len);
  for (guint i = 0; i < self->rows->len; i++)
    g_array_index (self->order, guint, i) = i;
  if (self->sort_column != TACIT_RULE_COLUMN_ID || self->descending)
    g_array_sort_with_data (self->order, compare_rows, self);
}

/* Filters source (row numbers in sort order) into self->shown. */
static void
filter_rows (TacitRuleListModel *self,
             GArray             *source)
{
  GArray *shown = g_array_sized_new (FALSE, FALSE, sizeof (guint), source->len);
  g_autoptr(TacitRuleMatcher) matcher = tacit_rule_matcher_new (&self->filter);
  const guint *rows = (const guint *) source->data;
  gpointer *summaries = self->rows->pdata;
  guint n = 0;

  g_array_set_size (shown, source->len);
  for (guint i = 0; i < source->len; i++)
    if (tacit_rule_matcher_matches (matcher, summaries[rows[i]]))
      g_array_index (shown, guint, n++) = rows[i];
  g_array_set_size (shown, n);
  g_array_unref (self->shown);
  self->shown = shown;
}

static void
refresh (TacitRuleListModel *self,
         gboolean            narrowing)
{
  guint before = self->shown->len;

  filter_rows (self, narrowing ? self->shown : self->order);
  if (before > 0 || self->shown->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, before, self->shown->len);
}

gboolean
tacit_rule_list_model_load (TacitRuleListModel *self,
                            TacitStore         *store,
                            GError            **error)
{
  GPtrArray *rows;

  g_return_val_if_fail (TACIT_IS_RULE_LIST_MODEL (self), FALSE);
  g_return_val_if_fail (TACIT_IS_STORE (store), FALSE);

  if ((rows = tacit_rule_index_query (store, NULL, error)) == NULL)
    return FALSE;
  g_ptr_array_unref (self->rows);
  self->rows = rows;
  sort_order (self);
  refresh (self, FALSE);
  return TRUE;
}

static gboolean
same (const char *a,
      const char *b)
{
  return g_strcmp0 (a != NULL && *a != '\0' ? a : NULL, b != NULL && *b != '\0' ? b : NULL) == 0;
}

/* Whether next only ever removes rows from what the current filter
 * shows: same fields, and the text extended at its end. */
static gboolean
narrows (const TacitRuleFilter *now,
         const TacitRuleFilter *next)
{
  const char *a = now->text != NULL ? now->text : "";
  const char *b = next->text != NULL ? next->text : "";

  return same (now->status, next->status) && same (now->kind, next->kind) &&
         same (now->author, next->author) && same (now->tag, next->tag) &&
         same (now->scope_value, next->scope_value) && now->scope_type == next->scope_type &&
         g_str_has_prefix (b, a);
}

void
tacit_rule_list_model_set_filter (TacitRuleListModel    *self,
                                  const TacitRuleFilter *filter)
{
  static const TacitRuleFilter empty = { 0 };
  gboolean narrowing;

  g_return_if_fail (TACIT_IS_RULE_LIST_MODEL (self));

  if (filter == NULL)
    filter = &empty;
  narrowing = narrows (&self->filter, filter);
  /* filter may point into self->strings: copy before freeing. */
  {
    char *copies[6] = {
      g_strdup (filter->text), g_strdup (filter->status), g_strdup (filter->kind),
      g_strdup (filter->author), g_strdup (filter->tag), g_strdup (filter->scope_value),
    };
    TacitScopeFilter scope_type = filter->scope_type;

    clear_filter (self);
    memcpy (self->strings, copies, sizeof copies);
    self->filter = (TacitRuleFilter) {
      .text = copies[0], .status = copies[1], .kind = copies[2],
      .author = copies[3], .tag = copies[4], .scope_type = scope_type,
      .scope_value = copies[5],
    };
  }
  refresh (self, narrowing);
}

void
tacit_rule_list_model_set_sort (TacitRuleListModel *self,
                                TacitRuleColumn     column,
                                gboolean            descending)
{
  g_return_if_fail (TACIT_IS_RULE_LIST_MODEL (self));
  g_return_if_fail (column < TACIT_RULE_N_COLUMNS);

  if (self->sort_column == column && self->descending == descending)
    return;
  self->sort_column = column;
  self->descending = descending;
  sort_order (self);
  refresh (self, FALSE);
}

guint
tacit_rule_list_model_get_n_total (TacitRuleListModel *self)
{
  g_return_val_if_fail (TACIT_IS_RULE_LIST_MODEL (self), 0);
  return self->rows->len;
}

guint
tacit_rule_list_model_find (TacitRuleListModel *self,
                            const char         *rule_id)
{
  g_return_val_if_fail (TACIT_IS_RULE_LIST_MODEL (self), G_MAXUINT);

  for (guint i = 0; i < self->shown->len; i++)
    {
      const TacitRuleSummary *s = g_ptr_array_index (self->rows, g_array_index (self->shown, guint, i));

      if (g_strcmp0 (s->id, rule_id) == 0)
        return i;
    }
  return G_MAXUINT;
}

static void
add_words (GHashTable *set,
           const char *prefix,
           const char *list)
{
  g_auto(GStrv) words = g_strsplit (list, " ", -1);

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_hash_table_add (set, prefix != NULL ? g_strconcat (prefix, words[i], NULL) : g_strdup (words[i]));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

GStrv
tacit_rule_list_model_dup_values (TacitRuleListModel *self,
                                  TacitRuleColumn     column)
{
  g_autoptr(GHashTable) set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (TACIT_IS_RULE_LIST_MODEL (self), NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      const TacitRuleSummary *s = g_ptr_array_index (self->rows, i);

      switch (column)
        {
        case TACIT_RULE_COLUMN_AUTHOR: add_words (set, NULL, s->author); break;
        case TACIT_RULE_COLUMN_TAGS: add_words (set, NULL, s->tags); break;
        case TACIT_RULE_COLUMN_SCOPE:
          add_words (set, "machine:", s->machines);
          add_words (set, "class:", s->classes);
          add_words (set, "cell:", s->cells);
          break;
        case TACIT_RULE_COLUMN_TITLE:
        case TACIT_RULE_COLUMN_ID:
        case TACIT_RULE_COLUMN_STATUS:
        case TACIT_RULE_COLUMN_KIND:
        case TACIT_RULE_COLUMN_SEVERITY:
        case TACIT_RULE_COLUMN_TRIGGER:
        case TACIT_RULE_COLUMN_REVISION:
        case TACIT_RULE_COLUMN_SAVED:
        case TACIT_RULE_N_COLUMNS:
        default:
          g_return_val_if_reached (NULL);
        }
    }
  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_hash_table_iter_steal (&iter);
      g_ptr_array_add (values, key);
    }
  g_ptr_array_sort (values, compare_strings);
  g_ptr_array_add (values, NULL);
  return (GStrv) g_ptr_array_steal (values, NULL);
}
