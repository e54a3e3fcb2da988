/* test-live.c: live sources against real servers on loopback: a test
 * MTConnect agent (SoupServer) with real agent behaviour, and a real
 * Eclipse Mosquitto broker started for the test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <mosquitto.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "tacit-ingest.h"
#include "tacit-library-xml.h"
#include "tacit-mqtt-source.h"
#include "tacit-mtconnect-client.h"
#include "tacit-store-private.h"
#include "tacit-test-utils.h"

/* Every wait is bounded: a broken client fails the test, never hangs it. */
#define WAIT_MS 15000

/* ------------------------------------------------------------ helpers */

typedef gboolean (*Predicate) (gpointer data);

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
wait_until (Predicate predicate,
            gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;
  guint tick = g_timeout_add (5, tick_cb, NULL);
  gboolean ok;

  while (!(ok = predicate (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  return ok;
}

static void
spin_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;
  guint tick = g_timeout_add (5, tick_cb, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

static gint64
query_int (TacitStore *store,
           const char *sql,
           const char *arg)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (_tacit_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
query_text (TacitStore *store,
            const char *sql,
            const char *arg)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_tacit_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static gint64
count_events (TacitStore *store)
{
  return query_int (store, "SELECT count(*) FROM events", NULL);
}

static TacitStore *
new_store (void)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "live.db", NULL);
  g_autoptr(GError) error = NULL;
  TacitStore *store = tacit_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

/* A free TCP port on 127.0.0.1 (bound once, then released). */
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

/* ------------------------------------------------ the test MTConnect agent */

/* One observation in the agent's buffer. */
typedef struct {
  guint64 sequence;
  guint   item;      /* 0 oil_temp (sample), 1 part_count (event), 2 hydraulic (condition) */
  char   *value;
  char   *time;
} Observation;

typedef struct {
  SoupServer *server;
  guint16     port;
  char       *url;
  guint64     instance_id;
  guint64     next_sequence;   /* the next one to be added */
  guint       buffer_size;
  GQueue      buffer;          /* Observation*, oldest first */
  gboolean    strict_range;    /* answer OUT_OF_RANGE (agents >= 1.4) instead of clamping */
  guint       malformed;       /* answer this many sample requests with a broken document */
  guint       n_requests;
  /* A real agent's documents, served verbatim (instanceId patched into the
   * probe, which the test bed serves from a file). */
  char       *real_probe;
  char       *real_current;
} Agent;

static const char *const item_names[] = { "oil_temp", "part_count", "hydraulic" };

static void
observation_free (Observation *obs)
{
  g_free (obs->value);
  g_free (obs->time);
  g_free (obs);
}

static void
agent_add (Agent *agent,
           guint  n)
{
  for (guint i = 0; i < n; i++)
    {
      Observation *obs = g_new0 (Observation, 1);
      guint64 seq = agent->next_sequence++;
      g_autoptr(GDateTime) base = g_date_time_new_utc (2026, 11, 2, 6, 0, 0);
      /* Event time follows the agent's own clock: instance and sequence. */
      g_autoptr(GDateTime) at = g_date_time_add_seconds (base, (double) (agent->instance_id * 100000 + seq));

      obs->sequence = seq;
      obs->item = seq % 3;
      obs->value = obs->item == 0 ? g_strdup_printf ("%u.5", 40 + (guint) (seq % 20))
                 : obs->item == 1 ? g_strdup_printf ("%" G_GUINT64_FORMAT, seq)
                                  : g_strdup (seq % 2 ? "Fault" : "Normal");
      obs->time = g_date_time_format (at, "%Y-%m-%dT%H:%M:%S.000000Z");
      g_queue_push_tail (&agent->buffer, obs);
      while (agent->buffer.length > agent->buffer_size)
        observation_free (g_queue_pop_head (&agent->buffer));
    }
}

static void
agent_restart (Agent *agent)
{
  g_queue_clear_full (&agent->buffer, (GDestroyNotify) observation_free);
  agent->instance_id++;
  agent->next_sequence = 1;
}

static guint64
agent_first (Agent *agent)
{
  Observation *head = g_queue_peek_head (&agent->buffer);

  return head != NULL ? head->sequence : agent->next_sequence;
}

static void
append_observation (GString     *xml,
                    Observation *obs)
{
  static const char *const containers[] = { "Samples", "Events", "Condition" };
  static const char *const elements[] = { "Temperature", "PartCount", NULL };
  const char *element = obs->item == 2 ? obs->value : elements[obs->item];

  g_string_append_printf (xml, "<%s><%s dataItemId=\"p1-%u\" name=\"%s\" timestamp=\"%s\" "
                          "sequence=\"%" G_GUINT64_FORMAT "\"%s>%s</%s></%s>\n",
                          containers[obs->item], element, obs->item, item_names[obs->item],
                          obs->time, obs->sequence,
                          obs->item == 2 ? " type=\"HYDRAULIC\"" : "",
                          obs->item == 2 ? "" : obs->value, element, containers[obs->item]);
}

static char *
agent_streams (Agent     *agent,
               GPtrArray *observations,
               guint64    next)
{
  GString *xml = g_string_new (NULL);

  g_string_append_printf (xml,
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<MTConnectStreams xmlns=\"urn:mtconnect.org:MTConnectStreams:1.3\">\n"
    "<Header creationTime=\"2026-11-02T06:00:00Z\" sender=\"test\" instanceId=\"%" G_GUINT64_FORMAT
    "\" version=\"1.3.0\" bufferSize=\"%u\" nextSequence=\"%" G_GUINT64_FORMAT
    "\" firstSequence=\"%" G_GUINT64_FORMAT "\" lastSequence=\"%" G_GUINT64_FORMAT "\"/>\n"
    "<Streams><DeviceStream name=\"press-1\" uuid=\"press-1\">"
    "<ComponentStream component=\"Device\" name=\"press-1\" componentId=\"p1\">\n",
    agent->instance_id, agent->buffer_size, next, agent_first (agent), agent->next_sequence - 1);
  for (guint i = 0; i < observations->len; i++)
    append_observation (xml, g_ptr_array_index (observations, i));
  g_string_append (xml, "</ComponentStream></DeviceStream></Streams></MTConnectStreams>\n");
  return g_string_free (xml, FALSE);
}

static int
compare_sequence (gconstpointer a,
                  gconstpointer b)
{
  const Observation *x = *(Observation *const *) a, *y = *(Observation *const *) b;

  return (x->sequence > y->sequence) - (x->sequence < y->sequence);
}

static char *
agent_current (Agent *agent)
{
  g_autoptr(GPtrArray) latest = g_ptr_array_new ();
  Observation *by_item[3] = { NULL, NULL, NULL };

  for (GList *l = agent->buffer.head; l != NULL; l = l->next)
    by_item[((Observation *) l->data)->item] = l->data;
  for (guint i = 0; i < 3; i++)
    if (by_item[i] != NULL)
      g_ptr_array_add (latest, by_item[i]);
  g_ptr_array_sort (latest, compare_sequence);
  if (agent->real_current != NULL)
    return g_strdup (agent->real_current);
  return agent_streams (agent, latest, agent->next_sequence);
}

static char *
agent_error (const char *code,
             const char *text)
{
  return g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<MTConnectError xmlns=\"urn:mtconnect.org:MTConnectError:1.3\">\n"
                          "<Header creationTime=\"2026-11-02T06:00:00Z\" sender=\"test\" "
                          "instanceId=\"1\" version=\"1.3.0\" bufferSize=\"8\"/>\n"
                          "<Errors><Error errorCode=\"%s\">%s</Error></Errors></MTConnectError>\n",
                          code, text);
}

/* sample?from=N&count=M, as cppagent 1.3 answers it (from below the
 * buffer's start is moved up to it) or, strict, as later agents do. */
static char *
agent_sample (Agent      *agent,
              GHashTable *query,
              guint      *status)
{
  const char *from_text = query ? g_hash_table_lookup (query, "from") : NULL;
  const char *count_text = query ? g_hash_table_lookup (query, "count") : NULL;
  guint64 from = from_text ? g_ascii_strtoull (from_text, NULL, 10) : agent_first (agent);
  guint count = count_text ? (guint) g_ascii_strtoull (count_text, NULL, 10) : 100;
  g_autoptr(GPtrArray) out = g_ptr_array_new ();
  guint64 next;

  if (agent->malformed > 0)
    {
      g_autofree char *path = tacit_test_data_path ("live/malformed.xml");
      char *text = NULL;

      agent->malformed--;
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      return text;
    }
  if (from < agent_first (agent) && agent->strict_range)
    {
      *status = 400;
      return agent_error ("OUT_OF_RANGE", "'from' must be greater than or equal to firstSequence");
    }
  from = MAX (from, agent_first (agent));
  next = from;
  for (GList *l = agent->buffer.head; l != NULL && out->len < count; l = l->next)
    {
      Observation *obs = l->data;

      if (obs->sequence >= from)
        {
          g_ptr_array_add (out, obs);
          next = obs->sequence + 1;
        }
    }
  return agent_streams (agent, out, MAX (next, from));
}

static char *
agent_probe (Agent *agent)
{
  g_autofree char *path = tacit_test_data_path ("live/probe.xml");
  g_autofree char *text = NULL;
  g_autofree char *instance = g_strdup_printf ("%" G_GUINT64_FORMAT, agent->instance_id);
  g_auto(GStrv) parts = NULL;

  if (agent->real_probe != NULL)
    return g_strdup (agent->real_probe);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  parts = g_strsplit (text, "@INSTANCE@", -1);
  g_free (text);
  text = g_strjoinv (instance, parts);
  g_strfreev (parts);
  parts = g_strsplit (text, "@BUFFER@", -1);
  return g_strjoinv ("8", parts);
}

static void
agent_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           data)
{
  Agent *agent = data;
  g_autofree char *body = NULL;
  guint status = 200;

  agent->n_requests++;
  if (g_str_has_suffix (path, "/probe"))
    body = agent_probe (agent);
  else if (g_str_has_suffix (path, "/current"))
    body = agent_current (agent);
  else if (g_str_has_suffix (path, "/sample"))
    body = agent_sample (agent, query, &status);
  else
    {
      status = 404;
      body = agent_error ("UNSUPPORTED", "no such request");
    }
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/xml", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
agent_listen (Agent *agent)
{
  g_autoptr(GError) error = NULL;

  agent->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (agent->server, NULL, agent_handler, agent, NULL);
  soup_server_listen_local (agent->server, agent->port, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
}

static Agent *
agent_new (gboolean listening)
{
  Agent *agent = g_new0 (Agent, 1);

  agent->instance_id = 7;
  agent->next_sequence = 1;
  agent->buffer_size = 8;
  agent->port = free_port ();
  agent->url = g_strdup_printf ("http://127.0.0.1:%u/", agent->port);
  g_queue_init (&agent->buffer);
  if (listening)
    agent_listen (agent);
  return agent;
}

static void
agent_free (Agent *agent)
{
  if (agent->server != NULL)
    {
      soup_server_disconnect (agent->server);
      g_object_unref (agent->server);
    }
  g_queue_clear_full (&agent->buffer, (GDestroyNotify) observation_free);
  g_free (agent->real_probe);
  g_free (agent->real_current);
  g_free (agent->url);
  g_free (agent);
}

/* ------------------------------------------------------ MTConnect tests */

typedef struct {
  TacitStore           *store;
  TacitIngest          *ingest;
  TacitMtconnectClient *client;
  GPtrArray            *states;   /* char*: "state" or "state: message" */
  gint64                want;
} Follow;

static void
record_state_cb (TacitMtconnectClient *client,
                 guint                 state,
                 const char           *message,
                 gpointer              data)
{
  Follow *f = data;

  g_ptr_array_add (f->states, g_strdup_printf ("%s%s%s", tacit_source_state_to_string (state),
                                               message ? ": " : "", message ? message : ""));
}

static TacitMtconnectClient *
follow_start (Follow     *f,
              const char *url)
{
  TacitMtconnectClient *client = tacit_mtconnect_client_new (f->ingest, url);

  tacit_mtconnect_client_set_poll_interval (client, 10);
  tacit_mtconnect_client_set_count (client, 4);
  tacit_mtconnect_client_set_backoff (client, 10, 50);
  g_signal_connect (client, "state-changed", G_CALLBACK (record_state_cb), f);
  tacit_mtconnect_client_start (client);
  return client;
}

static void
follow_init (Follow *f)
{
  g_autoptr(GError) error = NULL;

  f->store = new_store ();
  f->ingest = tacit_ingest_new (f->store, &error);
  g_assert_no_error (error);
  f->states = g_ptr_array_new_with_free_func (g_free);
}

static void
follow_clear (Follow *f)
{
  if (f->client != NULL)
    {
      tacit_mtconnect_client_stop (f->client);
      g_clear_object (&f->client);
    }
  g_clear_object (&f->ingest);
  g_clear_object (&f->store);
  g_ptr_array_unref (f->states);
}

static gboolean
has_events (gpointer data)
{
  Follow *f = data;

  return count_events (f->store) >= f->want;
}

static gboolean
is_connected_at (gpointer data)
{
  Follow *f = data;

  return tacit_mtconnect_client_get_state (f->client) == TACIT_SOURCE_STATE_CONNECTED &&
         (guint64) f->want == tacit_mtconnect_client_get_next_sequence (f->client);
}

/* probe, current, then sample after sample; a second client on the same
 * store continues from the stored position: nothing twice, nothing missed. */
static void
test_mtconnect_follow (void)
{
  Agent *agent = agent_new (TRUE);
  Follow f = { 0 };
  g_autofree char *url = NULL;

  follow_init (&f);
  agent_add (agent, 5);                       /* sequences 1..5 */
  f.client = follow_start (&f, agent->url);
  url = g_strdup (tacit_mtconnect_client_get_url (f.client));
  f.want = 6;
  g_assert_true (wait_until (is_connected_at, &f));
  /* current: the latest value of each of the 3 items */
  g_assert_cmpint (count_events (f.store), ==, 3);
  /* Both devices of the probe are machines, the Device name is the id. */
  g_assert_cmpint (query_int (f.store, "SELECT count(*) FROM machines WHERE id IN ('press-1', 'press-2')", NULL), ==, 2);

  agent_add (agent, 7);                       /* 6..12: more than count=4 per request */
  f.want = 3 + 7;
  g_assert_true (wait_until (has_events, &f));
  f.want = 13;
  g_assert_true (wait_until (is_connected_at, &f));
  g_assert_cmpint (count_events (f.store), ==, 10);
  g_assert_cmpint (query_int (f.store, "SELECT next_sequence FROM sources WHERE url = ?1", url), ==, 13);
  g_assert_cmpint (query_int (f.store, "SELECT instance_id FROM sources WHERE url = ?1", url), ==, 7);

  /* Reconnect: a new client (as after a restart of Tacit) continues at 13. */
  tacit_mtconnect_client_stop (f.client);
  g_clear_object (&f.client);
  agent_add (agent, 2);                       /* 13, 14 */
  f.client = follow_start (&f, agent->url);
  f.want = 15;
  g_assert_true (wait_until (is_connected_at, &f));
  spin_ms (50);
  g_assert_cmpint (count_events (f.store), ==, 12);
  /* no observation twice: every (time, item) once */
  g_assert_cmpint (query_int (f.store, "SELECT count(*) FROM (SELECT DISTINCT time, item FROM events)", NULL), ==, 12);
  g_assert_cmpint (query_int (f.store, "SELECT count(*) FROM events WHERE item = 'tacit:gap'", NULL), ==, 0);
  g_assert_cmpuint (tacit_mtconnect_client_get_n_gaps (f.client), ==, 0);

  follow_clear (&f);
  agent_free (agent);
}

/* The agent's buffer moved past what was asked for: a gap event per device
 * with the missed range, then the buffered observations. */
static void
test_mtconnect_gap (gconstpointer data)
{
  gboolean strict = GPOINTER_TO_INT (data);
  Agent *agent = agent_new (TRUE);
  Follow f = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *value = NULL;

  agent->strict_range = strict;
  follow_init (&f);
  agent_add (agent, 3);
  f.client = follow_start (&f, agent->url);
  f.want = 4;
  g_assert_true (wait_until (is_connected_at, &f));
  tacit_mtconnect_client_stop (f.client);
  g_clear_object (&f.client);

  agent_add (agent, 20);                      /* 4..23; the buffer keeps 16..23 */
  f.client = follow_start (&f, agent->url);
  f.want = 24;
  g_assert_true (wait_until (is_connected_at, &f));
  g_assert_cmpint (query_int (f.store, "SELECT count(*) FROM events WHERE item = 'tacit:gap'", NULL), ==, 2);
  value = query_text (f.store, "SELECT value FROM events WHERE item = 'tacit:gap' AND code = 'buffer' "
                               "AND machine = (SELECT num FROM machines WHERE id = ?1)", "press-2");
  g_assert_cmpstr (value, ==, "12");          /* 4..15 */
  text = query_text (f.store, "SELECT text FROM events WHERE item = 'tacit:gap' LIMIT 1", NULL);
  g_assert_nonnull (strstr (text, "observations 4 to 15"));
  /* 3 from current + the 8 still buffered */
  g_assert_cmpint (query_int (f.store, "SELECT count(*) FROM events WHERE item <> 'tacit:gap'", NULL), ==, 11);
  g_assert_cmpuint (tacit_mtconnect_client_get_n_gaps (f.client), ==, 1);
  g_assert_true (g_ptr_array_find_with_equal_func (f.states, "gap", (GEqualFunc) g_str_has_prefix, NULL));

  follow_clear (&f);
  agent_free (agent);
}

static gboolean
instance_is_8 (gpointer data)
{
  Follow *f = data;

  return query_int (f->store, "SELECT count(*) FROM events WHERE code = 'restart'", NULL) == 2 &&
         tacit_mtconnect_client_get_next_sequence (f->client) == 6;
}

/* instanceId changes: re-probe, a restart gap, then current of the new
 * instance and on. */
static void
test_mtconnect_restart (void)
{
  Agent *agent = agent_new (TRUE);
  Follow f = { 0 };
  g_autofree char *text = NULL;

  follow_init (&f);
  agent_add (agent, 4);
  f.client = follow_start (&f, agent->url);
  f.want = 5;
  g_assert_true (wait_until (is_connected_at, &f));
  g_assert_cmpint (count_events (f.store), ==, 3);

  agent_restart (agent);                      /* instance 8, sequences from 1 */
  agent_add (agent, 5);
  g_assert_true (wait_until (instance_is_8, &f));
  text = query_text (f.store, "SELECT text FROM events WHERE code = 'restart' LIMIT 1", NULL);
  g_assert_nonnull (strstr (text, "instance 7 became 8"));
  g_assert_cmpint (query_int (f.store, "SELECT instance_id FROM sources", NULL), ==, 8);
  /* 3 + the new instance's current (3 items) + 2 gap events */
  g_assert_cmpint (count_events (f.store), ==, 3 + 3 + 2);

  follow_clear (&f);
  agent_free (agent);
}

static gboolean
saw_error_then_connected (gpointer data)
{
  Follow *f = data;
  guint index;

  return g_ptr_array_find_with_equal_func (f->states, "error", (GEqualFunc) g_str_has_prefix, &index) &&
         tacit_mtconnect_client_get_state (f->client) == TACIT_SOURCE_STATE_CONNECTED &&
         count_events (f->store) >= f->want;
}

/* A malformed document: a clear error naming the request and line, state
 * error, and the source goes on. */
static void
test_mtconnect_malformed (void)
{
  Agent *agent = agent_new (TRUE);
  Follow f = { 0 };
  const char *message = NULL;

  follow_init (&f);
  agent_add (agent, 3);
  agent->malformed = 2;
  f.client = follow_start (&f, agent->url);
  agent_add (agent, 0);
  f.want = 3;
  g_assert_true (wait_until (has_events, &f));
  agent_add (agent, 3);
  f.want = 6;
  g_assert_true (wait_until (saw_error_then_connected, &f));
  for (guint i = 0; i < f.states->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (f.states, i), "error"))
      message = g_ptr_array_index (f.states, i);
  g_assert_nonnull (message);
  g_assert_true (g_str_has_prefix (message, "error: http://127.0.0.1:"));
  g_assert_nonnull (strstr (message, "/sample?from=4&count=4:"));
  g_assert_cmpuint (tacit_mtconnect_client_get_n_errors (f.client), >=, 2);
  g_assert_cmpint (count_events (f.store), ==, 6);

  follow_clear (&f);
  agent_free (agent);
}

static gboolean
is_reconnecting (gpointer data)
{
  Follow *f = data;

  return tacit_mtconnect_client_get_n_errors (f->client) >= 3;
}

/* Connection refused, then the agent comes up: the client recovers. */
static void
test_mtconnect_refused (void)
{
  Agent *agent = agent_new (FALSE);
  Follow f = { 0 };
  const char *first_error;

  follow_init (&f);
  f.client = follow_start (&f, agent->url);
  g_assert_true (wait_until (is_reconnecting, &f));
  g_assert_cmpint (tacit_mtconnect_client_get_state (f.client), ==, TACIT_SOURCE_STATE_RECONNECTING);
  first_error = g_ptr_array_index (f.states, 1);
  g_assert_true (g_str_has_prefix (first_error, "reconnecting: http://127.0.0.1:"));
  g_assert_nonnull (strstr (first_error, "/probe: "));

  agent_listen (agent);
  agent_add (agent, 6);
  f.want = 7;
  g_assert_true (wait_until (is_connected_at, &f));
  g_assert_cmpint (count_events (f.store), ==, 3);

  follow_clear (&f);
  agent_free (agent);
}

/* Several agents at once, into one store. */
static void
test_mtconnect_several (void)
{
  Agent *a = agent_new (TRUE);
  Agent *b = agent_new (TRUE);
  Follow f = { 0 };
  g_autoptr(TacitMtconnectClient) second = NULL;

  follow_init (&f);
  b->instance_id = 99;
  agent_add (a, 3);
  agent_add (b, 3);
  f.client = follow_start (&f, a->url);
  second = follow_start (&f, b->url);
  f.want = 2 * 3;                             /* each agent's current */
  g_assert_true (wait_until (has_events, &f));
  agent_add (a, 4);
  agent_add (b, 4);
  f.want = 2 * 3 + 2 * 4;
  g_assert_true (wait_until (has_events, &f));
  spin_ms (50);
  g_assert_cmpint (count_events (f.store), ==, 14);
  g_assert_cmpint (query_int (f.store, "SELECT count(*) FROM sources WHERE next_sequence = 8", NULL), ==, 2);
  tacit_mtconnect_client_stop (second);

  follow_clear (&f);
  agent_free (a);
  agent_free (b);
}

/* The NIST test bed's real documents: its probe (8 devices) and a real
 * sample response served as current. */
static void
test_mtconnect_real (void)
{
  g_autofree char *probe_path = tacit_test_shared_path ("mtconnect/nist-Devices.xml");
  g_autofree char *sample_path = tacit_test_shared_path ("mtconnect/nist-GFAgie01-sample.xml");
  g_autofree char *probe = NULL;
  g_auto(GStrv) parts = NULL;
  Agent *agent;
  Follow f = { 0 };

  if (probe_path == NULL || sample_path == NULL)
    return;
  agent = agent_new (TRUE);
  g_assert_true (g_file_get_contents (probe_path, &probe, NULL, NULL));
  g_assert_true (g_file_get_contents (sample_path, &agent->real_current, NULL, NULL));
  /* The test bed's probe file says instanceId 1; its agent answered with
   * the instance of the moment. */
  parts = g_strsplit (probe, "instanceId='1'", 2);
  agent->real_probe = g_strjoinv ("instanceId='1475083573'", parts);
  agent->instance_id = 1475083573;
  agent->next_sequence = 2891471;
  agent->buffer_size = 131072;
  follow_init (&f);
  f.client = follow_start (&f, agent->url);
  f.want = 2891471;
  g_assert_true (wait_until (is_connected_at, &f));
  g_assert_cmpint (count_events (f.store), ==, 9587 + 325 + 101);
  g_assert_cmpint (query_int (f.store, "SELECT count(*) FROM machines", NULL), ==, 8);
  g_assert_cmpint (query_int (f.store, "SELECT count(*) FROM events e JOIN machines m ON m.num = e.machine "
                                       "WHERE m.id = 'GFAgie01' AND e.kind = 2 AND e.value = 'fault'", NULL),
                   ==, 49);

  follow_clear (&f);
  agent_free (agent);
}

/* --------------------------------------------------------- tacit-cli */

/* A server or tacit-cli dies with the test, even when an assertion aborts it. */
static void
broker_child_setup (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}


static char *
cli_path (void)
{
  const char *build = g_getenv ("G_TEST_BUILDDIR");
  char *path = build ? g_build_filename (build, "..", "app", "cli", "tacit-cli", NULL) : NULL;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_free (path);
      return NULL;
    }
  return path;
}

typedef struct {
  TacitStore  *store;
  GSubprocess *process;
  gboolean     exited;
  gint64       want;
} Cli;

static gboolean
cli_has_events (gpointer data)
{
  Cli *cli = data;

  return count_events (cli->store) >= cli->want;
}

static gboolean
cli_exited (gpointer data)
{
  Cli *cli = data;

  return cli->exited;
}

static void
cli_wait_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  Cli *cli = data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  cli->exited = TRUE;
}

/* `tacit-cli listen` headless against the test agent, stopped by SIGTERM:
 * exit status 0, state changes on stderr, events stored. */
static void
test_cli_listen (void)
{
  g_autofree char *cli_exe = cli_path ();
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "cli.db", NULL);
  g_autofree char *log_path = g_build_filename (dir, "stderr.txt", NULL);
  g_autofree char *log = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  Agent *agent;
  Cli cli = { 0 };
  int status;

  if (cli_exe == NULL)
    {
      g_test_skip ("tacit-cli is not built");
      return;
    }
  agent = agent_new (TRUE);
  agent_add (agent, 3);
  cli.store = tacit_store_open (db, &error);
  g_assert_no_error (error);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
  g_subprocess_launcher_set_child_setup (launcher, broker_child_setup, NULL, NULL);
  cli.process = g_subprocess_launcher_spawn (launcher, &error, cli_exe, "--db", db, "listen",
                                             "--mtconnect", agent->url, "--poll", "10", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (cli.process, NULL, cli_wait_cb, &cli);
  cli.want = 3;                               /* current: one per item */
  if (wait_until (cli_has_events, &cli))
    {
      agent_add (agent, 2);
      cli.want = 5;
    }
  if (!wait_until (cli_has_events, &cli))
    {
      g_file_get_contents (log_path, &log, NULL, NULL);
      g_subprocess_force_exit (cli.process);
      g_error ("tacit-cli listen stored nothing; it said:\n%s", log);
    }
  g_subprocess_send_signal (cli.process, SIGTERM);
  g_assert_true (wait_until (cli_exited, &cli));
  status = g_subprocess_get_exit_status (cli.process);
  g_assert_true (g_file_get_contents (log_path, &log, NULL, NULL));
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (log, "connecting\n"));
  g_assert_nonnull (strstr (log, ": connected\n"));
  g_assert_nonnull (strstr (log, "tacit-cli listen: stopped; stored 5 events (0 late), 0 suggestions\n"));
  g_assert_cmpint (count_events (cli.store), ==, 5);

  g_clear_object (&cli.process);
  g_clear_object (&cli.store);
  agent_free (agent);
}

