/* tacit-kiosk-window-shelve.c: putting a rule away from its card.
 *
 * The sheet asks for how long (this lot, this tool, 1/2/4/8 hours, just
 * this once) and why (quick phrases, optional text); the shelf is stored
 * with tacit_shelves_shelve() and the card goes, answered "dismissed:
 * shelved". Actions on the sheet ("shelf.kind", "shelf.phrase") so that a
 * test can drive it like a finger.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-kiosk-window-private.h"

#include <glib/gi18n.h>

#include "tacit-machine-card.h"
#include "tacit-shelves.h"
#include "tacit-suggestion-card.h"

#define HOUR (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

/* The items a lot and a tool shelf watch on the machine. */
static const char *const lot_items[] = { "material_lot", NULL };
static const char *const tool_items[] = { "tool_number", "tool", "tool_id", NULL };

typedef struct {
  TacitKioskWindow    *self;
  TacitSuggestionCard *card;
  GSimpleActionGroup  *actions;
  GtkEntry            *comment;
} ShelveRequest;

static void
shelve_request_free (gpointer data)
{
  ShelveRequest *request = data;

  g_object_unref (request->card);
  g_object_unref (request->actions);
  g_free (request);
}

/* The item of names the machine reports now, and its value. */
static const char *
current_item (GHashTable        *values,
              const char *const *names,
              const char       **value)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (values != NULL && (*value = g_hash_table_lookup (values, names[i])) != NULL)
      return names[i];
  *value = NULL;
  return NULL;
}

TacitTime
_tacit_kiosk_window_now (TacitKioskWindow *self)
{
  return self->last_event_time != TACIT_TIME_MIN ? self->last_event_time : g_get_real_time ();
}

static GHashTable *
machine_values (TacitKioskWindow *self,
                const char       *machine)
{
  GtkWidget *card = g_hash_table_lookup (self->machine_cards, machine);

  return card != NULL ? tacit_machine_card_get_values (TACIT_MACHINE_CARD (card)) : NULL;
}

static char *
shelved_toast (TacitShelfKind kind,
               TacitTime      duration,
               const char    *value)
{
  switch (kind)
    {
    case TACIT_SHELF_LOT:
      return g_strdup_printf (_("Shelved while lot %s runs"), value);
    case TACIT_SHELF_TOOL:
      return g_strdup_printf (_("Shelved while tool %s is in"), value);
    case TACIT_SHELF_TIMED:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Shelved for %u hour", "Shelved for %u hours",
                                           (gulong) (duration / HOUR)),
                              (guint) (duration / HOUR));
    case TACIT_SHELF_ONE_SHOT:
    default:
      return g_strdup (_("Shelved until it comes once more"));
    }
}

gboolean
_tacit_kiosk_window_shelve_card (TacitKioskWindow    *self,
                                 TacitSuggestionCard *card,
                                 const char          *choice,
                                 const char          *comment)
{
  TacitSuggestion *suggestion = tacit_suggestion_card_get_suggestion (card);
  GHashTable *values = machine_values (self, suggestion->machine);
  TacitShelfKind kind;
  TacitTime duration = 0;
  const char *item = NULL;
  const char *value = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *toast = NULL;
  gint64 shelf_id, response_id;
  guint64 hours;

  if (g_strcmp0 (choice, "lot") == 0)
    {
      kind = TACIT_SHELF_LOT;
      item = current_item (values, lot_items, &value);
    }
  else if (g_strcmp0 (choice, "tool") == 0)
    {
      kind = TACIT_SHELF_TOOL;
      item = current_item (values, tool_items, &value);
    }
  else if (g_strcmp0 (choice, "one-shot") == 0)
    kind = TACIT_SHELF_ONE_SHOT;
  else if (choice != NULL && g_ascii_string_to_unsigned (choice, 10, 1, 24, &hours, NULL))
    {
      kind = TACIT_SHELF_TIMED;
      duration = (TacitTime) hours * HOUR;
    }
  else
    return FALSE;

  shelf_id = tacit_shelves_shelve (self->store, self->operator, suggestion->rule->id,
                                   self->station != NULL ? self->station : "", suggestion->machine,
                                   kind, item, value, duration, comment,
                                   _tacit_kiosk_window_now (self), &error);
  if (shelf_id <= 0)
    {
      _tacit_kiosk_window_toast (self, error->message, 0);
      return FALSE;
    }
  toast = shelved_toast (kind, duration, value);
  /* The card expired while the sheet was open: it has its answer. */
  if (gtk_widget_get_parent (GTK_WIDGET (card)) != GTK_WIDGET (self->suggestions_box))
    {
      _tacit_kiosk_window_toast (self, toast, 0);
      return TRUE;
    }
  response_id = _tacit_kiosk_window_answer (self, card, TACIT_RESPONSE_DISMISSED, "shelved");
  if (response_id <= 0)
    return FALSE;
  g_hash_table_insert (self->shelved_by_response, g_memdup2 (&response_id, sizeof response_id),
                       g_memdup2 (&shelf_id, sizeof shelf_id));
  _tacit_kiosk_window_toast (self, toast, response_id);
  return TRUE;
}

