/* tacit-kiosk-window.c: the operator kiosk's live page.
 *
 * The simulator (or a live source) hands over events and suggestions on
 * the main loop; this file only renders them and stores the operator's
 * answers. Only live suggestions are shown: shadow and held-out ones
 * never reach a kiosk. Over the station's budget, info and warning
 * suggestions are held (stored and behind a counter), never dropped.
 * Shelved rules' suggestions are answered by their shelf (see
 * tacit-shelves.h); unanswered ones expire after the timeout or at the
 * next shift. Siblings: -signin (sign-in and unlock), -shelve, -held,
 * -station (the station chooser), -review (notes on sent-back rules).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-kiosk-window-private.h"

#include <glib/gi18n.h>

#include "tacit-capture-page.h"
#include "tacit-event-item.h"
#include "tacit-library-xml.h"
#include "tacit-kiosk-store.h"
#include "tacit-machine-card.h"
#include "tacit-shelves.h"
#include "tacit-suggestion-card.h"

#define BUDGET_WINDOW (G_GINT64_CONSTANT (10) * 60 * G_USEC_PER_SEC)
/* Expiry looks back to the shift before the session's first event. */
#define SESSION_LOOKBACK (G_GINT64_CONSTANT (8) * 3600 * G_USEC_PER_SEC)

G_DEFINE_FINAL_TYPE (TacitKioskWindow, tacit_kiosk_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_LANGUAGE,
  PROP_BUDGET,
  PROP_SUGGESTION_TIMEOUT,
  PROP_STATION,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

/* ---- helpers ---- */

char *
_tacit_kiosk_window_actor (const TacitOperator *op)
{
  return tacit_operator_dup_actor_id (op);
}

/* "op-117" → "Ana R." when the badge is known here. */
static char *
author_name (TacitKioskWindow *self,
             const char       *author)
{
  const char *dash;
  g_autoptr(TacitOperator) op = NULL;

  if (author == NULL)
    return NULL;
  dash = strchr (author, '-');
  op = tacit_operators_lookup (self->store, dash != NULL ? dash + 1 : author, NULL, NULL);
  return g_strdup (op != NULL ? op->name : author);
}

static const char *
machine_name (TacitKioskWindow *self,
              const char       *id)
{
  const TacitMachine *machine = tacit_library_lookup_machine (self->library, id);

  return machine != NULL ? tacit_machine_display_name (machine) : id;
}

static gboolean
in_station (TacitKioskWindow   *self,
            const TacitMachine *machine)
{
  return self->station == NULL || self->station[0] == '\0' ||
         g_strcmp0 (machine->cell, self->station) == 0 ||
         g_strcmp0 (machine->id, self->station) == 0;
}

void
_tacit_kiosk_window_toast (TacitKioskWindow *self,
                           const char       *title,
                           gint64            undo_response)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, 6);
  if (undo_response > 0)
    {
      adw_toast_set_button_label (toast, _("Undo"));
      adw_toast_set_action_name (toast, "kiosk.undo");
      adw_toast_set_action_target_value (toast, g_variant_new_int64 (undo_response));
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
error_toast (TacitKioskWindow *self,
             const GError     *error)
{
  g_warning ("%s", error->message);
  _tacit_kiosk_window_toast (self, error->message, 0);
}

/* ---- header ---- */

static void
update_language_label (TacitKioskWindow *self)
{
  g_autofree char *tag = g_ascii_strup (self->language, -1);

  gtk_label_set_label (self->language_label, tag);
}

static void
update_connection (TacitKioskWindow *self)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *clock = NULL;
  g_autofree char *text = NULL;

  if (self->last_event_time == TACIT_TIME_MIN)
    {
      gtk_label_set_label (self->connection_label, _("Waiting for machine data"));
      return;
    }
  dt = g_date_time_new_from_unix_local (self->last_event_time / G_USEC_PER_SEC);
  clock = g_date_time_format (dt, "%H:%M:%S");
  text = g_strdup_printf (_("Live · %s"), clock);
  gtk_label_set_label (self->connection_label, text);
}

/* ---- suggestions ---- */

static void
update_suggestions_page (TacitKioskWindow *self)
{
  gboolean any = gtk_widget_get_first_child (GTK_WIDGET (self->suggestions_box)) != NULL;

  gtk_stack_set_visible_child_name (self->suggestions_stack, any ? "cards" : "empty");
}

gint64
_tacit_kiosk_window_answer (TacitKioskWindow    *self,
                            TacitSuggestionCard *card,
                            TacitResponseKind    response,
                            const char          *reason)
{
  TacitSuggestion *suggestion = tacit_suggestion_card_get_suggestion (card);
  g_autofree char *actor = self->operator != NULL ? _tacit_kiosk_window_actor (self->operator) : NULL;
  gint64 shown_at = tacit_suggestion_card_get_shown_at (card);
  /* Nobody answered an expired card: it has no latency. */
  gint64 latency_ms = shown_at > 0 && response != TACIT_RESPONSE_EXPIRED
                      ? (g_get_monotonic_time () - shown_at) / 1000 : -1;
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = tacit_kiosk_record_response (self->store, suggestion->id, response, reason,
                                    response == TACIT_RESPONSE_EXPIRED ? NULL : actor,
                                    self->station, g_get_real_time (), latency_ms, &error);
  if (id <= 0)
    {
      error_toast (self, error);
      return 0;
    }
  g_hash_table_insert (self->answered, g_memdup2 (&id, sizeof id), g_object_ref (card));
  if (gtk_widget_get_parent (GTK_WIDGET (card)) == GTK_WIDGET (self->suggestions_box))
    gtk_box_remove (self->suggestions_box, GTK_WIDGET (card));
  update_suggestions_page (self);
  if (g_strcmp0 (reason, "shelved") == 0)
    ;   /* the shelving says what it did */
  else if (response == TACIT_RESPONSE_ACCEPTED)
    _tacit_kiosk_window_toast (self, _("Thanks — marked as done"), id);
  else if (g_strcmp0 (reason, "unsafe") == 0 || g_strcmp0 (reason, "wrong") == 0)
    _tacit_kiosk_window_toast (self, _("Dismissed — sent to the engineers for review"), id);
  else if (response == TACIT_RESPONSE_DISMISSED)
    _tacit_kiosk_window_toast (self, _("Dismissed"), id);
  return id;
}

