/* test-engine.c: one test per clause of SPEC "Engine semantics", plus the
 * edge cases around them.
 *
 * Each test states a small library and a CSV event log inline and compares
 * the suggestions the engine produced, one line each:
 *   "HH:MM:SS.mmm machine rule mode [trigger HH:MM:SS.mmm] [outcome N|null]"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tacit-engine.h"
#include "tacit-error.h"
#include "tacit-event-reader.h"
#include "tacit-library-xml.h"
#include "tacit-replay.h"
#include "tacit-test-utils.h"

#define MACHINES \
  "<machines>" \
  "<machine id='press-1' class='press' cell='stamping'/>" \
  "<machine id='press-2' class='press' cell='stamping'/>" \
  "<machine id='cnc-1' class='cnc' cell='machining'/>" \
  "</machines>"

#define LIB(rules) \
  "<library xmlns='urn:tacit:rules:1' name='test' revision='1'>" MACHINES rules "</library>"

/* A rule with an id, a trigger and extra elements between <on> and <advise>. */
#define RULE_FULL(id, status, on, middle, advise_attrs, tail) \
  "<rule id='" id "' kind='process-hack' status='" status "'>" \
  "<title>t</title>" on middle \
  "<advise" advise_attrs "><text>advice " id "</text></advise>" tail "</rule>"

#define RULE(id, on, middle) RULE_FULL (id, "approved", on, middle, "", "")

#define CSV_HEADER "time,machine,kind,item,value,code\n"

typedef struct {
  GString *lines;
  gboolean show_trigger;
} Collected;

static void
clock_of (TacitTime t, char *buf)
{
  char full[TACIT_TIME_FORMAT_LEN];

  tacit_time_format_ms_buf (t, full);
  /* "2026-11-02T06:00:01.250Z" → "06:00:01.250" */
  memcpy (buf, full + 11, 12);
  buf[12] = '\0';
}

static void
collect_cb (TacitSuggestion *s, gpointer data)
{
  Collected *c = data;
  char t[16], tt[16];

  clock_of (s->time, t);
  g_string_append_printf (c->lines, "%s %s %s %s", t, s->machine, s->rule->id,
                          tacit_mode_to_string (s->mode));
  if (c->show_trigger)
    {
      clock_of (s->trigger->time, tt);
      g_string_append_printf (c->lines, " trigger %s", tt);
    }
  if (s->has_outcome)
    {
      if (s->outcome_closed)
        g_string_append_printf (c->lines, " outcome %u", s->outcome);
      else
        g_string_append (c->lines, " outcome null");
    }
  g_string_append_c (c->lines, '\n');
}

static TacitLibrary *
load_library (const char *xml)
{
  g_autoptr(GError) error = NULL;
  TacitLibrary *library = tacit_library_load_data (xml, strlen (xml), "test.xml", &error);

  g_assert_no_error (error);
  g_assert_nonnull (library);
  return library;
}

static TacitEngine *
run_engine (const char *library_xml, const char *csv, Collected *c)
{
  g_autoptr(TacitLibrary) library = load_library (library_xml);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (csv, strlen (csv), NULL);
  g_autoptr(TacitEventReader) reader =
    tacit_event_reader_new_for_stream (stream, "events.csv", TACIT_EVENT_FORMAT_CSV, 0);
  g_autoptr(GError) error = NULL;
  TacitEngine *engine = tacit_engine_new (library);
  TacitEvent event;

  tacit_engine_set_ready_func (engine, collect_cb, c);
  while (tacit_event_reader_next (reader, &event, &error))
    {
      g_assert_true (tacit_engine_push (engine, &event, &error));
      g_assert_no_error (error);
    }
  g_assert_no_error (error);
  tacit_engine_finish (engine);
  return engine;
}

/* The suggestions, one line each. */
static char *
replay (const char *library_xml, const char *csv)
{
  Collected c = { g_string_new (NULL), FALSE };
  g_autoptr(TacitEngine) engine = run_engine (library_xml, csv, &c);

  return g_string_free (c.lines, FALSE);
}

static char *
replay_with_triggers (const char *library_xml, const char *csv)
{
  Collected c = { g_string_new (NULL), TRUE };
  g_autoptr(TacitEngine) engine = run_engine (library_xml, csv, &c);

  return g_string_free (c.lines, FALSE);
}

#define ASSERT_REPLAY(lib, csv, expected) G_STMT_START { \
    g_autofree char *got_ = replay (lib, csv); \
    g_assert_cmpstr (got_, ==, expected); \
  } G_STMT_END

#define T(s) "2026-11-02T06:" s "Z"

/* ---------------------------------------------------- 1. order of events */

static void
test_equal_times_keep_input_order (void)
{
  /* Two machines report at the same instant: firings follow input order. */
  const char *lib = LIB (RULE ("r", "<on kind='sample' item='oil_temp' op='gt' value='55'/>", ""));
  const char *csv = CSV_HEADER
    T ("00:01.000") ",press-2,sample,oil_temp,60,\n"
    T ("00:01.000") ",press-1,sample,oil_temp,60,\n";

  ASSERT_REPLAY (lib, csv,
                 "06:00:01.000 press-2 r live\n"
                 "06:00:01.000 press-1 r live\n");
}

static void
replay_sink_cb (TacitSuggestion *s, gpointer data)
{
  collect_cb (s, data);
}

static void
restart_sink_cb (gpointer data)
{
  Collected *c = data;
  g_string_truncate (c->lines, 0);
}

