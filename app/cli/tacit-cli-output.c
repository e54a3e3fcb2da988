/* tacit-cli-output.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-cli-output.h"
#include "tacit-json.h"

#include <string.h>

gboolean
tacit_output_format_from_string (const char *text, TacitOutputFormat *out)
{
  if (g_strcmp0 (text, "jsonl") == 0)
    *out = TACIT_OUTPUT_JSONL;
  else if (g_strcmp0 (text, "table") == 0)
    *out = TACIT_OUTPUT_TABLE;
  else
    return FALSE;
  return TRUE;
}

static void
append_actions (GString *out, const TacitRule *rule)
{
  g_string_append_c (out, '[');
  for (guint i = 0; rule->actions != NULL && i < rule->actions->len; i++)
    {
      const TacitAction *action = g_ptr_array_index (rule->actions, i);
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '{');
      tacit_json_append_key (out, "parameter", TRUE);
      tacit_json_append_string (out, action->parameter);
      tacit_json_append_key (out, "change", FALSE);
      tacit_json_append_string (out, action->change);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
}

/* SPEC: time, machine, rule, revision, kind, severity, mode, text, trigger
 * first and in that order; then what else a suggestion carries. */
void
tacit_output_suggestion_jsonl (GString *out, TacitSuggestion *s, const char *lang)
{
  char time[TACIT_TIME_FORMAT_LEN];
  const TacitRule *rule = s->rule;

  g_string_append_c (out, '{');
  tacit_json_append_key (out, "time", TRUE);
  tacit_json_append_string (out, tacit_time_format_ms_buf (s->time, time));
  tacit_json_append_key (out, "machine", FALSE);
  tacit_json_append_string (out, s->machine);
  tacit_json_append_key (out, "rule", FALSE);
  tacit_json_append_string (out, rule->id);
  tacit_json_append_key (out, "revision", FALSE);
  g_string_append_printf (out, "%u", rule->revision);
  tacit_json_append_key (out, "kind", FALSE);
  tacit_json_append_string (out, tacit_rule_kind_to_string (rule->kind));
  tacit_json_append_key (out, "severity", FALSE);
  tacit_json_append_string (out, tacit_severity_to_string (rule->severity));
  tacit_json_append_key (out, "mode", FALSE);
  tacit_json_append_string (out, tacit_mode_to_string (s->mode));
  tacit_json_append_key (out, "text", FALSE);
  tacit_json_append_string (out, tacit_rule_get_text (rule, lang));
  tacit_json_append_key (out, "trigger", FALSE);
  g_string_append_c (out, '{');
  tacit_json_append_key (out, "kind", TRUE);
  tacit_json_append_string (out, tacit_kind_to_string (s->trigger->kind));
  tacit_json_append_key (out, "item", FALSE);
  tacit_json_append_string (out, s->trigger->item);
  tacit_json_append_key (out, "value", FALSE);
  tacit_json_append_string (out, s->trigger->value);
  tacit_json_append_key (out, "code", FALSE);
  tacit_json_append_string (out, s->trigger->code);
  g_string_append_c (out, '}');
  tacit_json_append_key (out, "trigger_time", FALSE);
  tacit_json_append_string (out, tacit_time_format_ms_buf (s->trigger->time, time));
  tacit_json_append_key (out, "id", FALSE);
  tacit_json_append_string (out, s->id);
  tacit_json_append_key (out, "propensity", FALSE);
  tacit_json_append_double (out, s->propensity);
  tacit_json_append_key (out, "actions", FALSE);
  append_actions (out, rule);
  tacit_json_append_key (out, "outcome", FALSE);
  if (s->has_outcome && s->outcome_closed)
    g_string_append_printf (out, "%u", s->outcome);
  else
    g_string_append (out, "null");
  g_string_append (out, "}\n");
}

void
tacit_output_table_header (GString *out)
{
  g_string_append_printf (out, "%-24s  %-12s  %-24s  %3s  %-8s  %-8s  %s\n",
                          "TIME", "MACHINE", "RULE", "REV", "SEVERITY", "MODE", "ADVICE");
}

void
tacit_output_suggestion_table (GString *out, TacitSuggestion *s, const char *lang)
{
  char time[TACIT_TIME_FORMAT_LEN];
  g_autofree char *text = g_strdup (tacit_rule_get_text (s->rule, lang));

  /* One suggestion, one line. */
  g_strdelimit (text, "\r\n\t", ' ');
  g_string_append_printf (out, "%-24s  %-12s  %-24s  %3u  %-8s  %-8s  %s\n",
                          tacit_time_format_ms_buf (s->time, time), s->machine, s->rule->id,
                          s->rule->revision, tacit_severity_to_string (s->rule->severity),
                          tacit_mode_to_string (s->mode), text);
}

