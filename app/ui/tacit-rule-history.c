/* tacit-rule-history.c: a rule's revisions and the diff between two.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-rule-history.h"

#include <glib/gi18n.h>

#include "tacit-rule-diff.h"
#include "tacit-rule-index.h"

/* One revision in the list. */
#define TACIT_TYPE_REVISION_ITEM (tacit_revision_item_get_type ())
G_DECLARE_FINAL_TYPE (TacitRevisionItem, tacit_revision_item, TACIT, REVISION_ITEM, GObject)

struct _TacitRevisionItem
{
  GObject                parent_instance;
  TacitRuleRevisionInfo *info;
};

G_DEFINE_FINAL_TYPE (TacitRevisionItem, tacit_revision_item, G_TYPE_OBJECT)

static void
tacit_revision_item_finalize (GObject *object)
{
  g_clear_pointer (&TACIT_REVISION_ITEM (object)->info, tacit_rule_revision_info_free);
  G_OBJECT_CLASS (tacit_revision_item_parent_class)->finalize (object);
}

static void
tacit_revision_item_class_init (TacitRevisionItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tacit_revision_item_finalize;
}

static void
tacit_revision_item_init (TacitRevisionItem *self)
{
}

enum { COL_REVISION, COL_STATUS, COL_SAVED_BY, COL_SAVED_AT, COL_TITLE, N_COLS };

struct _TacitRuleHistory
{
  AdwWindow          parent_instance;

  GListStore        *revisions;
  GtkMultiSelection *selection;
  char              *diff_text;

  AdwWindowTitle    *window_title;
  GtkColumnView     *revisions_view;
  GtkLabel          *diff_label;
  GtkTextView       *diff_view;
};

G_DEFINE_FINAL_TYPE (TacitRuleHistory, tacit_rule_history, ADW_TYPE_WINDOW)

static char *
column_text (const TacitRuleRevisionInfo *info,
             guint                        column)
{
  g_autoptr(GDateTime) at = NULL;

  switch (column)
    {
    case COL_REVISION: return g_strdup_printf ("%u", info->revision);
    case COL_STATUS: return g_strdup (info->status);
    case COL_SAVED_BY: return g_strdup (info->saved_by != NULL ? info->saved_by : "—");
    case COL_SAVED_AT:
      at = g_date_time_new_from_unix_local (info->saved_at / G_USEC_PER_SEC);
      return at != NULL ? g_date_time_format (at, "%Y-%m-%d %H:%M:%S") : g_strdup ("");
    case COL_TITLE: return g_strdup (info->title);
    default: g_return_val_if_reached (NULL);
    }
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  column)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  column)
{
  TacitRevisionItem *rev = gtk_list_item_get_item (item);
  g_autofree char *text = column_text (rev->info, GPOINTER_TO_UINT (column));

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static void
add_column (TacitRuleHistory *self,
            const char       *title,
            guint             column,
            gboolean          expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) col = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), GUINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), GUINT_TO_POINTER (column));
  col = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (col, expand);
  gtk_column_view_append_column (self->revisions_view, col);
}

static TacitRuleRevisionInfo *
find_revision (TacitRuleHistory *self,
               guint             revision)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->revisions));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TacitRevisionItem) item = g_list_model_get_item (G_LIST_MODEL (self->revisions), i);

      if (item->info->revision == revision)
        return item->info;
    }
  return NULL;
}

static void
show_diff (TacitRuleHistory            *self,
           const TacitRuleRevisionInfo *old_rev,
           const TacitRuleRevisionInfo *new_rev)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->diff_view);
  g_autoptr(GArray) diff = tacit_line_diff (old_rev != NULL ? old_rev->xml : "", new_rev->xml);
  g_autofree char *heading = NULL;
  GtkTextIter end;
  guint added, removed;

  tacit_line_diff_count (diff, &added, &removed);
  if (old_rev != NULL)
    heading = g_strdup_printf (_("Revision %u → %u: %u lines added, %u removed"),
                               old_rev->revision, new_rev->revision, added, removed);
  else
    heading = g_strdup_printf (_("Revision %u: the first revision"), new_rev->revision);
  gtk_label_set_label (self->diff_label, heading);
  g_free (self->diff_text);
  self->diff_text = tacit_line_diff_format (diff);
  gtk_text_buffer_set_text (buffer, "", -1);
  for (guint i = 0; i < diff->len; i++)
    {
      const TacitDiffLine *line = &g_array_index (diff, TacitDiffLine, i);
      static const char *const marks[] = { "  ", "− ", "+ " };
      static const char *const tags[] = { NULL, "removed", "added" };
      g_autofree char *text = g_strconcat (marks[line->op], line->line, "\n", NULL);

      gtk_text_buffer_get_end_iter (buffer, &end);
      if (tags[line->op] != NULL)
        gtk_text_buffer_insert_with_tags_by_name (buffer, &end, text, -1, tags[line->op], NULL);
      else
        gtk_text_buffer_insert (buffer, &end, text, -1);
    }
}

