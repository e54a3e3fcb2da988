/* tacit-mtconnect-client.c: follows an MTConnect agent (probe, current,
 * sample) over libsoup 3.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-mtconnect-client.h"

#include <libsoup/soup.h>
#include <libxml/xmlreader.h>
#include <string.h>

#include "tacit-error.h"
#include "tacit-event-reader.h"

/* An agent that does not answer within this long is treated as down. */
#define REQUEST_TIMEOUT_S 30

typedef enum {
  STEP_PROBE,
  STEP_CURRENT,
  STEP_SAMPLE,
  STEP_RANGE,      /* current, for its header only: sample was out of range */
} Step;

struct _TacitMtconnectClient
{
  GObject           parent_instance;

  TacitIngest      *ingest;
  char             *url;          /* without a trailing slash */
  SoupSession      *session;
  GCancellable     *cancellable;
  SoupMessage      *message;      /* in flight */
  guint             timer_id;
  Step              step;
  gboolean          running;

  guint             poll_ms;
  guint             count;
  guint             backoff_base_ms;
  guint             backoff_max_ms;
  guint             attempt;

  GPtrArray        *devices;      /* char*: the agent's device names */
  guint64           instance_id;  /* of the agent, as of the last probe */
  gboolean          position_loaded;
  gboolean          have_position;
  guint64           position_instance;
  guint64           next_sequence;

  /* A gap found while probing, stored with the next batch. */
  char             *pending_gap_code;
  char             *pending_gap_value;
  char             *pending_gap_text;

  TacitSourceState  state;
  char             *state_message;
  guint64           n_gaps;
  guint64           n_errors;
};

G_DEFINE_FINAL_TYPE (TacitMtconnectClient, tacit_mtconnect_client, G_TYPE_OBJECT)