static void
card_respond_cb (TacitSuggestionCard *card,
                 int                  response,
                 const char          *reason,
                 TacitKioskWindow    *self)
{
  _tacit_kiosk_window_answer (self, card, (TacitResponseKind) response, reason);
}

static void
card_shelve_cb (TacitSuggestionCard *card,
                TacitKioskWindow    *self)
{
  _tacit_kiosk_window_open_shelve (self, card);
}

static void
describe_selector (GString             *out,
                   const TacitSelector *selector)
{
  static const char *const ops[] = { "", "=", "≠", "<", "≤", ">", "≥", "∈", "between" };

  if (selector->item != NULL)
    g_string_append (out, selector->item);
  else if (selector->has_kind)
    g_string_append (out, tacit_kind_to_string (selector->kind));
  if (selector->predicate.op != TACIT_OP_NONE)
    g_string_append_printf (out, " %s %s", ops[selector->predicate.op], selector->predicate.value);
  if (selector->code != NULL)
    g_string_append_printf (out, " (%s)", selector->code);
}

static void
describe_condition (GString              *out,
                    const TacitCondition *condition,
                    TacitSuggestion      *suggestion)
{
  g_string_append (out, "  • ");
  if (condition->type == TACIT_CONDITION_COUNT)
    {
      g_autofree char *within = tacit_duration_format (condition->within);

      g_string_append_printf (out, _("at least %u × "), condition->min);
      describe_selector (out, &condition->selector);
      g_string_append_printf (out, _(" within %s"), within);
    }
  else
    {
      const char *value = tacit_suggestion_lookup_context (suggestion, condition->selector.item);

      describe_selector (out, &condition->selector);
      if (value != NULL)
        g_string_append_printf (out, _(" — it was %s"), value);
    }
  g_string_append_c (out, '\n');
}

static GtkWidget *
why_label (GtkWidget  *box,
           const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 56);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_box_append (GTK_BOX (box), label);
  return label;
}

static char *
why_conditions (TacitSuggestion *suggestion)
{
  TacitRule *rule = suggestion->rule;
  g_autoptr(GString) text = g_string_new (_("When "));

  describe_selector (text, &rule->trigger.selector);
  g_string_append_c (text, '\n');
  for (guint i = 0; i < rule->conditions->len; i++)
    describe_condition (text, g_ptr_array_index (rule->conditions, i), suggestion);
  g_strchomp (text->str);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
why_record (TacitKioskWindow *self,
            TacitRule        *rule)
{
  TacitRuleRecord record = { 0 };
  g_autofree char *shown = NULL;

  if (!tacit_kiosk_rule_record (self->store, rule->id, &record, NULL))
    return g_strdup ("");
  shown = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Suggested %u time", "Suggested %u times",
                                        (gulong) record.fired),
                           (guint) record.fired);
  if (record.closed == 0)
    return g_strdup_printf (_("%s: done %u, dismissed %u."), shown,
                            (guint) record.accepted, (guint) record.dismissed);
  return g_strdup_printf (_("%s: done %u, dismissed %u. Something followed %u of %u times."),
                          shown, (guint) record.accepted, (guint) record.dismissed,
                          (guint) record.followed, (guint) record.closed);
}

/* Rationale, the conditions that held with their values, the record and
 * whose know-how it is: left-aligned, to be read, not glanced at. */
static GtkWidget *
why_content (TacitKioskWindow *self,
             TacitSuggestion  *suggestion)
{
  TacitRule *rule = suggestion->rule;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  g_autofree char *conditions = why_conditions (suggestion);
  g_autofree char *record = why_record (self, rule);
  g_autofree char *author = author_name (self, rule->provenance.author);
  g_autofree char *credit = NULL;

  if (rule->rationale != NULL)
    why_label (box, rule->rationale, "why-rationale");
  why_label (box, _("What held"), "why-heading");
  why_label (box, conditions, "why-conditions");
  why_label (box, _("Record"), "why-heading");
  why_label (box, record, NULL);
  credit = g_strdup_printf (_("Know-how of %s · rule %s, revision %u"),
                            author != NULL ? author : _("unknown"), rule->id, rule->revision);
  why_label (box, credit, "why-credit");
  return box;
}

static void
card_why_cb (TacitSuggestionCard *card,
             TacitKioskWindow    *self)
{
  TacitSuggestion *suggestion = tacit_suggestion_card_get_suggestion (card);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), suggestion->rule->title, NULL);

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), why_content (self, suggestion));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("Close"));
  gtk_widget_add_css_class (dialog, "kiosk");
  gtk_widget_add_css_class (dialog, "why-dialog");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
card_mapped_cb (TacitSuggestionCard *card,
                TacitKioskWindow    *self)
{
  gint64 arrived = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (card), "tacit-arrived"));
  gint64 latency;

  if (arrived == 0)
    return;
  latency = g_get_monotonic_time () - arrived;
  g_array_append_val (self->latencies, latency);
  g_object_set_data (G_OBJECT (card), "tacit-arrived", NULL);
}

/* More unanswered cards than fit: the oldest expires (stored as such). */
static void
expire_oldest (TacitKioskWindow *self)
{
  GtkWidget *oldest = gtk_widget_get_last_child (GTK_WIDGET (self->suggestions_box));

  if (oldest != NULL)
    _tacit_kiosk_window_answer (self, TACIT_SUGGESTION_CARD (oldest), TACIT_RESPONSE_EXPIRED, NULL);
}

