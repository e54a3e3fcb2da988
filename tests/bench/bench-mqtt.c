/* bench-mqtt.c: sustained live load over MQTT (issue 5).
 *
 * Starts a real Eclipse Mosquitto broker on a free loopback port, a
 * publisher thread sending RATE events per second (QoS 1, one event per
 * message, SPEC's JSON shape; every 100th a hydraulic fault that the
 * library answers), and a TacitMqttSource → TacitIngest → store + engine.
 * Prints events stored per second, the event-to-suggestion latency
 * (publish to suggestion stored, median and p99) and CPU use.
 *
 *   bench-mqtt [--seconds N] [--rate EVENTS_PER_S]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <mosquitto.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "tacit-ingest.h"
#include "tacit-library-xml.h"
#include "tacit-mqtt-source.h"

static int seconds = 60;
static int rate = 10000;
static int batch = 1;
static gboolean nodelay = TRUE;

static const char library_xml[] =
  "<library xmlns=\"urn:tacit:rules:1\" name=\"bench\" revision=\"1\">"
  "<rule id=\"hydraulic-fault\" kind=\"alarm-response\" status=\"approved\">"
  "<title>Check the hydraulic pressure on a fault</title>"
  "<on kind=\"condition\" item=\"hydraulic\" value=\"fault\" edge=\"every\"/>"
  "<if><state item=\"oil_temp\" op=\"gt\" value=\"10\"/></if>"
  "<advise severity=\"warning\"><text>Check the hydraulic pressure.</text></advise>"
  "<outcome kind=\"sample\" item=\"oil_temp\" within=\"1m\"/>"
  "</rule></library>";

typedef struct {
  guint16           port;
  volatile gint     stop;
  gint64            published;
  gpointer          sent;        /* published so far, as an integer */
  gint              acked;       /* messages the broker acknowledged */
} Publisher;

typedef struct {
  GArray  *latencies;     /* gint64 µs */
} Latency;

static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  if (!g_socket_bind (socket, any, TRUE, NULL) ||
      (bound = g_socket_get_local_address (socket, NULL)) == NULL)
    g_error ("no free port");
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* The broker dies with the benchmark, however it ends. */
static void
child_setup (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GPid
start_broker (const char *dir,
              guint16     port)
{
  g_autofree char *conf = g_strdup_printf ("listener %u 127.0.0.1\nallow_anonymous true\n"
                                           "persistence true\npersistence_location %s/\n"
                                           "max_inflight_messages 1000\nmax_queued_messages 200000\n"
                                           "set_tcp_nodelay %s\n"
                                           "user %s\n", port, dir, nodelay ? "true" : "false",
                                           g_get_user_name ());
  g_autofree char *path = g_build_filename (dir, "mosquitto.conf", NULL);
  const char *argv[] = { "/usr/sbin/mosquitto", "-c", path, NULL };
  GPid pid = 0;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, conf, -1, NULL);
  if (!g_spawn_async (dir, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD |
                      G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                      child_setup, NULL, &pid, &error))
    g_error ("mosquitto: %s", error->message);
  for (int i = 0; i < 250; i++)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) c = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);

      if (c != NULL)
        return pid;
      g_usleep (20000);
    }
  g_error ("mosquitto did not start");
}

static int
format_one (char   *payload,
            gsize   size,
            gint64  n)
{
  /* Event time: 1 ms apart, from 2026-11-02T06:00:00Z. */
  gint64 ms = n;
  int len;

  if (n % 100 == 99)
    len = g_snprintf (payload, size,
                      "{\"time\":\"2026-11-02T%02d:%02d:%02d.%03dZ\",\"machine\":\"press-%d\","
                      "\"kind\":\"condition\",\"item\":\"hydraulic\",\"value\":\"fault\","
                      "\"code\":\"%" G_GINT64_FORMAT "\"}",
                      (int) (6 + ms / 3600000), (int) (ms / 60000 % 60), (int) (ms / 1000 % 60),
                      (int) (ms % 1000), (int) (n % 10), g_get_monotonic_time ());
  else
    len = g_snprintf (payload, size,
                      "{\"time\":\"2026-11-02T%02d:%02d:%02d.%03dZ\",\"machine\":\"press-%d\","
                      "\"kind\":\"sample\",\"item\":\"oil_temp\",\"value\":%d.5}",
                      (int) (6 + ms / 3600000), (int) (ms / 60000 % 60), (int) (ms / 1000 % 60),
                      (int) (ms % 1000), (int) (n % 10), (int) (40 + n % 20));
  return len;
}

