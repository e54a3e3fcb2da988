/* plant-kiosk.c: a simulated kiosk for the plant scenario and benchmark
 * (tests/plant-scenario.py, tests/bench/bench-plant.py).
 *
 * Makes a kiosk's traffic through the real core functions, each change in
 * its own transaction as the kiosk makes it: suggestions and the
 * operator's responses (with latency, so a response and its update),
 * sign-ins, held suggestions, captured rules, now and then an undo; while
 * its plant link (in the same process, as in the kiosk) sends the outbox
 * to the broker and takes library revisions in.
 *
 *   plant-kiosk --db PATH --plant P --kiosk K [--mqtt URL] [--interval-ms N]
 *               [--duration S] [--backlog N]
 *
 * --backlog N makes N rounds of traffic at once before linking (an offline
 * kiosk's backlog); without --mqtt and --duration it exits after that.
 * Runs until SIGTERM/SIGINT; prints "created N" on stdout once the traffic
 * is over, and the link's counts at the end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "tacit-kiosk-store.h"
#include "tacit-library-xml.h"
#include "tacit-operators.h"
#include "tacit-outbox.h"
#include "tacit-plant-link.h"
#include "tacit-store.h"
#include "tacit-store-private.h"

#define T0 G_GINT64_CONSTANT (1793599200000000) /* 2026-11-02T06:00:00Z */

typedef struct {
  TacitStore    *store;
  TacitRule     *rule;
  TacitOperator *operator;
  char          *kiosk;
  guint          tick;
  guint64        created;
  gint64         last_response;
  gint64         end;          /* monotonic; 0: no end */
  gboolean       done;
  GMainLoop     *loop;
} Sim;

static void
check (gboolean ok, GError *error)
{
  if (!ok)
    {
      fprintf (stderr, "plant-kiosk: %s\n", error != NULL ? error->message : "failed");
      exit (3);
    }
}

static guint64 busy_retries;

/* A write that found the database locked by the link's own connection
 * for longer than the busy timeout (a loaded machine) is tried again, as
 * the kiosk does; anything else ends the simulation. */
#define WRITE(sim, call)                                                              \
  G_STMT_START {                                                                      \
    for (guint attempt_ = 0;; attempt_++)                                             \
      {                                                                               \
        g_autoptr(GError) error_ = NULL;                                              \
        GError **error = &error_;                                                     \
        gboolean ok_ = (call);                                                        \
        int rc_ = sqlite3_errcode (_tacit_store_get_db ((sim)->store)) & 0xff;        \
                                                                                      \
        if (ok_)                                                                      \
          break;                                                                      \
        if ((rc_ == SQLITE_BUSY || rc_ == SQLITE_LOCKED ||                            \
             (error_ != NULL && strstr (error_->message, "database is locked"))) &&   \
            attempt_ < 100)                                                           \
          {                                                                           \
            busy_retries++;                                                           \
            g_usleep (50 * 1000);                                                     \
            continue;                                                                 \
          }                                                                           \
        check (FALSE, error_);                                                        \
      }                                                                               \
  } G_STMT_END

static char *
suggest (Sim *sim, guint n)
{
  g_autoptr(TacitSuggestion) s = tacit_suggestion_new ();
  TacitTime time = T0 + (gint64) n * G_USEC_PER_SEC;
  TacitEvent trigger = { time, sim->kiosk, TACIT_KIND_CONDITION, "hydraulic", "fault", "E1234", NULL };

  s->time = time;
  s->machine = g_strdup (sim->kiosk);   /* a machine per kiosk: suggestion ids differ */
  s->rule = tacit_rule_ref (sim->rule);
  s->mode = TACIT_MODE_LIVE;
  s->propensity = 1.0;
  s->trigger = tacit_event_copy (&trigger);
  tacit_suggestion_compute_id (sim->rule->id, sim->rule->revision, sim->kiosk, time, s->id);
  WRITE (sim, tacit_store_record_suggestions (sim->store, &s, 1, error));
  return g_strdup (s->id);
}

/* One round: what a kiosk does in about two minutes of a normal hour
 * (30 rounds an hour: 30 responses with their latency, 10 sign-ins, 6 held
 * suggestions, 6 captures — one per 10 minutes —, 1.5 undos). */
static void
round_of_traffic (Sim *sim)
{
  guint n = sim->tick++;
  g_autofree char *answered = suggest (sim, n * 2);

  WRITE (sim, (sim->last_response =
                 tacit_kiosk_record_response (sim->store, answered,
                                              n % 4 == 0 ? TACIT_RESPONSE_DISMISSED : TACIT_RESPONSE_ACCEPTED,
                                              n % 4 == 0 ? "not-relevant" : NULL, "op-117",
                                              "cell-1", T0 + (gint64) n * G_USEC_PER_SEC,
                                              400 + n % 900, error)) > 0);
  sim->created += 2;
  if (n % 3 == 0)
    {
      WRITE (sim, tacit_operators_note_attempt (sim->store, "117", "cell-1", n % 9 != 0,
                                                g_get_real_time (), error));
      sim->created++;
    }
  if (n % 5 == 0)
    {
      g_autofree char *held = suggest (sim, n * 2 + 1);

      WRITE (sim, tacit_kiosk_hold_suggestion (sim->store, held, "cell-1", g_get_real_time (), error));
      sim->created++;
    }
  if (n % 5 == 2)
    {
      g_autoptr(TacitRule) capture = tacit_rule_copy (sim->rule);

      g_free (capture->id);
      capture->id = g_strdup_printf ("%s-capture-%u", sim->kiosk, n);
      capture->status = TACIT_RULE_STATUS_PROPOSED;
      WRITE (sim, tacit_store_save_rule (sim->store, capture, 0, sim->operator, error));
      sim->created++;
    }
  if (n % 20 == 7)
    {
      WRITE (sim, tacit_kiosk_undo_response (sim->store, sim->last_response, "op-117", error));
      sim->created++;
    }
}

