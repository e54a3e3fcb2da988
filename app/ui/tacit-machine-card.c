/* tacit-machine-card.c: one machine's state at a glance.
 *
 * The state: fault or warning when a condition item says so (they stand
 * until the condition clears, even when the machine falls silent: a
 * stopped press may send nothing else). Otherwise a machine that sends
 * data is running, whether or not it reports conditions at all; it is
 * unavailable ("No data") before anything arrives, when its availability
 * item or every item it sent reads UNAVAILABLE, and when it has been
 * silent for TACIT_MACHINE_SILENCE of event time. Shown with colour, icon
 * and word.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-machine-card.h"

#include <glib/gi18n.h>

struct _TacitMachineCard
{
  GtkBox      parent_instance;

  char       *id;
  GHashTable *conditions;   /* item → canonical condition value */
  GHashTable *values;       /* item → latest event value */
  GHashTable *unavailable;  /* items whose latest value is UNAVAILABLE */
  GHashTable *seen;         /* item → TRUE */
  gboolean    offline;      /* availability reads UNAVAILABLE */
  gboolean    silent;       /* nothing for TACIT_MACHINE_SILENCE */
  TacitTime   last_time;    /* of the latest event, TACIT_TIME_MIN before any */
  char       *alarm;        /* "hydraulic E1234" of the latest fault/warning */
  const char *state;

  GtkWidget  *state_icon;
  GtkWidget  *state_label;
  GtkWidget  *detail_label;
  GtkWidget  *alarm_label;
};

G_DEFINE_FINAL_TYPE (TacitMachineCard, tacit_machine_card, GTK_TYPE_BOX)

static const char *const states[] = { "running", "warning", "fault", "unavailable" };

const char *
tacit_machine_display_name (const TacitMachine *machine)
{
  return machine->name != NULL ? machine->name : machine->id;
}

static const char *
worst_condition (TacitMachineCard *self)
{
  GHashTableIter iter;
  gpointer value;
  int rank = -1;

  g_hash_table_iter_init (&iter, self->conditions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      if (g_str_equal (value, "fault"))
        rank = MAX (rank, 2);
      else if (g_str_equal (value, "warning"))
        rank = MAX (rank, 1);
      else if (g_str_equal (value, "normal"))
        rank = MAX (rank, 0);
    }
  return rank < 0 ? NULL : states[rank];
}

static const char *
compute_state (TacitMachineCard *self)
{
  const char *condition = worst_condition (self);

  if (condition != NULL && !g_str_equal (condition, "running"))
    return condition;
  if (self->last_time == TACIT_TIME_MIN || self->silent || self->offline ||
      g_hash_table_size (self->unavailable) == g_hash_table_size (self->seen))
    return "unavailable";
  return "running";
}

static void
show_state (TacitMachineCard *self)
{
  static const char *icons[] = {
    "emblem-ok-symbolic", "dialog-warning-symbolic",
    "dialog-error-symbolic", "network-offline-symbolic",
  };
  const char *words[] = { _("Running"), _("Warning"), _("Fault"), _("No data") };

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      g_autofree char *css = g_strconcat ("state-", states[i], NULL);

      if (g_str_equal (self->state, states[i]))
        {
          gtk_widget_add_css_class (GTK_WIDGET (self), css);
          gtk_image_set_from_icon_name (GTK_IMAGE (self->state_icon), icons[i]);
          gtk_label_set_label (GTK_LABEL (self->state_label), words[i]);
        }
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self), css);
    }
  gtk_label_set_label (GTK_LABEL (self->alarm_label), self->alarm != NULL ? self->alarm : "");
  gtk_widget_set_visible (self->alarm_label,
                          self->alarm != NULL && !g_str_equal (self->state, "running"));
}

static char *
format_detail (guint       i,
               const char *value)
{
  switch (i)
    {
    case 0:
      return g_strdup_printf (_("Lot %s"), value);
    case 1:
      return g_strdup_printf (_("Supplier %s"), value);
    case 3:
      return g_strdup_printf (_("Tool %s"), value);
    default:
      return g_strdup (value);
    }
}

static void
show_details (TacitMachineCard *self)
{
  static const char *const items[] = { "material_lot", "material_supplier", "program", "tool_number" };
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      const char *value = g_hash_table_lookup (self->values, items[i]);
      g_autofree char *detail = NULL;

      if (value == NULL)
        continue;
      detail = format_detail (i, value);
      if (text->len > 0)
        g_string_append (text, " · ");
      g_string_append (text, detail);
    }
  gtk_label_set_label (GTK_LABEL (self->detail_label), text->str);
}

/* MTConnect's Availability data item (AVAILABLE / UNAVAILABLE). */
static gboolean
is_availability (const char *item)
{
  return g_ascii_strcasecmp (item, "availability") == 0 || g_ascii_strcasecmp (item, "avail") == 0;
}