static void
selection_changed_cb (TacitRuleHistory *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  guint64 n = gtk_bitset_get_size (selected);
  guint first, last;
  g_autoptr(TacitRevisionItem) a = NULL;
  g_autoptr(TacitRevisionItem) b = NULL;

  if (n == 0 || n > 2)
    return;
  /* Newest first: the lower position is the newer revision. */
  first = gtk_bitset_get_minimum (selected);
  last = gtk_bitset_get_maximum (selected);
  b = g_list_model_get_item (G_LIST_MODEL (self->revisions), first);
  if (n == 2)
    a = g_list_model_get_item (G_LIST_MODEL (self->revisions), last);
  else
    a = g_list_model_get_item (G_LIST_MODEL (self->revisions), first + 1);
  show_diff (self, a != NULL ? a->info : NULL, b->info);
}

guint
tacit_rule_history_get_n_revisions (TacitRuleHistory *self)
{
  g_return_val_if_fail (TACIT_IS_RULE_HISTORY (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->revisions));
}

static guint
position_of (TacitRuleHistory *self,
             guint             revision)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->revisions));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TacitRevisionItem) item = g_list_model_get_item (G_LIST_MODEL (self->revisions), i);

      if (item->info->revision == revision)
        return i;
    }
  return G_MAXUINT;
}

gboolean
tacit_rule_history_compare (TacitRuleHistory *self,
                            guint             old_revision,
                            guint             new_revision)
{
  guint a, b;

  g_return_val_if_fail (TACIT_IS_RULE_HISTORY (self), FALSE);

  a = position_of (self, old_revision);
  b = position_of (self, new_revision);
  if (a == G_MAXUINT || b == G_MAXUINT || find_revision (self, new_revision) == NULL)
    return FALSE;
  /* Through the selection, as a Ctrl+click would. */
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), a, FALSE);
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), b, FALSE);
  return TRUE;
}

char *
tacit_rule_history_dup_diff_text (TacitRuleHistory *self)
{
  g_return_val_if_fail (TACIT_IS_RULE_HISTORY (self), NULL);
  return g_strdup (self->diff_text);
}

static void
tacit_rule_history_finalize (GObject *object)
{
  TacitRuleHistory *self = TACIT_RULE_HISTORY (object);

  g_clear_object (&self->revisions);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->diff_text, g_free);
  G_OBJECT_CLASS (tacit_rule_history_parent_class)->finalize (object);
}

static void
tacit_rule_history_class_init (TacitRuleHistoryClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = tacit_rule_history_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, "/dev/tacit/Tacit/ui/tacit-rule-history.ui");
  gtk_widget_class_bind_template_child (widget_class, TacitRuleHistory, window_title);
  gtk_widget_class_bind_template_child (widget_class, TacitRuleHistory, revisions_view);
  gtk_widget_class_bind_template_child (widget_class, TacitRuleHistory, diff_label);
  gtk_widget_class_bind_template_child (widget_class, TacitRuleHistory, diff_view);
}

static void
tacit_rule_history_init (TacitRuleHistory *self)
{
  GtkTextBuffer *buffer;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->revisions = g_list_store_new (TACIT_TYPE_REVISION_ITEM);
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->revisions)));
  gtk_column_view_set_model (self->revisions_view, GTK_SELECTION_MODEL (self->selection));
  add_column (self, _("Revision"), COL_REVISION, FALSE);
  add_column (self, _("Status"), COL_STATUS, FALSE);
  add_column (self, _("Saved by"), COL_SAVED_BY, FALSE);
  add_column (self, _("Saved"), COL_SAVED_AT, FALSE);
  add_column (self, _("Title"), COL_TITLE, TRUE);
  buffer = gtk_text_view_get_buffer (self->diff_view);
  gtk_text_buffer_create_tag (buffer, "added", "paragraph-background", "#d7f5dd", NULL);
  gtk_text_buffer_create_tag (buffer, "removed", "paragraph-background", "#fbd9d9", NULL);
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
}

GtkWindow *
tacit_rule_history_new (TacitStore *store,
                        const char *rule_id,
                        GtkWindow  *parent)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autofree char *subtitle = NULL;
  TacitRuleHistory *self;
  guint n;

  g_return_val_if_fail (TACIT_IS_STORE (store), NULL);
  g_return_val_if_fail (rule_id != NULL, NULL);

  self = g_object_new (TACIT_TYPE_RULE_HISTORY, "transient-for", parent, NULL);
  revisions = tacit_rule_index_list_revisions (store, rule_id, &error);
  if (revisions == NULL)
    {
      gtk_label_set_label (self->diff_label, error->message);
      return GTK_WINDOW (self);
    }
  /* Newest first: what an engineer looks for. */
  for (guint i = revisions->len; i-- > 0;)
    {
      TacitRevisionItem *item = g_object_new (TACIT_TYPE_REVISION_ITEM, NULL);

      item->info = g_ptr_array_steal_index (revisions, i);
      g_list_store_append (self->revisions, item);
      g_object_unref (item);
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (self->revisions));
  subtitle = g_strdup_printf (ngettext ("%s · %u revision", "%s · %u revisions", n), rule_id, n);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  if (n > 0)
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), 0, TRUE);
  return GTK_WINDOW (self);
}
