/* test-plant.c: plant scale (docs/architecture.md): the outbox is written
 * in the transaction of each change, the hub stores each message once,
 * rule conflicts give both versions, and the plant link and hub work over
 * a real Mosquitto broker on loopback, also with TLS and client
 * certificates from a CA made here, and with a password file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "tacit-error.h"
#include "tacit-hub.h"
#include "tacit-kiosk-store.h"
#include "tacit-library-xml.h"
#include "tacit-operators.h"
#include "tacit-outbox.h"
#include "tacit-plant-link.h"
#include "tacit-store.h"
#include "tacit-test-utils.h"

#define T0 G_GINT64_CONSTANT (1793599200000000) /* 2026-11-02T06:00:00Z */
#define WAIT_S 30

static const char rule_template[] =
  "<rule xmlns=\"urn:tacit:rules:1\" id=\"%s\" kind=\"process-hack\" status=\"%s\">"
  "<title>%s</title>"
  "<on kind=\"condition\" item=\"hydraulic\" value=\"fault\"/>"
  "<advise><text>Slow the ram</text></advise></rule>";

static TacitRule *
make_rule (const char *id,
           const char *status,
           const char *title)
{
  g_autofree char *xml = g_strdup_printf (rule_template, id, status, title);
  g_autoptr(GError) error = NULL;
  TacitRule *rule = tacit_rule_from_xml (xml, -1, &error);

  g_assert_no_error (error);
  return rule;
}

static char *
store_suggestion (TacitStore *store,
                  const char *machine,
                  guint       n)
{
  g_autoptr(TacitRule) rule = make_rule ("r-suggest", "approved", "Suggest");
  g_autoptr(TacitSuggestion) s = tacit_suggestion_new ();
  g_autoptr(GError) error = NULL;
  TacitTime time = T0 + (gint64) n * G_USEC_PER_SEC;
  TacitEvent trigger = { time, (char *) machine, TACIT_KIND_CONDITION, "hydraulic", "fault", NULL, NULL };

  s->time = time;
  s->machine = g_strdup (machine);
  s->rule = tacit_rule_ref (rule);
  s->mode = TACIT_MODE_LIVE;
  s->propensity = 1.0;
  s->trigger = tacit_event_copy (&trigger);
  tacit_suggestion_compute_id (rule->id, rule->revision, machine, time, s->id);
  g_assert_true (tacit_store_record_suggestions (store, &s, 1, &error));
  g_assert_no_error (error);
  return g_strdup (s->id);
}