/* Events n .. n + count - 1 in one message, one JSON object per line. */
static void
publish_batch (struct mosquitto *mosq,
               gint64            n,
               int               count)
{
  GString *payload = g_string_sized_new (256 * count);

  for (int i = 0; i < count; i++)
    {
      char line[256];
      int len = format_one (line, sizeof line, n + i);

      g_string_append_len (payload, line, len);
      g_string_append_c (payload, '\n');
    }
  mosquitto_publish (mosq, NULL, "bench/press/events", (int) payload->len, payload->str, 1, false);
  g_string_free (payload, TRUE);
}

/* RATE events per second in 10 ms ticks, until told to stop. */
static void
on_publish (struct mosquitto *mosq,
            void             *data,
            int               mid)
{
  Publisher *pub = data;

  g_atomic_int_inc (&pub->acked);
}

static gpointer
publisher_thread (gpointer data)
{
  Publisher *pub = data;
  struct mosquitto *mosq = mosquitto_new (NULL, true, pub);
  gint64 start, n = 0, deadline;

  mosquitto_publish_callback_set (mosq, on_publish);
  mosquitto_max_inflight_messages_set (mosq, 1000);
  mosquitto_int_option (mosq, MOSQ_OPT_TCP_NODELAY, 1);
  if (mosquitto_connect (mosq, "127.0.0.1", pub->port, 30) != MOSQ_ERR_SUCCESS)
    g_error ("publisher cannot connect");
  mosquitto_loop_start (mosq);
  start = g_get_monotonic_time ();
  while (!g_atomic_int_get (&pub->stop))
    {
      gint64 due = (g_get_monotonic_time () - start) * rate / G_USEC_PER_SEC;

      for (; n + batch <= due; n += batch)
        publish_batch (mosq, n, batch);
      g_atomic_pointer_set (&pub->sent, GSIZE_TO_POINTER ((gsize) n));
      g_usleep (5000);
    }
  pub->published = n;
  /* Everything handed to the broker before disconnecting (bounded). */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while ((gint64) g_atomic_int_get (&pub->acked) * batch < n && g_get_monotonic_time () < deadline)
    g_usleep (10000);
  mosquitto_disconnect (mosq);
  mosquitto_loop_stop (mosq, false);
  mosquitto_destroy (mosq);
  return NULL;
}

static void
suggestion_cb (TacitSuggestion *suggestion,
               gpointer         data)
{
  Latency *latency = data;
  gint64 sent;

  if (suggestion->trigger == NULL || suggestion->trigger->code == NULL)
    return;
  sent = g_ascii_strtoll (suggestion->trigger->code, NULL, 10);
  g_array_append_val (latency->latencies, (gint64) { g_get_monotonic_time () - sent });
}

static int
compare_i64 (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* The broker's CPU seconds, from /proc. */
static double
broker_cpu_seconds (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (after = strrchr (text, ')')) == NULL)
    return 0;
  fields = g_strsplit (after + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return 0;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) /
         sysconf (_SC_CLK_TCK);
}