GtkWidget *
_tacit_kiosk_window_new_card (TacitKioskWindow *self,
                              TacitSuggestion  *suggestion)
{
  g_autofree char *author = author_name (self, suggestion->rule->provenance.author);
  GtkWidget *card = tacit_suggestion_card_new (suggestion, machine_name (self, suggestion->machine),
                                               author, self->language);

  g_signal_connect_object (card, "respond", G_CALLBACK (card_respond_cb), self, 0);
  g_signal_connect_object (card, "why", G_CALLBACK (card_why_cb), self, 0);
  g_signal_connect_object (card, "shelve", G_CALLBACK (card_shelve_cb), self, 0);
  g_signal_connect_object (card, "map", G_CALLBACK (card_mapped_cb), self, 0);
  return card;
}

void
_tacit_kiosk_window_show_card (TacitKioskWindow *self,
                               TacitSuggestion  *suggestion,
                               gint64            arrived)
{
  GtkWidget *card = _tacit_kiosk_window_new_card (self, suggestion);

  if (tacit_kiosk_window_get_n_cards (self) >= TACIT_KIOSK_MAX_CARDS)
    expire_oldest (self);
  g_object_set_data (G_OBJECT (card), "tacit-arrived", GSIZE_TO_POINTER ((gsize) arrived));
  gtk_box_prepend (self->suggestions_box, card);
  update_suggestions_page (self);
  g_array_append_val (self->shown_times, suggestion->time);
}

/* Live cards shown within the 10 minutes (event time) before t. */
static guint
shown_in_window (TacitKioskWindow *self,
                 TacitTime         t)
{
  guint n = 0;

  for (guint i = 0; i < self->shown_times->len; i++)
    if (g_array_index (self->shown_times, TacitTime, i) > t - BUDGET_WINDOW)
      n++;
  return n;
}

/* A shelved rule's suggestion: recorded, never shown, answered in the
 * name of whoever shelved it (see tacit-shelves.h). */
static gboolean
answered_by_shelf (TacitKioskWindow *self,
                   TacitSuggestion  *suggestion,
                   TacitMachineCard *machine_card)
{
  g_autoptr(TacitShelf) shelf = NULL;
  g_autoptr(GError) error = NULL;

  if (!tacit_shelves_check (self->store, suggestion->rule->id, self->station != NULL ? self->station : "",
                            suggestion->machine, tacit_machine_card_get_values (machine_card),
                            suggestion->time, &shelf, &error))
    {
      g_warning ("%s", error->message);
      return FALSE;
    }
  if (shelf == NULL)
    return FALSE;
  if (tacit_kiosk_record_response (self->store, suggestion->id, TACIT_RESPONSE_DISMISSED, "shelved",
                                   shelf->actor, self->station, g_get_real_time (), -1, &error) <= 0)
    g_warning ("%s", error->message);
  return TRUE;
}

static void
suggestion_cb (TacitSimulator   *simulator,
               TacitSuggestion  *suggestion,
               gint64            arrived,
               TacitKioskWindow *self)
{
  GtkWidget *machine_card = g_hash_table_lookup (self->machine_cards, suggestion->machine);

  /* Shadow and held-out suggestions are recorded, never shown. */
  if (suggestion->mode != TACIT_MODE_LIVE || machine_card == NULL)
    return;
  if (answered_by_shelf (self, suggestion, TACIT_MACHINE_CARD (machine_card)))
    return;
  if (shown_in_window (self, suggestion->time) >= self->budget &&
      suggestion->rule->severity < TACIT_SEVERITY_CRITICAL)
    _tacit_kiosk_window_hold (self, suggestion);
  else
    _tacit_kiosk_window_show_card (self, suggestion, arrived);
}

/* ---- events ---- */

static void machine_card_pressed_cb (GtkGestureClick  *gesture,
                                     int               n_press,
                                     double            x,
                                     double            y,
                                     TacitKioskWindow *self);

static GtkWidget *
add_machine_card (TacitKioskWindow   *self,
                  const TacitMachine *machine)
{
  GtkWidget *card = tacit_machine_card_new (machine);
  GtkGesture *click = gtk_gesture_click_new ();

  g_signal_connect_object (click, "released", G_CALLBACK (machine_card_pressed_cb), self, 0);
  gtk_widget_add_controller (card, GTK_EVENT_CONTROLLER (click));
  g_hash_table_insert (self->machine_cards, g_strdup (machine->id), card);
  gtk_box_append (self->machines_box, card);
  return card;
}

/* Machines the library does not know (an MTConnect file of another
 * plant) get a card when the kiosk shows every machine. */
static GtkWidget *
machine_card_for (TacitKioskWindow *self,
                  const char       *id)
{
  GtkWidget *card = g_hash_table_lookup (self->machine_cards, id);
  TacitMachine unknown = { (char *) id, NULL, NULL, NULL };

  if (card != NULL || (self->station != NULL && self->station[0] != '\0') ||
      tacit_library_lookup_machine (self->library, id) != NULL)
    return card;
  return add_machine_card (self, &unknown);
}

static void
check_silence (TacitKioskWindow *self,
               TacitTime         now)
{
  GHashTableIter iter;
  gpointer card;

  g_hash_table_iter_init (&iter, self->machine_cards);
  while (g_hash_table_iter_next (&iter, NULL, &card))
    tacit_machine_card_check_silence (card, now);
}

/* Lot and tool shelves end when the machine moves on to the next. */
static gboolean
is_shelf_item (const char *item)
{
  return g_str_equal (item, "material_lot") || g_str_equal (item, "tool_number") ||
         g_str_equal (item, "tool") || g_str_equal (item, "tool_id");
}