enum {
  SIGNAL_STATE_CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void request (TacitMtconnectClient *self, Step step);

static void
clear_pending_gap (TacitMtconnectClient *self)
{
  g_clear_pointer (&self->pending_gap_code, g_free);
  g_clear_pointer (&self->pending_gap_value, g_free);
  g_clear_pointer (&self->pending_gap_text, g_free);
}

static void
tacit_mtconnect_client_dispose (GObject *object)
{
  TacitMtconnectClient *self = TACIT_MTCONNECT_CLIENT (object);

  tacit_mtconnect_client_stop (self);
  g_clear_object (&self->session);
  g_clear_object (&self->ingest);
  G_OBJECT_CLASS (tacit_mtconnect_client_parent_class)->dispose (object);
}

static void
tacit_mtconnect_client_finalize (GObject *object)
{
  TacitMtconnectClient *self = TACIT_MTCONNECT_CLIENT (object);

  clear_pending_gap (self);
  g_clear_object (&self->message);
  g_free (self->url);
  g_free (self->state_message);
  g_ptr_array_unref (self->devices);
  G_OBJECT_CLASS (tacit_mtconnect_client_parent_class)->finalize (object);
}

static void
tacit_mtconnect_client_class_init (TacitMtconnectClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tacit_mtconnect_client_dispose;
  object_class->finalize = tacit_mtconnect_client_finalize;

  /* (state as guint TacitSourceState, message or NULL) */
  signals[SIGNAL_STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
}

static void
tacit_mtconnect_client_init (TacitMtconnectClient *self)
{
  self->poll_ms = 1000;
  self->count = 1000;
  self->backoff_base_ms = 500;
  self->backoff_max_ms = 60000;
  self->devices = g_ptr_array_new_with_free_func (g_free);
  self->state = TACIT_SOURCE_STATE_STOPPED;
}

TacitMtconnectClient *
tacit_mtconnect_client_new (TacitIngest *ingest,
                            const char  *url)
{
  TacitMtconnectClient *self;
  gsize len;

  g_return_val_if_fail (TACIT_IS_INGEST (ingest), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  self = g_object_new (TACIT_TYPE_MTCONNECT_CLIENT, NULL);
  self->ingest = g_object_ref (ingest);
  self->url = g_strdup (url);
  len = strlen (self->url);
  while (len > 0 && self->url[len - 1] == '/')
    self->url[--len] = '\0';
  self->session = soup_session_new_with_options ("timeout", REQUEST_TIMEOUT_S,
                                                 "user-agent", "Tacit/" PACKAGE_VERSION,
                                                 NULL);
  return self;
}

const char *
tacit_mtconnect_client_get_url (TacitMtconnectClient *self)
{
  g_return_val_if_fail (TACIT_IS_MTCONNECT_CLIENT (self), NULL);
  return self->url;
}

void
tacit_mtconnect_client_set_poll_interval (TacitMtconnectClient *self,
                                          guint                 ms)
{
  g_return_if_fail (TACIT_IS_MTCONNECT_CLIENT (self));
  self->poll_ms = MAX (ms, 1);
}

void
tacit_mtconnect_client_set_count (TacitMtconnectClient *self,
                                  guint                 count)
{
  g_return_if_fail (TACIT_IS_MTCONNECT_CLIENT (self));
  self->count = MAX (count, 1);
}

void
tacit_mtconnect_client_set_backoff (TacitMtconnectClient *self,
                                    guint                 base_ms,
                                    guint                 max_ms)
{
  g_return_if_fail (TACIT_IS_MTCONNECT_CLIENT (self));
  self->backoff_base_ms = MAX (base_ms, 1);
  self->backoff_max_ms = MAX (max_ms, self->backoff_base_ms);
}

TacitSourceState
tacit_mtconnect_client_get_state (TacitMtconnectClient *self)
{
  g_return_val_if_fail (TACIT_IS_MTCONNECT_CLIENT (self), TACIT_SOURCE_STATE_STOPPED);
  return self->state;
}

const char *
tacit_mtconnect_client_get_message (TacitMtconnectClient *self)
{
  g_return_val_if_fail (TACIT_IS_MTCONNECT_CLIENT (self), NULL);
  return self->state_message;
}

guint64
tacit_mtconnect_client_get_n_gaps (TacitMtconnectClient *self)
{
  g_return_val_if_fail (TACIT_IS_MTCONNECT_CLIENT (self), 0);
  return self->n_gaps;
}

guint64
tacit_mtconnect_client_get_n_errors (TacitMtconnectClient *self)
{
  g_return_val_if_fail (TACIT_IS_MTCONNECT_CLIENT (self), 0);
  return self->n_errors;
}

guint64
tacit_mtconnect_client_get_next_sequence (TacitMtconnectClient *self)
{
  g_return_val_if_fail (TACIT_IS_MTCONNECT_CLIENT (self), 0);
  return self->have_position ? self->next_sequence : 0;
}

/* ---- state ---- */

static void
set_state (TacitMtconnectClient *self,
           TacitSourceState      state,
           const char           *message)
{
  if (self->state == state && g_strcmp0 (self->state_message, message) == 0)
    return;
  self->state = state;
  g_free (self->state_message);
  self->state_message = g_strdup (message);
  /* Best effort: the state row is for display; a busy store must not stop
   * the source. */
  _tacit_store_set_source_state (tacit_ingest_get_store (self->ingest), self->url, "mtconnect",
                                 tacit_source_state_to_string (state), message, NULL);
  g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0, (guint) state, message);
}

static gboolean
timer_cb (gpointer user_data)
{
  TacitMtconnectClient *self = user_data;

  self->timer_id = 0;
  request (self, self->step);
  return G_SOURCE_REMOVE;
}

static void
schedule (TacitMtconnectClient *self,
          Step                  step,
          guint                 delay_ms)
{
  self->step = step;
  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (delay_ms == 0)
    self->timer_id = g_idle_add (timer_cb, self);
  else
    self->timer_id = g_timeout_add (delay_ms, timer_cb, self);
}

/* Any failure: say why, then start over from probe after a backoff (the
 * agent may have restarted meanwhile; the position is kept, so nothing is
 * read twice). */
static void
fail (TacitMtconnectClient *self,
      TacitSourceState      state,
      const char           *message)
{
  self->n_errors++;
  set_state (self, state, message);
  schedule (self, STEP_PROBE,
            tacit_backoff_delay_ms (self->attempt, self->backoff_base_ms, self->backoff_max_ms));
  self->attempt = MIN (self->attempt + 1, 16);
}

/* ---- documents ---- */

static gboolean
has_doctype (GBytes *body)
{
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  static const char needle[] = "<!DOCTYPE";

  for (gsize i = 0; i + sizeof needle - 1 <= len; i++)
    if (data[i] == '<' && memcmp (data + i, needle, sizeof needle - 1) == 0)
      return TRUE;
  return FALSE;
}

static guint64
attr_u64 (xmlTextReaderPtr reader,
          const char      *name)
{
  xmlChar *text = xmlTextReaderGetAttribute (reader, (const xmlChar *) name);
  guint64 value = text != NULL ? g_ascii_strtoull ((const char *) text, NULL, 10) : 0;

  xmlFree (text);
  return value;
}

static gboolean
probe_element (xmlTextReaderPtr reader,
               const char      *display,
               guint64         *instance_id,
               GPtrArray       *devices,
               gboolean        *seen_root,
               GError         **error)
{
  const char *local = (const char *) xmlTextReaderConstLocalName (reader);

  if (!*seen_root)
    {
      *seen_root = TRUE;
      if (strcmp (local, "MTConnectDevices") != 0)
        {
          g_set_error (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_INVALID,
                       "%s:%d: expected an MTConnectDevices document, got <%s>", display,
                       xmlTextReaderGetParserLineNumber (reader), local);
          return FALSE;
        }
    }
  else if (strcmp (local, "Header") == 0)
    *instance_id = attr_u64 (reader, "instanceId");
  else if (strcmp (local, "Device") == 0)
    {
      xmlChar *name = xmlTextReaderGetAttribute (reader, (const xmlChar *) "name");

      if (name == NULL)
        name = xmlTextReaderGetAttribute (reader, (const xmlChar *) "uuid");
      if (name != NULL)
        g_ptr_array_add (devices, g_strdup ((const char *) name));
      xmlFree (name);
    }
  return TRUE;
}

/* The probe document: the agent's instanceId and its devices' names. */
static gboolean
parse_probe (GBytes     *body,
             const char *display,
             guint64    *instance_id,
             GPtrArray  *devices,
             GError    **error)
{
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  xmlTextReaderPtr reader;
  gboolean seen_root = FALSE, ok = TRUE;
  int rc;

  if (has_doctype (body))
    {
      g_set_error (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_FORBIDDEN,
                   "%s: a document with a DOCTYPE is refused", display);
      return FALSE;
    }
  reader = xmlReaderForMemory (data, (int) MIN (len, G_MAXINT), display, NULL,
                               XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (reader == NULL)
    {
      g_set_error (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_SYNTAX,
                   "%s:1: not an XML document", display);
      return FALSE;
    }
  while (ok && (rc = xmlTextReaderRead (reader)) == 1)
    if (xmlTextReaderNodeType (reader) == XML_READER_TYPE_ELEMENT)
      ok = probe_element (reader, display, instance_id, devices, &seen_root, error);
  if (ok && (rc < 0 || !seen_root))
    {
      g_set_error (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_SYNTAX,
                   "%s:%d: malformed XML", display, xmlTextReaderGetParserLineNumber (reader));
      ok = FALSE;
    }
  xmlFreeTextReader (reader);
  return ok;
}

/* A Streams document: its events (copies) and header. */
static gboolean
parse_streams (GBytes               *body,
               const char           *display,
               GPtrArray            *events,
               TacitMtconnectHeader *header,
               GError              **error)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (body);
  g_autoptr(TacitEventReader) reader =
    tacit_event_reader_new_for_stream (stream, display, TACIT_EVENT_FORMAT_MTCONNECT,
                                       TACIT_EVENT_READER_NONE);
  TacitEvent event;

  while (tacit_event_reader_next (reader, &event, error))
    g_ptr_array_add (events, tacit_event_copy (&event));
  if (error != NULL && *error != NULL)
    return FALSE;
  if (!tacit_event_reader_get_mtconnect_header (reader, header) || header->instance_id == 0)
    {
      g_set_error (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_INVALID,
                   "%s:1: the document has no Header with an instanceId", display);
      return FALSE;
    }
  return TRUE;
}

/* ---- storing ---- */

static void
add_gap_events (TacitMtconnectClient *self,
                GArray               *batch,
                GPtrArray            *events,
                const char           *code,
                const char           *value,
                const char           *text)
{
  TacitTime time = TACIT_TIME_MAX;
  g_autoptr(GPtrArray) machines = g_ptr_array_new ();

  /* At the first observation after the gap: in the machines' own time line,
   * so that it is not late. */
  for (guint i = 0; i < events->len; i++)
    time = MIN (time, ((TacitEvent *) g_ptr_array_index (events, i))->time);
  if (time == TACIT_TIME_MAX)
    time = g_get_real_time ();
  for (guint i = 0; i < self->devices->len; i++)
    g_ptr_array_add (machines, g_ptr_array_index (self->devices, i));
  if (machines->len == 0)
    g_ptr_array_add (machines, self->url);
  for (guint i = 0; i < machines->len; i++)
    {
      TacitEvent gap = {
        .time = time, .machine = g_ptr_array_index (machines, i), .kind = TACIT_KIND_EVENT,
        .item = TACIT_GAP_ITEM, .value = value, .code = code, .text = text,
      };
      g_array_append_val (batch, gap);
    }
  self->n_gaps++;
}

static gboolean
store_batch (TacitMtconnectClient       *self,
             GPtrArray                  *events,
             const TacitMtconnectHeader *header,
             const char                 *gap_code,
             const char                 *gap_value,
             const char                 *gap_text,
             GError                    **error)
{
  g_autoptr(GArray) batch = g_array_new (FALSE, FALSE, sizeof (TacitEvent));
  TacitSourcePosition position = {
    .url = self->url, .instance_id = header->instance_id,
    .next_sequence = header->next_sequence,
  };

  if (gap_text != NULL)
    add_gap_events (self, batch, events, gap_code, gap_value, gap_text);
  for (guint i = 0; i < events->len; i++)
    g_array_append_vals (batch, g_ptr_array_index (events, i), 1);
  if (!tacit_ingest_add_events (self->ingest, (TacitEvent *) (void *) batch->data, batch->len,
                                &position, error))
    return FALSE;
  self->have_position = TRUE;
  self->position_instance = header->instance_id;
  self->next_sequence = header->next_sequence;
  return TRUE;
}

/* ---- steps ---- */

static void
register_devices (TacitMtconnectClient *self)
{
  TacitStore *store = tacit_ingest_get_store (self->ingest);

  for (guint i = 0; i < self->devices->len; i++)
    {
      const char *name = g_ptr_array_index (self->devices, i);

      _tacit_store_add_machine_if_missing (store, name, name, NULL);
    }
}

static void
load_position (TacitMtconnectClient *self)
{
  guint64 instance = 0, next = 0;

  /* The stored position counts once, when the client starts; after that
   * the client's own position is the truth. */
  if (self->position_loaded)
    return;
  self->position_loaded = TRUE;
  if (_tacit_store_get_source_position (tacit_ingest_get_store (self->ingest), self->url,
                                        &instance, &next, NULL))
    {
      self->have_position = TRUE;
      self->position_instance = instance;
      self->next_sequence = next;
    }
}

static void
on_probe (TacitMtconnectClient *self,
          GBytes               *body,
          const char           *display)
{
  g_autoptr(GError) error = NULL;
  guint64 instance_id = 0;

  g_ptr_array_set_size (self->devices, 0);
  if (!parse_probe (body, display, &instance_id, self->devices, &error))
    { fail (self, TACIT_SOURCE_STATE_ERROR, error->message); return; }
  self->instance_id = instance_id;
  register_devices (self);
  load_position (self);
  if (self->have_position && self->position_instance == instance_id)
    { request (self, STEP_SAMPLE); return; }
  if (self->have_position)
    {
      clear_pending_gap (self);
      self->pending_gap_code = g_strdup ("restart");
      self->pending_gap_value = g_strdup ("UNAVAILABLE");
      self->pending_gap_text = g_strdup_printf (
        "%s restarted (instance %" G_GUINT64_FORMAT " became %" G_GUINT64_FORMAT
        "): observations of the old instance from sequence %" G_GUINT64_FORMAT
        " on were not read", self->url, self->position_instance, instance_id,
        self->next_sequence);
      self->have_position = FALSE;
    }
  request (self, STEP_CURRENT);
}

static void
on_current (TacitMtconnectClient *self,
            GBytes               *body,
            const char           *display)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  TacitMtconnectHeader header = { 0 };
  gboolean gap = self->pending_gap_text != NULL;

  if (!parse_streams (body, display, events, &header, &error))
    { fail (self, TACIT_SOURCE_STATE_ERROR, error->message); return; }
  if (header.instance_id != self->instance_id)
    {
      /* Restarted between probe and current, or an agent whose probe and
       * streams disagree: probe again, but after a backoff, never in a
       * tight loop. */
      g_autofree char *text = g_strdup_printf ("%s: instanceId %" G_GUINT64_FORMAT " in probe but %"
                                               G_GUINT64_FORMAT " in current", display,
                                               self->instance_id, header.instance_id);

      fail (self, TACIT_SOURCE_STATE_ERROR, text);
      return;
    }
  if (!store_batch (self, events, &header, self->pending_gap_code, self->pending_gap_value,
                    self->pending_gap_text, &error))
    { fail (self, TACIT_SOURCE_STATE_ERROR, error->message); return; }
  if (gap)
    set_state (self, TACIT_SOURCE_STATE_GAP, self->pending_gap_text);
  clear_pending_gap (self);
  self->attempt = 0;
  request (self, STEP_SAMPLE);
}

/* sample was refused as out of range (agents since 1.4 answer so when
 * `from` fell out of the buffer): current's header says where the buffer
 * starts; the observations before are a gap. */
static void
on_range (TacitMtconnectClient *self,
          GBytes               *body,
          const char           *display)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  g_autofree char *text = NULL;
  TacitMtconnectHeader header = { 0 };

