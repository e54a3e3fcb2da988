/* tacit-simulator.c: events through the engine on a worker thread.
 *
 * The worker owns the engine, the reader and its own store connection;
 * the main thread only queues injected events and receives batches. A
 * batch holds a reference on the simulator, and is dropped unseen when
 * the simulator was stopped meanwhile.
 *
 * Library revisions: before every event the worker asks its store
 * connection whether another connection committed (the plant link writes
 * new library revisions into the kiosk's database); when the library's
 * revision changed, it loads the whole library (one committed import:
 * never half of one) and swaps in a new engine between two events. Every
 * suggestion is marked with the library revision in force when it fired
 * (suggestions.library_revision). The new engine starts afresh: counts,
 * cooldowns and open outcome windows of the old library are not carried
 * over.
 *
 * Live events: events that another connection stores live (tacit-cli
 * listen, or the kiosk's own sources through TacitIngest: import_id NULL)
 * are read by the worker from its store connection whenever the database
 * changed, at most LIVE_POLL_USEC apart, and go through the same engine,
 * after the events already queued. Reading starts at the newest live
 * event stored when the worker starts: no history is replayed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-simulator.h"

#include "tacit-event-item.h"
#include "tacit-event-reader.h"
#include "tacit-kiosk-store.h"
#include "tacit-store.h"

/* A long pause in a file (an MTConnect document an hour after the last)
 * is played as at most this much wall-clock time. */
#define MAX_GAP_USEC (2 * G_USEC_PER_SEC)
/* How often the worker looks for new library revisions and live events. */
#define LIVE_POLL_USEC (50 * 1000)
#define LIVE_BATCH 1000

struct _TacitSimulator
{
  GObject           parent_instance;

  TacitLibrary     *library;
  char             *db_path;
  double            speed;
  GMainContext     *context;
  GAsyncQueue      *queue;       /* Command* for the worker */
  GThread          *thread;
  TacitEventReader *reader;      /* the worker's once started */
  gint              stopped;     /* atomic */
};

G_DEFINE_FINAL_TYPE (TacitSimulator, tacit_simulator, G_TYPE_OBJECT)

enum {
  SIGNAL_EVENTS,
  SIGNAL_SUGGESTION,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

typedef struct {
  gboolean    stop;
  TacitEvent *event;
  gint64      arrived;
} Command;

typedef struct {
  TacitSimulator *self;
  GPtrArray      *events;        /* TacitEventItem* */
  GPtrArray      *suggestions;   /* TacitSuggestion* */
  gint64          arrived;
} Batch;

/* What the worker thread owns. */
typedef struct {
  TacitSimulator *self;
  TacitEngine    *engine;
  TacitStore     *store;
  GPtrArray      *fired;         /* TacitSuggestion* of the current event */
  guint           library_revision;
  gint64          data_version;  /* of the store connection, -1 before the first look */
  TacitTime       live_time;     /* position in the stored live events */
  gint64          live_id;
} Worker;

static void
command_free (Command *command)
{
  g_free (command->event);
  g_free (command);
}

static void
batch_free (Batch *batch)
{
  g_object_unref (batch->self);
  g_ptr_array_unref (batch->events);
  g_ptr_array_unref (batch->suggestions);
  g_free (batch);
}

/* Runs in the main context. */
static gboolean
batch_deliver (gpointer data)
{
  Batch *batch = data;
  TacitSimulator *self = batch->self;

  if (g_atomic_int_get (&self->stopped))
    return G_SOURCE_REMOVE;
  if (batch->events->len > 0)
    g_signal_emit (self, signals[SIGNAL_EVENTS], 0, batch->events);
  for (guint i = 0; i < batch->suggestions->len; i++)
    g_signal_emit (self, signals[SIGNAL_SUGGESTION], 0,
                   g_ptr_array_index (batch->suggestions, i), batch->arrived);
  return G_SOURCE_REMOVE;
}

/* Always through an idle source: g_main_context_invoke() would run the
 * batch right here in the worker whenever the main loop happens to be
 * idle (the worker's thread-default context is the global default), and
 * GTK must only be touched from the main thread. */
static void
post (TacitSimulator *self,
      Batch          *batch)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, batch_deliver, batch, (GDestroyNotify) batch_free);
  g_source_set_static_name (source, "[tacit-simulator] batch");
  g_source_attach (source, self->context);
}