static void
expire_shelves (TacitKioskWindow *self,
                TacitTime         now,
                const TacitEvent *event)
{
  g_autoptr(GError) error = NULL;

  if (tacit_shelves_expire (self->store, now, event != NULL ? event->machine : NULL,
                            event != NULL ? event->item : NULL,
                            event != NULL ? event->value : NULL, &error) < 0)
    g_warning ("%s", error->message);
}

static TacitSuggestionCard *
card_for_suggestion (TacitKioskWindow *self,
                     const char       *suggestion_id)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->suggestions_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (g_str_equal (tacit_suggestion_card_get_suggestion (TACIT_SUGGESTION_CARD (child))->id, suggestion_id))
      return TACIT_SUGGESTION_CARD (child);
  return NULL;
}

/* Unanswered suggestions of the station's machines expire (SPEC) after
 * the timeout or at the next shift: a card on the page goes, and one that
 * never reached the page (the kiosk was restarted meanwhile) is answered
 * all the same. Only suggestions from a shift before this session began
 * are looked at: history replayed into the database was never shown. */
static void
expire_unanswered (TacitKioskWindow *self,
                   TacitTime         now)
{
  g_autofree const char **machines = NULL;
  g_autoptr(GPtrArray) expired = NULL;
  g_autoptr(GError) error = NULL;
  TacitTime timeout = (TacitTime) self->suggestion_timeout * 60 * G_USEC_PER_SEC;
  guint n_cards = 0;

  if (self->station != NULL && self->station[0] != '\0')
    machines = (const char **) g_hash_table_get_keys_as_array (self->machine_cards, NULL);
  expired = tacit_kiosk_list_expired (self->store, machines,
                                      self->first_event_time - SESSION_LOOKBACK, now, timeout, &error);
  if (expired == NULL)
    {
      g_warning ("%s", error->message);
      return;
    }
  for (guint i = 0; i < expired->len; i++)
    {
      const char *id = g_ptr_array_index (expired, i);
      TacitSuggestionCard *card = card_for_suggestion (self, id);

      if (card != NULL)
        n_cards += _tacit_kiosk_window_answer (self, card, TACIT_RESPONSE_EXPIRED, NULL) > 0;
      else if (tacit_kiosk_record_response (self->store, id, TACIT_RESPONSE_EXPIRED, NULL, NULL,
                                            self->station, g_get_real_time (), -1, &error) <= 0)
        {
          g_warning ("%s", error->message);
          g_clear_error (&error);
        }
    }
  /* Cards do not vanish without a word. */
  if (n_cards > 0)
    {
      g_autofree char *toast = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "%u suggestion expired: nobody answered in time",
                                                             "%u suggestions expired: nobody answered in time",
                                                             n_cards), n_cards);

      _tacit_kiosk_window_toast (self, toast, 0);
    }
}

/* Once a minute of event time: unanswered suggestions, timed shelves. */
static void
sweep (TacitKioskWindow *self,
       TacitTime         now)
{
  if (self->last_expiry_sweep != TACIT_TIME_MIN && now - self->last_expiry_sweep < 60 * G_USEC_PER_SEC)
    return;
  self->last_expiry_sweep = now;
  expire_unanswered (self, now);
  expire_shelves (self, now, NULL);
}

/* When nothing arrives at all, event time stands still: the wall clock
 * since the last batch tells how long every machine has been silent. */
static gboolean
silence_tick_cb (gpointer data)
{
  TacitKioskWindow *self = data;

  TacitTime now;

  if (self->last_event_time == TACIT_TIME_MIN)
    return G_SOURCE_CONTINUE;
  now = self->last_event_time + (g_get_monotonic_time () - self->last_batch_at);
  check_silence (self, now);
  sweep (self, now);
  return G_SOURCE_CONTINUE;
}

/* A list view keeps the rows in view when rows arrive above them; the
 * feed should show the newest, unless the operator scrolled down. */
static GtkAdjustment *
feed_adjustment (TacitKioskWindow *self)
{
  return gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->events_view));
}

static void
events_cb (TacitSimulator   *simulator,
           GPtrArray        *items,
           TacitKioskWindow *self)
{
  gboolean at_top = gtk_adjustment_get_value (feed_adjustment (self)) < 24;

  for (guint i = 0; i < items->len; i++)
    {
      TacitEventItem *item = g_ptr_array_index (items, i);
      const TacitEvent *event = tacit_event_item_get_event (item);
      GtkWidget *card = machine_card_for (self, event->machine);
      guint n;

      if (card == NULL)
        continue;
      if (event->kind == TACIT_KIND_EVENT && is_shelf_item (event->item))
        expire_shelves (self, event->time, event);
      tacit_machine_card_update (TACIT_MACHINE_CARD (card), event);
      g_list_store_insert (self->events, 0, item);
      n = g_list_model_get_n_items (G_LIST_MODEL (self->events));
      if (n > TACIT_KIOSK_MAX_EVENTS)
        g_list_store_splice (self->events, TACIT_KIOSK_MAX_EVENTS, n - TACIT_KIOSK_MAX_EVENTS, NULL, 0);
      self->last_event_time = MAX (self->last_event_time, event->time);
      if (self->first_event_time == TACIT_TIME_MIN)
        self->first_event_time = event->time;
    }
  if (at_top && g_list_model_get_n_items (G_LIST_MODEL (self->events)) > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->events_view), "list.scroll-to-item", "u", 0);
  self->last_batch_at = g_get_monotonic_time ();
  check_silence (self, self->last_event_time);
  sweep (self, self->last_event_time);
  update_connection (self);
}