static void
test_unsorted_file_is_replayed_in_time_order (void)
{
  const char *lib = LIB (RULE ("r", "<on kind='event' item='lot'/>", ""));
  const char *csv = CSV_HEADER
    T ("00:03.000") ",press-1,event,lot,C,\n"
    T ("00:01.000") ",press-1,event,lot,A,\n"
    T ("00:02.000") ",press-1,event,lot,B,\n"
    T ("00:01.000") ",press-2,event,lot,A,\n";
  g_autofree char *lib_path = tacit_test_write_file ("lib.xml", lib, -1);
  g_autofree char *csv_path = tacit_test_write_file ("events.csv", csv, -1);
  g_autoptr(TacitLibrary) library = tacit_library_load_file (lib_path, NULL);
  const char *paths[] = { csv_path, NULL };
  Collected c = { g_string_new (NULL), FALSE };
  TacitReplaySink sink = { replay_sink_cb, restart_sink_cb, NULL, &c };
  TacitReplayOptions options;
  g_autoptr(TacitEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *got = NULL;

  tacit_replay_options_init (&options);
  engine = tacit_replay_files (library, paths, &options, &sink, &error);
  g_assert_no_error (error);
  got = g_string_free (c.lines, FALSE);
  g_assert_cmpstr (got, ==,
                   "06:00:01.000 press-1 r live\n"
                   "06:00:01.000 press-2 r live\n"
                   "06:00:02.000 press-1 r live\n"
                   "06:00:03.000 press-1 r live\n");
}

static void
test_engine_refuses_older_event (void)
{
  g_autoptr(TacitLibrary) library = load_library (LIB (""));
  g_autoptr(TacitEngine) engine = tacit_engine_new (library);
  g_autoptr(GError) error = NULL;
  TacitEvent e = { 2000000, "m", TACIT_KIND_SAMPLE, "x", "1", NULL, NULL };

  g_assert_true (tacit_engine_push (engine, &e, &error));
  e.time = 1000000;
  g_assert_false (tacit_engine_push (engine, &e, &error));
  g_assert_error (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_UNSORTED);
}

static void
test_latest_value_per_item (void)
{
  /* The state condition reads the latest value of another item. */
  const char *lib = LIB (RULE ("r", "<on kind='event' item='go' edge='every'/>",
                               "<if><state item='lot' value='B'/></if>"));
  const char *csv = CSV_HEADER
    T ("00:01.000") ",press-1,event,lot,A,\n"
    T ("00:02.000") ",press-1,event,go,1,\n"
    T ("00:03.000") ",press-1,event,lot,B,\n"
    T ("00:04.000") ",press-1,event,go,1,\n"
    T ("00:05.000") ",press-2,event,go,1,\n";

  ASSERT_REPLAY (lib, csv, "06:00:04.000 press-1 r live\n");
}

/* ------------------------------------------------------------ 2. trigger */

static void
test_trigger_matches_kind_item_code (void)
{
  const char *lib = LIB (RULE ("r", "<on kind='condition' item='hydraulic' value='fault' code='E1234'/>", ""));
  const char *csv = CSV_HEADER
    T ("00:01.000") ",press-1,condition,hydraulic,fault,E999\n"   /* wrong code */
    T ("00:02.000") ",press-1,event,hydraulic,fault,E1234\n"      /* wrong kind */
    T ("00:03.000") ",press-1,condition,pneumatic,fault,E1234\n"  /* wrong item */
    T ("00:04.000") ",press-1,condition,hydraulic,warning,E1234\n" /* wrong value */
    T ("00:05.000") ",press-1,condition,hydraulic,fault,E1234\n";

  ASSERT_REPLAY (lib, csv, "06:00:05.000 press-1 r live\n");
}

static void
test_trigger_scope (void)
{
  const char *lib = LIB (
    RULE_FULL ("by-class", "approved", "<scope class='press'/><on kind='event' item='x'/>", "", "", "")
    RULE_FULL ("by-cell", "approved", "<scope cell='machining'/><on kind='event' item='x'/>", "", "", "")
    RULE_FULL ("by-machine", "approved", "<scope machine='press-2'/><scope machine='ghost'/><on kind='event' item='x'/>", "", "", "")
    RULE_FULL ("everywhere", "approved", "<on kind='event' item='x'/>", "", "", ""));
  const char *csv = CSV_HEADER
    T ("00:01.000") ",press-1,event,x,1,\n"
    T ("00:02.000") ",press-2,event,x,1,\n"
    T ("00:03.000") ",cnc-1,event,x,1,\n"
    T ("00:04.000") ",unknown-9,event,x,1,\n";

  ASSERT_REPLAY (lib, csv,
                 "06:00:01.000 press-1 by-class live\n"
                 "06:00:01.000 press-1 everywhere live\n"
                 "06:00:02.000 press-2 by-class live\n"
                 "06:00:02.000 press-2 by-machine live\n"
                 "06:00:02.000 press-2 everywhere live\n"
                 "06:00:03.000 cnc-1 by-cell live\n"
                 "06:00:03.000 cnc-1 everywhere live\n"
                 "06:00:04.000 unknown-9 everywhere live\n");
}

static void
test_trigger_rises_with_predicate (void)
{
  /* Fires when the predicate becomes true, not while it stays true. */
  const char *lib = LIB (RULE ("r", "<on kind='sample' item='oil_temp' op='gt' value='55'/>", ""));
  const char *csv = CSV_HEADER
    T ("00:01.000") ",press-1,sample,oil_temp,50,\n"
    T ("00:02.000") ",press-1,sample,oil_temp,56,\n"
    T ("00:03.000") ",press-1,sample,oil_temp,57,\n"
    T ("00:04.000") ",press-1,sample,oil_temp,54,\n"
    T ("00:05.000") ",press-1,sample,oil_temp,58,\n";

  ASSERT_REPLAY (lib, csv,
                 "06:00:02.000 press-1 r live\n"
                 "06:00:05.000 press-1 r live\n");
}

static void
test_trigger_first_event_matching_fires (void)
{
  /* With no previous event, a match is a rise. */
  const char *lib = LIB (RULE ("r", "<on kind='sample' item='oil_temp' op='gt' value='55'/>", ""));
  const char *csv = CSV_HEADER T ("00:01.000") ",press-1,sample,oil_temp,60,\n";

  ASSERT_REPLAY (lib, csv, "06:00:01.000 press-1 r live\n");
}

static void
test_trigger_rises_with_code_only (void)
{
  const char *lib = LIB (RULE ("r", "<on kind='condition' item='hydraulic' code='E1234'/>", ""));
  const char *csv = CSV_HEADER
    T ("00:01.000") ",press-1,condition,hydraulic,fault,E1234\n"
    T ("00:02.000") ",press-1,condition,hydraulic,warning,E1234\n"  /* still matches */
    T ("00:03.000") ",press-1,condition,hydraulic,normal,\n"
    T ("00:04.000") ",press-1,condition,hydraulic,fault,E1234\n";

  ASSERT_REPLAY (lib, csv,
                 "06:00:01.000 press-1 r live\n"
                 "06:00:04.000 press-1 r live\n");
}

static void
test_trigger_fires_on_change (void)
{
  /* No predicate, no code: the first event and every change fire. */
  const char *lib = LIB (RULE ("r", "<on kind='event' item='material_lot'/>", ""));
  const char *csv = CSV_HEADER
    T ("00:01.000") ",press-1,event,material_lot,L1,\n"
    T ("00:02.000") ",press-1,event,material_lot,L1,\n"
    T ("00:03.000") ",press-1,event,material_lot,L2,\n"
    T ("00:04.000") ",press-2,event,material_lot,L2,\n"
    T ("00:05.000") ",press-1,event,material_lot,L2,\n";

  ASSERT_REPLAY (lib, csv,
                 "06:00:01.000 press-1 r live\n"
                 "06:00:03.000 press-1 r live\n"
                 "06:00:04.000 press-2 r live\n");
}

static void
test_change_compares_numbers_numerically (void)
{
  const char *lib = LIB (RULE ("r", "<on kind='sample' item='speed'/>", ""));
  const char *csv = CSV_HEADER
    T ("00:01.000") ",press-1,sample,speed,55,\n"
    T ("00:02.000") ",press-1,sample,speed,55.0,\n"
    T ("00:03.000") ",press-1,sample,speed,56,\n";

  ASSERT_REPLAY (lib, csv,
                 "06:00:01.000 press-1 r live\n"
                 "06:00:03.000 press-1 r live\n");
}

static void
test_previous_event_is_per_kind_and_item (void)
{
  /* "The previous event" is of the same machine, kind and item: another
   * item in between does not break the run. */
  const char *lib = LIB (RULE ("r", "<on kind='sample' op='gt' value='10'/>", ""));
  const char *csv = CSV_HEADER
    T ("00:01.000") ",press-1,sample,a,20,\n"
    T ("00:02.000") ",press-1,sample,b,5,\n"
    T ("00:03.000") ",press-1,sample,a,30,\n"
    T ("00:04.000") ",press-1,sample,b,15,\n";

  ASSERT_REPLAY (lib, csv,
                 "06:00:01.000 press-1 r live\n"
                 "06:00:04.000 press-1 r live\n");
}

static void
test_trigger_edge_every (void)
{
  const char *lib = LIB (RULE ("r", "<on kind='sample' item='oil_temp' op='gt' value='55' edge='every'/>", ""));
  const char *csv = CSV_HEADER
    T ("00:01.000") ",press-1,sample,oil_temp,56,\n"
    T ("00:02.000") ",press-1,sample,oil_temp,57,\n"
    T ("00:03.000") ",press-1,sample,oil_temp,50,\n"
    T ("00:04.000") ",press-1,sample,oil_temp,58,\n";

  ASSERT_REPLAY (lib, csv,
                 "06:00:01.000 press-1 r live\n"
                 "06:00:02.000 press-1 r live\n"
                 "06:00:04.000 press-1 r live\n");
}

static void
test_unavailable_matches_nothing (void)
{
  /* UNAVAILABLE is unknown: no predicate holds (not even ne) and it is not
   * a change; the next known value counts as a change again. */
  const char *lib = LIB (
    RULE ("change", "<on kind='event' item='lot'/>", "")
    RULE ("ne", "<on kind='sample' item='t' op='ne' value='5'/>", ""));
  const char *csv = CSV_HEADER
    T ("00:01.000") ",press-1,event,lot,A,\n"
    T ("00:02.000") ",press-1,event,lot,UNAVAILABLE,\n"
    T ("00:03.000") ",press-1,event,lot,A,\n"
    T ("00:04.000") ",press-1,sample,t,unavailable,\n"
    T ("00:05.000") ",press-1,sample,t,6,\n";

  ASSERT_REPLAY (lib, csv,
                 "06:00:01.000 press-1 change live\n"
                 "06:00:03.000 press-1 change live\n"
                 "06:00:05.000 press-1 ne live\n");
}

static void
test_numeric_and_string_comparison (void)
{
  /* "9" < "10" numerically; strings only compare for eq/ne/in: gt 0 never
   * holds on "B". */
  const char *lib = LIB (
    RULE ("num-lt", "<on kind='sample' item='v' op='lt' value='10' edge='every'/>", "")
    RULE ("str-eq", "<on kind='event' item='s' value='B' edge='every'/>", "")
    RULE ("str-gt", "<on kind='event' item='s' op='gt' value='0' edge='every'/>", "")
    RULE ("str-in", "<on kind='event' item='s' op='in' value='B|C' edge='every'/>", "")
    RULE ("between", "<on kind='sample' item='v' op='between' value='9..10' edge='every'/>", ""));
  const char *csv = CSV_HEADER
    T ("00:01.000") ",press-1,sample,v,9,\n"
    T ("00:02.000") ",press-1,sample,v,10.0,\n"
    T ("00:03.000") ",press-1,event,s,B,\n"
    T ("00:04.000") ",press-1,event,s,b,\n"
    T ("00:05.000") ",press-1,event,s,C,\n";

  ASSERT_REPLAY (lib, csv,
                 "06:00:01.000 press-1 between live\n"
                 "06:00:01.000 press-1 num-lt live\n"
                 "06:00:02.000 press-1 between live\n"
                 "06:00:03.000 press-1 str-eq live\n"
                 "06:00:03.000 press-1 str-in live\n"
                 "06:00:05.000 press-1 str-in live\n");
}

/* ----------------------------------------------------------- on-delay */

#define DELAY_RULE RULE ("r", "<on kind='sample' item='oil_temp' op='gt' value='55' for='2s'/>", "")

static void
test_on_delay_fires_after_delay (void)
{
  const char *csv = CSV_HEADER
    T ("00:01.000") ",press-1,sample,oil_temp,60,\n"
    T ("00:02.000") ",press-1,sample,oil_temp,61,\n"   /* still matching */
    T ("00:05.000") ",press-1,sample,oil_temp,62,\n";
  g_autofree char *got = replay_with_triggers (LIB (DELAY_RULE), csv);

  /* time is t0 + D, the trigger the event at t0. */
  g_assert_cmpstr (got, ==, "06:00:03.000 press-1 r live trigger 06:00:01.000\n");
}

static void
test_on_delay_cancelled_by_break (void)
{
  const char *csv = CSV_HEADER
    T ("00:01.000") ",press-1,sample,oil_temp,60,\n"
    T ("00:02.000") ",press-1,sample,oil_temp,50,\n"   /* breaks it */
    T ("00:02.500") ",press-1,sample,oil_temp,60,\n"   /* new rise */
    T ("00:03.000") ",press-1,sample,other,1,\n"
    T ("00:09.000") ",press-1,sample,other,1,\n";
  g_autofree char *got = replay_with_triggers (LIB (DELAY_RULE), csv);

  g_assert_cmpstr (got, ==, "06:00:04.500 press-1 r live trigger 06:00:02.500\n");
}

static void
test_on_delay_not_cancelled_by_other_machine_or_item (void)
{
  const char *csv = CSV_HEADER
    T ("00:01.000") ",press-1,sample,oil_temp,60,\n"
    T ("00:02.000") ",press-2,sample,oil_temp,50,\n"
    T ("00:02.000") ",press-1,sample,die_temp,50,\n"
    T ("00:04.000") ",press-1,sample,oil_temp,61,\n";

  ASSERT_REPLAY (LIB (DELAY_RULE), csv, "06:00:03.000 press-1 r live\n");
}

static void
test_on_delay_due_at_event_time_fires_first (void)
{
  /* An event exactly at t0 + D does not cancel: the on-delay fires
   * before that event is processed, and before its own firings. */
  const char *lib = LIB (DELAY_RULE RULE ("a-first", "<on kind='sample' item='oil_temp' edge='every'/>", ""));
  const char *csv = CSV_HEADER
    T ("00:01.000") ",press-1,sample,oil_temp,60,\n"
    T ("00:03.000") ",press-1,sample,oil_temp,40,\n";

  ASSERT_REPLAY (lib, csv,
                 "06:00:01.000 press-1 a-first live\n"
                 "06:00:03.000 press-1 r live\n"
                 "06:00:03.000 press-1 a-first live\n");
}

static void
test_on_delay_after_last_event_never_fires (void)
{
  const char *csv = CSV_HEADER
    T ("00:01.000") ",press-1,sample,oil_temp,60,\n"
    T ("00:02.000") ",press-1,sample,oil_temp,61,\n";

  ASSERT_REPLAY (LIB (DELAY_RULE), csv, "");
}

static void
test_on_delay_conditions_at_firing_time (void)
{
  /* Conditions are checked at t0 + D, over the events processed by then. */
  const char *lib = LIB (RULE ("r", "<on kind='sample' item='oil_temp' op='gt' value='55' for='2s'/>",
                               "<if><state item='lot' value='B'/></if>"));
  const char *csv = CSV_HEADER
    T ("00:01.000") ",press-1,sample,oil_temp,60,\n"
    T ("00:01.500") ",press-1,event,lot,B,\n"
    T ("00:05.000") ",press-1,event,lot,A,\n";

  ASSERT_REPLAY (lib, csv, "06:00:03.000 press-1 r live\n");
}

static void
test_on_delays_due_together_order_by_rule_then_machine (void)
{
  const char *lib = LIB (
    RULE ("b", "<on kind='sample' item='t' op='gt' value='1' for='1s'/>", "")
    RULE ("a", "<on kind='sample' item='t' op='gt' value='1' for='2s'/>", ""));
  const char *csv = CSV_HEADER
    T ("00:01.000") ",press-2,sample,t,5,\n"
    T ("00:01.000") ",press-1,sample,t,5,\n"
    T ("00:02.000") ",cnc-1,sample,t,5,\n"
    T ("00:09.000") ",cnc-1,sample,t,5,\n";

  /* Due at :02 (b on both presses), :03 (a on both presses, b on cnc-1),
   * :04 (a on cnc-1); within a due time by rule id, then machine id. The
   * event at :02 comes after the on-delays due then. */
  ASSERT_REPLAY (lib, csv,
                 "06:00:02.000 press-1 b live\n"
                 "06:00:02.000 press-2 b live\n"
                 "06:00:03.000 press-1 a live\n"
                 "06:00:03.000 press-2 a live\n"
                 "06:00:03.000 cnc-1 b live\n"
                 "06:00:04.000 cnc-1 a live\n");
}

/* --------------------------------------------------------- conditions */

static void
test_conditions_include_trigger_event (void)
{
  const char *lib = LIB (RULE ("r", "<on kind='sample' item='t' op='gt' value='5'/>",
                               "<if><state item='t' op='gt' value='7'/>"
                               "<count kind='sample' item='t' min='1' within='1s'/></if>"));
  const char *csv = CSV_HEADER T ("00:01.000") ",press-1,sample,t,8,\n";

  ASSERT_REPLAY (lib, csv, "06:00:01.000 press-1 r live\n");
}

static void
test_state_for_needs_unbroken_run (void)
{
  const char *lib = LIB (RULE ("r", "<on kind='event' item='go' edge='every'/>",
                               "<if><state item='oil_temp' op='gt' value='55' for='2m'/></if>"));
  const char *csv = CSV_HEADER
    T ("00:00.000") ",press-1,sample,oil_temp,60,\n"
    T ("01:00.000") ",press-1,sample,oil_temp,61,\n"
    T ("01:59.000") ",press-1,event,go,1,\n"            /* only 1m59s */
    T ("02:00.000") ",press-1,event,go,1,\n"            /* exactly 2m: holds */
    T ("02:10.000") ",press-1,sample,oil_temp,50,\n"    /* break */
    T ("02:20.000") ",press-1,sample,oil_temp,70,\n"
    T ("04:00.000") ",press-1,event,go,1,\n"            /* 1m40s since the break */
    T ("04:20.000") ",press-1,event,go,1,\n";

  ASSERT_REPLAY (lib, csv,
                 "06:02:00.000 press-1 r live\n"
                 "06:04:20.000 press-1 r live\n");
}

static void
test_state_fails_on_unknown_or_unavailable (void)
{
  const char *lib = LIB (RULE ("r", "<on kind='event' item='go' edge='every'/>",
                               "<if><state item='lot' op='ne' value='X'/></if>"));
  const char *csv = CSV_HEADER
    T ("00:01.000") ",press-1,event,go,1,\n"           /* lot never seen */
    T ("00:02.000") ",press-1,event,lot,UNAVAILABLE,\n"
    T ("00:03.000") ",press-1,event,go,1,\n"
    T ("00:04.000") ",press-1,event,lot,Y,\n"
    T ("00:05.000") ",press-1,event,go,1,\n";

  ASSERT_REPLAY (lib, csv, "06:00:05.000 press-1 r live\n");
}

static void
test_count_window_min_max (void)
{
  /* count in (fire - within, fire]: the fault at exactly fire - 10m is out. */
  const char *lib = LIB (
    RULE ("min3", "<on kind='event' item='go' edge='every'/>",
          "<if><count kind='condition' item='hydraulic' value='fault' min='3' within='10m'/></if>")
    RULE ("max1", "<on kind='event' item='go' edge='every'/>",
          "<if><count kind='condition' item='hydraulic' value='fault' min='0' max='1' within='10m'/></if>"));
  const char *csv = CSV_HEADER
    T ("00:00.000") ",press-1,condition,hydraulic,fault,E1\n"
    T ("01:00.000") ",press-1,condition,hydraulic,normal,\n"
    T ("02:00.000") ",press-1,condition,hydraulic,fault,E1\n"
    T ("03:00.000") ",press-1,condition,hydraulic,fault,E2\n"
    T ("05:00.000") ",press-1,event,go,1,\n"       /* 3 faults */
    T ("05:00.000") ",press-2,event,go,1,\n"       /* other machine: 0 */
    T ("10:00.000") ",press-1,event,go,1,\n"       /* :00 fault left: 2 */
    T ("13:00.000") ",press-1,event,go,1,\n";      /* :02 left: 0 */

  ASSERT_REPLAY (lib, csv,
                 "06:05:00.000 press-1 min3 live\n"
                 "06:05:00.000 press-2 max1 live\n"
                 "06:13:00.000 press-1 max1 live\n");
}

static void
test_count_without_item_counts_every_item (void)
{
  const char *lib = LIB (RULE ("r", "<on kind='event' item='go' edge='every'/>",
                               "<if><count kind='condition' value='fault' min='2' within='1m'/></if>"));
  const char *csv = CSV_HEADER
    T ("00:01.000") ",press-1,condition,hydraulic,fault,\n"
    T ("00:02.000") ",press-1,condition,lube,fault,\n"
    T ("00:03.000") ",press-1,event,go,1,\n";

  ASSERT_REPLAY (lib, csv, "06:00:03.000 press-1 r live\n");
}

static void
test_count_skips_unavailable (void)
{
  /* A count without a predicate still counts only known values. */
  const char *lib = LIB (RULE ("r", "<on kind='event' item='go' edge='every'/>",
                               "<if><count kind='condition' item='hydraulic' min='2' within='1m'/></if>"));
  const char *csv = CSV_HEADER
    T ("00:01.000") ",press-1,condition,hydraulic,fault,\n"
    T ("00:02.000") ",press-1,condition,hydraulic,unavailable,\n"
    T ("00:03.000") ",press-1,event,go,1,\n"
    T ("00:04.000") ",press-1,condition,hydraulic,normal,\n"
    T ("00:05.000") ",press-1,event,go,1,\n";

  ASSERT_REPLAY (lib, csv, "06:00:05.000 press-1 r live\n");
}

/* ------------------------------------------------------------ cooldown */

static void
test_cooldown_suppresses_and_counts (void)
{
  const char *lib = LIB (RULE_FULL ("r", "approved", "<on kind='event' item='go' edge='every'/>", "",
                                    " cooldown='10s'", ""));
  const char *csv = CSV_HEADER
    T ("00:00.000") ",press-1,event,go,1,\n"
    T ("00:04.000") ",press-1,event,go,1,\n"   /* suppressed */
    T ("00:08.000") ",press-1,event,go,1,\n"   /* suppressed: does not extend */
    T ("00:08.000") ",press-2,event,go,1,\n"   /* other machine: own cooldown */
    T ("00:10.000") ",press-1,event,go,1,\n"   /* cooldown over at 10s */
    T ("00:15.000") ",press-1,event,go,1,\n";  /* suppressed */
  Collected c = { g_string_new (NULL), FALSE };
  g_autoptr(TacitEngine) engine = run_engine (lib, csv, &c);
  g_autofree char *got = g_string_free (c.lines, FALSE);
  const TacitRuleStats *stats;
  guint n;

  g_assert_cmpstr (got, ==,
                   "06:00:00.000 press-1 r live\n"
                   "06:00:08.000 press-2 r live\n"
                   "06:00:10.000 press-1 r live\n");
  stats = tacit_engine_get_stats (engine, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (stats[0].firings, ==, 3);
  g_assert_cmpuint (stats[0].suppressed, ==, 3);
}

static void
test_cooldown_applies_after_conditions (void)
{
  /* A trigger whose conditions fail is no firing: it starts no cooldown. */
  const char *lib = LIB (RULE_FULL ("r", "approved", "<on kind='event' item='go' edge='every'/>",
                                    "<if><state item='ok' value='1'/></if>", " cooldown='1m'", ""));
  const char *csv = CSV_HEADER
    T ("00:00.000") ",press-1,event,go,1,\n"
    T ("00:01.000") ",press-1,event,ok,1,\n"
    T ("00:02.000") ",press-1,event,go,1,\n";

  ASSERT_REPLAY (lib, csv, "06:00:02.000 press-1 r live\n");
}

/* --------------------------------------------------------------- order */

static void
test_same_moment_ordered_by_rule_id_bytes (void)
{
  /* Byte order: upper case before lower case, "a-b" before "a_b". */
  const char *lib = LIB (
    RULE ("a_b", "<on kind='event' item='x'/>", "")
    RULE ("a-b", "<on kind='event' item='x'/>", "")
    RULE ("B", "<on kind='event' item='x'/>", "")
    RULE ("a", "<on kind='event'/>", ""));
  const char *csv = CSV_HEADER T ("00:01.000") ",press-1,event,x,1,\n";

  ASSERT_REPLAY (lib, csv,
                 "06:00:01.000 press-1 B live\n"
                 "06:00:01.000 press-1 a live\n"
                 "06:00:01.000 press-1 a-b live\n"
                 "06:00:01.000 press-1 a_b live\n");
}

/* ------------------------------------------------------------- outcome */

static void
test_outcome_window (void)
{
  const char *lib = LIB (RULE_FULL ("r", "approved", "<on kind='event' item='go' edge='every'/>", "", "",
                                    "<outcome kind='event' item='scrap' within='10s'/>"));
  const char *csv = CSV_HEADER
    T ("00:00.000") ",press-1,event,scrap,1,\n"     /* before: not counted */
    T ("00:01.000") ",press-1,event,go,1,\n"
    T ("00:01.000") ",press-1,event,scrap,1,\n"     /* at fire time: not counted */
    T ("00:05.000") ",press-1,event,scrap,2,\n"
    T ("00:06.000") ",press-2,event,scrap,1,\n"     /* other machine */
    T ("00:11.000") ",press-1,event,scrap,3,\n"     /* at fire + within: counted, closes */
    T ("00:12.000") ",press-1,event,scrap,4,\n";

  ASSERT_REPLAY (lib, csv, "06:00:01.000 press-1 r live outcome 2\n");
}

static void
test_outcome_closed_by_any_machine_else_null (void)
{
  const char *lib = LIB (RULE_FULL ("r", "approved", "<on kind='event' item='go' edge='every'/>", "", "",
                                    "<outcome kind='event' item='scrap' within='10s'/>"));
  const char *csv = CSV_HEADER
    T ("00:01.000") ",press-1,event,go,1,\n"
    T ("00:02.000") ",press-1,event,scrap,1,\n"
    T ("00:20.000") ",cnc-1,event,other,1,\n"       /* closes press-1's window */
    T ("00:21.000") ",press-1,event,go,1,\n"
    T ("00:22.000") ",press-1,event,scrap,1,\n";    /* replay ends before 00:31 */

  ASSERT_REPLAY (lib, csv,
                 "06:00:01.000 press-1 r live outcome 1\n"
                 "06:00:21.000 press-1 r live outcome null\n");
}

static void
test_ready_keeps_firing_order (void)
{
  /* A suggestion without an outcome waits behind an earlier one whose
   * window is still open, so ready order is firing order. */
  const char *lib = LIB (
    RULE_FULL ("slow", "approved", "<on kind='event' item='a'/>", "", "",
               "<outcome kind='event' item='scrap' within='1h'/>")
    RULE ("quick", "<on kind='event' item='b'/>", ""));
  const char *csv = CSV_HEADER
    T ("00:01.000") ",press-1,event,a,1,\n"
    T ("00:02.000") ",press-1,event,b,1,\n";

  ASSERT_REPLAY (lib, csv,
                 "06:00:01.000 press-1 slow live outcome null\n"
                 "06:00:02.000 press-1 quick live\n");
}

/* --------------------------------------------------------------- modes */

static void
test_status_gives_mode (void)
{
  const char *lib = LIB (
    RULE_FULL ("approved", "approved", "<on kind='event' item='x'/>", "", "", "")
    RULE_FULL ("draft", "draft", "<on kind='event' item='x'/>", "", "", "")
    RULE_FULL ("proposed", "proposed", "<on kind='event' item='x'/>", "", "", "")
    RULE_FULL ("retired", "retired", "<on kind='event' item='x'/>", "", "", ""));
  const char *csv = CSV_HEADER T ("00:01.000") ",press-1,event,x,1,\n";

  ASSERT_REPLAY (lib, csv,
                 "06:00:01.000 press-1 approved live\n"
                 "06:00:01.000 press-1 proposed shadow\n");
}

typedef struct {
  guint live, held_out, shadow;
  double propensity;
} ModeCounts;

static void
count_modes_cb (TacitSuggestion *s, gpointer data)
{
  ModeCounts *counts = data;

  counts->propensity = s->propensity;
  if (s->mode == TACIT_MODE_LIVE)
    counts->live++;
  else if (s->mode == TACIT_MODE_HELD_OUT)
    {
      char expected[33];
      counts->held_out++;
      /* Reproducible: the draw comes from the suggestion id alone. */
      tacit_suggestion_compute_id (s->rule->id, s->rule->revision, s->machine, s->time, expected);
      g_assert_cmpstr (s->id, ==, expected);
      g_assert_cmpfloat (tacit_suggestion_id_draw (s->id), <, 0.25);
    }
  else
    counts->shadow++;
}

static void
test_holdout_withholds_share (void)
{
  const char *lib = LIB (RULE_FULL ("r", "approved", "<on kind='event' item='x' edge='every'/>", "",
                                    " holdout='0.25'", ""));
  g_autoptr(TacitLibrary) library = load_library (lib);
  g_autoptr(TacitEngine) engine = tacit_engine_new (library);
  ModeCounts counts = { 0 };

  tacit_engine_set_ready_func (engine, count_modes_cb, &counts);
  for (int i = 0; i < 4000; i++)
    {
      TacitEvent e = { (TacitTime) i * 1000000, "press-1", TACIT_KIND_EVENT, "x", "1", NULL, NULL };
      g_assert_true (tacit_engine_push (engine, &e, NULL));
    }
  tacit_engine_finish (engine);
  g_assert_cmpuint (counts.live + counts.held_out, ==, 4000);
  /* 25 % ± 3 %: a hash, not a coin, but uniform enough. */
  g_assert_cmpuint (counts.held_out, >, 880);
  g_assert_cmpuint (counts.held_out, <, 1120);
  g_assert_cmpfloat (counts.propensity, ==, 0.75);
}

/* ------------------------------------------------------ stats and runs */

static void
test_flood_and_chattering_flags (void)
{
  GString *csv = g_string_new (CSV_HEADER);
  const char *lib = LIB (
    RULE ("flood", "<on kind='event' item='f' edge='every'/>", "")
    RULE ("chatter", "<on kind='event' item='c' edge='every'/>", "")
    RULE ("calm", "<on kind='event' item='k' edge='every'/>", ""));
  Collected c = { g_string_new (NULL), FALSE };
  g_autoptr(TacitEngine) engine = NULL;
  g_autofree char *csv_text = NULL;
  const TacitRuleStats *stats;
  guint n;

  /* 11 firings 50 s apart span 500 s < 10 min: flood. */
  for (int i = 0; i < 11; i++)
    g_string_append_printf (csv, "2026-11-02T07:%02d:%02d.000Z,press-1,event,f,1,\n",
                            i * 50 / 60, i * 50 % 60);
  /* 3 firings within 59 s: chattering. */
  g_string_append (csv, "2026-11-02T08:00:00.000Z,press-1,event,c,1,\n"
                        "2026-11-02T08:00:30.000Z,press-1,event,c,1,\n"
                        "2026-11-02T08:00:59.000Z,press-1,event,c,1,\n");
  /* 3 firings exactly 30 s apart: 60 s is not within a minute. */
  g_string_append (csv, "2026-11-02T09:00:00.000Z,press-1,event,k,1,\n"
                        "2026-11-02T09:00:30.000Z,press-1,event,k,1,\n"
                        "2026-11-02T09:01:00.000Z,press-1,event,k,1,\n");
  csv_text = g_string_free (csv, FALSE);
  engine = run_engine (lib, csv_text, &c);
  g_string_free (c.lines, TRUE);
  stats = tacit_engine_get_stats (engine, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpstr (stats[0].rule->id, ==, "calm");
  g_assert_false (stats[0].flood);
  g_assert_false (stats[0].chattering);
  g_assert_cmpstr (stats[1].rule->id, ==, "chatter");
  g_assert_false (stats[1].flood);
  g_assert_true (stats[1].chattering);
  g_assert_cmpstr (stats[2].rule->id, ==, "flood");
  g_assert_true (stats[2].flood);
  g_assert_cmpuint (stats[2].firings, ==, 11);
}

static void
test_deterministic_ids_and_output (void)
{
  const char *lib = LIB (RULE ("r", "<on kind='sample' item='t' op='gt' value='1'/>", "")
                         RULE_FULL ("s", "proposed", "<on kind='sample' item='t'/>", "", "", ""));
  const char *csv = CSV_HEADER
    T ("00:01.000") ",press-1,sample,t,5,\n"
    T ("00:02.000") ",press-1,sample,t,0,\n"
    T ("00:03.000") ",press-1,sample,t,7,\n";
  g_autofree char *a = replay (lib, csv);
  g_autofree char *b = replay (lib, csv);
  char id1[33], id2[33];

  g_assert_cmpstr (a, ==, b);
  tacit_suggestion_compute_id ("r", 1, "press-1", 1000000, id1);
  tacit_suggestion_compute_id ("r", 2, "press-1", 1000000, id2);
  g_assert_cmpuint (strlen (id1), ==, 32);
  g_assert_cmpstr (id1, !=, id2);
}

static void
keep_cb (TacitSuggestion *s, gpointer data)
{
  g_ptr_array_add (data, tacit_suggestion_ref (s));
}

static void
test_context_snapshot (void)
{
  const char *lib = LIB (RULE ("r", "<on kind='event' item='go'/>", ""));
  g_autoptr(TacitLibrary) library = load_library (lib);
  g_autoptr(TacitEngine) engine = tacit_engine_new (library);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func ((GDestroyNotify) tacit_suggestion_unref);
  TacitEvent events[] = {
    { 1, "press-1", TACIT_KIND_SAMPLE, "oil_temp", "57.2", NULL, NULL },
    { 2, "press-1", TACIT_KIND_EVENT, "lot", "L1", NULL, NULL },
    { 3, "press-2", TACIT_KIND_EVENT, "lot", "L9", NULL, NULL },
    { 4, "press-1", TACIT_KIND_SAMPLE, "oil_temp", "58", NULL, NULL },
    { 5, "press-1", TACIT_KIND_EVENT, "go", "1", NULL, NULL },
  };
  TacitSuggestion *s;

  tacit_engine_set_fired_func (engine, keep_cb, seen);
  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    g_assert_true (tacit_engine_push (engine, &events[i], NULL));
  tacit_engine_finish (engine);
  g_assert_cmpuint (seen->len, ==, 1);
  s = g_ptr_array_index (seen, 0);
  g_assert_cmpuint (s->context->len, ==, 3);
  g_assert_cmpstr (tacit_suggestion_lookup_context (s, "go"), ==, "1");
  g_assert_cmpstr (tacit_suggestion_lookup_context (s, "lot"), ==, "L1");
  g_assert_cmpstr (tacit_suggestion_lookup_context (s, "oil_temp"), ==, "58");
  g_assert_cmpstr (tacit_engine_lookup_value (engine, "press-2", "lot"), ==, "L9");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/order/equal-times-keep-input-order", test_equal_times_keep_input_order);
  g_test_add_func ("/engine/order/unsorted-file-replayed-in-time-order", test_unsorted_file_is_replayed_in_time_order);
  g_test_add_func ("/engine/order/older-event-refused", test_engine_refuses_older_event);
  g_test_add_func ("/engine/order/latest-value-per-item", test_latest_value_per_item);
  g_test_add_func ("/engine/trigger/kind-item-code", test_trigger_matches_kind_item_code);
  g_test_add_func ("/engine/trigger/scope", test_trigger_scope);
  g_test_add_func ("/engine/trigger/rise", test_trigger_rises_with_predicate);
  g_test_add_func ("/engine/trigger/first-match-is-rise", test_trigger_first_event_matching_fires);
  g_test_add_func ("/engine/trigger/rise-code-only", test_trigger_rises_with_code_only);
  g_test_add_func ("/engine/trigger/change", test_trigger_fires_on_change);
  g_test_add_func ("/engine/trigger/change-numeric", test_change_compares_numbers_numerically);
  g_test_add_func ("/engine/trigger/previous-per-kind-item", test_previous_event_is_per_kind_and_item);
  g_test_add_func ("/engine/trigger/every", test_trigger_edge_every);
  g_test_add_func ("/engine/trigger/unavailable", test_unavailable_matches_nothing);
  g_test_add_func ("/engine/trigger/numeric-vs-string", test_numeric_and_string_comparison);
  g_test_add_func ("/engine/on-delay/fires-after-delay", test_on_delay_fires_after_delay);
  g_test_add_func ("/engine/on-delay/cancelled-by-break", test_on_delay_cancelled_by_break);
  g_test_add_func ("/engine/on-delay/other-machine-or-item", test_on_delay_not_cancelled_by_other_machine_or_item);
  g_test_add_func ("/engine/on-delay/due-at-event-time", test_on_delay_due_at_event_time_fires_first);
  g_test_add_func ("/engine/on-delay/after-last-event", test_on_delay_after_last_event_never_fires);
  g_test_add_func ("/engine/on-delay/conditions-at-firing", test_on_delay_conditions_at_firing_time);
  g_test_add_func ("/engine/on-delay/same-due-order", test_on_delays_due_together_order_by_rule_then_machine);
  g_test_add_func ("/engine/conditions/include-trigger", test_conditions_include_trigger_event);
  g_test_add_func ("/engine/conditions/state-for", test_state_for_needs_unbroken_run);
  g_test_add_func ("/engine/conditions/state-unknown", test_state_fails_on_unknown_or_unavailable);
  g_test_add_func ("/engine/conditions/count-window", test_count_window_min_max);
  g_test_add_func ("/engine/conditions/count-any-item", test_count_without_item_counts_every_item);
  g_test_add_func ("/engine/conditions/count-skips-unavailable", test_count_skips_unavailable);
  g_test_add_func ("/engine/cooldown/suppress-and-count", test_cooldown_suppresses_and_counts);
  g_test_add_func ("/engine/cooldown/after-conditions", test_cooldown_applies_after_conditions);
  g_test_add_func ("/engine/order/same-moment-by-rule-id", test_same_moment_ordered_by_rule_id_bytes);
  g_test_add_func ("/engine/outcome/window", test_outcome_window);
  g_test_add_func ("/engine/outcome/closed-by-any-machine", test_outcome_closed_by_any_machine_else_null);
  g_test_add_func ("/engine/outcome/ready-in-firing-order", test_ready_keeps_firing_order);
  g_test_add_func ("/engine/mode/status", test_status_gives_mode);
  g_test_add_func ("/engine/mode/holdout", test_holdout_withholds_share);
  g_test_add_func ("/engine/stats/flood-chattering", test_flood_and_chattering_flags);
  g_test_add_func ("/engine/determinism", test_deterministic_ids_and_output);
  g_test_add_func ("/engine/context", test_context_snapshot);

  return g_test_run ();
}