static void
worker_fired_cb (TacitSuggestion *suggestion,
                 gpointer         user_data)
{
  Worker *worker = user_data;

  g_ptr_array_add (worker->fired, tacit_suggestion_ref (suggestion));
}

/* The outcome window closed: store it (recording again only updates). */
static void
worker_ready_cb (TacitSuggestion *suggestion,
                 gpointer         user_data)
{
  Worker *worker = user_data;
  g_autoptr(GError) error = NULL;

  if (worker->store != NULL && suggestion->outcome_closed &&
      !tacit_store_record_suggestions (worker->store, &suggestion, 1, &error))
    g_warning ("Could not store an outcome: %s", error->message);
}

static void worker_fired_cb (TacitSuggestion *suggestion,
                             gpointer         user_data);
static void worker_ready_cb (TacitSuggestion *suggestion,
                             gpointer         user_data);

static void worker_reload_library (Worker *worker,
                                   guint   revision);

static void
worker_set_engine (Worker       *worker,
                   TacitLibrary *library)
{
  g_clear_object (&worker->engine);
  worker->engine = tacit_engine_new (library);
  tacit_engine_set_fired_func (worker->engine, worker_fired_cb, worker);
  tacit_engine_set_ready_func (worker->engine, worker_ready_cb, worker);
  worker->library_revision = tacit_library_get_revision (library);
}

static void worker_process (Worker           *worker,
                            const TacitEvent *event,
                            gint64            arrived);

/* Copied out: the engine's writes wait until the read is done. */
static void
worker_live_event_cb (const TacitEvent *event,
                      gpointer          user_data)
{
  g_ptr_array_add (user_data, tacit_event_copy (event));
}

/* Between two events: a new library revision in the store replaces the
 * engine's library as a whole; live events stored meanwhile are played. */
static void
worker_poll_store (Worker *worker)
{
  g_autoptr(GError) error = NULL;
  guint revision = worker->library_revision;
  gboolean changed = FALSE;
  gint64 before = worker->data_version;
  gint64 n;

  if (worker->store == NULL ||
      !tacit_kiosk_poll_library_revision (worker->store, &worker->data_version, &revision, &changed, &error))
    {
      if (error != NULL)
        g_warning ("Could not check the library revision: %s", error->message);
      return;
    }
  if (worker->data_version == before)
    return;
  if (changed)
    worker_reload_library (worker, revision);
  do
    {
      g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);

      n = tacit_kiosk_read_live_events (worker->store, &worker->live_time, &worker->live_id, LIVE_BATCH,
                                        worker_live_event_cb, events, &error);
      for (guint i = 0; i < events->len; i++)
        worker_process (worker, g_ptr_array_index (events, i), g_get_monotonic_time ());
    }
  while (n == LIVE_BATCH);
  if (n < 0)
    g_warning ("Could not read live events: %s", error->message);
}

static void
worker_reload_library (Worker *worker,
                       guint   revision)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitLibrary) library = NULL;

  if ((library = tacit_store_load_library (worker->store, &error)) == NULL)
    {
      g_warning ("Library revision %u could not be loaded, keeping %u: %s",
                 revision, worker->library_revision, error->message);
      return;
    }
  g_debug ("Library revision %u replaces %u", tacit_library_get_revision (library), worker->library_revision);
  worker_set_engine (worker, library);
}