static void
event_row_setup_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *list_item)
{
  static const char *const classes[] = { "event-time", "event-machine", "event-item", "event-value" };
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);

  gtk_widget_add_css_class (row, "event-row");
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    {
      GtkWidget *label = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (label), 0.0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (label, classes[i]);
      gtk_widget_set_hexpand (label, i == 3);
      gtk_box_append (GTK_BOX (row), label);
    }
  {
    GtkWidget *add = gtk_label_new (_("+ Add what you know"));

    gtk_widget_add_css_class (add, "add-know");
    gtk_box_append (GTK_BOX (row), add);
  }
  gtk_list_item_set_child (list_item, row);
  gtk_list_item_set_activatable (list_item, TRUE);
}

static char *
event_value_text (const TacitEvent *event)
{
  const char *condition = event->kind == TACIT_KIND_CONDITION
                          ? tacit_condition_value_canonical (event->value) : NULL;

  if (condition != NULL)
    {
      g_autofree char *upper = g_ascii_strup (condition, -1);

      return event->code != NULL ? g_strdup_printf ("%s %s", upper, event->code) : g_steal_pointer (&upper);
    }
  return g_strdup (event->value != NULL ? event->value : "");
}

static void
event_row_bind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   TacitKioskWindow         *self)
{
  TacitEventItem *item = gtk_list_item_get_item (list_item);
  const TacitEvent *event = tacit_event_item_get_event (item);
  GtkWidget *row = gtk_list_item_get_child (list_item);
  GtkWidget *label = gtk_widget_get_first_child (row);
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (event->time / G_USEC_PER_SEC);
  g_autofree char *clock = dt != NULL ? g_date_time_format (dt, "%H:%M:%S") : g_strdup ("");
  g_autofree char *value = event_value_text (event);
  const char *condition = tacit_condition_value_canonical (event->value);
  g_autofree char *item_text = NULL;

  gtk_label_set_label (GTK_LABEL (label), clock);
  label = gtk_widget_get_next_sibling (label);
  gtk_label_set_label (GTK_LABEL (label), machine_name (self, event->machine));
  label = gtk_widget_get_next_sibling (label);
  item_text = g_strdelimit (g_strdup (event->item), "_", ' ');
  gtk_label_set_label (GTK_LABEL (label), item_text);
  label = gtk_widget_get_next_sibling (label);
  gtk_label_set_label (GTK_LABEL (label), value);
  gtk_widget_remove_css_class (row, "event-fault");
  gtk_widget_remove_css_class (row, "event-warning");
  if (event->kind == TACIT_KIND_CONDITION && g_strcmp0 (condition, "fault") == 0)
    gtk_widget_add_css_class (row, "event-fault");
  else if (event->kind == TACIT_KIND_CONDITION && g_strcmp0 (condition, "warning") == 0)
    gtk_widget_add_css_class (row, "event-warning");
}

/* ---- capture in context ---- */

static void
open_capture (TacitKioskWindow *self,
              guint             position)
{
  g_autoptr(TacitEventItem) item = g_list_model_get_item (G_LIST_MODEL (self->events), position);
  const TacitEvent *event;
  GtkWidget *card;

  if (item == NULL || self->operator == NULL)
    return;
  event = tacit_event_item_get_event (item);
  card = g_hash_table_lookup (self->machine_cards, event->machine);
  tacit_capture_page_start (self->capture_page, event, machine_name (self, event->machine),
                            card != NULL ? tacit_machine_card_get_values (TACIT_MACHINE_CARD (card)) : NULL);
  gtk_stack_set_visible_child_name (self->main_stack, "capture");
}

/* Two taps: the machine card, then Save (after the text): a material
 * note on the lot the machine is running now. */
static void
material_note_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TacitKioskWindow *self = TACIT_KIOSK_WINDOW (widget);
  const char *machine = g_variant_get_string (parameter, NULL);
  GtkWidget *card = g_hash_table_lookup (self->machine_cards, machine);
  GHashTable *values = card != NULL ? tacit_machine_card_get_values (TACIT_MACHINE_CARD (card)) : NULL;
  const char *lot = values != NULL ? g_hash_table_lookup (values, "material_lot") : NULL;
  TacitEvent event = {
    .time = self->last_event_time, .machine = machine, .kind = TACIT_KIND_EVENT,
    .item = "material_lot", .value = lot,
  };

  if (self->operator == NULL)
    return;
  if (lot == NULL)
    {
      _tacit_kiosk_window_toast (self, _("No material lot known on this machine yet"), 0);
      return;
    }
  tacit_capture_page_start (self->capture_page, &event, machine_name (self, machine), values);
  gtk_widget_activate_action (GTK_WIDGET (self->capture_page), "capture.kind", "s",
                              tacit_rule_kind_to_string (TACIT_RULE_KIND_MATERIAL_NOTE));
  gtk_stack_set_visible_child_name (self->main_stack, "capture");
}

static void
machine_card_pressed_cb (GtkGestureClick *gesture,
                         int              n_press,
                         double           x,
                         double           y,
                         TacitKioskWindow *self)
{
  GtkWidget *card = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));

  gtk_widget_activate_action (GTK_WIDGET (self), "kiosk.material-note", "s",
                              tacit_machine_card_get_id (TACIT_MACHINE_CARD (card)));
}

static void
event_activate_cb (GtkListView      *view,
                   guint             position,
                   TacitKioskWindow *self)
{
  open_capture (self, position);
}

static void
capture_cb (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  open_capture (TACIT_KIOSK_WINDOW (widget), g_variant_get_uint32 (parameter));
}

static void
capture_back_cb (TacitKioskWindow *self)
{
  gtk_stack_set_visible_child_name (self->main_stack, self->operator != NULL ? "live" : "signin");
}

/* A capture lands as a proposed rule: in shadow, for an engineer to
 * review, with the operator's credit. */