  if (!parse_streams (body, display, events, &header, &error))
    { fail (self, TACIT_SOURCE_STATE_ERROR, error->message); return; }
  if (header.instance_id != self->position_instance || header.first_sequence <= self->next_sequence)
    {
      /* Not a dropped buffer: the agent is behind Tacit's position (it lost
       * observations without a new instanceId) or restarted. Start again
       * from current, after a backoff. */
      g_autofree char *why = g_strdup_printf ("%s: the agent refused sample from %" G_GUINT64_FORMAT
                                              " (its buffer starts at %" G_GUINT64_FORMAT ")",
                                              self->url, self->next_sequence, header.first_sequence);

      self->have_position = FALSE;
      fail (self, TACIT_SOURCE_STATE_ERROR, why);
      return;
    }
  value = g_strdup_printf ("%" G_GUINT64_FORMAT, header.first_sequence - self->next_sequence);
  text = g_strdup_printf ("%s dropped observations %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT
                          " from its buffer before Tacit read them", self->url,
                          self->next_sequence, header.first_sequence - 1);
  header.next_sequence = header.first_sequence;
  if (!store_batch (self, none, &header, "buffer", value, text, &error))
    { fail (self, TACIT_SOURCE_STATE_ERROR, error->message); return; }
  set_state (self, TACIT_SOURCE_STATE_GAP, text);
  request (self, STEP_SAMPLE);
}