static void
worker_process (Worker           *worker,
                const TacitEvent *event,
                gint64            arrived)
{
  g_autoptr(GError) error = NULL;
  Batch *batch;

  if (!tacit_engine_push (worker->engine, event, &error))
    {
      /* An event older than the last one (a late MTConnect sample): the
       * engine can't take it, the feed can still show it. */
      g_debug ("Skipping an event for the engine: %s", error->message);
      g_clear_error (&error);
    }
  if (worker->store != NULL && worker->fired->len > 0 &&
      !tacit_store_record_suggestions (worker->store,
                                       (TacitSuggestion **) worker->fired->pdata,
                                       worker->fired->len, &error))
    g_warning ("Could not store suggestions: %s", error->message);
  else if (worker->store != NULL && worker->fired->len > 0 &&
           !tacit_kiosk_set_library_revision (worker->store, (TacitSuggestion **) worker->fired->pdata,
                                              worker->fired->len, worker->library_revision, &error))
    g_warning ("Could not mark suggestions with the library revision: %s", error->message);

  batch = g_new0 (Batch, 1);
  batch->self = g_object_ref (worker->self);
  batch->events = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (batch->events, tacit_event_item_new_take (tacit_event_copy (event), arrived));
  batch->suggestions = g_steal_pointer (&worker->fired);
  batch->arrived = arrived;
  worker->fired = g_ptr_array_new_with_free_func ((GDestroyNotify) tacit_suggestion_unref);
  post (worker->self, batch);
}

/* The next file event and when (monotonic) it is due. */
static gboolean
worker_read_next (Worker     *worker,
                  TacitEvent *next,
                  TacitTime  *last_time,
                  gint64     *due)
{
  TacitSimulator *self = worker->self;
  g_autoptr(GError) error = NULL;
  gint64 gap;

  if (self->reader == NULL)
    return FALSE;
  if (!tacit_event_reader_next (self->reader, next, &error))
    {
      if (error != NULL)
        g_warning ("%s", error->message);
      g_clear_object (&self->reader);
      return FALSE;
    }
  gap = *last_time == TACIT_TIME_MIN ? 0 : (gint64) ((next->time - *last_time) / self->speed);
  *due += CLAMP (gap, 0, MAX_GAP_USEC);
  *last_time = next->time;
  return TRUE;
}

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;
  TacitSimulator *self = worker->self;
  g_autoptr(GError) error = NULL;
  TacitEvent next;
  TacitTime last_time = TACIT_TIME_MIN;
  gint64 due = g_get_monotonic_time ();
  gboolean have_next;

  if (self->db_path != NULL && (worker->store = tacit_store_open (self->db_path, &error)) == NULL)
    g_warning ("Suggestions will not be stored: %s", error->message);
  if (worker->store != NULL &&
      !tacit_kiosk_live_events_end (worker->store, &worker->live_time, &worker->live_id, &error))
    g_warning ("Live events will be read from the start: %s", error->message);
  have_next = worker_read_next (worker, &next, &last_time, &due);
  for (;;)
    {
      Command *command;
      gint64 wait;

      /* Without a store there is nothing to poll: wait for commands. */
      wait = have_next ? MAX (0, due - g_get_monotonic_time ()) : G_MAXINT64;
      if (worker->store != NULL)
        wait = MIN (wait, LIVE_POLL_USEC);
      if (wait == G_MAXINT64)
        command = g_async_queue_pop (self->queue);
      else
        command = g_async_queue_timeout_pop (self->queue, wait);
      if (command != NULL && command->stop)
        {
          command_free (command);
          break;
        }
      worker_poll_store (worker);
      if (command != NULL)
        {
          worker_process (worker, command->event, command->arrived);
          command_free (command);
          continue;
        }
      if (have_next && g_get_monotonic_time () >= due)
        {
          worker_process (worker, &next, g_get_monotonic_time ());
          have_next = worker_read_next (worker, &next, &last_time, &due);
        }
    }

  g_clear_object (&worker->engine);
  g_clear_object (&worker->store);
  g_clear_pointer (&worker->fired, g_ptr_array_unref);
  g_clear_object (&self->reader);
  g_free (worker);
  return NULL;
}

static void
tacit_simulator_dispose (GObject *object)
{
  tacit_simulator_stop (TACIT_SIMULATOR (object));
  G_OBJECT_CLASS (tacit_simulator_parent_class)->dispose (object);
}