static void
capture_save_cb (TacitKioskWindow *self)
{
  g_autofree char *actor = self->operator != NULL ? _tacit_kiosk_window_actor (self->operator) : NULL;
  g_autoptr(TacitRule) rule = tacit_capture_page_build (self->capture_page, actor, self->language);
  g_autoptr(GError) error = NULL;

  if (rule == NULL)
    return;
  if (!tacit_store_save_rule (self->store, rule, tacit_capture_page_get_base_revision (self->capture_page),
                              self->operator, &error))
    {
      error_toast (self, error);
      return;
    }
  _tacit_kiosk_window_toast (self, _("Saved — thank you! An engineer will review it."), 0);
  capture_back_cb (self);
}

/* ---- sign-in, sign-out, leaving ---- */

void
_tacit_kiosk_window_signed_in (TacitKioskWindow *self,
                               TacitOperator    *op)
{
  g_autofree char *who = NULL;

  g_clear_pointer (&self->operator, tacit_operator_free);
  self->operator = op;
  who = g_strdup_printf ("%s · %s", op->name, op->badge);
  gtk_label_set_label (self->operator_label, who);
  update_language_label (self);
  gtk_stack_set_visible_child_name (self->main_stack, "live");
  _tacit_kiosk_window_show_review_notes (self);
}

static void
sign_out_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TacitKioskWindow *self = TACIT_KIOSK_WINDOW (widget);

  g_clear_pointer (&self->operator, tacit_operator_free);
  _tacit_kiosk_window_show_review_notes (self);
  _tacit_kiosk_window_show_signin (self, FALSE);
}

static void
leave_cb (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  TacitKioskWindow *self = TACIT_KIOSK_WINDOW (widget);

  if (!self->locked)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  self->unlock_for_station = FALSE;
  _tacit_kiosk_window_show_signin (self, TRUE);
}

static gboolean
close_request_cb (GtkWindow *window)
{
  TacitKioskWindow *self = TACIT_KIOSK_WINDOW (window);

  if (!self->locked)
    return FALSE;
  self->unlock_for_station = FALSE;
  _tacit_kiosk_window_show_signin (self, TRUE);
  return TRUE;
}

static void
undo_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  TacitKioskWindow *self = TACIT_KIOSK_WINDOW (widget);
  gint64 id = g_variant_get_int64 (parameter);
  g_autofree char *actor = self->operator != NULL ? _tacit_kiosk_window_actor (self->operator) : NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *card = g_hash_table_lookup (self->answered, &id);

  if (card == NULL)
    return;
  if (!tacit_kiosk_undo_response (self->store, id, actor, &error))
    {
      error_toast (self, error);
      return;
    }
  _tacit_kiosk_window_unshelve (self, id);
  tacit_suggestion_card_reset (TACIT_SUGGESTION_CARD (card));
  gtk_box_prepend (self->suggestions_box, card);
  g_hash_table_remove (self->answered, &id);
  update_suggestions_page (self);
}

/* ---- GObject ---- */

static void
apply_language (TacitKioskWindow *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->suggestions_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    tacit_suggestion_card_set_language (TACIT_SUGGESTION_CARD (child), self->language);
  update_language_label (self);
}

static void
tacit_kiosk_window_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TacitKioskWindow *self = TACIT_KIOSK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    case PROP_BUDGET:
      g_value_set_uint (value, self->budget);
      break;
    case PROP_SUGGESTION_TIMEOUT:
      g_value_set_uint (value, self->suggestion_timeout);
      break;
    case PROP_STATION:
      g_value_set_string (value, self->station != NULL ? self->station : "");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tacit_kiosk_window_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TacitKioskWindow *self = TACIT_KIOSK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      if (g_strcmp0 (self->language, g_value_get_string (value)) == 0)
        return;
      g_free (self->language);
      self->language = g_value_dup_string (value);
      apply_language (self);
      g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_BUDGET:
      self->budget = g_value_get_uint (value);
      break;
    case PROP_SUGGESTION_TIMEOUT:
      self->suggestion_timeout = g_value_get_uint (value);
      break;
    case PROP_STATION:
      if (g_strcmp0 (self->station != NULL ? self->station : "", g_value_get_string (value)) == 0)
        return;
      g_free (self->station);
      self->station = g_value_dup_string (value);
      if (self->library != NULL)
        _tacit_kiosk_window_setup_station (self);
      g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tacit_kiosk_window_dispose (GObject *object)
{
  TacitKioskWindow *self = TACIT_KIOSK_WINDOW (object);

  if (self->checking != NULL)
    g_cancellable_cancel (self->checking);
  g_clear_object (&self->checking);
  g_clear_pointer (&self->answered, g_hash_table_unref);
  g_clear_handle_id (&self->silence_timer, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (object), TACIT_TYPE_KIOSK_WINDOW);
  G_OBJECT_CLASS (tacit_kiosk_window_parent_class)->dispose (object);
}

static void
tacit_kiosk_window_finalize (GObject *object)
{
  TacitKioskWindow *self = TACIT_KIOSK_WINDOW (object);

  g_clear_object (&self->store);
  g_clear_object (&self->library);
  g_clear_object (&self->simulator);
  g_clear_object (&self->events);
  g_clear_pointer (&self->station, g_free);
  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->operator, tacit_operator_free);
  g_string_free (self->badge, TRUE);
  g_string_free (self->pin, TRUE);
  g_clear_pointer (&self->machine_cards, g_hash_table_unref);
  g_clear_pointer (&self->shown_times, g_array_unref);
  g_clear_object (&self->held);
  g_clear_pointer (&self->latencies, g_array_unref);
  g_clear_pointer (&self->shelved_by_response, g_hash_table_unref);
  g_clear_pointer (&self->reviews, g_ptr_array_unref);
  G_OBJECT_CLASS (tacit_kiosk_window_parent_class)->finalize (object);
}

