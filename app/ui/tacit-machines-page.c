/* tacit-machines-page.c: the machines registry on the desktop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-machines-page.h"

#include <glib/gi18n.h>

/* ---- one machine as a GObject, for the list ---- */

#define TACIT_TYPE_MACHINE_ITEM (tacit_machine_item_get_type ())
G_DECLARE_FINAL_TYPE (TacitMachineItem, tacit_machine_item, TACIT, MACHINE_ITEM, GObject)

struct _TacitMachineItem
{
  GObject       parent_instance;
  TacitMachine  machine;
  char         *search;   /* what the filter matches: id, name, class, cell */
};

enum { ITEM_PROP_0, ITEM_PROP_SEARCH, ITEM_N_PROPS };
static GParamSpec *item_props[ITEM_N_PROPS];

G_DEFINE_FINAL_TYPE (TacitMachineItem, tacit_machine_item, G_TYPE_OBJECT)

static void
tacit_machine_item_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TacitMachineItem *self = TACIT_MACHINE_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_SEARCH:
      g_value_set_string (value, self->search);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tacit_machine_item_finalize (GObject *object)
{
  TacitMachineItem *self = TACIT_MACHINE_ITEM (object);

  g_free (self->machine.id);
  g_free (self->machine.name);
  g_free (self->machine.class_name);
  g_free (self->machine.cell);
  g_free (self->search);
  G_OBJECT_CLASS (tacit_machine_item_parent_class)->finalize (object);
}

static void
tacit_machine_item_class_init (TacitMachineItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = tacit_machine_item_get_property;
  object_class->finalize = tacit_machine_item_finalize;
  item_props[ITEM_PROP_SEARCH] = g_param_spec_string ("search", NULL, NULL, NULL,
                                                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, ITEM_N_PROPS, item_props);
}

static void
tacit_machine_item_init (TacitMachineItem *self)
{
}

static TacitMachineItem *
tacit_machine_item_new (const TacitMachine *machine)
{
  TacitMachineItem *self = g_object_new (TACIT_TYPE_MACHINE_ITEM, NULL);

  self->machine.id = g_strdup (machine->id);
  self->machine.name = g_strdup (machine->name);
  self->machine.class_name = g_strdup (machine->class_name);
  self->machine.cell = g_strdup (machine->cell);
  self->search = g_strjoin (" ", machine->id, machine->name ? machine->name : "",
                            machine->class_name ? machine->class_name : "",
                            machine->cell ? machine->cell : "", NULL);
  return self;
}

/* ---- the page ---- */

struct _TacitMachinesPage
{
  GtkWidget           parent_instance;

  GtkPaned           *paned;
  GtkSearchEntry     *search_entry;
  GtkListView        *list_view;
  GtkStack           *detail_stack;
  AdwEntryRow        *name_row;
  AdwEntryRow        *class_row;
  AdwEntryRow        *cell_row;
  GtkLabel           *status_label;

  TacitStore         *store;
  TacitOperator      *actor;
  GListStore         *machines;
  GtkStringFilter    *filter;
  GtkSingleSelection *selection;
};

G_DEFINE_FINAL_TYPE (TacitMachinesPage, tacit_machines_page, GTK_TYPE_WIDGET)

static const char *
or_dash (const char *text)
{
  return text != NULL && *text != '\0' ? text : "–";
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  TacitMachineItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *title = gtk_widget_get_first_child (gtk_list_item_get_child (list_item));
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);
  g_autofree char *where = g_strdup_printf (_("Class %s · cell %s"),
                                            or_dash (item->machine.class_name),
                                            or_dash (item->machine.cell));

  gtk_label_set_label (GTK_LABEL (title), item->machine.id);
  gtk_label_set_label (GTK_LABEL (subtitle), where);
}

static TacitMachineItem *
selected_item (TacitMachinesPage *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

static void
show_selected (TacitMachinesPage *self)
{
  TacitMachineItem *item = selected_item (self);

  gtk_label_set_label (self->status_label, "");
  if (item == NULL)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "empty");
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), item->machine.name ? item->machine.name : "");
  gtk_editable_set_text (GTK_EDITABLE (self->class_row), item->machine.class_name ? item->machine.class_name : "");
  gtk_editable_set_text (GTK_EDITABLE (self->cell_row), item->machine.cell ? item->machine.cell : "");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (GTK_WIDGET (self->name_row),
                                                                                   ADW_TYPE_PREFERENCES_GROUP)),
                                   item->machine.id);
  gtk_stack_set_visible_child_name (self->detail_stack, "form");
}

