/* tacit-text-column.h: read-only tables of figures for the desktop's
 * review, backtest and sources pages — a GListModel item that points at a
 * row of a result the page owns, and GtkColumnView columns of labels
 * whose text a function computes from that row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TACIT_TYPE_ROW_ITEM (tacit_row_item_get_type ())
G_DECLARE_FINAL_TYPE (TacitRowItem, tacit_row_item, TACIT, ROW_ITEM, GObject)

/* data is borrowed (its owner outlives the item) unless destroy is given. */
TacitRowItem *tacit_row_item_new      (gpointer        data,
                                       GDestroyNotify  destroy);
gpointer      tacit_row_item_get_data (TacitRowItem   *self);

/* Returns the cell's text (newly allocated) for a row's data. */
typedef char *(*TacitColumnTextFunc) (gpointer data);

/* Appends a column of labels; numeric columns are right-aligned in tabular
 * figures. The label of each cell gets the CSS name of the column id
 * (for tests: gtk_widget_get_name) = id. Returns the column (owned by
 * view). */
GtkColumnViewColumn *tacit_text_column_append (GtkColumnView       *view,
                                               const char          *id,
                                               const char          *title,
                                               TacitColumnTextFunc  text,
                                               gboolean             numeric,
                                               gboolean             expand);

G_END_DECLS