static gboolean
keep_going_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
run (const char *dir,
     guint16     port,
     GPid        broker)
{
  g_autofree char *db = g_build_filename (dir, "bench.db", NULL);
  g_autofree char *url = g_strdup_printf ("mqtt://127.0.0.1:%u", port);
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitStore) store = tacit_store_open (db, &error);
  g_autoptr(TacitLibrary) library = tacit_library_load_data (library_xml, sizeof library_xml - 1,
                                                             "bench", &error);
  g_autoptr(TacitIngest) ingest = NULL;
  g_autoptr(TacitMqttSource) source = NULL;
  Latency latency = { g_array_new (FALSE, FALSE, sizeof (gint64)) };
  Publisher pub = { port, 0, 0, NULL, 0 };
  GThread *thread;
  gint64 start, last_report, end;
  guint64 stored_before = 0, per_second_min = G_MAXUINT64;
  g_autoptr(TacitOperator) bench_actor = tacit_operator_new_local ("bench");
  double cpu0, broker0;

  if (store == NULL || library == NULL || !tacit_store_import_library (store, library, bench_actor, &error))
    g_error ("%s", error->message);
  ingest = tacit_ingest_new (store, &error);
  tacit_ingest_set_suggestion_func (ingest, suggestion_cb, &latency);
  source = tacit_mqtt_source_new (ingest, url, "bench/#", &error);
  if (source == NULL || !tacit_mqtt_source_start (source, &error))
    g_error ("%s", error->message);
  while (tacit_mqtt_source_get_state (source) != TACIT_SOURCE_STATE_CONNECTED)
    g_main_context_iteration (NULL, TRUE);
  g_usleep (200000);

  cpu0 = cpu_seconds ();
  broker0 = broker_cpu_seconds (broker);
  start = last_report = g_get_monotonic_time ();
  end = start + (gint64) seconds * G_USEC_PER_SEC;
  thread = g_thread_new ("publisher", publisher_thread, &pub);
  printf ("second  published  received  stored/s  suggestions  max-queued\n");
  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      if (g_get_monotonic_time () - last_report >= G_USEC_PER_SEC)
        {
          guint64 stored = tacit_ingest_get_n_stored (ingest);

          last_report += G_USEC_PER_SEC;
          printf ("%6d  %9" G_GINT64_FORMAT "  %8" G_GUINT64_FORMAT "  %8" G_GUINT64_FORMAT
                  "  %11" G_GUINT64_FORMAT "  %10u\n",
                  (int) ((last_report - start) / G_USEC_PER_SEC),
                  (gint64) g_atomic_pointer_get (&pub.sent),
                  tacit_mqtt_source_get_n_received (source), stored - stored_before,
                  tacit_ingest_get_n_suggestions (ingest), tacit_ingest_get_max_queued (ingest));
          fflush (stdout);
          if (last_report - start > 2 * G_USEC_PER_SEC)
            per_second_min = MIN (per_second_min, stored - stored_before);
          stored_before = stored;
        }
      if (!g_main_context_pending (NULL))
        g_usleep (500);
    }
  g_atomic_int_set (&pub.stop, 1);
  g_thread_join (thread);
  /* Drain what is still on its way (a timer keeps the loop from blocking). */
  g_timeout_add (10, keep_going_cb, NULL);
  for (gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
       tacit_ingest_get_n_stored (ingest) < (guint64) pub.published &&
       g_get_monotonic_time () < deadline;)
    g_main_context_iteration (NULL, TRUE);
  {
    double wall = (g_get_monotonic_time () - start) / 1e6;
    double cpu = cpu_seconds () - cpu0;
    double broker_cpu = broker_cpu_seconds (broker) - broker0;
    guint64 stored = tacit_ingest_get_n_stored (ingest);
    gint64 median = 0, p99 = 0;

    g_array_sort (latency.latencies, compare_i64);
    if (latency.latencies->len > 0)
      {
        median = g_array_index (latency.latencies, gint64, latency.latencies->len / 2);
        p99 = g_array_index (latency.latencies, gint64, latency.latencies->len * 99 / 100);
      }
    printf ("\n%d event(s) per message; published %" G_GINT64_FORMAT " events in %d s (target %d/s); stored %" G_GUINT64_FORMAT
            " (%.0f/s over %.1f s, slowest second after warm-up %" G_GUINT64_FORMAT ")\n",
            batch, pub.published, seconds, rate, stored, stored / wall, wall, per_second_min);
    printf ("suggestions %" G_GUINT64_FORMAT "; event-to-suggestion latency median %.2f ms, p99 %.2f ms\n",
            tacit_ingest_get_n_suggestions (ingest), median / 1000.0, p99 / 1000.0);
    printf ("CPU: tacit %.0f%% of one core (publisher thread included), broker %.0f%%; "
            "max queued %u\n", 100 * cpu / wall, 100 * broker_cpu / wall,
            tacit_ingest_get_max_queued (ingest));
  }
  tacit_ingest_close (ingest);
  tacit_mqtt_source_stop (source);
  g_array_unref (latency.latencies);
}

int
main (int argc, char **argv)
{
  GOptionEntry entries[] = {
    { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "Duration (default 60)", "S" },
    { "rate", 0, 0, G_OPTION_ARG_INT, &rate, "Events per second (default 10000)", "N" },
    { "nagle", 0, G_OPTION_FLAG_REVERSE, G_OPTION_ARG_NONE, &nodelay,
      "Leave Nagle's algorithm on in the broker (set_tcp_nodelay false)", NULL },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, "Events per MQTT message, as JSON lines (default 1)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- MQTT live-load benchmark");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  guint16 port;
  GPid broker;
  int status = 0;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (!g_file_test ("/usr/sbin/mosquitto", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_printerr ("bench-mqtt: /usr/sbin/mosquitto is missing (Debian package mosquitto)\n");
      return 77;
    }
  mosquitto_lib_init ();
  dir = g_dir_make_tmp ("tacit-bench-mqtt-XXXXXX", &error);
  port = free_port ();
  broker = start_broker (dir, port);
  run (dir, port, broker);
  kill (broker, SIGTERM);
  waitpid (broker, &status, 0);
  g_spawn_close_pid (broker);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

    if (system (cmd) != 0)
      g_printerr ("bench-mqtt: could not remove %s\n", dir);
  }
  return 0;
}
