/* tacit-review-page.c
 *
 * Loading (re-reading the library, replaying the stored history with
 * every rule for the shadow evidence and the retirement proposals, and
 * finding duplicates) runs in a worker thread on its own store
 * connection; the lists are built from its result on the main loop.
 * Decisions are single short transactions (tacit_review_decide/merge) on
 * the page's connection, then the queue reloads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "tacit-review-page.h"
#include "tacit-backtest.h"
#include "tacit-duplicates.h"
#include "tacit-firings-chart.h"
#include "tacit-retirement.h"
#include "tacit-review.h"
#include "tacit-rule-index.h"
#include "tacit-text-column.h"

/* ---- what the worker loads ---- */

typedef struct {
  TacitLibrary        *library;
  TacitBacktestResult *backtest;    /* NULL when there is no history */
  GPtrArray           *duplicates;  /* TacitDuplicate* */
  GPtrArray           *proposals;   /* TacitRetirementProposal* */
  GHashTable          *sources;     /* rule id → its source event, described */
} ReviewData;

static void
review_data_free (ReviewData *data)
{
  g_clear_object (&data->library);
  g_clear_pointer (&data->backtest, tacit_backtest_result_free);
  g_clear_pointer (&data->duplicates, g_ptr_array_unref);
  g_clear_pointer (&data->proposals, g_ptr_array_unref);
  g_clear_pointer (&data->sources, g_hash_table_unref);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReviewData, review_data_free)

