/* tacit-cli-report.c: `tacit-cli report --rules`: per-rule evidence
 * (tacit-evidence.h) as a table or as JSON.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-cli.h"
#include "tacit-evidence.h"

#include <math.h>
#include <stdio.h>

typedef struct {
  gboolean rules;
  char    *format;
  char    *from;
  char    *to;
} ReportArgs;

static void
report_args_clear (ReportArgs *args)
{
  g_free (args->format);
  g_free (args->from);
  g_free (args->to);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ReportArgs, report_args_clear)

/* "k/n rate% [low,high]" in percent, or "-" when n is 0. */
static char *
format_proportion (const TacitProportion *p)
{
  if (p->n == 0)
    return g_strdup ("-");
  return g_strdup_printf ("%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " %.0f%% [%.0f,%.0f]",
                          p->k, p->n, 100 * p->rate, 100 * p->low, 100 * p->high);
}

static char *
format_lift (const TacitRuleEvidence *e)
{
  if (isnan (e->lift))
    return g_strdup ("-");
  return g_strdup_printf ("%+.0f pts [%+.0f,%+.0f]", 100 * e->lift, 100 * e->lift_low,
                          100 * e->lift_high);
}

static int
rule_width (GPtrArray *rows)
{
  int width = 24;

  for (guint i = 0; i < rows->len; i++)
    width = MAX (width, (int) g_utf8_strlen (((TacitRuleEvidence *) g_ptr_array_index (rows, i))->rule, -1));
  return width;
}

static void
print_table (GPtrArray *rows)
{
  int width = rule_width (rows);

  g_print ("%-*s %3s %7s %6s %6s %-22s %-22s %-22s %-22s %-22s %s\n",
           width, "RULE", "REV", "FIRINGS", "LIVE", "HELD", "ACCEPTED", "OUTCOME|ACCEPTED",
           "OUTCOME|DISMISSED", "OUTCOME|SHOWN", "OUTCOME|HELD-OUT", "LIFT (SHOWN-HELD)");
  for (guint i = 0; i < rows->len; i++)
    {
      const TacitRuleEvidence *e = g_ptr_array_index (rows, i);
      g_autofree char *acc = format_proportion (&e->acceptance);
      g_autofree char *oa = format_proportion (&e->outcome_accepted);
      g_autofree char *od = format_proportion (&e->outcome_dismissed);
      g_autofree char *os = format_proportion (&e->outcome_shown);
      g_autofree char *oh = format_proportion (&e->outcome_held_out);
      g_autofree char *lift = format_lift (e);

      g_print ("%-*s %3u %7" G_GUINT64_FORMAT " %6" G_GUINT64_FORMAT " %6" G_GUINT64_FORMAT
               " %-22s %-22s %-22s %-22s %-22s %s\n",
               width, e->rule, e->revision, e->firings, e->live, e->held_out, acc, oa, od, os, oh, lift);
    }
  if (rows->len == 0)
    g_print ("(no suggestions recorded in this range: run `tacit-cli replay --record` first)\n");
}

static void
print_json (GPtrArray *rows)
{
  g_autoptr(GString) out = g_string_new ("[");

  for (guint i = 0; i < rows->len; i++)
    {
      g_string_append (out, i > 0 ? ",\n" : "\n");
      tacit_rule_evidence_to_json (g_ptr_array_index (rows, i), out);
    }
  g_string_append (out, rows->len > 0 ? "\n]\n" : "]\n");
  fwrite (out->str, 1, out->len, stdout);
}

static int
run_report (const TacitCliGlobals *globals, gboolean json, TacitTime from, TacitTime to)
{
  g_autoptr(TacitStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  store = tacit_cli_open_store (globals, &error);
  if (store == NULL)
    return tacit_cli_fail (error);
  rows = tacit_evidence_compute (store, from, to, &error);
  if (rows == NULL)
    return tacit_cli_fail (error);
  if (json)
    print_json (rows);
  else
    print_table (rows);
  if (fflush (stdout) != 0)
    {
      g_printerr ("tacit-cli: cannot write the output\n");
      return TACIT_EXIT_IO;
    }
  return TACIT_EXIT_OK;
}

int
tacit_cli_report_command (const TacitCliGlobals *globals, int argc, char **argv)
{
  g_auto(ReportArgs) args = { 0 };
  const GOptionEntry entries[] = {
    { "rules", 0, 0, G_OPTION_ARG_NONE, &args.rules,
      "Per-rule evidence: firings, acceptance, outcome rates, lift over the holdout", NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &args.format, "Output: table (default) or json", "FORMAT" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &args.from, "Suggestions at or after T (RFC 3339)", "T" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &args.to, "Suggestions before T (RFC 3339)", "T" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("--rules - what the recorded suggestions show");
  TacitTime from = TACIT_TIME_MIN, to = TACIT_TIME_MAX;
  gboolean json = FALSE;
  int status = TACIT_EXIT_OK;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Rates are k/n with a 95% Wilson interval; an outcome counts when its window closed with\n"
    "at least one outcome event. Lift is the outcome rate when shown minus when held out\n"
    "(randomised holdout), in percentage points, with Newcombe's 95% interval.");
  if (!tacit_cli_parse (context, "report", &argc, &argv, &status))
    return status;
  if (argc > 1)
    return tacit_cli_usage_error ("report", "unexpected argument '%s'", argv[1]);
  if (!args.rules)
    return tacit_cli_usage_error ("report", "what to report? (--rules)");
  if (args.format != NULL && g_strcmp0 (args.format, "json") != 0 && g_strcmp0 (args.format, "table") != 0)
    return tacit_cli_usage_error ("report", "unknown --format '%s' (table, json)", args.format);
  json = g_strcmp0 (args.format, "json") == 0;
  if (!tacit_cli_parse_time ("--from", args.from, &from, &status) ||
      !tacit_cli_parse_time ("--to", args.to, &to, &status))
    return status;
  return run_report (globals, json, from, to);
}
