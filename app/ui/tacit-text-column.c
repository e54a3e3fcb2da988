/* tacit-text-column.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-text-column.h"

struct _TacitRowItem
{
  GObject        parent_instance;
  gpointer       data;
  GDestroyNotify destroy;
};

G_DEFINE_FINAL_TYPE (TacitRowItem, tacit_row_item, G_TYPE_OBJECT)

static void
tacit_row_item_finalize (GObject *object)
{
  TacitRowItem *self = TACIT_ROW_ITEM (object);

  if (self->destroy != NULL)
    self->destroy (self->data);
  G_OBJECT_CLASS (tacit_row_item_parent_class)->finalize (object);
}

static void
tacit_row_item_class_init (TacitRowItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tacit_row_item_finalize;
}

static void
tacit_row_item_init (TacitRowItem *self)
{
}

TacitRowItem *
tacit_row_item_new (gpointer       data,
                    GDestroyNotify destroy)
{
  TacitRowItem *self = g_object_new (TACIT_TYPE_ROW_ITEM, NULL);

  self->data = data;
  self->destroy = destroy;
  return self;
}

gpointer
tacit_row_item_get_data (TacitRowItem *self)
{
  g_return_val_if_fail (TACIT_IS_ROW_ITEM (self), NULL);
  return self->data;
}

typedef struct {
  char                *id;
  TacitColumnTextFunc  text;
  gboolean             numeric;
} Column;

static void
column_free (gpointer  data,
             GClosure *closure)
{
  Column *column = data;

  g_free (column->id);
  g_free (column);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          Column                   *column)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_name (label, column->id);
  gtk_label_set_xalign (GTK_LABEL (label), column->numeric ? 1.0 : 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (column->numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         Column                   *column)
{
  TacitRowItem *row = gtk_list_item_get_item (item);
  g_autofree char *text = column->text (tacit_row_item_get_data (row));

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), text);
  gtk_widget_set_tooltip_text (gtk_list_item_get_child (item), text);
}

GtkColumnViewColumn *
tacit_text_column_append (GtkColumnView       *view,
                          const char          *id,
                          const char          *title,
                          TacitColumnTextFunc  text,
                          gboolean             numeric,
                          gboolean             expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  Column *column = g_new0 (Column, 1);
  GtkColumnViewColumn *view_column;

  column->id = g_strdup (id);
  column->text = text;
  column->numeric = numeric;
  g_signal_connect_data (factory, "setup", G_CALLBACK (setup_cb), column, NULL, 0);
  g_signal_connect_data (factory, "bind", G_CALLBACK (bind_cb), column, column_free, 0);
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_append_column (view, view_column);
  g_object_unref (view_column);
  return view_column;
}
