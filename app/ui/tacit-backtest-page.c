/* tacit-backtest-page.c
 *
 * Run hands the chosen rules and range to tacit_backtest_run_async, which
 * replays in a worker thread on its own store connection; this page only
 * shows progress and, at the end, the result: the chart, the per-rule
 * table and the station table. The figures are formatted as `tacit-cli
 * replay --stats` prints them (per hour with three significant digits,
 * shares with one decimal), so both can be compared by eye and by test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "tacit-backtest-page.h"
#include "tacit-backtest.h"
#include "tacit-firings-chart.h"
#include "tacit-rule-index.h"
#include "tacit-text-column.h"

/* The chart stacks the busiest rules; the rest is one "other" series. */
#define CHART_SERIES 6

enum { RULES_ALL, RULES_SELECTED, RULES_MATCHING };

struct _TacitBacktestPage
{
  GtkWidget            parent_instance;

  TacitStore          *store;
  TacitOperator       *actor;
  GStrv                selected;        /* from set_rules */
  GCancellable        *cancellable;     /* of the running backtest */
  TacitBacktestResult *result;
  GListStore          *rule_rows;
  GListStore          *station_rows;
  gboolean             range_filled;
  guint                pulse_id;        /* until the first progress report */

  GtkWidget           *content;
  GtkDropDown         *rules_dropdown;
  GtkEditable         *filter_entry;
  GtkEditable         *from_entry;
  GtkEditable         *to_entry;
  GtkWidget           *run_button;
  GtkWidget           *cancel_button;
  GtkProgressBar      *progress_bar;
  GtkLabel            *summary_label;
  TacitFiringsChart   *chart;
  GtkColumnView       *rules_view;
  GtkColumnView       *stations_view;
};

G_DEFINE_FINAL_TYPE (TacitBacktestPage, tacit_backtest_page, GTK_TYPE_WIDGET)

/* ---- cells ---- */

static char *
proportion_text (const TacitProportion *p)
{
  if (p->n == 0)
    return g_strdup ("–");
  /* Translators: a share with its count and 95 % interval: "67 % of 9 (35–88 %)". */
  return g_strdup_printf (_("%.0f %% of %lu (%.0f–%.0f %%)"),
                          100 * p->rate, (gulong) p->n, 100 * p->low, 100 * p->high);
}

static char *rule_id_text (gpointer d) { return g_strdup (((TacitBacktestRule *) d)->rule); }
static char *rule_status_text (gpointer d) { return g_strdup (tacit_rule_status_to_string (((TacitBacktestRule *) d)->status)); }
static char *rule_firings_text (gpointer d) { return g_strdup_printf ("%" G_GUINT64_FORMAT, ((TacitBacktestRule *) d)->firings); }
static char *rule_suppressed_text (gpointer d) { return g_strdup_printf ("%" G_GUINT64_FORMAT, ((TacitBacktestRule *) d)->suppressed); }
static char *rule_where_text (gpointer d) { return g_strdup (((TacitBacktestRule *) d)->machines); }
static char *rule_acceptance_text (gpointer d) { return proportion_text (&((TacitBacktestRule *) d)->acceptance); }

static char *
rule_per_hour_text (gpointer data)
{
  TacitBacktestRule *rule = data;

  /* As `replay --stats`: three significant digits. */
  return g_strdup_printf ("%.3g", rule->per_hour);
}

static char *
rule_flags_text (gpointer data)
{
  TacitBacktestRule *rule = data;

  if (rule->flood && rule->chattering)
    return g_strdup (_("flood, chattering"));
  if (rule->flood)
    return g_strdup (_("flood"));
  if (rule->chattering)
    return g_strdup (_("chattering"));
  return g_strdup ("–");
}

static char *
rule_lift_text (gpointer data)
{
  TacitBacktestRule *rule = data;

  if (isnan (rule->lift))
    return g_strdup_printf (_("– (n %lu / %lu)"),
                            (gulong) rule->outcome_accepted.n, (gulong) rule->outcome_dismissed.n);
  /* Translators: outcome rate accepted − dismissed, its 95 % interval, the two n. */
  return g_strdup_printf (_("%+.2f (%+.2f … %+.2f), n %lu / %lu"),
                          rule->lift, rule->lift_low, rule->lift_high,
                          (gulong) rule->outcome_accepted.n, (gulong) rule->outcome_dismissed.n);
}