static void
tacit_kiosk_window_class_init (TacitKioskWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tacit_kiosk_window_get_property;
  object_class->set_property = tacit_kiosk_window_set_property;
  object_class->dispose = tacit_kiosk_window_dispose;
  object_class->finalize = tacit_kiosk_window_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = close_request_cb;

  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, "en",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUDGET] =
    g_param_spec_uint ("budget", NULL, NULL, 1, 60, 6,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /* Minutes of event time before an unanswered card expires (or the
   * next shift, whichever comes first). */
  properties[PROP_SUGGESTION_TIMEOUT] =
    g_param_spec_uint ("suggestion-timeout", NULL, NULL, 1, 1440, 30,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /* A cell or machine id; "" for every machine. */
  properties[PROP_STATION] =
    g_param_spec_string ("station", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ADW_TYPE_BUTTON_CONTENT);
  gtk_widget_class_set_template_from_resource (widget_class, "/dev/tacit/Tacit/ui/tacit-kiosk-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TacitKioskWindow, name)
  BIND (toast_overlay);
  BIND (main_stack);
  BIND (signin_plant_label);
  BIND (signin_station_label);
  BIND (prompt_label);
  BIND (entry_label);
  BIND (error_label);
  BIND (cancel_unlock_button);
  BIND (hint_label);
  BIND (keypad);
  BIND (title_label);
  BIND (connection_label);
  BIND (held_button);
  BIND (held_content);
  BIND (operator_label);
  BIND (language_label);
  BIND (machines_box);
  BIND (suggestions_stack);
  BIND (suggestions_box);
  BIND (events_view);
#undef BIND

  gtk_widget_class_install_property_action (widget_class, "kiosk.language", "language");
  gtk_widget_class_install_action (widget_class, "kiosk.sign-out", NULL, sign_out_cb);
  gtk_widget_class_install_action (widget_class, "kiosk.leave", NULL, leave_cb);
  gtk_widget_class_install_action (widget_class, "kiosk.undo", "x", undo_cb);
  _tacit_kiosk_window_held_class_init (widget_class);
  _tacit_kiosk_window_station_class_init (widget_class);
  _tacit_kiosk_window_review_class_init (widget_class);
  gtk_widget_class_install_action (widget_class, "kiosk.capture", "u", capture_cb);
  gtk_widget_class_install_action (widget_class, "kiosk.material-note", "s", material_note_cb);
  _tacit_kiosk_window_signin_class_init (widget_class);
}

static void
tacit_kiosk_window_init (TacitKioskWindow *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  self->language = g_strdup ("en");
  self->budget = 6;
  self->suggestion_timeout = 30;
  self->last_event_time = TACIT_TIME_MIN;
  self->first_event_time = TACIT_TIME_MIN;
  self->last_expiry_sweep = TACIT_TIME_MIN;
  gtk_widget_init_template (GTK_WIDGET (self));
  _tacit_kiosk_window_signin_init (self);

  self->machine_cards = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->events = g_list_store_new (TACIT_TYPE_EVENT_ITEM);
  self->shown_times = g_array_new (FALSE, FALSE, sizeof (TacitTime));
  self->answered = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->shelved_by_response = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->latencies = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_signal_connect (factory, "setup", G_CALLBACK (event_row_setup_cb), NULL);
  g_signal_connect_object (factory, "bind", G_CALLBACK (event_row_bind_cb), self, 0);
  gtk_list_view_set_factory (self->events_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->events_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->events)))));
  self->capture_page = TACIT_CAPTURE_PAGE (tacit_capture_page_new ());
  {
    /* Scrolls rather than grow the window when the chips wrap. */
    GtkWidget *scroller = gtk_scrolled_window_new ();

    gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
    gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->capture_page));
    gtk_stack_add_named (self->main_stack, scroller, "capture");
  }
  g_signal_connect_object (self->capture_page, "save", G_CALLBACK (capture_save_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->capture_page, "back", G_CALLBACK (capture_back_cb), self, G_CONNECT_SWAPPED);
  gtk_list_view_set_single_click_activate (self->events_view, TRUE);
  self->silence_timer = g_timeout_add_seconds (30, silence_tick_cb, self);
  _tacit_kiosk_window_held_init (self);
  _tacit_kiosk_window_station_init (self);
  _tacit_kiosk_window_review_init (self);
  {
    GtkWidget *bar = gtk_widget_get_ancestor (GTK_WIDGET (self->title_label), GTK_TYPE_CENTER_BOX);

    self->sources_strip = GTK_BOX (gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 24));
    gtk_widget_add_css_class (GTK_WIDGET (self->sources_strip), "sources-strip");
    gtk_widget_set_visible (GTK_WIDGET (self->sources_strip), FALSE);
    gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (bar)), GTK_WIDGET (self->sources_strip), bar);
  }
  g_signal_connect_object (self->events_view, "activate", G_CALLBACK (event_activate_cb), self, 0);
  _tacit_kiosk_window_update_held (self);
  update_connection (self);
  update_suggestions_page (self);
}