static void
load_sources (ReviewData *data,
              TacitStore *store)
{
  GPtrArray *rules = tacit_library_get_rules (data->library);

  data->sources = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  for (guint i = 0; i < rules->len; i++)
    {
      TacitRule *rule = g_ptr_array_index (rules, i);

      if (rule->status == TACIT_RULE_STATUS_PROPOSED && rule->provenance.source_event != NULL)
        g_hash_table_insert (data->sources, rule->id,
                             tacit_review_describe_source_event (store, rule->provenance.source_event));
    }
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(ReviewData) data = g_new0 (ReviewData, 1);
  g_autoptr(TacitStore) store = NULL;
  GError *error = NULL;
  TacitTime first, last;

  if ((store = tacit_store_open (path, &error)) == NULL ||
      (data->library = tacit_store_load_library (store, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (tacit_backtest_history_range (store, &first, &last, NULL))
    {
      data->backtest = tacit_backtest_run (store, NULL, TACIT_TIME_MIN, TACIT_TIME_MAX, NULL, NULL, &error);
      if (data->backtest == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  data->duplicates = tacit_duplicates_find (data->library);
  data->proposals = data->backtest != NULL
    ? tacit_retirement_propose (data->library, data->backtest->stats, data->backtest->n_stats,
                                data->backtest->n_events, data->backtest->evidence)
    : tacit_retirement_propose (data->library, NULL, 0, 0, NULL);
  load_sources (data, store);
  g_task_return_pointer (task, g_steal_pointer (&data), (GDestroyNotify) review_data_free);
}

/* ---- one row of a list ---- */

typedef struct {
  TacitRule                     *rule;
  const TacitBacktestRule       *figures;    /* NULL: not replayed */
  GPtrArray                     *duplicates; /* char* rule ids */
  const TacitRetirementProposal *proposal;   /* retirement list only */
  const char                    *source;
} Entry;

static void
entry_free (Entry *entry)
{
  tacit_rule_unref (entry->rule);
  g_ptr_array_unref (entry->duplicates);
  g_free (entry);
}

static Entry *
entry_new (ReviewData *data,
           TacitRule  *rule)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->rule = tacit_rule_ref (rule);
  entry->figures = data->backtest != NULL ? tacit_backtest_result_lookup (data->backtest, rule->id) : NULL;
  entry->source = g_hash_table_lookup (data->sources, rule->id);
  entry->duplicates = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < data->duplicates->len; i++)
    {
      const TacitDuplicate *dup = g_ptr_array_index (data->duplicates, i);

      if (strcmp (dup->rule_a, rule->id) == 0)
        g_ptr_array_add (entry->duplicates, g_strdup (dup->rule_b));
      else if (strcmp (dup->rule_b, rule->id) == 0)
        g_ptr_array_add (entry->duplicates, g_strdup (dup->rule_a));
    }
  return entry;
}

/* ---- the page ---- */

struct _TacitReviewPage
{
  GtkWidget          parent_instance;

  TacitStore        *store;
  TacitOperator     *actor;
  ReviewData        *data;
  GListStore        *proposed;
  GListStore        *retire;
  GtkSingleSelection *proposed_selection;
  GtkSingleSelection *retire_selection;
  GCancellable      *loading;
  char              *select_after_load;
  Entry             *shown;

  GtkWidget         *paned;
  GtkStack          *list_stack;
  GtkListView       *proposed_view;
  GtkListView       *retire_view;
  GtkStack          *detail_stack;
  AdwStatusPage     *empty_status;
  GtkLabel          *title_label;
  GtkLabel          *meta_label;
  GtkLabel          *advice_label;
  GtkLabel          *trigger_label;
  GtkLabel          *source_label;
  GtkWidget         *duplicate_box;
  GtkLabel          *duplicate_label;
  GtkButton         *merge_button;
  GtkWidget         *retire_box;
  GtkLabel          *retire_label;
  GtkLabel          *evidence_heading;
  GtkLabel          *evidence_label;
  TacitFiringsChart *sparkline;
  GtkEditable       *comment_entry;
  GtkLabel          *decision_error;
};

G_DEFINE_FINAL_TYPE (TacitReviewPage, tacit_review_page, GTK_TYPE_WIDGET)

static char *
format_time (TacitTime time)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (time / G_USEC_PER_SEC);

  return g_date_time_format (t, "%Y-%m-%d %H:%M");
}

static char *
evidence_text (const Entry *entry,
               const ReviewData *data)
{
  const TacitBacktestRule *f = entry->figures;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;

  if (data->backtest == NULL)
    return g_strdup (_("No stored history to replay yet: the evidence appears once events are imported."));
  if (f == NULL)
    return g_strdup (_("Not evaluated (draft or retired): it would not fire."));
  if (f->firings == 0)
    return g_strdup_printf (_("Would not have fired over the %.1f hours of stored history."), data->backtest->hours);
  first = format_time (f->first_fired);
  last = format_time (f->last_fired);
  return g_strdup_printf (_("Would have fired %lu times over %.1f hours (%.3g per hour; "
                            "%lu more held back by its cooldown), from %s to %s, on %s.%s%s"),
                          (gulong) f->firings, data->backtest->hours, f->per_hour, (gulong) f->suppressed,
                          first, last,
                          f->machines, f->flood ? _(" Floods: more than 10 in 10 minutes on one machine.") : "",
                          f->chattering ? _(" Chatters: 3 or more within a minute on one machine.") : "");
}

static void
set_actions (TacitReviewPage *self)
{
  Entry *e = self->shown;
  gboolean decided_live = e != NULL && e->rule->status == TACIT_RULE_STATUS_APPROVED;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.approve", e != NULL && !decided_live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.send-back", e != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.reject", e != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.retire", e != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.merge", e != NULL && e->duplicates->len > 0);
}

static gboolean merge_keeps_shown (TacitReviewPage *self,
                                   TacitRule      **other);

static void
show_duplicates (TacitReviewPage *self,
                 Entry           *e)
{
  g_autofree char *ids = NULL;
  g_autofree char *text = NULL;
  g_autofree char *button = NULL;
  g_autofree char *trigger = NULL;

  gtk_widget_set_visible (self->duplicate_box, e->duplicates->len > 0);
  if (e->duplicates->len == 0)
    return;
  g_ptr_array_add (e->duplicates, NULL);
  ids = g_strjoinv (", ", (char **) e->duplicates->pdata);
  g_ptr_array_remove_index (e->duplicates, e->duplicates->len - 1);
  trigger = tacit_duplicates_describe_trigger (e->rule);
  text = g_strdup_printf (g_dngettext (NULL, "Possible duplicate: %s has the same trigger (%s) on an overlapping scope.",
                                       "Possible duplicates: %s have the same trigger (%s) on an overlapping scope.",
                                       e->duplicates->len), ids, trigger);
  gtk_label_set_label (self->duplicate_label, text);
  {
    TacitRule *other;

    if (merge_keeps_shown (self, &other))
      button = g_strdup_printf (_("Merge %s into this rule"), (char *) g_ptr_array_index (e->duplicates, 0));
    else
      button = g_strdup_printf (_("Merge into %s (live)"), other->id);
  }
  gtk_button_set_label (self->merge_button, button);
}

static void
show_entry (TacitReviewPage *self,
            Entry           *e)
{
  g_autofree char *meta = NULL;
  g_autofree char *trigger = NULL;
  g_autofree char *evidence = NULL;

  self->shown = e;
  gtk_widget_set_visible (GTK_WIDGET (self->decision_error), FALSE);
  set_actions (self);
  if (e == NULL)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "empty");
      return;
    }
  gtk_stack_set_visible_child_name (self->detail_stack, "rule");
  gtk_label_set_label (self->title_label, e->rule->title != NULL ? e->rule->title : e->rule->id);
  meta = g_strdup_printf (_("%s · revision %u · %s · %s · credit: %s%s%s"), e->rule->id, e->rule->revision,
                          tacit_rule_status_to_string (e->rule->status), tacit_rule_kind_to_string (e->rule->kind),
                          e->rule->provenance.author != NULL ? e->rule->provenance.author : _("unknown"),
                          e->rule->provenance.created != NULL ? _(", created ") : "",
                          e->rule->provenance.created != NULL ? e->rule->provenance.created : "");
  gtk_label_set_label (self->meta_label, meta);
  gtk_label_set_label (self->advice_label, tacit_rule_get_text (e->rule, NULL));
  trigger = g_strdup_printf (_("When: %s"), tacit_rule_describe_trigger (e->rule));
  gtk_label_set_label (self->trigger_label, trigger);
  gtk_label_set_label (self->source_label, e->source != NULL ? e->source
                       : _("Not captured from an event (written in the editor or imported)."));
  show_duplicates (self, e);
  gtk_widget_set_visible (self->retire_box, e->proposal != NULL);
  if (e->proposal != NULL)
    gtk_label_set_label (self->retire_label, e->proposal->evidence);
  gtk_label_set_label (self->evidence_heading, e->rule->status == TACIT_RULE_STATUS_PROPOSED
                       ? _("Shadow evidence over the stored history")
                       : _("Evidence over the stored history"));
  evidence = evidence_text (e, self->data);
  gtk_label_set_label (self->evidence_label, evidence);
  if (e->figures != NULL)
    tacit_firings_chart_set_series (self->sparkline, self->data->backtest->hour0, 1, NULL,
                                    (GArray * const *) &e->figures->hourly);
  else
    tacit_firings_chart_set_series (self->sparkline, 0, 0, NULL, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->sparkline), e->figures != NULL && e->figures->firings > 0);
}