static char *station_name_text (gpointer d) { return g_strdup (((TacitStationLoad *) d)->station); }
static char *station_suggestions_text (gpointer d) { return g_strdup_printf ("%" G_GUINT64_FORMAT, ((TacitStationLoad *) d)->suggestions); }
static char *station_mean_text (gpointer d) { return g_strdup_printf ("%.2f", ((TacitStationLoad *) d)->per_window_mean); }
static char *station_peak_text (gpointer d) { return g_strdup_printf ("%" G_GUINT64_FORMAT, ((TacitStationLoad *) d)->per_window_peak); }
static char *station_flood_text (gpointer d) { return g_strdup_printf ("%.1f %%", 100 * ((TacitStationLoad *) d)->flood_share); }
static char *station_top10_text (gpointer d) { return g_strdup_printf ("%.1f %%", 100 * ((TacitStationLoad *) d)->top10_share); }

static char *
station_stale_text (gpointer data)
{
  TacitStationLoad *load = data;

  return load->stale_shelves < 0 ? g_strdup ("–") : g_strdup_printf ("%" G_GINT64_FORMAT, load->stale_shelves);
}

static void
setup_columns (TacitBacktestPage *self)
{
  GtkColumnView *r = self->rules_view, *s = self->stations_view;

  tacit_text_column_append (r, "rule", _("Rule"), rule_id_text, FALSE, TRUE);
  tacit_text_column_append (r, "status", _("Status"), rule_status_text, FALSE, FALSE);
  tacit_text_column_append (r, "firings", _("Firings"), rule_firings_text, TRUE, FALSE);
  tacit_text_column_append (r, "per-hour", _("Per hour"), rule_per_hour_text, TRUE, FALSE);
  tacit_text_column_append (r, "suppressed", _("Suppressed"), rule_suppressed_text, TRUE, FALSE);
  tacit_text_column_append (r, "flags", _("Flags"), rule_flags_text, FALSE, FALSE);
  tacit_text_column_append (r, "where", _("Where"), rule_where_text, FALSE, TRUE);
  tacit_text_column_append (r, "acceptance", _("Acceptance"), rule_acceptance_text, TRUE, FALSE);
  tacit_text_column_append (r, "lift", _("Outcome lift, accepted − dismissed (95 %)"), rule_lift_text, TRUE, FALSE);

  tacit_text_column_append (s, "station", _("Station"), station_name_text, FALSE, TRUE);
  tacit_text_column_append (s, "suggestions", _("Suggestions"), station_suggestions_text, TRUE, FALSE);
  tacit_text_column_append (s, "per-10min-avg", _("Per 10 min, average"), station_mean_text, TRUE, FALSE);
  tacit_text_column_append (s, "per-10min-peak", _("Per 10 min, peak"), station_peak_text, TRUE, FALSE);
  tacit_text_column_append (s, "flood", _("Time in flood"), station_flood_text, TRUE, FALSE);
  tacit_text_column_append (s, "top10", _("Top 10 rules’ share"), station_top10_text, TRUE, FALSE);
  tacit_text_column_append (s, "stale-shelves", _("Stale shelves"), station_stale_text, TRUE, FALSE);
}

/* ---- the range ---- */

static void
set_entry_time (GtkEditable *entry,
                TacitTime    time)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (time / G_USEC_PER_SEC);
  g_autofree char *text = g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ");

  gtk_editable_set_text (entry, text);
}

/* The stored history's range, to the second: [first, last + 1 s). */
static void
fill_default_range (TacitBacktestPage *self)
{
  TacitTime first, last;

  if (self->range_filled)
    return;
  if (!tacit_backtest_history_range (self->store, &first, &last, NULL))
    {
      gtk_label_set_label (self->summary_label, _("There is no stored history to replay yet: import events first."));
      return;
    }
  self->range_filled = TRUE;
  set_entry_time (self->from_entry, first - (((first % G_USEC_PER_SEC) + G_USEC_PER_SEC) % G_USEC_PER_SEC));
  set_entry_time (self->to_entry, last - (((last % G_USEC_PER_SEC) + G_USEC_PER_SEC) % G_USEC_PER_SEC) + G_USEC_PER_SEC);
}

