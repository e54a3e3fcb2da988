/* tacit-replay.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-replay.h"
#include "tacit-error.h"

#include <string.h>

#define PROGRESS_EVERY 65536

void
tacit_replay_options_init (TacitReplayOptions *options)
{
  memset (options, 0, sizeof *options);
  options->from = TACIT_TIME_MIN;
  options->to = TACIT_TIME_MAX;
  options->format = TACIT_EVENT_FORMAT_AUTO;
}

static TacitEngine *
new_engine (TacitLibrary *library, const TacitReplaySink *sink)
{
  TacitEngine *engine = tacit_engine_new (library);

  tacit_engine_set_ready_func (engine, sink->ready, sink->user_data);
  return engine;
}

static gboolean
in_range (const TacitReplayOptions *options, TacitTime t)
{
  return t >= options->from && t < options->to;
}

static gboolean
report_progress (const TacitReplaySink *sink, guint64 done, guint64 total, GError **error)
{
  if (sink->progress == NULL || sink->progress (done, total, sink->user_data))
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
  return FALSE;
}

/* ------------------------------------------------------------- readers */

typedef struct {
  GPtrArray *readers;        /* TacitEventReader* */
  guint64    total_size;
  guint64    done_before;    /* bytes of the readers already finished */
} ReaderSet;

static void
reader_set_clear (ReaderSet *set)
{
  g_clear_pointer (&set->readers, g_ptr_array_unref);
}

static gboolean
reader_set_open (ReaderSet *set, const char * const *paths, const TacitReplayOptions *options,
                 GError **error)
{
  set->readers = g_ptr_array_new_with_free_func (g_object_unref);
  set->total_size = 0;
  set->done_before = 0;
  for (guint i = 0; paths[i] != NULL; i++)
    {
      TacitEventReader *reader = tacit_event_reader_new_for_path (paths[i], options->format,
                                                                  options->reader_flags, error);
      if (reader == NULL)
        return FALSE;
      g_ptr_array_add (set->readers, reader);
      set->total_size += tacit_event_reader_get_size (reader);
    }
  return TRUE;
}

/* Calls func for every event of every file in order. */
typedef gboolean (*EventFunc) (const TacitEvent *event, gpointer data, GError **error);

static gboolean
reader_set_foreach (ReaderSet *set, const TacitReplayOptions *options,
                    const TacitReplaySink *sink, EventFunc func, gpointer data, GError **error)
{
  guint64 n = 0;

  for (guint i = 0; i < set->readers->len; i++)
    {
      TacitEventReader *reader = g_ptr_array_index (set->readers, i);
      g_autoptr(GError) read_error = NULL;
      TacitEvent event;

      while (tacit_event_reader_next (reader, &event, &read_error))
        {
          if (++n % PROGRESS_EVERY == 0 &&
              !report_progress (sink, set->done_before + tacit_event_reader_get_bytes_read (reader),
                                set->total_size, error))
            return FALSE;
          if (in_range (options, event.time) && !func (&event, data, error))
            return FALSE;
        }
      if (read_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&read_error));
          return FALSE;
        }
      set->done_before += tacit_event_reader_get_bytes_read (reader);
    }
  return TRUE;
}

/* ---------------------------------------------------------- streaming */

static gboolean
push_event (const TacitEvent *event, gpointer data, GError **error)
{
  return tacit_engine_push (data, event, error);
}

/* ------------------------------------------------------ sorted fallback */

typedef struct {
  GArray       *events;    /* TacitEvent, strings in chunk */
  GStringChunk *chunk;
} EventArena;

static const char *
arena_dup (EventArena *arena, const char *s, gboolean share)
{
  if (s == NULL)
    return NULL;
  return share ? g_string_chunk_insert_const (arena->chunk, s)
               : g_string_chunk_insert (arena->chunk, s);
}

static gboolean
arena_add (const TacitEvent *event, gpointer data, GError **error)
{
  EventArena *arena = data;
  TacitEvent copy = *event;

  /* Machines, items and codes repeat: keep one copy of each. */
  copy.machine = arena_dup (arena, event->machine, TRUE);
  copy.item = arena_dup (arena, event->item, TRUE);
  copy.code = arena_dup (arena, event->code, TRUE);
  copy.value = arena_dup (arena, event->value, FALSE);
  copy.text = arena_dup (arena, event->text, FALSE);
  g_array_append_val (arena->events, copy);
  return TRUE;
}