void
tacit_machine_card_update (TacitMachineCard *self,
                           const TacitEvent *event)
{
  gboolean unavailable;

  g_return_if_fail (TACIT_IS_MACHINE_CARD (self));

  unavailable = tacit_value_is_unavailable (event->value);
  self->last_time = MAX (self->last_time, event->time);
  self->silent = FALSE;
  g_hash_table_add (self->seen, g_strdup (event->item));
  if (unavailable)
    g_hash_table_add (self->unavailable, g_strdup (event->item));
  else
    g_hash_table_remove (self->unavailable, event->item);
  if (is_availability (event->item))
    self->offline = unavailable;

  if (event->kind == TACIT_KIND_CONDITION)
    {
      const char *value = tacit_condition_value_canonical (event->value);

      g_hash_table_insert (self->conditions, g_strdup (event->item),
                           g_strdup (value != NULL ? value : "unavailable"));
      if (g_strcmp0 (value, "fault") == 0 || g_strcmp0 (value, "warning") == 0)
        {
          g_free (self->alarm);
          self->alarm = g_strjoin (" ", event->item, event->code != NULL ? event->code : "", NULL);
        }
    }
  else if (event->kind == TACIT_KIND_EVENT && !unavailable)
    {
      g_hash_table_insert (self->values, g_strdup (event->item), g_strdup (event->value));
      show_details (self);
    }
  self->state = compute_state (self);
  show_state (self);
}

void
tacit_machine_card_check_silence (TacitMachineCard *self,
                                  TacitTime         now)
{
  gboolean silent;

  g_return_if_fail (TACIT_IS_MACHINE_CARD (self));

  silent = self->last_time != TACIT_TIME_MIN && now - self->last_time >= TACIT_MACHINE_SILENCE;
  if (silent == self->silent)
    return;
  self->silent = silent;
  self->state = compute_state (self);
  show_state (self);
}

GHashTable *
tacit_machine_card_get_values (TacitMachineCard *self)
{
  g_return_val_if_fail (TACIT_IS_MACHINE_CARD (self), NULL);
  return self->values;
}

const char *
tacit_machine_card_get_state (TacitMachineCard *self)
{
  g_return_val_if_fail (TACIT_IS_MACHINE_CARD (self), NULL);
  return self->state;
}

const char *
tacit_machine_card_get_id (TacitMachineCard *self)
{
  g_return_val_if_fail (TACIT_IS_MACHINE_CARD (self), NULL);
  return self->id;
}

static void
tacit_machine_card_finalize (GObject *object)
{
  TacitMachineCard *self = TACIT_MACHINE_CARD (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->alarm, g_free);
  g_clear_pointer (&self->conditions, g_hash_table_unref);
  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_pointer (&self->unavailable, g_hash_table_unref);
  g_clear_pointer (&self->seen, g_hash_table_unref);
  G_OBJECT_CLASS (tacit_machine_card_parent_class)->finalize (object);
}

static void
tacit_machine_card_class_init (TacitMachineCardClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tacit_machine_card_finalize;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "machinecard");
}

static void
tacit_machine_card_init (TacitMachineCard *self)
{
  self->conditions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->unavailable = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->last_time = TACIT_TIME_MIN;
  self->state = "unavailable";
}

static GtkWidget *
make_label (const char *css_class,
            gboolean    wrap)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), wrap);
  gtk_widget_add_css_class (label, css_class);
  return label;
}

GtkWidget *
tacit_machine_card_new (const TacitMachine *machine)
{
  TacitMachineCard *self = g_object_new (TACIT_TYPE_MACHINE_CARD,
                                         "orientation", GTK_ORIENTATION_VERTICAL,
                                         "spacing", 4, NULL);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *name = make_label ("machine-name", FALSE);
  GtkWidget *badge = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->id = g_strdup (machine->id);
  gtk_label_set_label (GTK_LABEL (name), tacit_machine_display_name (machine));
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  self->state_icon = gtk_image_new ();
  self->state_label = make_label ("state-word", FALSE);
  gtk_widget_add_css_class (badge, "state-badge");
  gtk_box_append (GTK_BOX (badge), self->state_icon);
  gtk_box_append (GTK_BOX (badge), self->state_label);
  self->alarm_label = make_label ("machine-alarm", FALSE);
  gtk_label_set_ellipsize (GTK_LABEL (self->alarm_label), PANGO_ELLIPSIZE_END);
  self->detail_label = make_label ("machine-detail", TRUE);
  gtk_widget_set_halign (badge, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (row), badge);
  gtk_box_append (GTK_BOX (self), name);
  gtk_box_append (GTK_BOX (self), row);
  gtk_box_append (GTK_BOX (self), self->alarm_label);
  gtk_box_append (GTK_BOX (self), self->detail_label);
  show_state (self);
  return GTK_WIDGET (self);
}