static gboolean
read_time (GtkEditable *entry,
           TacitTime    open_value,
           TacitTime   *out)
{
  const char *text = gtk_editable_get_text (entry);

  gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  if (*text == '\0')
    {
      *out = open_value;
      return TRUE;
    }
  if (tacit_time_parse (text, strlen (text), FALSE, out, NULL))
    return TRUE;
  gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  return FALSE;
}

/* ---- the rules ---- */

static GStrv
matching_rules (TacitBacktestPage *self,
                GError           **error)
{
  TacitRuleFilter filter = { 0 };
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  filter.text = gtk_editable_get_text (self->filter_entry);
  found = tacit_rule_index_query (self->store, &filter, error);
  if (found == NULL)
    return NULL;
  for (guint i = 0; i < found->len; i++)
    g_strv_builder_add (builder, ((TacitRuleSummary *) g_ptr_array_index (found, i))->id);
  g_ptr_array_set_free_func (found, g_free);
  return g_strv_builder_end (builder);
}

/* NULL for every rule; an empty vector when the choice holds none. */
static GStrv
chosen_rules (TacitBacktestPage *self,
              gboolean          *all,
              GError           **error)
{
  *all = FALSE;
  switch (gtk_drop_down_get_selected (self->rules_dropdown))
    {
    case RULES_SELECTED:
      return g_strdupv (self->selected != NULL ? self->selected : (char *[]) { NULL });
    case RULES_MATCHING:
      return matching_rules (self, error);
    case RULES_ALL:
    default:
      *all = TRUE;
      return NULL;
    }
}

/* ---- running ---- */

/* Progress comes every 65,536 events: a short history reports none. */
static gboolean
pulse_cb (gpointer data)
{
  TacitBacktestPage *self = data;

  gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

static void
set_running (TacitBacktestPage *self,
             gboolean           running)
{
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  if (running)
    self->pulse_id = g_timeout_add (150, pulse_cb, self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backtest.run", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backtest.cancel", running);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), running);
  if (running)
    {
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
      gtk_progress_bar_set_text (self->progress_bar, _("Replaying the stored history…"));
    }
}

static void
progress_cb (double   fraction,
             gpointer data)
{
  TacitBacktestPage *self = data;
  g_autofree char *text = g_strdup_printf (_("Replaying the stored history… %.0f %%"), 100 * fraction);

  g_clear_handle_id (&self->pulse_id, g_source_remove);
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static int
firings_desc (gconstpointer a,
              gconstpointer b)
{
  const TacitBacktestRule *x = *(const TacitBacktestRule * const *) a;
  const TacitBacktestRule *y = *(const TacitBacktestRule * const *) b;

  return x->firings < y->firings ? 1 : x->firings > y->firings ? -1 : g_strcmp0 (x->rule, y->rule);
}

static void
show_chart (TacitBacktestPage *self)
{
  /* Borrowed rules: g_ptr_array_copy would keep the free function. */
  g_autoptr(GPtrArray) by_firings = g_ptr_array_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) series = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr(GArray) other = g_array_copy (self->result->hourly);
  gboolean has_other = FALSE;

  g_ptr_array_extend (by_firings, self->result->rules, NULL, NULL);
  g_ptr_array_sort (by_firings, firings_desc);
  for (guint i = 0; i < by_firings->len; i++)
    {
      TacitBacktestRule *rule = g_ptr_array_index (by_firings, i);

      if (rule->firings == 0)
        break;
      if (i >= CHART_SERIES - 1 && by_firings->len > CHART_SERIES)
        {
          has_other = TRUE;
          continue;
        }
      g_ptr_array_add (names, g_strdup (rule->rule));
      g_ptr_array_add (series, g_array_ref (rule->hourly));
      for (guint h = 0; h < other->len; h++)
        g_array_index (other, guint32, h) -= g_array_index (rule->hourly, guint32, h);
    }
  if (has_other)
    {
      g_ptr_array_add (names, g_strdup (_("other rules")));
      g_ptr_array_add (series, g_array_ref (other));
    }
  tacit_firings_chart_set_series (self->chart, self->result->hour0, series->len,
                                  (const char * const *) names->pdata, (GArray * const *) series->pdata);
}

