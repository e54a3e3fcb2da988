/* tacit-ingest.c: where live events land: store, then engine per machine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-ingest.h"

#include <string.h>

/* Events taken from the queue per main-loop dispatch: small enough that a
 * UI stays responsive (one transaction and one engine pass per batch),
 * large enough that a commit is not paid per event. */
#define DRAIN_BATCH 2048

/* A batch that could not be stored is retried after this long. */
#define RETRY_MS 500

typedef struct {
  TacitEngine *engine;
  TacitTime    last_time;   /* of the last event fed */
} MachineFeed;

struct _TacitIngest
{
  GObject               parent_instance;

  TacitStore           *store;
  TacitLibrary         *library;
  GMainContext         *context;
  GHashTable           *feeds;          /* machine id → MachineFeed */
  GPtrArray            *pending;        /* TacitSuggestion* to record */
  GPtrArray            *fired;          /* TacitSuggestion* new this batch */

  TacitSuggestionFunc   suggestion_func;
  gpointer              suggestion_data;
  TacitIngestErrorFunc  error_func;
  gpointer              error_data;

  /* The queue, shared with producer threads. */
  GMutex                lock;
  GCond                 not_full;
  GQueue                queue;          /* TacitEvent* (tacit_event_copy) */
  guint                 capacity;
  guint                 max_queued;
  gboolean              closing;
  GSource              *drain_source;   /* attached while the queue is not empty */
  GPtrArray            *retry;          /* TacitEvent* of a batch that failed */
  guint                 retry_id;

  guint64               n_stored;
  guint64               n_late;
  guint64               n_suggestions;
  guint64               n_duplicates;
};

G_DEFINE_FINAL_TYPE (TacitIngest, tacit_ingest, G_TYPE_OBJECT)

static void
machine_feed_free (MachineFeed *feed)
{
  g_clear_object (&feed->engine);
  g_free (feed);
}

static void
tacit_ingest_finalize (GObject *object)
{
  TacitIngest *self = TACIT_INGEST (object);

  if (self->drain_source != NULL)
    {
      g_source_destroy (self->drain_source);
      g_source_unref (self->drain_source);
    }
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_queue_clear_full (&self->queue, g_free);
  g_clear_pointer (&self->retry, g_ptr_array_unref);
  g_clear_pointer (&self->feeds, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->fired, g_ptr_array_unref);
  g_clear_object (&self->library);
  g_clear_object (&self->store);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->not_full);

  G_OBJECT_CLASS (tacit_ingest_parent_class)->finalize (object);
}

static void
tacit_ingest_class_init (TacitIngestClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tacit_ingest_finalize;
}

static void
tacit_ingest_init (TacitIngest *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->not_full);
  g_queue_init (&self->queue);
  self->capacity = TACIT_INGEST_DEFAULT_CAPACITY;
  self->feeds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) machine_feed_free);
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) tacit_suggestion_unref);
  self->fired = g_ptr_array_new_with_free_func ((GDestroyNotify) tacit_suggestion_unref);
}