static gboolean
is_out_of_range (const GError *error)
{
  return g_error_matches (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_INVALID) &&
         strstr (error->message, "OUT_OF_RANGE") != NULL;
}

static void
on_sample (TacitMtconnectClient *self,
           GBytes               *body,
           const char           *display)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  g_autofree char *text = NULL;
  TacitMtconnectHeader header = { 0 };
  guint64 from = self->next_sequence;

  if (!parse_streams (body, display, events, &header, &error))
    {
      if (is_out_of_range (error))
        { request (self, STEP_RANGE); return; }
      { fail (self, TACIT_SOURCE_STATE_ERROR, error->message); return; }
    }
  if (header.instance_id != self->position_instance)
    { request (self, STEP_PROBE); return; }    /* restarted: probe records the gap */
  if (header.first_sequence > from)
    {
      value = g_strdup_printf ("%" G_GUINT64_FORMAT, header.first_sequence - from);
      text = g_strdup_printf ("%s dropped observations %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT
                              " from its buffer before Tacit read them", self->url, from,
                              header.first_sequence - 1);
    }
  if (!store_batch (self, events, &header, "buffer", value, text, &error))
    { fail (self, TACIT_SOURCE_STATE_ERROR, error->message); return; }
  self->attempt = 0;
  if (text != NULL)
    set_state (self, TACIT_SOURCE_STATE_GAP, text);
  else
    set_state (self, TACIT_SOURCE_STATE_CONNECTED, NULL);
  /* More waiting in the agent's buffer: ask at once; else poll. */
  schedule (self, STEP_SAMPLE, header.next_sequence <= header.last_sequence ? 0 : self->poll_ms);
}

