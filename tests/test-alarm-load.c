/* test-alarm-load.c: ISA-18.2 / EEMUA 191 figures per station, against
 * hand-counted suggestions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-alarm-load.h"

#define MIN_US (G_GINT64_CONSTANT (60) * TACIT_USEC_PER_SEC)

static TacitSuggestion *
suggestion (TacitRule *rule, const char *machine, TacitTime t, TacitMode mode)
{
  TacitSuggestion *s = tacit_suggestion_new ();

  s->rule = tacit_rule_ref (rule);
  s->machine = g_strdup (machine);
  s->time = t;
  s->mode = mode;
  return s;
}

static TacitRule *
rule_named (const char *id)
{
  TacitRule *rule = tacit_rule_new ();

  rule->id = g_strdup (id);
  return rule;
}

static void
add (TacitAlarmLoad *load, TacitRule *rule, const char *machine, TacitTime t, TacitMode mode)
{
  g_autoptr(TacitSuggestion) s = suggestion (rule, machine, t, mode);
  tacit_alarm_load_add (load, s);
}

static void
test_station_figures (void)
{
  g_autoptr(TacitLibrary) library = tacit_library_new ();
  g_autoptr(TacitAlarmLoad) load = NULL;
  g_autoptr(GArray) figures = NULL;
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func ((GDestroyNotify) tacit_rule_unref);
  const TacitStationLoad *stamping, *lone;

  tacit_library_add_machine (library, "press-1", NULL, "press", "stamping");
  tacit_library_add_machine (library, "press-2", NULL, "press", "stamping");
  load = tacit_alarm_load_new (library);
  for (int i = 0; i < 12; i++)
    {
      char id[8];
      g_snprintf (id, sizeof id, "r%02d", i);
      g_ptr_array_add (rules, rule_named (id));
    }

  /* Stamping, one hour = 6 windows. Window 0: 12 suggestions, one per rule
   * (a flood; the shadow one counts: it would be shown once approved).
   * Window 3: 2 more of r00. A held-out suggestion is never shown and
   * does not count. */
  for (int i = 0; i < 12; i++)
    add (load, g_ptr_array_index (rules, i), i % 2 ? "press-1" : "press-2", i * 20 * TACIT_USEC_PER_SEC,
         i == 11 ? TACIT_MODE_SHADOW : TACIT_MODE_LIVE);
  add (load, g_ptr_array_index (rules, 0), "press-1", 31 * MIN_US, TACIT_MODE_LIVE);
  add (load, g_ptr_array_index (rules, 0), "press-2", 35 * MIN_US, TACIT_MODE_LIVE);
  add (load, g_ptr_array_index (rules, 1), "press-2", 36 * MIN_US, TACIT_MODE_HELD_OUT);
  /* A machine with no cell is its own station. */
  add (load, g_ptr_array_index (rules, 5), "lathe-9", 50 * MIN_US, TACIT_MODE_LIVE);

  figures = tacit_alarm_load_compute (load, 0, 60 * MIN_US);
  g_assert_cmpuint (figures->len, ==, 2);
  lone = &g_array_index (figures, TacitStationLoad, 0);
  stamping = &g_array_index (figures, TacitStationLoad, 1);

  g_assert_cmpstr (lone->station, ==, "lathe-9");
  g_assert_cmpuint (lone->suggestions, ==, 1);
  g_assert_cmpuint (lone->per_window_peak, ==, 1);
  g_assert_cmpfloat (lone->flood_share, ==, 0.0);
  g_assert_cmpfloat (lone->top10_share, ==, 1.0);

  g_assert_cmpstr (stamping->station, ==, "stamping");
  g_assert_cmpuint (stamping->suggestions, ==, 14);
  g_assert_cmpuint (stamping->windows, ==, 6);
  g_assert_cmpfloat_with_epsilon (stamping->per_window_mean, 14.0 / 6, 1e-12);
  g_assert_cmpuint (stamping->per_window_peak, ==, 12);
  g_assert_cmpfloat_with_epsilon (stamping->flood_share, 1.0 / 6, 1e-12);
  /* r00 has 3, nine more rules 1 each: the top 10 hold 12 of 14. */
  g_assert_cmpfloat_with_epsilon (stamping->top10_share, 12.0 / 14, 1e-12);
}

static void
test_exactly_ten_is_no_flood (void)
{
  g_autoptr(TacitLibrary) library = tacit_library_new ();
  g_autoptr(TacitAlarmLoad) load = tacit_alarm_load_new (library);
  g_autoptr(TacitRule) rule = rule_named ("r");
  g_autoptr(GArray) figures = NULL;

  for (int i = 0; i < 10; i++)
    add (load, rule, "m", i * TACIT_USEC_PER_SEC, TACIT_MODE_LIVE);
  figures = tacit_alarm_load_compute (load, 0, 10 * MIN_US);
  g_assert_cmpuint (g_array_index (figures, TacitStationLoad, 0).per_window_peak, ==, 10);
  g_assert_cmpfloat (g_array_index (figures, TacitStationLoad, 0).flood_share, ==, 0.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/alarm-load/station-figures", test_station_figures);
  g_test_add_func ("/alarm-load/ten-is-no-flood", test_exactly_ten_is_no_flood);
  return g_test_run ();
}