static GtkSingleSelection *
current_selection (TacitReviewPage *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->list_stack), "retire") == 0
         ? self->retire_selection : self->proposed_selection;
}

static void
selection_changed_cb (TacitReviewPage *self)
{
  TacitRowItem *row = gtk_single_selection_get_selected_item (current_selection (self));

  show_entry (self, row != NULL ? tacit_row_item_get_data (row) : NULL);
}

/* ---- the lists ---- */

static int
newest_first (gconstpointer a,
              gconstpointer b)
{
  const TacitRule *x = *(const TacitRule * const *) a;
  const TacitRule *y = *(const TacitRule * const *) b;
  int c = g_strcmp0 (y->provenance.created, x->provenance.created);

  return c != 0 ? c : strcmp (x->id, y->id);
}

static guint
fill_lists (TacitReviewPage *self)
{
  g_autoptr(GPtrArray) rules = tacit_library_dup_rules_sorted (self->data->library);
  guint select = G_MAXUINT;

  g_ptr_array_sort (rules, newest_first);
  for (guint i = 0; i < rules->len; i++)
    {
      TacitRule *rule = g_ptr_array_index (rules, i);
      g_autoptr(TacitRowItem) row = NULL;

      if (rule->status != TACIT_RULE_STATUS_PROPOSED)
        continue;
      if (g_strcmp0 (rule->id, self->select_after_load) == 0)
        select = g_list_model_get_n_items (G_LIST_MODEL (self->proposed));
      row = tacit_row_item_new (entry_new (self->data, rule), (GDestroyNotify) entry_free);
      g_list_store_append (self->proposed, row);
    }
  for (guint i = 0; i < self->data->proposals->len; i++)
    {
      const TacitRetirementProposal *p = g_ptr_array_index (self->data->proposals, i);
      Entry *entry = entry_new (self->data, tacit_library_lookup_rule (self->data->library, p->rule));
      g_autoptr(TacitRowItem) row = tacit_row_item_new (entry, (GDestroyNotify) entry_free);

      entry->proposal = p;
      g_list_store_append (self->retire, row);
    }
  return select;
}