/* ---- HTTP ---- */

static char *
step_uri (TacitMtconnectClient *self,
          Step                  step)
{
  switch (step)
    {
    case STEP_PROBE:
      return g_strconcat (self->url, "/probe", NULL);
    case STEP_CURRENT:
    case STEP_RANGE:
      return g_strconcat (self->url, "/current", NULL);
    case STEP_SAMPLE:
      return g_strdup_printf ("%s/sample?from=%" G_GUINT64_FORMAT "&count=%u", self->url,
                              self->next_sequence, self->count);
    default:
      g_assert_not_reached ();
    }
}

static void
dispatch (TacitMtconnectClient *self,
          Step                  step,
          GBytes               *body,
          const char           *display)
{
  switch (step)
    {
    case STEP_PROBE:
      on_probe (self, body, display);
      break;
    case STEP_CURRENT:
      on_current (self, body, display);
      break;
    case STEP_SAMPLE:
      on_sample (self, body, display);
      break;
    case STEP_RANGE:
      on_range (self, body, display);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
response_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TacitMtconnectClient) self = user_data;
  g_autoptr(SoupMessage) message = g_steal_pointer (&self->message);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autofree char *display = NULL;
  guint status;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->running)
    return;
  display = g_uri_to_string (soup_message_get_uri (message));
  if (body == NULL)
    {
      g_autofree char *text = g_strdup_printf ("%s: %s", display, error->message);

      { fail (self, TACIT_SOURCE_STATE_RECONNECTING, text); return; }
    }
  status = soup_message_get_status (message);
  /* Agents answer errors (OUT_OF_RANGE…) with an MTConnectError document
   * and a 4xx status: the document says more than the status. */
  if (status != SOUP_STATUS_OK && (status < 400 || status >= 500 || g_bytes_get_size (body) == 0))
    {
      g_autofree char *text = g_strdup_printf ("%s: HTTP %u %s", display, status,
                                               soup_message_get_reason_phrase (message));

      { fail (self, TACIT_SOURCE_STATE_RECONNECTING, text); return; }
    }
  dispatch (self, self->step, body, display);
}