static gboolean
tick_cb (gpointer data)
{
  Sim *sim = data;

  if (sim->end != 0 && g_get_monotonic_time () >= sim->end)
    {
      printf ("created %" G_GUINT64_FORMAT " (busy retries %" G_GUINT64_FORMAT ")\n",
              sim->created, busy_retries);
      fflush (stdout);
      sim->done = TRUE;
      return G_SOURCE_REMOVE;
    }
  round_of_traffic (sim);
  return G_SOURCE_CONTINUE;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (((Sim *) data)->loop);
  return G_SOURCE_CONTINUE;
}

static const char rule_xml[] =
  "<rule xmlns=\"urn:tacit:rules:1\" id=\"sim-rule\" kind=\"alarm-response\" status=\"approved\">"
  "<title>Check the accumulator</title>"
  "<on kind=\"condition\" item=\"hydraulic\" value=\"fault\" code=\"E1234\"/>"
  "<advise severity=\"warning\"><text>Check the accumulator pressure</text></advise></rule>";

int
main (int argc, char **argv)
{
  g_autofree char *db = NULL, *mqtt = NULL, *plant = NULL, *kiosk = NULL;
  int interval_ms = 500, duration_s = 0, backlog = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Kiosk database", "PATH" },
    { "mqtt", 0, 0, G_OPTION_ARG_STRING, &mqtt, "Broker URL", "URL" },
    { "plant", 0, 0, G_OPTION_ARG_STRING, &plant, "Plant name", "NAME" },
    { "kiosk", 0, 0, G_OPTION_ARG_STRING, &kiosk, "Kiosk name", "NAME" },
    { "interval-ms", 0, 0, G_OPTION_ARG_INT, &interval_ms, "One round every N ms", "N" },
    { "duration", 0, 0, G_OPTION_ARG_INT, &duration_s, "Traffic for S seconds (0: none)", "S" },
    { "backlog", 0, 0, G_OPTION_ARG_INT, &backlog, "Rounds made at once before linking", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- a simulated kiosk");
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitPlantLink) link = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Sim sim = { NULL };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || db == NULL || plant == NULL || kiosk == NULL)
    {
      fprintf (stderr, "plant-kiosk: --db, --plant and --kiosk are required%s%s\n",
               error != NULL ? ": " : "", error != NULL ? error->message : "");
      return 2;
    }
  sim.store = tacit_store_open (db, &error);
  check (sim.store != NULL, error);
  check (tacit_outbox_configure (sim.store, plant, kiosk, &error), error);
  sim.rule = tacit_rule_from_xml (rule_xml, -1, &error);
  check (sim.rule != NULL, error);
  sim.operator = g_new0 (TacitOperator, 1);
  sim.operator->badge = g_strdup ("117");
  sim.operator->name = g_strdup ("Ana R.");
  sim.operator->role = TACIT_ROLE_OPERATOR;
  sim.kiosk = g_strdup (kiosk);
  sim.loop = loop;
  for (int i = 0; i < backlog; i++)
    round_of_traffic (&sim);
  if (backlog > 0)
    {
      printf ("backlog %" G_GUINT64_FORMAT "\n", sim.created);
      fflush (stdout);
    }
  if (mqtt == NULL && duration_s == 0)
    return 0;   /* a backlog made offline */
  if (mqtt != NULL)
    {
      link = tacit_plant_link_new (db, mqtt, NULL, &error);
      check (link != NULL, error);
      check (tacit_plant_link_start (link, &error), error);
    }
  if (duration_s > 0)
    {
      sim.end = g_get_monotonic_time () + (gint64) duration_s * G_USEC_PER_SEC;
      g_timeout_add (interval_ms, tick_cb, &sim);
    }
  g_unix_signal_add (SIGTERM, quit_cb, &sim);
  g_unix_signal_add (SIGINT, quit_cb, &sim);
  g_main_loop_run (loop);
  if (link != NULL)
    {
      TacitPlantLinkStatus status;

      tacit_plant_link_stop (link);
      tacit_plant_link_get_status (link, &status);
      printf ("link published %" G_GUINT64_FORMAT " acknowledged %" G_GUINT64_FORMAT
              " waiting %" G_GINT64_FORMAT " library %u%s%s\n",
              status.published, status.acknowledged, status.pending, status.library_revision,
              status.last_error != NULL ? " last error: " : "",
              status.last_error != NULL ? status.last_error : "");
      g_free (status.last_error);
    }
  g_clear_object (&link);
  g_clear_object (&sim.store);
  tacit_rule_unref (sim.rule);
  tacit_operator_free (sim.operator);
  g_free (sim.kiosk);
  return 0;
}