static void
update_titles (TacitReviewPage *self)
{
  g_autofree char *proposed = g_strdup_printf (_("Proposed · %u"), g_list_model_get_n_items (G_LIST_MODEL (self->proposed)));
  g_autofree char *retire = g_strdup_printf (_("Retirement proposals · %u"), g_list_model_get_n_items (G_LIST_MODEL (self->retire)));

  g_object_set (gtk_stack_get_page (self->list_stack, gtk_stack_get_child_by_name (self->list_stack, "proposed")),
                "title", proposed, NULL);
  g_object_set (gtk_stack_get_page (self->list_stack, gtk_stack_get_child_by_name (self->list_stack, "retire")),
                "title", retire, NULL);
}

static void
clear_lists (TacitReviewPage *self)
{
  self->shown = NULL;
  g_list_store_remove_all (self->proposed);
  g_list_store_remove_all (self->retire);
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(TacitReviewPage) self = user_data;
  g_autoptr(GError) error = NULL;
  ReviewData *data = g_task_propagate_pointer (G_TASK (res), &error);
  guint select;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->proposed == NULL)
    {
      g_clear_pointer (&data, review_data_free);
      return;
    }
  g_clear_object (&self->loading);
  if (data == NULL)
    {
      adw_status_page_set_title (self->empty_status, _("The review queue cannot be read"));
      adw_status_page_set_description (self->empty_status, error->message);
      gtk_stack_set_visible_child_name (self->detail_stack, "empty");
      return;
    }
  clear_lists (self);
  g_clear_pointer (&self->data, review_data_free);
  self->data = data;
  adw_status_page_set_title (self->empty_status, _("Nothing to review"));
  select = fill_lists (self);
  g_clear_pointer (&self->select_after_load, g_free);
  update_titles (self);
  if (select != G_MAXUINT)
    gtk_single_selection_set_selected (self->proposed_selection, select);
  selection_changed_cb (self);
}

/* ---- decisions ---- */

static void
report (TacitReviewPage *self,
        const char      *text,
        gboolean         is_error)
{
  gtk_label_set_label (self->decision_error, text);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->decision_error), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->decision_error), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->decision_error), TRUE);
}