static void
show_result (TacitBacktestPage *self)
{
  TacitBacktestResult *result = self->result;
  g_autofree char *summary = NULL;
  g_autofree char *from = tacit_time_format_ms (result->from);
  g_autofree char *to = tacit_time_format_ms (result->to);

  g_list_store_remove_all (self->rule_rows);
  g_list_store_remove_all (self->station_rows);
  for (guint i = 0; i < result->rules->len; i++)
    {
      g_autoptr(TacitRowItem) row = tacit_row_item_new (g_ptr_array_index (result->rules, i), NULL);
      g_list_store_append (self->rule_rows, row);
    }
  for (guint i = 0; i < result->stations->len; i++)
    {
      g_autoptr(TacitRowItem) row = tacit_row_item_new (&g_array_index (result->stations, TacitStationLoad, i), NULL);
      g_list_store_append (self->station_rows, row);
    }
  show_chart (self);
  summary = g_strdup_printf (_("%u rules replayed over %s … %s (%.3g hours, %lu events): "
                               "%lu firings. Acceptance and lift come from the answers "
                               "stored for this range."),
                             result->rules->len, from, to, result->hours, (gulong) result->n_events,
                             (gulong) result->n_suggestions);
  gtk_label_set_label (self->summary_label, summary);
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      data)
{
  g_autoptr(TacitBacktestPage) self = data;
  g_autoptr(GError) error = NULL;
  TacitBacktestResult *result = tacit_backtest_run_finish (res, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Cancel pressed (the page may be gone: it holds a reference). */
      if (self->content != NULL)
        {
          set_running (self, FALSE);
          gtk_label_set_label (self->summary_label, _("Backtest cancelled."));
        }
      g_clear_object (&self->cancellable);
      return;
    }
  g_clear_object (&self->cancellable);
  set_running (self, FALSE);
  if (result == NULL)
    {
      gtk_label_set_label (self->summary_label, error->message);
      return;
    }
  /* The rows point into the old result: drop them first. */
  g_list_store_remove_all (self->rule_rows);
  g_list_store_remove_all (self->station_rows);
  g_clear_pointer (&self->result, tacit_backtest_result_free);
  self->result = result;
  show_result (self);
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  TacitBacktestPage *self = TACIT_BACKTEST_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) rules = NULL;
  TacitTime from, to;
  gboolean all;

  if (self->cancellable != NULL)
    return;
  if (!read_time (self->from_entry, TACIT_TIME_MIN, &from) || !read_time (self->to_entry, TACIT_TIME_MAX, &to))
    {
      gtk_label_set_label (self->summary_label, _("Write times as 2026-11-02T06:00:00Z (RFC 3339)."));
      return;
    }
  if (from != TACIT_TIME_MIN && to != TACIT_TIME_MAX && to <= from)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->to_entry), "error");
      gtk_label_set_label (self->summary_label, _("The end of the range must come after its start."));
      return;
    }
  rules = chosen_rules (self, &all, &error);
  if (!all && (rules == NULL || rules[0] == NULL))
    {
      gtk_label_set_label (self->summary_label, error != NULL ? error->message : _("No rule is chosen."));
      return;
    }
  self->cancellable = g_cancellable_new ();
  set_running (self, TRUE);
  tacit_backtest_run_async (tacit_store_get_path (self->store), (const char * const *) rules, from, to,
                            progress_cb, self, self->cancellable, run_done_cb, g_object_ref (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TacitBacktestPage *self = TACIT_BACKTEST_PAGE (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
rules_choice_cb (TacitBacktestPage *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->filter_entry),
                            gtk_drop_down_get_selected (self->rules_dropdown) == RULES_MATCHING);
}

static void
tacit_backtest_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (tacit_backtest_page_parent_class)->map (widget);
  /* Events may have been imported since the page was built. */
  fill_default_range (TACIT_BACKTEST_PAGE (widget));
}