static void
stats_flags (GString *out, const TacitRuleStats *st)
{
  gsize start = out->len;

  if (st->flood)
    g_string_append (out, "flood");
  if (st->chattering)
    g_string_append_printf (out, "%schattering", out->len > start ? "," : "");
  if (out->len == start)
    g_string_append_c (out, '-');
}

static void
stats_jsonl (GString *out, const TacitRuleStats *st, double hours)
{
  g_string_append_c (out, '{');
  tacit_json_append_key (out, "rule", TRUE);
  tacit_json_append_string (out, st->rule->id);
  tacit_json_append_key (out, "revision", FALSE);
  g_string_append_printf (out, "%u", st->rule->revision);
  tacit_json_append_key (out, "firings", FALSE);
  g_string_append_printf (out, "%" G_GUINT64_FORMAT, st->firings);
  tacit_json_append_key (out, "suppressed", FALSE);
  g_string_append_printf (out, "%" G_GUINT64_FORMAT, st->suppressed);
  tacit_json_append_key (out, "per_hour", FALSE);
  if (hours > 0)
    tacit_json_append_double (out, st->firings / hours);
  else
    g_string_append (out, "null");
  tacit_json_append_key (out, "flood", FALSE);
  g_string_append (out, st->flood ? "true" : "false");
  tacit_json_append_key (out, "chattering", FALSE);
  g_string_append (out, st->chattering ? "true" : "false");
  g_string_append (out, "}\n");
}

void
tacit_output_stats (GString *out, TacitOutputFormat format, const TacitRuleStats *stats,
                    guint n_stats, double hours)
{
  if (format == TACIT_OUTPUT_TABLE)
    g_string_append_printf (out, "%-32s  %3s  %8s  %10s  %10s  %s\n",
                            "RULE", "REV", "FIRINGS", "SUPPRESSED", "PER HOUR", "FLAGS");
  for (guint i = 0; i < n_stats; i++)
    {
      const TacitRuleStats *st = &stats[i];

      if (format == TACIT_OUTPUT_JSONL)
        {
          stats_jsonl (out, st, hours);
          continue;
        }
      g_string_append_printf (out, "%-32s  %3u  %8" G_GUINT64_FORMAT "  %10" G_GUINT64_FORMAT "  ",
                              st->rule->id, st->rule->revision, st->firings, st->suppressed);
      if (hours > 0)
        g_string_append_printf (out, "%10.3g  ", st->firings / hours);
      else
        g_string_append_printf (out, "%10s  ", "-");
      stats_flags (out, st);
      g_string_append_c (out, '\n');
    }
}

static void
station_jsonl (GString *out, const TacitStationLoad *load)
{
  g_string_append_c (out, '{');
  tacit_json_append_key (out, "station", TRUE);
  tacit_json_append_string (out, load->station);
  tacit_json_append_key (out, "suggestions", FALSE);
  g_string_append_printf (out, "%" G_GUINT64_FORMAT, load->suggestions);
  tacit_json_append_key (out, "per_10min_mean", FALSE);
  tacit_json_append_double (out, load->per_window_mean);
  tacit_json_append_key (out, "per_10min_peak", FALSE);
  g_string_append_printf (out, "%" G_GUINT64_FORMAT, load->per_window_peak);
  tacit_json_append_key (out, "flood_share", FALSE);
  tacit_json_append_double (out, load->flood_share);
  tacit_json_append_key (out, "top10_share", FALSE);
  tacit_json_append_double (out, load->top10_share);
  tacit_json_append_key (out, "stale_shelves", FALSE);
  if (load->stale_shelves >= 0)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, load->stale_shelves);
  else
    g_string_append (out, "null");
  g_string_append (out, "}\n");
}

void
tacit_output_station_loads (GString *out, TacitOutputFormat format, GArray *stations)
{
  if (format == TACIT_OUTPUT_TABLE)
    g_string_append_printf (out, "\n%-20s  %11s  %14s  %14s  %7s  %7s  %13s\n", "STATION", "SUGGESTIONS",
                            "PER 10 MIN AVG", "PER 10 MIN MAX", "FLOOD", "TOP 10", "STALE SHELVES");
  for (guint i = 0; i < stations->len; i++)
    {
      const TacitStationLoad *load = &g_array_index (stations, TacitStationLoad, i);

      if (format == TACIT_OUTPUT_JSONL)
        station_jsonl (out, load);
      else
        {
          g_string_append_printf (out, "%-20s  %11" G_GUINT64_FORMAT "  %14.2f  %14" G_GUINT64_FORMAT
                                  "  %6.1f%%  %6.1f%%  ", load->station, load->suggestions,
                                  load->per_window_mean, load->per_window_peak,
                                  100 * load->flood_share, 100 * load->top10_share);
          if (load->stale_shelves >= 0)
            g_string_append_printf (out, "%13" G_GINT64_FORMAT "\n", load->stale_shelves);
          else
            g_string_append_printf (out, "%13s\n", "-");
        }
    }
}