static void
decided (TacitReviewPage *self,
         const char      *done)
{
  gtk_editable_set_text (self->comment_entry, "");
  /* Nothing to act on until the queue is read again: a second click must
   * not decide on a revision that is no longer current. */
  show_entry (self, NULL);
  tacit_review_page_reload (self);
  g_signal_emit_by_name (self, "decided", done);
}

static void
decide (TacitReviewPage     *self,
        TacitReviewDecision  decision)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *done = NULL;
  g_autofree char *rule_id = NULL;
  const char *comment;

  if (self->shown == NULL)
    return;
  rule_id = g_strdup (self->shown->rule->id);
  comment = gtk_editable_get_text (self->comment_entry);
  if (!tacit_review_decide (self->store, rule_id, self->shown->rule->revision, decision,
                            *comment != '\0' ? comment : NULL, self->actor, &error))
    {
      if (g_error_matches (error, TACIT_REVIEW_ERROR, TACIT_REVIEW_ERROR_COMMENT_REQUIRED))
        {
          report (self, _("Write a comment for the author first: it is what they see on the kiosk."), TRUE);
          gtk_widget_grab_focus (GTK_WIDGET (self->comment_entry));
        }
      else
        report (self, error->message, TRUE);
      return;
    }
  /* Translators: "rule-id: approved". */
  done = g_strdup_printf (_("%s: %s"), rule_id, tacit_review_decision_to_string (decision));
  decided (self, done);
}

static void
decide_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  static const struct { const char *name; TacitReviewDecision decision; } actions[] = {
    { "review.approve", TACIT_REVIEW_APPROVED },
    { "review.send-back", TACIT_REVIEW_SENT_BACK },
    { "review.reject", TACIT_REVIEW_REJECTED },
    { "review.retire", TACIT_REVIEW_RETIRED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    if (strcmp (action_name, actions[i].name) == 0)
      decide (TACIT_REVIEW_PAGE (widget), actions[i].decision);
}

/* Which rule a merge keeps: a live (approved) rule stays and takes the
 * other's credit, so that merging a new proposal never replaces advice
 * operators already see; otherwise the rule shown stays. */
static gboolean
merge_keeps_shown (TacitReviewPage *self,
                   TacitRule      **other)
{
  const char *other_id = g_ptr_array_index (self->shown->duplicates, 0);

  *other = tacit_library_lookup_rule (self->data->library, other_id);
  return *other == NULL || self->shown->rule->status == TACIT_RULE_STATUS_APPROVED ||
         (*other)->status != TACIT_RULE_STATUS_APPROVED;
}

static void
merge_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TacitReviewPage *self = TACIT_REVIEW_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *done = NULL;
  TacitRule *other, *keep, *dup;

  if (self->shown == NULL || self->shown->duplicates->len == 0)
    return;
  if (merge_keeps_shown (self, &other))
    {
      keep = self->shown->rule;
      dup = other;
    }
  else
    {
      keep = other;
      dup = self->shown->rule;
    }
  if (dup == NULL)
    return;
  if (!tacit_review_merge (self->store, keep->id, keep->revision, dup->id, dup->revision, self->actor, &error))
    {
      report (self, error->message, TRUE);
      return;
    }
  done = g_strdup_printf (_("%s merged into %s"), dup->id, keep->id);
  g_free (self->select_after_load);
  self->select_after_load = g_strdup (keep->id);
  decided (self, done);
}

/* ---- list rows ---- */

static void
row_setup_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *sub = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (sub), 0);
  gtk_label_set_ellipsize (GTK_LABEL (sub), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (sub, "dim-label");
  gtk_widget_add_css_class (sub, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), sub);
  gtk_list_item_set_child (item, box);
}