static void
request (TacitMtconnectClient *self,
         Step                  step)
{
  g_autofree char *uri = step_uri (self, step);

  if (!self->running)
    return;
  g_clear_handle_id (&self->timer_id, g_source_remove);
  self->step = step;
  g_clear_object (&self->message);
  self->message = soup_message_new (SOUP_METHOD_GET, uri);
  if (self->message == NULL)
    {
      g_autofree char *text = g_strdup_printf ("%s: not a valid HTTP URL", uri);

      self->running = FALSE;
      set_state (self, TACIT_SOURCE_STATE_ERROR, text);
      return;
    }
  soup_session_send_and_read_async (self->session, self->message, G_PRIORITY_DEFAULT,
                                    self->cancellable, response_cb, g_object_ref (self));
}

void
tacit_mtconnect_client_start (TacitMtconnectClient *self)
{
  g_return_if_fail (TACIT_IS_MTCONNECT_CLIENT (self));

  if (self->running)
    return;
  self->running = TRUE;
  self->attempt = 0;
  self->cancellable = g_cancellable_new ();
  set_state (self, TACIT_SOURCE_STATE_CONNECTING, self->url);
  request (self, STEP_PROBE);
}

void
tacit_mtconnect_client_stop (TacitMtconnectClient *self)
{
  g_return_if_fail (TACIT_IS_MTCONNECT_CLIENT (self));

  if (!self->running)
    return;
  self->running = FALSE;
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_state (self, TACIT_SOURCE_STATE_STOPPED, NULL);
}