static char *
entry_text_or_null (AdwEntryRow *row)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

static void
save_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TacitMachinesPage *self = TACIT_MACHINES_PAGE (widget);
  TacitMachineItem *item = selected_item (self);
  g_autofree char *name = NULL, *class_name = NULL, *cell = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *message = NULL;
  TacitMachine machine;

  if (item == NULL)
    return;
  id = g_strdup (item->machine.id);
  name = entry_text_or_null (self->name_row);
  class_name = entry_text_or_null (self->class_row);
  cell = entry_text_or_null (self->cell_row);
  machine = (TacitMachine) { id, name, class_name, cell };
  if (!tacit_store_check_access (self->store, self->actor, TACIT_PERMISSION_EDIT_RULE, id, &error) ||
      !tacit_store_put_machine (self->store, &machine, &error))
    {
      gtk_label_set_label (self->status_label, error->message);
      return;
    }
  tacit_machines_page_reload (self);
  /* Keep the saved machine selected. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->selection)); i++)
    {
      g_autoptr(TacitMachineItem) row = g_list_model_get_item (G_LIST_MODEL (self->selection), i);

      if (g_strcmp0 (row->machine.id, id) == 0)
        gtk_single_selection_set_selected (self->selection, i);
    }
  message = g_strdup_printf (_("Saved %s."), id);
  gtk_label_set_label (self->status_label, message);
}

void
tacit_machines_page_reload (TacitMachinesPage *self)
{
  g_autoptr(GPtrArray) machines = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TACIT_IS_MACHINES_PAGE (self));

  if ((machines = tacit_store_list_machines (self->store, &error)) == NULL)
    {
      gtk_label_set_label (self->status_label, error->message);
      return;
    }
  for (guint i = 0; i < machines->len; i++)
    g_ptr_array_add (items, tacit_machine_item_new (g_ptr_array_index (machines, i)));
  g_list_store_splice (self->machines, 0, g_list_model_get_n_items (G_LIST_MODEL (self->machines)),
                       items->pdata, items->len);
}

static void
search_changed_cb (TacitMachinesPage *self)
{
  gtk_string_filter_set_search (self->filter, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
tacit_machines_page_dispose (GObject *object)
{
  TacitMachinesPage *self = TACIT_MACHINES_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TACIT_TYPE_MACHINES_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->store);
  g_clear_pointer (&self->actor, tacit_operator_free);
  G_OBJECT_CLASS (tacit_machines_page_parent_class)->dispose (object);
}

static void
tacit_machines_page_class_init (TacitMachinesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tacit_machines_page_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/dev/tacit/Tacit/ui/tacit-machines-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TacitMachinesPage, paned);
  gtk_widget_class_bind_template_child (widget_class, TacitMachinesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TacitMachinesPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, TacitMachinesPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, TacitMachinesPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, TacitMachinesPage, class_row);
  gtk_widget_class_bind_template_child (widget_class, TacitMachinesPage, cell_row);
  gtk_widget_class_bind_template_child (widget_class, TacitMachinesPage, status_label);
  gtk_widget_class_install_action (widget_class, "machines.save", NULL, save_activated);
}

static void
tacit_machines_page_init (TacitMachinesPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkFilterListModel *filtered;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->machines = g_list_store_new (TACIT_TYPE_MACHINE_ITEM);
  self->filter = gtk_string_filter_new (gtk_property_expression_new (TACIT_TYPE_MACHINE_ITEM, NULL, "search"));
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (self->machines), GTK_FILTER (self->filter));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (filtered));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_swapped (self->selection, "notify::selected-item", G_CALLBACK (show_selected), self);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self);
}

GtkWidget *
tacit_machines_page_new (TacitStore          *store,
                         const TacitOperator *actor)
{
  TacitMachinesPage *self = g_object_new (TACIT_TYPE_MACHINES_PAGE, NULL);

  self->store = g_object_ref (store);
  self->actor = actor != NULL ? tacit_operator_copy (actor) : NULL;
  tacit_machines_page_reload (self);
  return GTK_WIDGET (self);
}