TacitIngest *
tacit_ingest_new (TacitStore *store,
                  GError    **error)
{
  g_autoptr(TacitIngest) self = NULL;

  g_return_val_if_fail (TACIT_IS_STORE (store), NULL);

  self = g_object_new (TACIT_TYPE_INGEST, NULL);
  self->store = g_object_ref (store);
  self->context = g_main_context_ref_thread_default ();
  self->library = tacit_store_load_library (store, error);
  if (self->library == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

TacitStore *
tacit_ingest_get_store (TacitIngest *self)
{
  g_return_val_if_fail (TACIT_IS_INGEST (self), NULL);
  return self->store;
}

void
tacit_ingest_set_capacity (TacitIngest *self,
                           guint        capacity)
{
  g_return_if_fail (TACIT_IS_INGEST (self));
  g_mutex_lock (&self->lock);
  self->capacity = MAX (capacity, 1);
  g_cond_broadcast (&self->not_full);
  g_mutex_unlock (&self->lock);
}

void
tacit_ingest_set_suggestion_func (TacitIngest        *self,
                                  TacitSuggestionFunc func,
                                  gpointer            user_data)
{
  g_return_if_fail (TACIT_IS_INGEST (self));
  self->suggestion_func = func;
  self->suggestion_data = user_data;
}

void
tacit_ingest_set_error_func (TacitIngest         *self,
                             TacitIngestErrorFunc func,
                             gpointer             user_data)
{
  g_return_if_fail (TACIT_IS_INGEST (self));
  self->error_func = func;
  self->error_data = user_data;
}

/* ---- the engine side ---- */

static void
fired_cb (TacitSuggestion *suggestion,
          gpointer         user_data)
{
  TacitIngest *self = user_data;

  g_ptr_array_add (self->pending, tacit_suggestion_ref (suggestion));
  g_ptr_array_add (self->fired, tacit_suggestion_ref (suggestion));
}

/* The outcome window closed: store the suggestion again, with its outcome. */
static void
ready_cb (TacitSuggestion *suggestion,
          gpointer         user_data)
{
  TacitIngest *self = user_data;

  if (suggestion->has_outcome && suggestion->outcome_closed)
    g_ptr_array_add (self->pending, tacit_suggestion_ref (suggestion));
}

static MachineFeed *
lookup_feed (TacitIngest *self,
             const char  *machine)
{
  MachineFeed *feed = g_hash_table_lookup (self->feeds, machine);

  if (feed == NULL)
    {
      feed = g_new0 (MachineFeed, 1);
      feed->engine = tacit_engine_new (self->library);
      feed->last_time = TACIT_TIME_MIN;
      tacit_engine_set_fired_func (feed->engine, fired_cb, self);
      tacit_engine_set_ready_func (feed->engine, ready_cb, self);
      g_hash_table_insert (self->feeds, g_strdup (machine), feed);
    }
  return feed;
}

static TacitTime
feed_last_time (TacitIngest *self,
                const char  *machine)
{
  MachineFeed *feed = g_hash_table_lookup (self->feeds, machine);

  return feed != NULL ? feed->last_time : TACIT_TIME_MIN;
}

static int
compare_by_time (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const TacitEvent *events = user_data;
  guint i = *(const guint *) a, j = *(const guint *) b;

  if (events[i].time != events[j].time)
    return events[i].time < events[j].time ? -1 : 1;
  return i < j ? -1 : i > j;
}

/* The batch in time order (equal times keep arrival order), and for each
 * event whether it is late for its machine. */
static void
order_batch (TacitIngest      *self,
             const TacitEvent *events,
             guint             n_events,
             TacitEvent       *sorted,
             TacitTime        *late_behind,
             guint            *n_late)
{
  g_autofree guint *order = g_new (guint, MAX (n_events, 1));
  g_autoptr(GHashTable) last = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  for (guint i = 0; i < n_events; i++)
    order[i] = i;
  g_qsort_with_data (order, n_events, sizeof (guint), compare_by_time, (gpointer) events);
  *n_late = 0;
  for (guint k = 0; k < n_events; k++)
    {
      const TacitEvent *event = &events[order[k]];
      TacitTime *seen = g_hash_table_lookup (last, event->machine);

      if (seen == NULL)
        {
          seen = g_new (TacitTime, 1);
          *seen = feed_last_time (self, event->machine);
          g_hash_table_insert (last, (gpointer) event->machine, seen);
        }
      sorted[k] = *event;
      late_behind[k] = TACIT_TIME_MIN;
      if (event->time < *seen)
        {
          late_behind[k] = *seen;
          (*n_late)++;
        }
      else
        *seen = event->time;
    }
}

static void
feed_engines (TacitIngest      *self,
              const TacitEvent *sorted,
              const TacitTime  *late_behind,
              guint             n_events)
{
  for (guint k = 0; k < n_events; k++)
    {
      MachineFeed *feed;
      g_autoptr(GError) error = NULL;

      if (late_behind[k] != TACIT_TIME_MIN)
        continue;
      feed = lookup_feed (self, sorted[k].machine);
      /* Cannot be refused: the event is not older than the last one fed. */
      if (!tacit_engine_push (feed->engine, &sorted[k], &error))
        g_critical ("engine refused a live event: %s", error->message);
      feed->last_time = sorted[k].time;
    }
}

static gboolean
record_pending (TacitIngest *self,
                GError     **error)
{
  gboolean ok = TRUE;

  if (self->pending->len > 0)
    ok = tacit_store_record_suggestions (self->store,
                                         (TacitSuggestion **) self->pending->pdata,
                                         self->pending->len, error);
  g_ptr_array_set_size (self->pending, 0);
  self->n_suggestions += self->fired->len;
  for (guint i = 0; ok && self->suggestion_func != NULL && i < self->fired->len; i++)
    self->suggestion_func (g_ptr_array_index (self->fired, i), self->suggestion_data);
  g_ptr_array_set_size (self->fired, 0);
  return ok;
}

gboolean
tacit_ingest_add_events (TacitIngest               *self,
                         const TacitEvent          *events,
                         guint                      n_events,
                         const TacitSourcePosition *position,
                         GError                   **error)
{
  g_autofree TacitEvent *sorted = NULL;
  g_autofree TacitTime *late_behind = NULL;
  guint n_late = 0;

  g_return_val_if_fail (TACIT_IS_INGEST (self), FALSE);
  g_return_val_if_fail (events != NULL || n_events == 0, FALSE);

  sorted = g_new (TacitEvent, MAX (n_events, 1));
  late_behind = g_new (TacitTime, MAX (n_events, 1));
  order_batch (self, events, n_events, sorted, late_behind, &n_late);
  if (!_tacit_store_insert_live_batch (self->store, sorted, n_events,
                                       n_late > 0 ? late_behind : NULL, position, error))
    return FALSE;
  self->n_stored += n_events;
  self->n_late += n_late;
  feed_engines (self, sorted, late_behind, n_events);
  /* The events are stored; a failure to store suggestions is reported but
   * they are not lost: the engine's state stays and replay recreates them. */
  return record_pending (self, error);
}

/* ---- the queue ---- */

static gboolean drain_cb (gpointer user_data);

/* With the lock held. */
static void
schedule_drain_locked (TacitIngest *self)
{
  if (self->drain_source != NULL)
    return;
  self->drain_source = g_idle_source_new ();
  g_source_set_priority (self->drain_source, G_PRIORITY_DEFAULT);
  g_source_set_callback (self->drain_source, drain_cb, self, NULL);
  g_source_set_static_name (self->drain_source, "[tacit-ingest-drain]");
  g_source_attach (self->drain_source, self->context);
}

void
tacit_ingest_queue_events (TacitIngest      *self,
                           const TacitEvent *events,
                           guint             n_events)
{
  g_return_if_fail (TACIT_IS_INGEST (self));

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < n_events; i++)
    {
      while (self->queue.length >= self->capacity && !self->closing)
        g_cond_wait (&self->not_full, &self->lock);
      g_queue_push_tail (&self->queue, tacit_event_copy (&events[i]));
      self->max_queued = MAX (self->max_queued, self->queue.length);
      schedule_drain_locked (self);
    }
  g_mutex_unlock (&self->lock);
}

/* Takes up to max events off the queue into batch (TacitEvent* owned). */
static void
take_batch (TacitIngest *self,
            GPtrArray   *batch,
            guint        max)
{
  g_mutex_lock (&self->lock);
  while (batch->len < max && self->queue.length > 0)
    g_ptr_array_add (batch, g_queue_pop_head (&self->queue));
  g_cond_broadcast (&self->not_full);
  g_mutex_unlock (&self->lock);
}

static guint
event_hash (gconstpointer data)
{
  const TacitEvent *e = data;

  return g_str_hash (e->machine) ^ g_str_hash (e->item) ^ (guint) e->time ^
         (e->value != NULL ? g_str_hash (e->value) : 0);
}

static gboolean
event_equal (gconstpointer a,
             gconstpointer b)
{
  const TacitEvent *x = a, *y = b;

  return x->time == y->time && x->kind == y->kind && strcmp (x->machine, y->machine) == 0 &&
         strcmp (x->item, y->item) == 0 && g_strcmp0 (x->value, y->value) == 0 &&
         g_strcmp0 (x->code, y->code) == 0 && g_strcmp0 (x->text, y->text) == 0;
}

/* Queued events come from MQTT, which delivers at least once (a broker
 * restart or a reconnect may deliver a message again): an event equal in
 * every field to one stored, or to one earlier in the batch, is dropped. */
static guint
drop_redeliveries (TacitIngest *self,
                   TacitEvent  *flat,
                   guint        n,
                   GError     **error)
{
  g_autofree gboolean *stored = g_new0 (gboolean, MAX (n, 1));
  g_autoptr(GHashTable) seen = g_hash_table_new (event_hash, event_equal);
  guint kept = 0;

  if (!_tacit_store_find_stored_events (self->store, flat, n, stored, error))
    return G_MAXUINT;
  /* Mark first (the set points into flat), then compact. */
  for (guint i = 0; i < n; i++)
    if (!stored[i] && !g_hash_table_add (seen, &flat[i]))
      stored[i] = TRUE;
  g_hash_table_steal_all (seen);
  for (guint i = 0; i < n; i++)
    if (!stored[i])
      flat[kept++] = flat[i];
  self->n_duplicates += n - kept;
  return kept;
}

static gboolean
store_batch (TacitIngest *self,
             GPtrArray   *batch,
             GError     **error)
{
  g_autofree TacitEvent *flat = g_new (TacitEvent, MAX (batch->len, 1));
  guint n;

  for (guint i = 0; i < batch->len; i++)
    flat[i] = *(const TacitEvent *) g_ptr_array_index (batch, i);
  n = drop_redeliveries (self, flat, batch->len, error);
  if (n == G_MAXUINT)
    return FALSE;
  return tacit_ingest_add_events (self, flat, n, NULL, error);
}

static gboolean
retry_cb (gpointer user_data)
{
  TacitIngest *self = user_data;

  self->retry_id = 0;
  g_mutex_lock (&self->lock);
  schedule_drain_locked (self);
  g_mutex_unlock (&self->lock);
  return G_SOURCE_REMOVE;
}

/* One batch: the one that failed last time first, else a new one. FALSE
 * on a store error (the batch is kept in self->retry). */
static gboolean
drain_one (TacitIngest *self,
           gboolean    *more,
           GError     **error)
{
  g_autoptr(GPtrArray) batch = g_steal_pointer (&self->retry);

  if (batch == NULL)
    {
      batch = g_ptr_array_new_with_free_func (g_free);
      take_batch (self, batch, DRAIN_BATCH);
    }
  *more = batch->len > 0;
  if (batch->len == 0)
    return TRUE;
  if (!store_batch (self, batch, error))
    {
      self->retry = g_steal_pointer (&batch);
      return FALSE;
    }
  return TRUE;
}

static gboolean
drain_cb (gpointer user_data)
{
  TacitIngest *self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean more = FALSE;
  gboolean ok = drain_one (self, &more, &error);

  g_mutex_lock (&self->lock);
  if (ok && (self->queue.length > 0 || more))
    {
      g_mutex_unlock (&self->lock);
      return G_SOURCE_CONTINUE;
    }
  g_clear_pointer (&self->drain_source, g_source_unref);
  g_mutex_unlock (&self->lock);
  if (!ok)
    {
      if (self->error_func != NULL)
        self->error_func (error, self->error_data);
      if (self->retry_id == 0)
        self->retry_id = g_timeout_add (RETRY_MS, retry_cb, self);
    }
  return G_SOURCE_REMOVE;
}

gboolean
tacit_ingest_flush (TacitIngest *self,
                    GError     **error)
{
  gboolean more = TRUE;

  g_return_val_if_fail (TACIT_IS_INGEST (self), FALSE);

  while (more)
    if (!drain_one (self, &more, error))
      return FALSE;
  return TRUE;
}

void
tacit_ingest_close (TacitIngest *self)
{
  g_return_if_fail (TACIT_IS_INGEST (self));
  g_mutex_lock (&self->lock);
  self->closing = TRUE;
  g_cond_broadcast (&self->not_full);
  g_mutex_unlock (&self->lock);
}

guint64
tacit_ingest_get_n_stored (TacitIngest *self)
{
  g_return_val_if_fail (TACIT_IS_INGEST (self), 0);
  return self->n_stored;
}

guint64
tacit_ingest_get_n_late (TacitIngest *self)
{
  g_return_val_if_fail (TACIT_IS_INGEST (self), 0);
  return self->n_late;
}

guint64
tacit_ingest_get_n_suggestions (TacitIngest *self)
{
  g_return_val_if_fail (TACIT_IS_INGEST (self), 0);
  return self->n_suggestions;
}

guint64
tacit_ingest_get_n_duplicates (TacitIngest *self)
{
  g_return_val_if_fail (TACIT_IS_INGEST (self), 0);
  return self->n_duplicates;
}

guint
tacit_ingest_get_max_queued (TacitIngest *self)
{
  guint max;

  g_return_val_if_fail (TACIT_IS_INGEST (self), 0);
  g_mutex_lock (&self->lock);
  max = self->max_queued;
  g_mutex_unlock (&self->lock);
  return max;
}

const char *
tacit_source_state_to_string (TacitSourceState state)
{
  switch (state)
    {
    case TACIT_SOURCE_STATE_STOPPED:
      return "stopped";
    case TACIT_SOURCE_STATE_CONNECTING:
      return "connecting";
    case TACIT_SOURCE_STATE_CONNECTED:
      return "connected";
    case TACIT_SOURCE_STATE_RECONNECTING:
      return "reconnecting";
    case TACIT_SOURCE_STATE_GAP:
      return "gap";
    case TACIT_SOURCE_STATE_ERROR:
      return "error";
    default:
      return "unknown";
    }
}

guint
tacit_backoff_delay_ms (guint attempt,
                        guint base_ms,
                        guint max_ms)
{
  guint64 delay = base_ms;

  for (guint i = 0; i < attempt && delay < max_ms; i++)
    delay *= 2;
  delay = MIN (delay, max_ms);
  return (guint) (delay / 2 + (guint64) g_random_int_range (0, (gint32) MAX (delay / 2, 1) + 1));
}