void
_tacit_kiosk_window_setup_station (TacitKioskWindow *self)
{
  GPtrArray *machines = tacit_library_get_machines (self->library);
  const char *plant = tacit_library_get_name (self->library);
  const char *station = self->station != NULL && self->station[0] != '\0' ? self->station : _("All machines");
  g_autofree char *title = NULL;
  GtkWidget *child;

  /* Another station: other machine cards. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->machines_box))) != NULL)
    gtk_box_remove (self->machines_box, child);
  g_hash_table_remove_all (self->machine_cards);
  for (guint i = 0; i < machines->len; i++)
    if (in_station (self, g_ptr_array_index (machines, i)))
      add_machine_card (self, g_ptr_array_index (machines, i));
  if (plant == NULL)
    plant = _("Tacit");
  title = g_strdup_printf ("%s · %s", plant, station);
  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->signin_plant_label, plant);
  gtk_label_set_label (self->signin_station_label, station);
}

TacitKioskWindow *
tacit_kiosk_window_new (GtkApplication *application,
                        TacitStore     *store,
                        TacitLibrary   *library,
                        TacitSimulator *simulator,
                        const char     *station)
{
  TacitKioskWindow *self;

  g_return_val_if_fail (TACIT_IS_STORE (store), NULL);
  g_return_val_if_fail (TACIT_IS_LIBRARY (library), NULL);
  g_return_val_if_fail (TACIT_IS_SIMULATOR (simulator), NULL);

  self = g_object_new (TACIT_TYPE_KIOSK_WINDOW, "application", application, NULL);
  self->store = g_object_ref (store);
  self->library = g_object_ref (library);
  self->simulator = g_object_ref (simulator);
  self->station = g_strdup (station);
  _tacit_kiosk_window_setup_station (self);
  g_signal_connect_object (simulator, "events", G_CALLBACK (events_cb), self, 0);
  g_signal_connect_object (simulator, "suggestion", G_CALLBACK (suggestion_cb), self, 0);
  return self;
}

void
tacit_kiosk_window_set_locked (TacitKioskWindow *self,
                               gboolean          locked)
{
  g_return_if_fail (TACIT_IS_KIOSK_WINDOW (self));

  self->locked = locked;
  gtk_window_set_deletable (GTK_WINDOW (self), !locked);
  gtk_window_set_decorated (GTK_WINDOW (self), !locked);
  if (locked)
    gtk_window_fullscreen (GTK_WINDOW (self));
  else
    gtk_window_unfullscreen (GTK_WINDOW (self));
}

void
tacit_kiosk_window_set_source_state (TacitKioskWindow *self,
                                     guint             index,
                                     const char       *label,
                                     guint             state,
                                     const char       *message)
{
  static const char *const classes[] = {
    "source-stopped", "source-connecting", "source-connected",
    "source-reconnecting", "source-gap", "source-error",
  };
  const char *words[] = {
    _("stopped"), _("connecting"), _("connected"), _("reconnecting"), _("gap in the data"), _("error"),
  };
  GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (self->sources_strip));
  g_autofree char *text = NULL;

  g_return_if_fail (TACIT_IS_KIOSK_WINDOW (self));
  g_return_if_fail (state < G_N_ELEMENTS (classes));

  for (guint i = 0; item != NULL && i < index; i++)
    item = gtk_widget_get_next_sibling (item);
  while (item == NULL)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

      gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("media-record-symbolic"));
      gtk_box_append (GTK_BOX (box), gtk_label_new (NULL));
      gtk_box_append (self->sources_strip, box);
      item = gtk_widget_get_first_child (GTK_WIDGET (self->sources_strip));
      for (guint i = 0; item != NULL && i < index; i++)
        item = gtk_widget_get_next_sibling (item);
    }
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (item, classes[i]);
  gtk_widget_add_css_class (item, classes[state]);
  text = g_strdup_printf ("%s · %s", label, words[state]);
  gtk_label_set_label (GTK_LABEL (gtk_widget_get_last_child (item)), text);
  gtk_widget_set_tooltip_text (item, message);
  gtk_widget_set_visible (GTK_WIDGET (self->sources_strip), TRUE);
}

void
tacit_kiosk_window_set_hint (TacitKioskWindow *self,
                             const char       *hint)
{
  g_return_if_fail (TACIT_IS_KIOSK_WINDOW (self));

  gtk_label_set_label (self->hint_label, hint != NULL ? hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), hint != NULL);
}

const char *
tacit_kiosk_window_get_page (TacitKioskWindow *self)
{
  g_return_val_if_fail (TACIT_IS_KIOSK_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->main_stack);
}

const char *
tacit_kiosk_window_get_station (TacitKioskWindow *self)
{
  g_return_val_if_fail (TACIT_IS_KIOSK_WINDOW (self), NULL);
  return self->station != NULL ? self->station : "";
}

const TacitOperator *
tacit_kiosk_window_get_operator (TacitKioskWindow *self)
{
  g_return_val_if_fail (TACIT_IS_KIOSK_WINDOW (self), NULL);
  return self->operator;
}

guint
tacit_kiosk_window_get_n_cards (TacitKioskWindow *self)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->suggestions_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

GtkWidget *
tacit_kiosk_window_get_card (TacitKioskWindow *self,
                             guint             index)
{
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->suggestions_box));

  for (guint i = 0; child != NULL && i < index; i++)
    child = gtk_widget_get_next_sibling (child);
  return child;
}

guint
tacit_kiosk_window_get_n_held (TacitKioskWindow *self)
{
  g_return_val_if_fail (TACIT_IS_KIOSK_WINDOW (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->held));
}

GtkWidget *
tacit_kiosk_window_get_machine_card (TacitKioskWindow *self,
                                     const char       *machine)
{
  g_return_val_if_fail (TACIT_IS_KIOSK_WINDOW (self), NULL);
  return g_hash_table_lookup (self->machine_cards, machine);
}

GListModel *
tacit_kiosk_window_get_events (TacitKioskWindow *self)
{
  g_return_val_if_fail (TACIT_IS_KIOSK_WINDOW (self), NULL);
  return G_LIST_MODEL (self->events);
}

GtkWidget *
tacit_kiosk_window_get_capture_page (TacitKioskWindow *self)
{
  g_return_val_if_fail (TACIT_IS_KIOSK_WINDOW (self), NULL);
  return GTK_WIDGET (self->capture_page);
}

GArray *
tacit_kiosk_window_get_card_latencies (TacitKioskWindow *self)
{
  g_return_val_if_fail (TACIT_IS_KIOSK_WINDOW (self), NULL);
  return self->latencies;
}