/* Undo of a shelving answer takes the shelf down too. */
void
_tacit_kiosk_window_unshelve (TacitKioskWindow *self,
                              gint64            response_id)
{
  gint64 *shelf_id = g_hash_table_lookup (self->shelved_by_response, &response_id);
  g_autoptr(GError) error = NULL;

  if (shelf_id == NULL)
    return;
  if (!tacit_shelves_clear (self->store, self->operator, *shelf_id, _tacit_kiosk_window_now (self), &error))
    _tacit_kiosk_window_toast (self, error->message, 0);
  g_hash_table_remove (self->shelved_by_response, &response_id);
}

static void
kind_change_state_cb (GSimpleAction *action,
                      GVariant      *state,
                      gpointer       user_data)
{
  ShelveRequest *request = user_data;
  GAction *shelve = g_action_map_lookup_action (G_ACTION_MAP (request->actions), "shelve");

  g_simple_action_set_state (action, state);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (shelve), g_variant_get_string (state, NULL)[0] != '\0');
}

static void
phrase_cb (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       user_data)
{
  ShelveRequest *request = user_data;
  const char *phrase = g_variant_get_string (parameter, NULL);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (request->comment));
  g_autofree char *joined = NULL;

  if (text[0] == '\0' || strstr (text, phrase) != NULL)
    joined = g_strdup (text[0] == '\0' ? phrase : text);
  else
    joined = g_strdup_printf ("%s; %s", text, phrase);
  gtk_editable_set_text (GTK_EDITABLE (request->comment), joined);
}

static void
shelve_cb (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       user_data)
{
  ShelveRequest *request = user_data;
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (request->actions), "kind");
  g_autofree char *comment = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (request->comment))));
  GtkWindow *sheet = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (request->comment)));

  if (_tacit_kiosk_window_shelve_card (request->self, request->card,
                                       g_variant_get_string (state, NULL), comment))
    gtk_window_destroy (sheet);
}

static void
cancel_cb (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       user_data)
{
  ShelveRequest *request = user_data;

  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (request->comment))));
}

static GtkWidget *
chip (const char *label,
      const char *action,
      const char *target,
      gboolean    toggle)
{
  GtkWidget *button = toggle ? gtk_toggle_button_new_with_label (label) : gtk_button_new_with_label (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  if (target != NULL)
    gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", target);
  gtk_widget_add_css_class (button, "kiosk-button");
  gtk_widget_add_css_class (button, toggle ? "capture-chip" : "reason-chip");
  return button;
}

static GtkWidget *
label_with_class (const char *text,
                  const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
chip_row (void)
{
  GtkWidget *flow = gtk_flow_box_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), FALSE);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 10);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 10);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow), 3);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 8);
  return flow;
}

static void
add_chip (GtkWidget *flow,
          GtkWidget *button)
{
  gtk_flow_box_append (GTK_FLOW_BOX (flow), button);
  /* The flow box child would take the tap focus ring, not the chip. */
  gtk_widget_set_focusable (gtk_widget_get_parent (button), FALSE);
}

/* A sheet over the live page: a modal window, not a dialog with tiny
 * buttons; every target 64 px. */