static void
tacit_simulator_finalize (GObject *object)
{
  TacitSimulator *self = TACIT_SIMULATOR (object);

  g_clear_object (&self->library);
  g_clear_object (&self->reader);
  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->queue, g_async_queue_unref);
  G_OBJECT_CLASS (tacit_simulator_parent_class)->finalize (object);
}

static void
tacit_simulator_class_init (TacitSimulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tacit_simulator_dispose;
  object_class->finalize = tacit_simulator_finalize;

  /* events: a GPtrArray of TacitEventItem, oldest first. */
  signals[SIGNAL_EVENTS] =
    g_signal_new ("events", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);
  /* suggestion: a stored suggestion (every mode) and the monotonic time its
   * trigger event reached the worker. */
  signals[SIGNAL_SUGGESTION] =
    g_signal_new ("suggestion", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, TACIT_TYPE_SUGGESTION, G_TYPE_INT64);
}

static void
tacit_simulator_init (TacitSimulator *self)
{
  self->speed = 60.0;
  self->queue = g_async_queue_new_full ((GDestroyNotify) command_free);
  self->context = g_main_context_ref_thread_default ();
}

TacitSimulator *
tacit_simulator_new (TacitLibrary *library,
                     const char   *db_path)
{
  TacitSimulator *self;

  g_return_val_if_fail (TACIT_IS_LIBRARY (library), NULL);

  self = g_object_new (TACIT_TYPE_SIMULATOR, NULL);
  self->library = g_object_ref (library);
  self->db_path = g_strdup (db_path);
  return self;
}

void
tacit_simulator_set_speed (TacitSimulator *self,
                           double          speed)
{
  g_return_if_fail (TACIT_IS_SIMULATOR (self));
  g_return_if_fail (self->thread == NULL);
  g_return_if_fail (speed > 0);

  self->speed = speed;
}

gboolean
tacit_simulator_start (TacitSimulator *self,
                       const char     *path,
                       GError        **error)
{
  Worker *worker;

  g_return_val_if_fail (TACIT_IS_SIMULATOR (self), FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);

  if (path != NULL &&
      (self->reader = tacit_event_reader_new_for_path (path, TACIT_EVENT_FORMAT_AUTO,
                                                       TACIT_EVENT_READER_IGNORE_UNKNOWN_COLUMNS,
                                                       error)) == NULL)
    return FALSE;
  worker = g_new0 (Worker, 1);
  /* No reference: dispose joins the thread before the object goes. */
  worker->self = self;
  worker->fired = g_ptr_array_new_with_free_func ((GDestroyNotify) tacit_suggestion_unref);
  worker->data_version = -1;
  worker_set_engine (worker, self->library);
  g_atomic_int_set (&self->stopped, FALSE);
  self->thread = g_thread_new ("[tacit-simulator]", worker_thread, worker);
  return TRUE;
}

void
tacit_simulator_inject (TacitSimulator   *self,
                        const TacitEvent *event)
{
  Command *command;

  g_return_if_fail (TACIT_IS_SIMULATOR (self));
  g_return_if_fail (event != NULL);

  command = g_new0 (Command, 1);
  command->event = tacit_event_copy (event);
  command->arrived = g_get_monotonic_time ();
  g_async_queue_push (self->queue, command);
}

void
tacit_simulator_stop (TacitSimulator *self)
{
  Command *command;

  g_return_if_fail (TACIT_IS_SIMULATOR (self));

  if (self->thread == NULL)
    return;
  g_atomic_int_set (&self->stopped, TRUE);
  command = g_new0 (Command, 1);
  command->stop = TRUE;
  /* Ahead of any queued events: stopping should not wait for them. */
  g_async_queue_push_front (self->queue, command);
  g_thread_join (g_steal_pointer (&self->thread));
}

gboolean
tacit_simulator_is_running (TacitSimulator *self)
{
  g_return_val_if_fail (TACIT_IS_SIMULATOR (self), FALSE);
  return self->thread != NULL;
}