static char *
row_subtitle (const Entry *e)
{
  GString *text = g_string_new (e->rule->id);

  if (e->proposal != NULL)
    {
      g_autofree char *reasons = tacit_retirement_reasons_to_string (e->proposal->reasons);
      g_string_append_printf (text, " · %s", reasons);
    }
  else
    {
      g_string_append_printf (text, " · %s", e->rule->provenance.author != NULL ? e->rule->provenance.author : "?");
      if (e->figures != NULL)
        g_string_append_printf (text, _(" · would fire %lu×"), (gulong) e->figures->firings);
    }
  if (e->duplicates->len > 0)
    g_string_append (text, _(" · duplicate?"));
  return g_string_free (text, FALSE);
}

static void
row_bind_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  data)
{
  Entry *e = tacit_row_item_get_data (gtk_list_item_get_item (item));
  GtkWidget *box = gtk_list_item_get_child (item);
  g_autofree char *sub = row_subtitle (e);

  gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (box)),
                       e->rule->title != NULL ? e->rule->title : e->rule->id);
  gtk_label_set_label (GTK_LABEL (gtk_widget_get_last_child (box)), sub);
}

static GtkSingleSelection *
setup_list (TacitReviewPage *self,
            GtkListView     *view,
            GListStore      *store)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkSingleSelection *selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (store)));

  g_signal_connect (factory, "setup", G_CALLBACK (row_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (row_bind_cb), NULL);
  gtk_list_view_set_factory (view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (view, GTK_SELECTION_MODEL (selection));
  g_signal_connect_object (selection, "notify::selected-item", G_CALLBACK (selection_changed_cb),
                           self, G_CONNECT_SWAPPED);
  return selection;
}

/* ---- the class ---- */

static void
tacit_review_page_dispose (GObject *object)
{
  TacitReviewPage *self = TACIT_REVIEW_PAGE (object);

  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->shown = NULL;
  if (self->proposed != NULL)
    clear_lists (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TACIT_TYPE_REVIEW_PAGE);
  g_clear_object (&self->proposed_selection);
  g_clear_object (&self->retire_selection);
  g_clear_object (&self->proposed);
  g_clear_object (&self->retire);
  g_clear_pointer (&self->data, review_data_free);
  g_clear_pointer (&self->select_after_load, g_free);
  g_clear_pointer (&self->actor, tacit_operator_free);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tacit_review_page_parent_class)->dispose (object);
}

static void
tacit_review_page_class_init (TacitReviewPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tacit_review_page_dispose;
  /* A decision was stored (its text says which): the window may toast it
   * and reload the library. */
  g_signal_new ("decided", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                G_TYPE_NONE, 1, G_TYPE_STRING);
  g_type_ensure (TACIT_TYPE_FIRINGS_CHART);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/dev/tacit/Tacit/ui/tacit-review-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TacitReviewPage, paned);
  gtk_widget_class_bind_template_child (widget_class, TacitReviewPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, TacitReviewPage, proposed_view);
  gtk_widget_class_bind_template_child (widget_class, TacitReviewPage, retire_view);
  gtk_widget_class_bind_template_child (widget_class, TacitReviewPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, TacitReviewPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, TacitReviewPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, TacitReviewPage, meta_label);
  gtk_widget_class_bind_template_child (widget_class, TacitReviewPage, advice_label);
  gtk_widget_class_bind_template_child (widget_class, TacitReviewPage, trigger_label);
  gtk_widget_class_bind_template_child (widget_class, TacitReviewPage, source_label);
  gtk_widget_class_bind_template_child (widget_class, TacitReviewPage, duplicate_box);
  gtk_widget_class_bind_template_child (widget_class, TacitReviewPage, duplicate_label);
  gtk_widget_class_bind_template_child (widget_class, TacitReviewPage, merge_button);
  gtk_widget_class_bind_template_child (widget_class, TacitReviewPage, retire_box);
  gtk_widget_class_bind_template_child (widget_class, TacitReviewPage, retire_label);
  gtk_widget_class_bind_template_child (widget_class, TacitReviewPage, evidence_heading);
  gtk_widget_class_bind_template_child (widget_class, TacitReviewPage, evidence_label);
  gtk_widget_class_bind_template_child (widget_class, TacitReviewPage, sparkline);
  gtk_widget_class_bind_template_child (widget_class, TacitReviewPage, comment_entry);
  gtk_widget_class_bind_template_child (widget_class, TacitReviewPage, decision_error);
  gtk_widget_class_install_action (widget_class, "review.approve", NULL, decide_action);
  gtk_widget_class_install_action (widget_class, "review.send-back", NULL, decide_action);
  gtk_widget_class_install_action (widget_class, "review.reject", NULL, decide_action);
  gtk_widget_class_install_action (widget_class, "review.retire", NULL, decide_action);
  gtk_widget_class_install_action (widget_class, "review.merge", NULL, merge_action);
}