void
_tacit_kiosk_window_open_shelve (TacitKioskWindow    *self,
                                 TacitSuggestionCard *card)
{
  static const char *const phrases[] = {
    N_("Known issue"), N_("Sensor fault"), N_("Being repaired"),
    N_("Trial run"), N_("Fine for this material"),
  };
  TacitSuggestion *suggestion = tacit_suggestion_card_get_suggestion (card);
  GHashTable *values = machine_values (self, suggestion->machine);
  g_autofree char *title = g_strdup_printf (_("Shelve “%s”"), suggestion->rule->title);
  GtkWidget *sheet = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *kinds = chip_row ();
  GtkWidget *phrase_row = chip_row ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *button;
  ShelveRequest *request = g_new0 (ShelveRequest, 1);
  const GActionEntry entries[] = {
    { .name = "kind", .parameter_type = "s", .state = "''", .change_state = kind_change_state_cb },
    { .name = "phrase", .parameter_type = "s", .activate = phrase_cb },
    { .name = "shelve", .activate = shelve_cb },
    { .name = "cancel", .activate = cancel_cb },
  };
  const char *lot = NULL, *tool = NULL;
  g_autofree char *lot_label = NULL;
  g_autofree char *tool_label = NULL;

  request->self = self;
  request->card = g_object_ref (card);
  request->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (request->actions), entries, G_N_ELEMENTS (entries), request);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (request->actions),
                                                                             "shelve")), FALSE);
  gtk_widget_insert_action_group (sheet, "shelf", G_ACTION_GROUP (request->actions));
  g_object_set_data_full (G_OBJECT (sheet), "tacit-shelve-request", request, shelve_request_free);

  gtk_box_append (GTK_BOX (box), label_with_class (title, "sheet-title"));
  gtk_box_append (GTK_BOX (box), label_with_class (_("It comes back by itself. The engineers see every shelf."),
                                                   "sheet-body"));
  current_item (values, lot_items, &lot);
  current_item (values, tool_items, &tool);
  gtk_box_append (GTK_BOX (box), label_with_class (_("For how long?"), "why-heading"));
  lot_label = lot != NULL ? g_strdup_printf (_("This lot (%s)"), lot) : g_strdup (_("This lot"));
  button = chip (lot_label, "shelf.kind", "lot", TRUE);
  gtk_widget_set_sensitive (button, lot != NULL);
  add_chip (kinds, button);
  tool_label = tool != NULL ? g_strdup_printf (_("This tool (%s)"), tool) : g_strdup (_("This tool"));
  button = chip (tool_label, "shelf.kind", "tool", TRUE);
  gtk_widget_set_sensitive (button, tool != NULL);
  add_chip (kinds, button);
  add_chip (kinds, chip (_("1 h"), "shelf.kind", "1", TRUE));
  add_chip (kinds, chip (_("2 h"), "shelf.kind", "2", TRUE));
  add_chip (kinds, chip (_("4 h"), "shelf.kind", "4", TRUE));
  add_chip (kinds, chip (_("8 h"), "shelf.kind", "8", TRUE));
  add_chip (kinds, chip (_("Just this once"), "shelf.kind", "one-shot", TRUE));
  gtk_box_append (GTK_BOX (box), kinds);

  gtk_box_append (GTK_BOX (box), label_with_class (_("Why? (for the engineers)"), "why-heading"));
  for (guint i = 0; i < G_N_ELEMENTS (phrases); i++)
    add_chip (phrase_row, chip (_(phrases[i]), "shelf.phrase", _(phrases[i]), FALSE));
  gtk_box_append (GTK_BOX (box), phrase_row);
  request->comment = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (request->comment, _("Anything else (optional)"));
  gtk_entry_set_max_length (request->comment, 500);
  gtk_widget_add_css_class (GTK_WIDGET (request->comment), "capture-entry");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (request->comment));

  button = chip (_("Cancel"), "shelf.cancel", NULL, FALSE);
  gtk_widget_set_hexpand (button, TRUE);
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (buttons), button);
  button = chip (_("Shelve"), "shelf.shelve", NULL, FALSE);
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_box_append (GTK_BOX (buttons), button);
  gtk_widget_set_margin_top (buttons, 8);
  gtk_box_append (GTK_BOX (box), buttons);
  gtk_widget_add_css_class (box, "sheet");

  adw_window_set_content (ADW_WINDOW (sheet), box);
  gtk_window_set_title (GTK_WINDOW (sheet), title);
  gtk_window_set_modal (GTK_WINDOW (sheet), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (sheet), GTK_WINDOW (self));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (sheet), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (sheet), 900, -1);
  gtk_window_set_resizable (GTK_WINDOW (sheet), FALSE);
  gtk_widget_add_css_class (sheet, "kiosk");
  gtk_widget_add_css_class (sheet, "shelve-sheet");
  gtk_window_present (GTK_WINDOW (sheet));
}