static gint64
count (TacitStore *store,
       const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (tacit_store_get_path (store), &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static char *
text (TacitStore *store,
      const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_open_v2 (tacit_store_get_path (store), &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
exec_raw (TacitStore *store,
          const char *sql,
          int         expect)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (tacit_store_get_path (store), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, expect);
  sqlite3_close (db);
}

static TacitStore *
new_store (const char *name)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  TacitStore *store = tacit_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static TacitStore *
new_kiosk (const char *kiosk)
{
  g_autofree char *name = g_strconcat (kiosk, ".db", NULL);
  TacitStore *store = new_store (name);
  g_autoptr(GError) error = NULL;

  g_assert_true (tacit_outbox_configure (store, "plant-a", kiosk, &error));
  g_assert_no_error (error);
  return store;
}

/* Every kind of change a kiosk makes; returns how many messages it should
 * have queued. */
static guint
make_changes (TacitStore *store,
              const char *machine,
              guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rule_id = g_strdup_printf ("%s-capture-%u", machine, n);
  g_autoptr(TacitRule) rule = make_rule (rule_id, "proposed", "Captured on the floor");
  g_autofree char *s1 = store_suggestion (store, machine, n * 3);
  g_autofree char *s2 = store_suggestion (store, machine, n * 3 + 1);
  g_autofree char *s3 = store_suggestion (store, machine, n * 3 + 2);
  gint64 response;

  g_assert_true (tacit_store_save_rule (store, rule, 0, tacit_test_actor ("op-117"), &error));
  g_assert_no_error (error);
  /* A kiosk response: the response, then its latency and station. */
  response = tacit_kiosk_record_response (store, s1, TACIT_RESPONSE_ACCEPTED, NULL, "op-117",
                                          "cell-1", T0, 850, &error);
  g_assert_no_error (error);
  g_assert_cmpint (response, >, 0);
  g_assert_true (tacit_store_record_response (store, s2, TACIT_RESPONSE_DISMISSED, "wrong",
                                              "op-117", T0, &error));
  g_assert_no_error (error);
  g_assert_true (tacit_kiosk_hold_suggestion (store, s3, "cell-1", T0, &error));
  g_assert_true (tacit_kiosk_release_held (store, s3, T0 + 1, &error));
  g_assert_true (tacit_operators_note_attempt (store, "117", "cell-1", TRUE, T0, &error));
  g_assert_no_error (error);
  /* rule, response + response-update, response, held, held-release, sign-in */
  return 7;
}

static void
test_outbox_off (void)
{
  g_autoptr(TacitStore) store = new_store ("plain.db");
  g_autoptr(GError) error = NULL;

  make_changes (store, "press-1", 0);
  g_assert_cmpint (tacit_outbox_count (store, &error), ==, 0);
  g_assert_false (tacit_outbox_get_config (store, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_outbox_messages (void)
{
  g_autoptr(TacitStore) store = new_kiosk ("kiosk-1");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autofree char *plant = NULL, *kiosk = NULL;
  const char *types[] = { "rule", "response", "response-update", "response", "held",
                          "held-release", "sign-in" };

  g_assert_true (tacit_outbox_get_config (store, &plant, &kiosk, NULL, &error));
  g_assert_cmpstr (plant, ==, "plant-a");
  g_assert_cmpstr (kiosk, ==, "kiosk-1");
  g_assert_cmpuint (make_changes (store, "press-1", 0), ==, G_N_ELEMENTS (types));
  messages = tacit_outbox_list (store, 0, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (messages->len, ==, G_N_ELEMENTS (types));
  for (guint i = 0; i < messages->len; i++)
    {
      TacitOutboxMessage *m = g_ptr_array_index (messages, i);
      g_autofree char *prefix = g_strdup_printf ("kiosk-1/%s/", types[i]);
      g_autofree char *envelope = g_strdup_printf ("\"schema\":1,\"type\":\"%s\",\"id\":\"%s\","
                                                   "\"plant\":\"plant-a\",\"kiosk\":\"kiosk-1\"",
                                                   types[i], m->message_id);

      g_assert_cmpstr (m->type, ==, types[i]);
      g_assert_true (g_str_has_prefix (m->message_id, prefix));
      g_assert_nonnull (strstr (m->payload, envelope));
      if (i > 0)
        g_assert_cmpint (m->seq, >, ((TacitOutboxMessage *) g_ptr_array_index (messages, i - 1))->seq);
    }
  /* The rule carries its XML and author; responses and held suggestions
   * carry the suggestion they are about; the update names the response. */
  g_assert_nonnull (strstr (((TacitOutboxMessage *) messages->pdata[0])->payload, "\"saved_by\":\"op-117\""));
  g_assert_nonnull (strstr (((TacitOutboxMessage *) messages->pdata[1])->payload, "\"suggestion\":{\"id\":"));
  g_assert_nonnull (strstr (((TacitOutboxMessage *) messages->pdata[2])->payload, "\"latency_ms\":850"));
  g_assert_nonnull (strstr (((TacitOutboxMessage *) messages->pdata[2])->payload,
                            ((TacitOutboxMessage *) messages->pdata[1])->message_id));
  g_assert_nonnull (strstr (((TacitOutboxMessage *) messages->pdata[4])->payload, "\"suggestion\":{\"id\":"));

  /* A library from the hub is not sent back. */
  {
    g_autoptr(TacitLibrary) library = tacit_library_new ();
    g_autoptr(TacitRule) approved = make_rule ("from-hub", "approved", "From the hub");
    g_autoptr(TacitOperator) hub = tacit_plant_hub_actor_new ();

    tacit_library_set_name (library, "Plant");
    g_assert_true (tacit_library_add_rule (library, approved, &error));
    g_assert_true (tacit_store_import_library (store, library, hub, &error));
    g_assert_no_error (error);
    g_assert_cmpint (tacit_outbox_count (store, &error), ==, G_N_ELEMENTS (types));
  }

  /* Acknowledged rows go; others stay. */
  {
    gint64 seqs[] = { ((TacitOutboxMessage *) messages->pdata[0])->seq,
                      ((TacitOutboxMessage *) messages->pdata[3])->seq, 999999 };

    g_assert_true (tacit_outbox_remove (store, seqs, G_N_ELEMENTS (seqs), &error));
    g_assert_cmpint (tacit_outbox_count (store, &error), ==, G_N_ELEMENTS (types) - 2);
  }
}

/* The same-transaction property, both ways. */
static void
test_outbox_same_transaction (void)
{
  g_autoptr(TacitStore) store = new_kiosk ("kiosk-2");
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitRule) rule = make_rule ("r1", "proposed", "First");
  g_autoptr(TacitRule) stale = make_rule ("r1", "proposed", "Stale edit");
  g_autoptr(TacitRule) doomed = make_rule ("r2", "proposed", "Doomed");
  gint64 before;

  g_assert_true (tacit_store_save_rule (store, rule, 0, tacit_test_actor ("op-117"), &error));
  g_assert_cmpint (tacit_outbox_count (store, &error), ==, 1);

  /* Refused changes queue nothing: a conflict, an unknown suggestion. */
  g_assert_false (tacit_store_save_rule (store, stale, 0, tacit_test_actor ("op-117"), &error));
  g_assert_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (tacit_store_record_response (store, "no-such-suggestion", TACIT_RESPONSE_ACCEPTED,
                                               NULL, "op-117", T0, &error));
  g_clear_error (&error);
  g_assert_cmpint (tacit_outbox_count (store, &error), ==, 1);

  /* A change that fails after its row was written (the audit entry is
   * refused, as a full disk would): the rule and its message both go. */
  exec_raw (store, "CREATE TRIGGER fail_audit BEFORE INSERT ON audit WHEN NEW.subject = 'r2'"
                   " BEGIN SELECT RAISE (ABORT, 'audit refused'); END;", SQLITE_OK);
  g_assert_false (tacit_store_save_rule (store, doomed, 0, tacit_test_actor ("op-117"), &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (count (store, "SELECT count (*) FROM rules WHERE id = 'r2'"), ==, 0);
  g_assert_cmpint (tacit_outbox_count (store, &error), ==, 1);
  exec_raw (store, "DROP TRIGGER fail_audit", SQLITE_OK);

  /* A rolled-back transaction, by raw SQL, as any writer could. */
  exec_raw (store, "BEGIN; INSERT INTO sign_ins (badge, station, at, ok) VALUES ('9', 'x', 1, 1);"
                   " ROLLBACK;", SQLITE_OK);
  g_assert_cmpint (tacit_outbox_count (store, &error), ==, 1);

  /* Every change has its message: counts agree kind by kind. */
  before = tacit_outbox_count (store, &error);
  for (guint i = 1; i <= 5; i++)
    make_changes (store, "press-2", i);
  g_assert_cmpint (tacit_outbox_count (store, &error), ==, before + 5 * 7);
  g_assert_cmpint (count (store, "SELECT count (*) FROM outbox WHERE type = 'rule'"), ==,
                   count (store, "SELECT count (*) FROM rules"));
  g_assert_cmpint (count (store, "SELECT count (*) FROM outbox WHERE type = 'response'"), ==,
                   count (store, "SELECT count (*) FROM responses"));
  g_assert_cmpint (count (store, "SELECT count (*) FROM outbox WHERE type = 'sign-in'"), ==,
                   count (store, "SELECT count (*) FROM sign_ins"));
  g_assert_cmpint (count (store, "SELECT count (*) FROM outbox WHERE type = 'held'"), ==,
                   count (store, "SELECT count (*) FROM held_suggestions"));
}

/* Moves every queued message of kiosk into hub, as the broker would. */
static void
deliver (TacitStore *kiosk,
         TacitStore *hub,
         const char *expect)
{
  g_autoptr(GPtrArray) messages = tacit_outbox_list (kiosk, 0, 10000, NULL);
  g_autofree char *name = NULL;

  g_assert_true (tacit_outbox_get_config (kiosk, NULL, &name, NULL, NULL));
  for (guint i = 0; i < messages->len; i++)
    {
      TacitOutboxMessage *m = g_ptr_array_index (messages, i);
      g_autofree char *topic = tacit_plant_kiosk_topic ("plant-a", name, m->type);
      g_autoptr(GError) error = NULL;
      const char *outcome = NULL;

      g_assert_true (tacit_hub_store_message (hub, topic, m->payload, strlen (m->payload), &outcome, &error));
      g_assert_no_error (error);
      if (expect != NULL)
        g_assert_cmpstr (outcome, ==, expect);
    }
}

static void
test_hub_idempotent (void)
{
  g_autoptr(TacitStore) kiosk = new_kiosk ("kiosk-3");
  g_autoptr(TacitStore) hub = new_store ("hub.db");
  g_autoptr(GError) error = NULL;
  g_autofree char *stored_xml = NULL;
  g_autofree char *kiosk_xml = NULL;
  gint64 response;
  const char *outcome = NULL;

  make_changes (kiosk, "press-3", 0);
  make_changes (kiosk, "press-3", 1);
  deliver (kiosk, hub, "stored");
  /* Everything again, as after a reconnection: nothing new. */
  deliver (kiosk, hub, "duplicate");
  g_assert_cmpint (count (hub, "SELECT count (*) FROM received_messages"), ==, 14);
  g_assert_cmpint (count (hub, "SELECT count (*) FROM rules"), ==, 2);
  g_assert_cmpint (count (hub, "SELECT count (*) FROM responses"), ==, 4);
  g_assert_cmpint (count (hub, "SELECT count (*) FROM responses WHERE latency_ms = 850 AND station = 'cell-1'"), ==, 2);
  g_assert_cmpint (count (hub, "SELECT count (*) FROM held_suggestions WHERE released_at IS NOT NULL"), ==, 2);
  g_assert_cmpint (count (hub, "SELECT count (*) FROM sign_ins"), ==, 2);
  g_assert_cmpint (count (hub, "SELECT count (*) FROM suggestions"), ==, 6);
  stored_xml = text (hub, "SELECT xml FROM rules WHERE id = 'press-3-capture-1'");
  kiosk_xml = text (kiosk, "SELECT xml FROM rules WHERE id = 'press-3-capture-1'");
  g_assert_cmpstr (stored_xml, ==, kiosk_xml);
  g_assert_cmpint (count (hub, "SELECT count (*) FROM rules WHERE saved_by = 'op-117'"), ==, 2);

  /* Undo reaches the hub. */
  response = count (kiosk, "SELECT max (id) FROM responses");
  g_assert_true (tacit_kiosk_undo_response (kiosk, response, "op-117", &error));
  g_assert_no_error (error);
  deliver (kiosk, hub, NULL);
  g_assert_cmpint (count (hub, "SELECT count (*) FROM responses"), ==, 3);

  /* Unreadable or foreign messages are refused, once. */
  g_assert_true (tacit_hub_store_message (hub, "tacit/plant-a/kiosk/kiosk-3/sign-in", "{not json", 9,
                                          &outcome, &error));
  g_assert_cmpstr (outcome, ==, "refused");
  g_assert_true (tacit_hub_store_message (hub, "tacit/plant-a/kiosk/kiosk-3/sign-in", "{not json", 9,
                                          &outcome, &error));
  g_assert_cmpstr (outcome, ==, "duplicate");
  {
    const char *spoof = "{\"schema\":1,\"type\":\"sign-in\",\"id\":\"kiosk-9/sign-in/1-1\",\"body\":{}}";
    const char *future = "{\"schema\":2,\"type\":\"sign-in\",\"id\":\"kiosk-3/sign-in/x\",\"body\":{}}";

    g_assert_true (tacit_hub_store_message (hub, "tacit/plant-a/kiosk/kiosk-3/sign-in", spoof,
                                            strlen (spoof), &outcome, &error));
    g_assert_cmpstr (outcome, ==, "refused");
    g_assert_true (tacit_hub_store_message (hub, "tacit/plant-a/kiosk/kiosk-3/sign-in", future,
                                            strlen (future), &outcome, &error));
    g_assert_cmpstr (outcome, ==, "refused");
    g_assert_cmpint (count (hub, "SELECT count (*) FROM received_messages WHERE detail LIKE"
                                 " '%message schema 2 is not supported%'"), ==, 1);
  }
  g_assert_no_error (error);
  g_assert_cmpint (count (hub, "SELECT count (*) FROM sign_ins"), ==, 2);
}

/* A kiosk's revision of a rule the hub changed meanwhile is a conflict,
 * kept aside, never stored over the hub's. */
static void
test_hub_rule_conflict (void)
{
  g_autoptr(TacitStore) kiosk = new_kiosk ("kiosk-4");
  g_autoptr(TacitStore) hub = new_store ("hub.db");
  g_autoptr(TacitRule) rule = make_rule ("shared", "proposed", "Kiosk's first");
  g_autoptr(TacitRule) hub_edit = make_rule ("shared", "proposed", "Engineer's edit");
  g_autoptr(TacitRule) kiosk_edit = make_rule ("shared", "proposed", "Kiosk's second");
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  g_assert_true (tacit_store_save_rule (kiosk, rule, 0, tacit_test_actor ("op-117"), &error));
  deliver (kiosk, hub, "stored");
  g_assert_true (tacit_store_save_rule (hub, hub_edit, 1, tacit_test_actor ("eng-4"), &error));
  g_assert_true (tacit_store_save_rule (kiosk, kiosk_edit, 1, tacit_test_actor ("op-117"), &error));
  g_assert_no_error (error);
  deliver (kiosk, hub, NULL);
  g_assert_cmpint (count (hub, "SELECT count (*) FROM received_messages WHERE status = 'conflict'"
                               " AND detail LIKE '%based on revision 1, but the current revision is 2%'"), ==, 1);
  title = text (hub, "SELECT title FROM rules WHERE id = 'shared' ORDER BY revision DESC LIMIT 1");
  g_assert_cmpstr (title, ==, "Engineer's edit");
}

typedef struct {
  const char *path;
  const char *title;
  gint       *gate;      /* both start when it turns 1 */
  gboolean    saved;
  TacitRule  *current;
  GError     *error;
} Racer;

static gpointer
race (gpointer data)
{
  Racer *r = data;
  g_autoptr(TacitStore) store = tacit_store_open (r->path, NULL);
  g_autoptr(TacitRule) edit = make_rule ("contested", "approved", r->title);

  while (g_atomic_int_get (r->gate) == 0)
    g_thread_yield ();
  r->saved = tacit_hub_save_rule (store, edit, 1, tacit_test_actor (r->title[0] == 'A' ? "eng-4" : "eng-9"),
                                  &r->current, &r->error);
  return NULL;
}

/* Two engineers on the hub database save the same rule from the same
 * revision at once: one wins, the other is refused with both versions. */
static void
test_conflict_race (void)
{
  g_autoptr(TacitStore) hub = new_store ("desk.db");
  g_autoptr(TacitRule) rule = make_rule ("contested", "proposed", "Original");
  g_autoptr(GError) error = NULL;
  gint gate = 0;
  Racer racers[2] = {
    { tacit_store_get_path (hub), "A: ram speed -5%", &gate },
    { tacit_store_get_path (hub), "B: ram speed -8%", &gate },
  };
  GThread *threads[2];
  guint winner;

  g_assert_true (tacit_store_save_rule (hub, rule, 0, tacit_test_actor ("op-117"), &error));
  for (guint i = 0; i < 2; i++)
    threads[i] = g_thread_new ("racer", race, &racers[i]);
  g_usleep (50 * 1000);   /* both have opened their connection */
  g_atomic_int_set (&gate, 1);
  for (guint i = 0; i < 2; i++)
    g_thread_join (threads[i]);
  g_assert_true (racers[0].saved != racers[1].saved);
  winner = racers[0].saved ? 0 : 1;
  g_assert_error (racers[1 - winner].error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_CONFLICT);
  g_assert_nonnull (strstr (racers[1 - winner].error->message, "based on revision 1, but the current revision is 2"));
  /* Both versions for the UI: the loser's edit (unchanged, revision 1)
   * and the stored one, which is the winner's. */
  g_assert_nonnull (racers[1 - winner].current);
  g_assert_cmpuint (racers[1 - winner].current->revision, ==, 2);
  g_assert_cmpstr (racers[1 - winner].current->title, ==, racers[winner].title);
  g_assert_null (racers[winner].current);
  g_assert_cmpint (count (hub, "SELECT count (*) FROM rules WHERE id = 'contested'"), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_clear_error (&racers[i].error);
      g_clear_pointer (&racers[i].current, tacit_rule_unref);
    }
}

/* ------------------------------------------------------------ Mosquitto */

typedef struct {
  char   *dir;
  char   *conf;
  guint16 port;
  GPid    pid;
} Broker;

static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_bind (socket, any, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
port_open (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection =
    g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);

  return connection != NULL;
}

static void
child_setup (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
broker_start (Broker *broker)
{
  const char *argv[] = { "/usr/sbin/mosquitto", "-c", broker->conf, NULL };
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;

  g_spawn_async (broker->dir, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD |
                 G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, child_setup,
                 NULL, &broker->pid, &error);
  g_assert_no_error (error);
  while (!port_open (broker->port) && g_get_monotonic_time () < deadline)
    g_usleep (20000);
  g_assert_true (port_open (broker->port));
}

static void
broker_stop (Broker *broker)
{
  int status = 0;

  if (broker->pid == 0)
    return;
  kill (broker->pid, SIGTERM);
  waitpid (broker->pid, &status, 0);
  g_spawn_close_pid (broker->pid);
  broker->pid = 0;
}

/* extra: more configuration lines (TLS, passwords), replacing the
 * anonymous plain listener when given. */
static gboolean
broker_init (Broker     *broker,
             const char *dir,
             const char *listener)
{
  g_autofree char *conf = NULL;

  if (!g_file_test ("/usr/sbin/mosquitto", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("/usr/sbin/mosquitto is not installed (Debian package mosquitto)");
      return FALSE;
    }
  broker->dir = dir != NULL ? g_strdup (dir) : tacit_test_tmpdir ();
  broker->port = free_port ();
  conf = g_strdup_printf ("listener %u 127.0.0.1\n"
                          "%s"
                          "persistence true\n"
                          "persistence_location %s/\n"
                          "log_dest file %s/mosquitto.log\n"
                          "user %s\n",
                          broker->port, listener != NULL ? listener : "allow_anonymous true\n",
                          broker->dir, broker->dir, g_get_user_name ());
  broker->conf = g_build_filename (broker->dir, "mosquitto.conf", NULL);
  g_assert_true (g_file_set_contents (broker->conf, conf, -1, NULL));
  broker_start (broker);
  return TRUE;
}

static void
broker_clear (Broker *broker)
{
  broker_stop (broker);
  g_free (broker->dir);
  g_free (broker->conf);
}

static gboolean
wait_for (gboolean (*done) (gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_usleep (50 * 1000);
    }
  return TRUE;
}

typedef struct {
  TacitStore *kiosk;
  TacitStore *hub;
  gint64      expect;
  TacitPlantLink *link;
  guint       revision;
} Flow;

static gboolean
all_delivered (gpointer data)
{
  Flow *f = data;

  return tacit_outbox_count (f->kiosk, NULL) == 0 &&
         count (f->hub, "SELECT count (*) FROM received_messages WHERE status = 'stored'") == f->expect;
}

static gboolean
library_arrived (gpointer data)
{
  Flow *f = data;
  guint revision = 0;

  return tacit_outbox_get_config (f->kiosk, NULL, NULL, &revision, NULL) && revision == f->revision;
}

static void
import_approved (TacitStore *hub,
                 const char *title)
{
  g_autoptr(TacitLibrary) library = tacit_library_new ();
  g_autoptr(TacitRule) approved = make_rule ("plant-rule", "approved", title);
  g_autoptr(GError) error = NULL;

  tacit_library_set_name (library, "Plant A");
  g_assert_true (tacit_library_add_rule (library, approved, &error));
  g_assert_true (tacit_store_import_library (hub, library, tacit_test_actor ("eng-4"), &error));
  g_assert_no_error (error);
}

/* The revision the hub published last (not its library's: a kiosk's
 * proposal moves that without changing what is distributed). Waits until
 * the hub has published the approved library as it is now. */
static gboolean
hub_published (gpointer data)
{
  TacitHub *hub = data;
  TacitHubStatus status;

  tacit_hub_get_status (hub, &status);
  g_free (status.last_error);
  return status.library_revision > 0 && status.libraries_published > GPOINTER_TO_UINT (g_object_get_data (data, "seen"));
}

static guint
published_revision (TacitHub *hub)
{
  TacitHubStatus status;

  g_assert_true (wait_for (hub_published, hub));
  tacit_hub_get_status (hub, &status);
  g_free (status.last_error);
  g_object_set_data (G_OBJECT (hub), "seen", GUINT_TO_POINTER (status.libraries_published));
  return status.library_revision;
}

/* One kiosk and the hub through a real broker, which goes away and comes
 * back: everything arrives once, and the approved library reaches the
 * kiosk's store. */
static void
run_flow (Broker                      *broker,
          const char                  *url,
          const TacitPlantMqttOptions *kiosk_options,
          const TacitPlantMqttOptions *hub_options,
          gboolean                     restart)
{
  g_autoptr(TacitStore) kiosk = new_kiosk ("kiosk-5");
  g_autoptr(TacitStore) hub_store = new_store ("hub.db");
  g_autoptr(TacitHub) hub = NULL;
  g_autoptr(TacitPlantLink) link = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  TacitPlantLinkStatus status;
  TacitHubStatus hub_status;
  Flow flow = { kiosk, hub_store, 0 };

  import_approved (hub_store, "First approved");
  for (guint i = 0; i < 5; i++)
    flow.expect += make_changes (kiosk, "press-5", i);
  hub = tacit_hub_new (tacit_store_get_path (hub_store), url, "plant-a", hub_options, &error);
  g_assert_no_error (error);
  link = tacit_plant_link_new (tacit_store_get_path (kiosk), url, kiosk_options, &error);
  g_assert_no_error (error);
  g_assert_true (tacit_hub_start (hub, &error));
  g_assert_true (tacit_plant_link_start (link, &error));
  g_assert_no_error (error);
  g_assert_true (wait_for (all_delivered, &flow));
  flow.revision = published_revision (hub);
  g_assert_true (wait_for (library_arrived, &flow));
  title = text (kiosk, "SELECT title FROM rules WHERE id = 'plant-rule' ORDER BY revision DESC LIMIT 1");
  g_assert_cmpstr (title, ==, "First approved");

  if (restart)
    {
      /* The broker goes away; the kiosk keeps working; all of it arrives
       * after the restart. A new revision published meanwhile too. */
      broker_stop (broker);
      for (guint i = 5; i < 10; i++)
        flow.expect += make_changes (kiosk, "press-5", i);
      g_assert_cmpint (tacit_outbox_count (kiosk, NULL), ==, 35);
      import_approved (hub_store, "Second approved");
      g_usleep (500 * 1000);
      g_assert_cmpint (tacit_outbox_count (kiosk, NULL), ==, 35);
      broker_start (broker);
      g_assert_true (wait_for (all_delivered, &flow));
      flow.revision = published_revision (hub);
      g_assert_true (wait_for (library_arrived, &flow));
      g_free (title);
      title = text (kiosk, "SELECT title FROM rules WHERE id = 'plant-rule' ORDER BY revision DESC LIMIT 1");
      g_assert_cmpstr (title, ==, "Second approved");
    }
  tacit_plant_link_get_status (link, &status);
  g_assert_true (status.connected);
  g_assert_cmpuint (status.acknowledged, ==, flow.expect);
  g_assert_cmpuint (status.library_revision, ==, flow.revision);
  g_free (status.last_error);
  tacit_plant_link_stop (link);
  tacit_hub_stop (hub);
  tacit_hub_get_status (hub, &hub_status);
  g_assert_cmpuint (hub_status.stored, ==, flow.expect);
  g_assert_cmpuint (hub_status.refused + hub_status.conflicts, ==, 0);
  g_free (hub_status.last_error);
  /* Exactly the kiosk's rows, once each. */
  g_assert_cmpint (count (hub_store, "SELECT count (*) FROM responses"), ==,
                   count (kiosk, "SELECT count (*) FROM responses"));
  g_assert_cmpint (count (hub_store, "SELECT count (*) FROM sign_ins"), ==,
                   count (kiosk, "SELECT count (*) FROM sign_ins"));
  g_assert_cmpint (count (hub_store, "SELECT count (*) FROM rules WHERE saved_by = 'op-117'"), ==,
                   count (kiosk, "SELECT count (*) FROM rules WHERE saved_by = 'op-117'"));
}

static void
test_link_broker (void)
{
  Broker broker = { NULL };
  g_autofree char *url = NULL;

  if (!broker_init (&broker, NULL, NULL))
    return;
  url = g_strdup_printf ("mqtt://127.0.0.1:%u", broker.port);
  run_flow (&broker, url, NULL, NULL, TRUE);
  broker_clear (&broker);
}

/* A kiosk that comes up before the hub ever did publishes nothing: the
 * broker would acknowledge its messages and drop them, having no session
 * to keep them for. Once the hub's retained presence arrives, all goes. */
static gboolean
link_connected (gpointer data)
{
  TacitPlantLinkStatus status;

  tacit_plant_link_get_status (data, &status);
  g_free (status.last_error);
  return status.connected;
}

static gboolean
link_refused (gpointer data)
{
  TacitPlantLinkStatus status;
  gboolean refused;

  tacit_plant_link_get_status (data, &status);
  refused = status.last_error != NULL;
  g_free (status.last_error);
  return refused;
}

static void
test_link_waits_for_hub (void)
{
  Broker broker = { NULL };
  g_autofree char *url = NULL;

  if (!broker_init (&broker, NULL, NULL))
    return;
  url = g_strdup_printf ("mqtt://127.0.0.1:%u", broker.port);
  {
    g_autoptr(TacitStore) kiosk = new_kiosk ("kiosk-9");
    g_autoptr(TacitStore) hub_store = new_store ("hub.db");
    g_autoptr(TacitPlantLink) link = tacit_plant_link_new (tacit_store_get_path (kiosk), url, NULL, NULL);
    g_autoptr(TacitHub) hub = NULL;
    Flow flow = { kiosk, hub_store, make_changes (kiosk, "press-9", 0) };
    TacitPlantLinkStatus status;

    g_assert_true (tacit_plant_link_start (link, NULL));
    g_assert_true (wait_for (link_connected, link));
    g_usleep (500 * 1000);   /* rounds of the worker that must not publish */
    tacit_plant_link_get_status (link, &status);
    g_assert_false (status.hub_seen);
    g_assert_cmpuint (status.published, ==, 0);
    g_free (status.last_error);
    g_assert_cmpint (tacit_outbox_count (kiosk, NULL), ==, 7);
    hub = tacit_hub_new (tacit_store_get_path (hub_store), url, "plant-a", NULL, NULL);
    g_assert_true (tacit_hub_start (hub, NULL));
    g_assert_true (wait_for (all_delivered, &flow));
    tacit_plant_link_get_status (link, &status);
    g_assert_true (status.hub_seen);
    g_free (status.last_error);
    tacit_plant_link_stop (link);
    tacit_hub_stop (hub);
  }
  broker_clear (&broker);
}

static gboolean
run_tool (const char *dir,
          const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_test_message ("%s failed: %s", argv[0], err);
      return FALSE;
    }
  return TRUE;
}

/* A CA, a server certificate for 127.0.0.1 and a client certificate per
 * name, made with openssl in dir. */
static gboolean
make_pki (const char *dir)
{
  const char *ca[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                       "-subj", "/CN=Tacit test CA", "-keyout", "ca.key", "-out", "ca.crt", NULL };
  const char *names[] = { "server", "kiosk-5", "hub" };
  g_autofree char *san = g_build_filename (dir, "san.cnf", NULL);

  g_autofree char *openssl = g_find_program_in_path ("openssl");

  if (openssl == NULL)
    return FALSE;
  if (!run_tool (dir, ca))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *key = g_strconcat (names[i], ".key", NULL);
      g_autofree char *csr = g_strconcat (names[i], ".csr", NULL);
      g_autofree char *crt = g_strconcat (names[i], ".crt", NULL);
      g_autofree char *subj = g_strconcat ("/CN=", i == 0 ? "127.0.0.1" : names[i], NULL);
      const char *req[] = { "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", subj,
                            "-keyout", key, "-out", csr, NULL };
      const char *sign[] = { "openssl", "x509", "-req", "-in", csr, "-CA", "ca.crt", "-CAkey", "ca.key",
                             "-CAcreateserial", "-days", "2", "-out", crt,
                             "-extfile", "san.cnf", NULL };

      g_assert_true (g_file_set_contents (san,
                                          i == 0 ? "subjectAltName=IP:127.0.0.1\n" : "extendedKeyUsage=clientAuth\n",
                                          -1, NULL));
      if (!run_tool (dir, req) || !run_tool (dir, sign))
        return FALSE;
    }
  return TRUE;
}

static void
test_link_tls (void)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *listener = NULL;
  g_autofree char *url = NULL;
  g_autofree char *ca = g_build_filename (dir, "ca.crt", NULL);
  g_autofree char *kiosk_crt = g_build_filename (dir, "kiosk-5.crt", NULL);
  g_autofree char *kiosk_key = g_build_filename (dir, "kiosk-5.key", NULL);
  g_autofree char *hub_crt = g_build_filename (dir, "hub.crt", NULL);
  g_autofree char *hub_key = g_build_filename (dir, "hub.key", NULL);
  g_autofree char *acl = g_build_filename (dir, "acl", NULL);
  TacitPlantMqttOptions kiosk = { .cafile = ca, .certfile = kiosk_crt, .keyfile = kiosk_key };
  TacitPlantMqttOptions hub = { .cafile = ca, .certfile = hub_crt, .keyfile = hub_key };
  Broker broker = { NULL };

  if (!make_pki (dir))
    {
      g_test_skip ("openssl cannot make the test CA");
      return;
    }
  /* Per-client identity from the certificate, and an ACL: a kiosk may
   * only write its own topics and read the library; the hub reads them
   * all and writes the library. */
  g_assert_true (g_file_set_contents (acl,
                                      "user hub\n"
                                      "topic read tacit/+/kiosk/#\n"
                                      "topic readwrite tacit/+/library\n"
                                      "topic readwrite tacit/+/hub\n"
                                      "pattern write tacit/+/kiosk/%u/#\n"
                                      "pattern read tacit/+/library\n"
                                      "pattern read tacit/+/hub\n", -1, NULL));
  listener = g_strdup_printf ("cafile %s/ca.crt\ncertfile %s/server.crt\nkeyfile %s/server.key\n"
                              "require_certificate true\nuse_identity_as_username true\n"
                              "allow_anonymous false\nacl_file %s/acl\n", dir, dir, dir, dir);
  if (!broker_init (&broker, dir, listener))
    return;
  url = g_strdup_printf ("mqtts://127.0.0.1:%u", broker.port);
  run_flow (&broker, url, &kiosk, &hub, FALSE);

  /* Without a client certificate the broker lets nobody in. */
  {
    g_autoptr(TacitStore) store = new_kiosk ("kiosk-6");
    TacitPlantMqttOptions anonymous = { .cafile = ca };
    g_autoptr(TacitPlantLink) link = NULL;
    g_autoptr(GError) error = NULL;
    TacitPlantLinkStatus status;

    make_changes (store, "press-6", 0);
    link = tacit_plant_link_new (tacit_store_get_path (store), url, &anonymous, &error);
    g_assert_no_error (error);
    g_assert_true (tacit_plant_link_start (link, &error));
    g_usleep (1500 * 1000);
    tacit_plant_link_get_status (link, &status);
    g_assert_false (status.connected);
    g_assert_cmpuint (status.acknowledged, ==, 0);
    g_free (status.last_error);
    tacit_plant_link_stop (link);
    g_assert_cmpint (tacit_outbox_count (store, NULL), ==, 7);
  }
  broker_clear (&broker);
}

static void
test_link_password (void)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *listener = NULL;
  g_autofree char *url = NULL;
  g_autofree char *bad_url = NULL;
  const char *passwd_kiosk[] = { "mosquitto_passwd", "-c", "-b", "passwords", "kiosk-5", "s3cret-k", NULL };
  const char *passwd_hub[] = { "mosquitto_passwd", "-b", "passwords", "hub", "s3cret-h", NULL };
  TacitPlantMqttOptions hub = { .username = "hub", .password = "s3cret-h" };
  Broker broker = { NULL };

  g_autofree char *mosquitto_passwd = g_find_program_in_path ("mosquitto_passwd");

  if (mosquitto_passwd == NULL)
    {
      g_test_skip ("mosquitto_passwd is not installed");
      return;
    }
  g_assert_true (run_tool (dir, passwd_kiosk));
  g_assert_true (run_tool (dir, passwd_hub));
  listener = g_strdup_printf ("allow_anonymous false\npassword_file %s/passwords\n", dir);
  if (!broker_init (&broker, dir, listener))
    return;
  /* The kiosk's credentials in the URL, the hub's as options. */
  url = g_strdup_printf ("mqtt://kiosk-5:s3cret-k@127.0.0.1:%u", broker.port);
  bad_url = g_strdup_printf ("mqtt://127.0.0.1:%u", broker.port);
  {
    g_autoptr(TacitStore) kiosk = new_kiosk ("kiosk-5");
    g_autoptr(TacitStore) hub_store = new_store ("hub.db");
    g_autoptr(TacitHub) h = tacit_hub_new (tacit_store_get_path (hub_store), bad_url, "plant-a", &hub, NULL);
    g_autoptr(TacitPlantLink) link = tacit_plant_link_new (tacit_store_get_path (kiosk), url, NULL, NULL);
    Flow flow = { kiosk, hub_store, make_changes (kiosk, "press-5", 0) };

    g_assert_nonnull (h);
    g_assert_nonnull (link);
    g_assert_true (tacit_hub_start (h, NULL));
    g_assert_true (tacit_plant_link_start (link, NULL));
    g_assert_true (wait_for (all_delivered, &flow));
    tacit_plant_link_stop (link);
    tacit_hub_stop (h);
  }
  {
    g_autofree char *wrong = g_strdup_printf ("mqtt://kiosk-5:guess@127.0.0.1:%u", broker.port);
    g_autoptr(TacitStore) kiosk = new_kiosk ("kiosk-7");
    g_autoptr(TacitPlantLink) link = tacit_plant_link_new (tacit_store_get_path (kiosk), wrong, NULL, NULL);
    TacitPlantLinkStatus status;

    make_changes (kiosk, "press-7", 0);
    g_assert_true (tacit_plant_link_start (link, NULL));
    g_assert_true (wait_for (link_refused, link));
    tacit_plant_link_get_status (link, &status);
    g_assert_false (status.connected);
    g_assert_nonnull (status.last_error);
    g_assert_nonnull (strstr (status.last_error, "not authorised"));
    g_free (status.last_error);
    tacit_plant_link_stop (link);
    g_assert_cmpint (tacit_outbox_count (kiosk, NULL), ==, 7);
  }
  broker_clear (&broker);
}

static void
test_bad_urls (void)
{
  g_autoptr(TacitStore) kiosk = new_kiosk ("kiosk-8");
  g_autoptr(TacitStore) plain = new_store ("plain.db");
  g_autoptr(GError) error = NULL;
  TacitPlantMqttOptions certs = { .cafile = "/nonexistent/ca.crt" };
  TacitPlantLink *link;

  link = tacit_plant_link_new (tacit_store_get_path (kiosk), "http://127.0.0.1:1883", NULL, &error);
  g_assert_null (link);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  link = tacit_plant_link_new (tacit_store_get_path (kiosk), "mqtt://127.0.0.1", &certs, &error);
  g_assert_null (link);
  g_assert_nonnull (strstr (error->message, "certificates need an mqtts:// URL"));
  g_clear_error (&error);
  link = tacit_plant_link_new (tacit_store_get_path (plain), "mqtt://127.0.0.1", NULL, &error);
  g_assert_null (link);
  g_assert_nonnull (strstr (error->message, "not a kiosk of a plant"));
  g_clear_error (&error);
  g_assert_false (tacit_outbox_configure (plain, "plant/a", "k", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (tacit_outbox_configure (plain, "plant", "k#1", &error));
  g_clear_error (&error);
  g_assert_null (tacit_hub_new (tacit_store_get_path (plain), "mqtt://127.0.0.1", "a+b", NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static char *
cli_path (void)
{
  const char *build = g_getenv ("G_TEST_BUILDDIR");
  char *path = build ? g_build_filename (build, "..", "app", "cli", "tacit-cli", NULL) : NULL;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    g_clear_pointer (&path, g_free);
  return path;
}

static int
run_cli (const char *const *args,
         char              **out,
         char              **err)
{
  g_autofree char *cli = cli_path ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

/* tacit-cli hub / kiosk-link: what an operator of the plant server types. */
static void
test_cli (void)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "k.db", NULL);
  g_autofree char *cli = cli_path ();
  g_autofree char *out = NULL, *err = NULL;

  if (cli == NULL)
    {
      g_test_skip ("tacit-cli is not built");
      return;
    }
  {
    const char *args[] = { "--db", db, "hub", NULL };
    g_assert_cmpint (run_cli (args, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "tacit-cli hub: --mqtt URL is required"));
    g_clear_pointer (&err, g_free);
    g_clear_pointer (&out, g_free);
  }
  {
    const char *args[] = { "--db", db, "hub", "--mqtt", "http://broker", NULL };
    g_assert_cmpint (run_cli (args, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "http://broker: not an MQTT URL"));
    g_clear_pointer (&err, g_free);
    g_clear_pointer (&out, g_free);
  }
  {
    const char *args[] = { "--db", db, "kiosk-link", "--plant", "plant-a", NULL };
    g_assert_cmpint (run_cli (args, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "--plant and --kiosk go together"));
    g_clear_pointer (&err, g_free);
    g_clear_pointer (&out, g_free);
  }
  {
    const char *args[] = { "--db", db, "kiosk-link", "--mqtt", "mqtt://127.0.0.1:1", NULL };
    g_assert_cmpint (run_cli (args, &out, &err), ==, 3);
    g_assert_nonnull (strstr (err, "not a kiosk of a plant"));
    g_clear_pointer (&err, g_free);
    g_clear_pointer (&out, g_free);
  }
  {
    const char *args[] = { "--db", db, "kiosk-link", "--plant", "plant-a", "--kiosk", "press/3", NULL };
    g_assert_cmpint (run_cli (args, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "without '/', '+' or '#'"));
    g_clear_pointer (&err, g_free);
    g_clear_pointer (&out, g_free);
  }
  {
    const char *args[] = { "--db", db, "kiosk-link", "--plant", "plant-a", "--kiosk", "press-3", NULL };
    g_autofree char *expect = g_strdup_printf ("%s is kiosk press-3 of plant plant-a\n", db);

    g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
    g_assert_cmpstr (out, ==, expect);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plant/outbox/off-by-default", test_outbox_off);
  g_test_add_func ("/plant/outbox/messages", test_outbox_messages);
  g_test_add_func ("/plant/outbox/same-transaction", test_outbox_same_transaction);
  g_test_add_func ("/plant/hub/idempotent", test_hub_idempotent);
  g_test_add_func ("/plant/hub/rule-conflict", test_hub_rule_conflict);
  g_test_add_func ("/plant/conflict/two-engineers-race", test_conflict_race);
  g_test_add_func ("/plant/link/bad-urls", test_bad_urls);
  g_test_add_func ("/plant/cli/usage", test_cli);
  g_test_add_func ("/plant/link/broker-restart", test_link_broker);
  g_test_add_func ("/plant/link/waits-for-hub", test_link_waits_for_hub);
  g_test_add_func ("/plant/link/tls-client-certificates", test_link_tls);
  g_test_add_func ("/plant/link/password-file", test_link_password);
  return g_test_run ();
}