static void
tacit_review_page_init (TacitReviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->proposed = g_list_store_new (TACIT_TYPE_ROW_ITEM);
  self->retire = g_list_store_new (TACIT_TYPE_ROW_ITEM);
  self->proposed_selection = setup_list (self, self->proposed_view, self->proposed);
  self->retire_selection = setup_list (self, self->retire_view, self->retire);
  tacit_firings_chart_set_compact (self->sparkline, TRUE);
  g_signal_connect_object (self->list_stack, "notify::visible-child", G_CALLBACK (selection_changed_cb),
                           self, G_CONNECT_SWAPPED);
  show_entry (self, NULL);
}

GtkWidget *
tacit_review_page_new (TacitStore          *store,
                       const TacitOperator *actor)
{
  TacitReviewPage *self;

  g_return_val_if_fail (TACIT_IS_STORE (store), NULL);

  self = g_object_new (TACIT_TYPE_REVIEW_PAGE, NULL);
  self->store = g_object_ref (store);
  self->actor = actor != NULL ? tacit_operator_copy (actor) : NULL;
  tacit_review_page_reload (self);
  return GTK_WIDGET (self);
}

void
tacit_review_page_reload (TacitReviewPage *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TACIT_IS_REVIEW_PAGE (self));

  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->loading = g_cancellable_new ();
  task = g_task_new (NULL, self->loading, load_done_cb, g_object_ref (self));
  g_task_set_task_data (task, g_strdup (tacit_store_get_path (self->store)), g_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
tacit_review_page_is_loading (TacitReviewPage *self)
{
  g_return_val_if_fail (TACIT_IS_REVIEW_PAGE (self), FALSE);
  return self->loading != NULL;
}

guint
tacit_review_page_get_n_proposed (TacitReviewPage *self)
{
  g_return_val_if_fail (TACIT_IS_REVIEW_PAGE (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->proposed));
}

guint
tacit_review_page_get_n_retirement (TacitReviewPage *self)
{
  g_return_val_if_fail (TACIT_IS_REVIEW_PAGE (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->retire));
}

gboolean
tacit_review_page_select_rule (TacitReviewPage *self,
                               const char      *rule_id)
{
  GListStore *stores[] = { self->proposed, self->retire };
  GtkSingleSelection *selections[] = { self->proposed_selection, self->retire_selection };
  const char *names[] = { "proposed", "retire" };

  g_return_val_if_fail (TACIT_IS_REVIEW_PAGE (self), FALSE);

  for (guint s = 0; s < G_N_ELEMENTS (stores); s++)
    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (stores[s])); i++)
      {
        g_autoptr(TacitRowItem) row = g_list_model_get_item (G_LIST_MODEL (stores[s]), i);
        Entry *e = tacit_row_item_get_data (row);

        if (strcmp (e->rule->id, rule_id) != 0)
          continue;
        gtk_stack_set_visible_child_name (self->list_stack, names[s]);
        gtk_single_selection_set_selected (selections[s], i);
        selection_changed_cb (self);
        return TRUE;
      }
  return FALSE;
}