/* g_array_sort is a stable merge sort (GLib >= 2.32): equal times keep
 * input order. */
static int
event_time_compare (gconstpointer a, gconstpointer b)
{
  const TacitEvent *ea = a, *eb = b;
  return ea->time < eb->time ? -1 : ea->time > eb->time;
}

static TacitEngine *
replay_sorted (TacitLibrary *library, const char * const *paths,
               const TacitReplayOptions *options, const TacitReplaySink *sink, GError **error)
{
  g_autoptr(TacitEngine) engine = NULL;
  EventArena arena = { g_array_new (FALSE, FALSE, sizeof (TacitEvent)), g_string_chunk_new (1 << 20) };
  ReaderSet set = { 0 };
  gboolean ok;

  ok = reader_set_open (&set, paths, options, error) &&
       reader_set_foreach (&set, options, sink, arena_add, &arena, error);
  reader_set_clear (&set);
  if (ok)
    {
      g_array_sort (arena.events, event_time_compare);
      engine = new_engine (library, sink);
      for (guint i = 0; ok && i < arena.events->len; i++)
        ok = tacit_engine_push (engine, &g_array_index (arena.events, TacitEvent, i), error);
      if (ok)
        tacit_engine_finish (engine);
    }
  g_array_unref (arena.events);
  g_string_chunk_free (arena.chunk);
  return ok ? g_steal_pointer (&engine) : NULL;
}

TacitEngine *
tacit_replay_files (TacitLibrary              *library,
                    const char * const        *paths,
                    const TacitReplayOptions  *options,
                    const TacitReplaySink     *sink,
                    GError                   **error)
{
  g_autoptr(TacitEngine) engine = NULL;
  g_autoptr(GError) local_error = NULL;
  ReaderSet set = { 0 };
  gboolean ok;

  g_return_val_if_fail (TACIT_IS_LIBRARY (library), NULL);
  g_return_val_if_fail (paths != NULL && sink != NULL && options != NULL, NULL);

  engine = new_engine (library, sink);
  ok = reader_set_open (&set, paths, options, &local_error) &&
       reader_set_foreach (&set, options, sink, push_event, engine, &local_error);
  reader_set_clear (&set);
  if (ok)
    {
      tacit_engine_finish (engine);
      return g_steal_pointer (&engine);
    }
  if (!g_error_matches (local_error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_UNSORTED) ||
      g_strcmp0 (paths[0], "-") == 0)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  /* Out of time order: start over on the whole input, sorted. Standard
   * input cannot be read twice, so it must come in order. */
  g_clear_object (&engine);
  if (sink->restart != NULL)
    sink->restart (sink->user_data);
  return replay_sorted (library, paths, options, sink, error);
}

TacitEngine *
tacit_replay_store (TacitLibrary              *library,
                    TacitStore                *store,
                    const TacitReplayOptions  *options,
                    const TacitReplaySink     *sink,
                    GError                   **error)
{
  g_autoptr(TacitEngine) engine = NULL;
  g_autoptr(TacitEventCursor) cursor = NULL;
  g_autoptr(GError) read_error = NULL;
  TacitEvent event;
  guint64 n = 0, total;

  g_return_val_if_fail (TACIT_IS_LIBRARY (library), NULL);
  g_return_val_if_fail (TACIT_IS_STORE (store), NULL);

  total = tacit_store_count_events (store, NULL);
  cursor = tacit_store_query_events (store, options->from, options->to, error);
  if (cursor == NULL)
    return NULL;
  engine = new_engine (library, sink);
  while (tacit_event_cursor_next (cursor, &event, &read_error))
    {
      if (++n % PROGRESS_EVERY == 0 && !report_progress (sink, n, total, error))
        return NULL;
      if (!tacit_engine_push (engine, &event, error))
        return NULL;
    }
  if (read_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&read_error));
      return NULL;
    }
  tacit_engine_finish (engine);
  return g_steal_pointer (&engine);
}