/* ---- the class ---- */

static void
tacit_backtest_page_dispose (GObject *object)
{
  TacitBacktestPage *self = TACIT_BACKTEST_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  if (self->rule_rows != NULL)
    g_list_store_remove_all (self->rule_rows);
  if (self->station_rows != NULL)
    g_list_store_remove_all (self->station_rows);
  gtk_widget_dispose_template (GTK_WIDGET (self), TACIT_TYPE_BACKTEST_PAGE);
  self->content = NULL;
  g_clear_object (&self->rule_rows);
  g_clear_object (&self->station_rows);
  g_clear_pointer (&self->result, tacit_backtest_result_free);
  g_clear_pointer (&self->selected, g_strfreev);
  g_clear_pointer (&self->actor, tacit_operator_free);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tacit_backtest_page_parent_class)->dispose (object);
}

static void
tacit_backtest_page_class_init (TacitBacktestPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tacit_backtest_page_dispose;
  widget_class->map = tacit_backtest_page_map;
  g_type_ensure (TACIT_TYPE_FIRINGS_CHART);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/dev/tacit/Tacit/ui/tacit-backtest-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TacitBacktestPage, content);
  gtk_widget_class_bind_template_child (widget_class, TacitBacktestPage, rules_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TacitBacktestPage, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, TacitBacktestPage, from_entry);
  gtk_widget_class_bind_template_child (widget_class, TacitBacktestPage, to_entry);
  gtk_widget_class_bind_template_child (widget_class, TacitBacktestPage, run_button);
  gtk_widget_class_bind_template_child (widget_class, TacitBacktestPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TacitBacktestPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TacitBacktestPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, TacitBacktestPage, chart);
  gtk_widget_class_bind_template_child (widget_class, TacitBacktestPage, rules_view);
  gtk_widget_class_bind_template_child (widget_class, TacitBacktestPage, stations_view);
  gtk_widget_class_install_action (widget_class, "backtest.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "backtest.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "backtest.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "backtest.cancel", NULL);
}

static void
tacit_backtest_page_init (TacitBacktestPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rule_rows = g_list_store_new (TACIT_TYPE_ROW_ITEM);
  self->station_rows = g_list_store_new (TACIT_TYPE_ROW_ITEM);
  gtk_column_view_set_model (self->rules_view,
                             GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->rule_rows)))));
  gtk_column_view_set_model (self->stations_view,
                             GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->station_rows)))));
  setup_columns (self);
  g_signal_connect_swapped (self->rules_dropdown, "notify::selected", G_CALLBACK (rules_choice_cb), self);
  set_running (self, FALSE);
}

GtkWidget *
tacit_backtest_page_new (TacitStore          *store,
                         const TacitOperator *actor)
{
  TacitBacktestPage *self;

  g_return_val_if_fail (TACIT_IS_STORE (store), NULL);

  self = g_object_new (TACIT_TYPE_BACKTEST_PAGE, NULL);
  self->store = g_object_ref (store);
  self->actor = actor != NULL ? tacit_operator_copy (actor) : NULL;
  return GTK_WIDGET (self);
}

void
tacit_backtest_page_set_rules (TacitBacktestPage  *self,
                               const char * const *rule_ids)
{
  g_return_if_fail (TACIT_IS_BACKTEST_PAGE (self));

  g_clear_pointer (&self->selected, g_strfreev);
  self->selected = rule_ids != NULL ? g_strdupv ((char **) rule_ids) : NULL;
  gtk_drop_down_set_selected (self->rules_dropdown, rule_ids != NULL ? RULES_SELECTED : RULES_ALL);
  fill_default_range (self);
}

gboolean
tacit_backtest_page_is_running (TacitBacktestPage *self)
{
  g_return_val_if_fail (TACIT_IS_BACKTEST_PAGE (self), FALSE);
  return self->cancellable != NULL;
}

guint
tacit_backtest_page_get_n_rules (TacitBacktestPage *self)
{
  g_return_val_if_fail (TACIT_IS_BACKTEST_PAGE (self), 0);
  return self->result != NULL ? self->result->rules->len : 0;
}