static void
test_cli_listen_usage (void)
{
  g_autofree char *cli_exe = cli_path ();
  g_autofree char *err = NULL;
  int status = 0;
  const char *argv[] = { NULL, "--db", "/nonexistent/x.db", "listen", "--mqtt", "mqtt://127.0.0.1", NULL };

  if (cli_exe == NULL)
    {
      g_test_skip ("tacit-cli is not built");
      return;
    }
  argv[0] = cli_exe;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                               NULL, &err, &status, NULL));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  g_assert_nonnull (strstr (err, "--mqtt needs --topic FILTER"));
}

/* ------------------------------------------------------------ Mosquitto */

typedef struct {
  char   *dir;
  char   *conf;
  guint16 port;
  GPid    pid;
} Broker;

static gboolean
port_open (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection =
    g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);

  return connection != NULL;
}

static void
broker_start (Broker *broker)
{
  const char *argv[] = { "/usr/sbin/mosquitto", "-c", broker->conf, NULL };
  g_autofree char *log = g_build_filename (broker->dir, "mosquitto.log", NULL);
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;

  g_spawn_async (broker->dir, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD |
                 G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, broker_child_setup,
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
  kill (broker->pid, SIGTERM);       /* mosquitto saves its persistence on SIGTERM */
  waitpid (broker->pid, &status, 0);
  g_spawn_close_pid (broker->pid);
  broker->pid = 0;
}

static gboolean
broker_init (Broker *broker)
{
  g_autofree char *conf = NULL;

  if (!g_file_test ("/usr/sbin/mosquitto", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("/usr/sbin/mosquitto is not installed (Debian package mosquitto)");
      return FALSE;
    }
  broker->dir = tacit_test_tmpdir ();
  broker->port = free_port ();
  conf = g_strdup_printf ("listener %u 127.0.0.1\n"
                          "allow_anonymous true\n"
                          "persistence true\n"
                          "persistence_location %s/\n"
                          "log_dest file %s/mosquitto.log\n"
                          "user %s\n",
                          broker->port, broker->dir, broker->dir, g_get_user_name ());
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

/* A publisher: libmosquitto with its own thread, QoS 1. */
typedef struct {
  struct mosquitto *mosq;
  gint              acked;
} Publisher;

static void
on_publish (struct mosquitto *mosq,
            void             *data,
            int               mid)
{
  Publisher *pub = data;

  g_atomic_int_inc (&pub->acked);
}

static void
publisher_start (Publisher *pub,
                 guint16    port)
{
  pub->mosq = mosquitto_new (NULL, true, pub);
  g_assert_nonnull (pub->mosq);
  mosquitto_publish_callback_set (pub->mosq, on_publish);
  mosquitto_reconnect_delay_set (pub->mosq, 1, 1, false);
  g_assert_cmpint (mosquitto_connect (pub->mosq, "127.0.0.1", port, 30), ==, MOSQ_ERR_SUCCESS);
  g_assert_cmpint (mosquitto_loop_start (pub->mosq), ==, MOSQ_ERR_SUCCESS);
}

static void
publisher_stop (Publisher *pub)
{
  mosquitto_disconnect (pub->mosq);
  mosquitto_loop_stop (pub->mosq, false);
  mosquitto_destroy (pub->mosq);
}

static void
publish (Publisher  *pub,
         const char *topic,
         const char *payload)
{
  int rc = mosquitto_publish (pub->mosq, NULL, topic, (int) strlen (payload), payload, 1, false);

  g_assert_cmpint (rc, ==, MOSQ_ERR_SUCCESS);
}

/* n events of press-1 from second `start` on: oil temperatures and, every
 * fifth, a hydraulic fault (which the test library answers). */
static void
publish_events (Publisher *pub,
                guint      start,
                guint      n)
{
  for (guint i = start; i < start + n; i++)
    {
      g_autofree char *payload = NULL;

      if (i % 5 == 4)
        payload = g_strdup_printf ("{\"time\":\"2026-11-02T06:%02u:%02u.000Z\",\"machine\":\"press-1\","
                                   "\"kind\":\"condition\",\"item\":\"hydraulic\",\"value\":\"fault\","
                                   "\"code\":\"E%u\"}", i / 60, i % 60, i);
      else
        payload = g_strdup_printf ("{\"time\":\"2026-11-02T06:%02u:%02u.000Z\",\"machine\":\"press-1\","
                                   "\"kind\":\"sample\",\"item\":\"oil_temp\",\"value\":%u.5}",
                                   i / 60, i % 60, 40 + i % 20);
      publish (pub, "plant/press-1/events", payload);
    }
}

typedef struct {
  TacitStore      *store;
  TacitIngest     *ingest;
  TacitMqttSource *source;
  gint64           want;
  guint64          want_malformed;
  GPtrArray       *states;
} Mqtt;

static gboolean
mqtt_has_events (gpointer data)
{
  Mqtt *m = data;

  return count_events (m->store) >= m->want &&
         tacit_mqtt_source_get_n_malformed (m->source) >= m->want_malformed;
}

static gboolean
mqtt_connected (gpointer data)
{
  Mqtt *m = data;

  return tacit_mqtt_source_get_state (m->source) == TACIT_SOURCE_STATE_CONNECTED;
}

static gboolean
mqtt_reconnecting (gpointer data)
{
  Mqtt *m = data;

  return tacit_mqtt_source_get_state (m->source) == TACIT_SOURCE_STATE_RECONNECTING;
}

static void
mqtt_state_cb (TacitMqttSource *source,
               guint            state,
               const char      *message,
               gpointer         data)
{
  Mqtt *m = data;

  g_ptr_array_add (m->states, g_strdup (tacit_source_state_to_string (state)));
}

static void
import_test_library (TacitStore *store)
{
  g_autofree char *path = tacit_test_data_path ("live/library.xml");
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitLibrary) library = tacit_library_load_file (path, &error);

  g_assert_no_error (error);
  tacit_store_import_library (store, library, tacit_test_actor ("test"), &error);
  g_assert_no_error (error);
}

/* Published events are stored and make suggestions; malformed payloads
 * are counted; the broker stops and restarts mid-stream and nothing is
 * lost (QoS 1, persistent session, broker persistence). */
static void
test_mqtt_broker (void)
{
  Broker broker = { 0 };
  Publisher pub = { 0 };
  Mqtt m = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *last = NULL;

  if (!broker_init (&broker))
    return;
  m.store = new_store ();
  import_test_library (m.store);
  m.ingest = tacit_ingest_new (m.store, &error);
  g_assert_no_error (error);
  m.states = g_ptr_array_new_with_free_func (g_free);
  url = g_strdup_printf ("mqtt://127.0.0.1:%u", broker.port);
  m.source = tacit_mqtt_source_new (m.ingest, url, "plant/+/events", &error);
  g_assert_no_error (error);
  tacit_mqtt_source_set_reconnect_delay (m.source, 1, 1);
  g_signal_connect (m.source, "state-changed", G_CALLBACK (mqtt_state_cb), &m);
  g_assert_true (tacit_mqtt_source_start (m.source, &error));
  g_assert_true (wait_until (mqtt_connected, &m));
  spin_ms (100);                      /* the subscription is acknowledged */

  publisher_start (&pub, broker.port);
  publish_events (&pub, 0, 50);
  publish (&pub, "plant/press-1/events", "{\"time\":\"2026-11-02T06:00:00Z\",\"machine\":\"press-1\"");
  publish (&pub, "plant/press-1/events", "{\"time\":\"yesterday\",\"machine\":\"press-1\","
                                         "\"kind\":\"sample\",\"item\":\"x\",\"value\":1}");
  m.want = 50;
  m.want_malformed = 2;
  g_assert_true (wait_until (mqtt_has_events, &m));
  g_assert_cmpint (query_int (m.store, "SELECT count(*) FROM suggestions", NULL), ==, 10);
  g_assert_cmpuint (tacit_ingest_get_n_suggestions (m.ingest), ==, 10);
  last = tacit_mqtt_source_dup_last_malformed (m.source);
  g_assert_true (g_str_has_prefix (last, "mqtt:plant/press-1/events:1: "));
  publisher_stop (&pub);

  /* The broker goes away mid-stream and comes back. */
  broker_stop (&broker);
  g_assert_true (wait_until (mqtt_reconnecting, &m));
  broker_start (&broker);
  publisher_start (&pub, broker.port);
  publish_events (&pub, 50, 30);
  m.want = 80;
  g_assert_true (wait_until (mqtt_has_events, &m));
  g_assert_true (wait_until (mqtt_connected, &m));
  publisher_stop (&pub);
  spin_ms (100);
  g_assert_cmpint (count_events (m.store), ==, 80);
  g_assert_cmpint (query_int (m.store, "SELECT count(*) FROM suggestions", NULL), ==, 16);
  g_assert_cmpint (query_int (m.store, "SELECT count(*) FROM late_events", NULL), ==, 0);
  /* QoS 1 is at least once: after the broker's restart it may deliver the
   * last messages again (Mosquitto 2.0 does); events are not stored twice,
   * malformed payloads are counted again. */
  g_assert_cmpuint (tacit_mqtt_source_get_n_malformed (m.source), >=, 2);
  g_assert_cmpint (query_int (m.store, "SELECT count(*) FROM sources WHERE kind = 'mqtt' AND state = 'connected'", NULL), ==, 1);

  tacit_ingest_close (m.ingest);
  tacit_mqtt_source_stop (m.source);
  g_clear_object (&m.source);
  g_clear_object (&m.ingest);
  g_clear_object (&m.store);
  g_ptr_array_unref (m.states);
  broker_clear (&broker);
}

/* ------------------------------------------------------------- ingest */

#define BURST 100000

static gpointer
burst_thread (gpointer data)
{
  TacitIngest *ingest = data;
  TacitEvent events[100];

  for (guint i = 0; i < BURST; i += G_N_ELEMENTS (events))
    {
      for (guint k = 0; k < G_N_ELEMENTS (events); k++)
        events[k] = (TacitEvent) { 3000000 + (gint64) (i + k), "press-2", TACIT_KIND_SAMPLE,
                                   "oil_temp", "50", NULL, NULL };
      tacit_ingest_queue_events (ingest, events, G_N_ELEMENTS (events));
    }
  return NULL;
}

static gboolean
burst_stored (gpointer data)
{
  return count_events (data) == 2 + BURST;
}

/* Late events are stored and flagged, not fed to the engine; a burst far
 * larger than the queue keeps the queue at its bound. */
static void
test_ingest_late_and_bounded (void)
{
  g_autoptr(TacitStore) store = new_store ();
  g_autoptr(TacitIngest) ingest = NULL;
  g_autoptr(GError) error = NULL;
  TacitEvent events[] = {
    { 2000000, "press-1", TACIT_KIND_CONDITION, "hydraulic", "fault", NULL, NULL },
    { 1000000, "press-1", TACIT_KIND_CONDITION, "hydraulic", "fault", NULL, NULL },
  };
  GThread *producer;

  import_test_library (store);
  ingest = tacit_ingest_new (store, &error);
  g_assert_no_error (error);
  g_assert_true (tacit_ingest_add_events (ingest, &events[0], 1, NULL, &error));
  g_assert_true (tacit_ingest_add_events (ingest, &events[1], 1, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_events (store), ==, 2);
  g_assert_cmpuint (tacit_ingest_get_n_late (ingest), ==, 1);
  g_assert_cmpint (query_int (store, "SELECT last_time FROM late_events WHERE time = 1000000", NULL), ==, 2000000);
  /* Only the first fault was fed: one suggestion. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM suggestions", NULL), ==, 1);

  /* A redelivered event (equal in every field) is stored once. */
  tacit_ingest_queue_events (ingest, &events[0], 1);
  tacit_ingest_queue_events (ingest, &events[0], 1);
  g_assert_true (tacit_ingest_flush (ingest, &error));
  g_assert_cmpint (count_events (store), ==, 2);
  g_assert_cmpuint (tacit_ingest_get_n_duplicates (ingest), ==, 2);

  /* A burst of 100,000 from another thread through a queue of 1,000. */
  tacit_ingest_set_capacity (ingest, 1000);
  producer = g_thread_new ("burst", burst_thread, ingest);
  g_assert_true (wait_until (burst_stored, store));
  g_thread_join (producer);
  g_assert_cmpint (count_events (store), ==, 2 + BURST);
  g_assert_cmpuint (tacit_ingest_get_max_queued (ingest), <=, 1000);
  g_assert_cmpuint (tacit_ingest_get_max_queued (ingest), >, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  mosquitto_lib_init ();
  g_test_add_func ("/live/mtconnect/follow", test_mtconnect_follow);
  g_test_add_data_func ("/live/mtconnect/gap/clamped", GINT_TO_POINTER (FALSE), test_mtconnect_gap);
  g_test_add_data_func ("/live/mtconnect/gap/out-of-range", GINT_TO_POINTER (TRUE), test_mtconnect_gap);
  g_test_add_func ("/live/mtconnect/restart", test_mtconnect_restart);
  g_test_add_func ("/live/mtconnect/malformed", test_mtconnect_malformed);
  g_test_add_func ("/live/mtconnect/refused", test_mtconnect_refused);
  g_test_add_func ("/live/mtconnect/several", test_mtconnect_several);
  g_test_add_func ("/live/mtconnect/real", test_mtconnect_real);
  g_test_add_func ("/live/ingest/late-and-bounded", test_ingest_late_and_bounded);
  g_test_add_func ("/live/mqtt/broker", test_mqtt_broker);
  g_test_add_func ("/live/cli/listen", test_cli_listen);
  g_test_add_func ("/live/cli/usage", test_cli_listen_usage);
  return g_test_run ();
}
