/* bench-engine.c: the engine alone, events already in memory.
 *
 *   bench-engine LIBRARY.xml EVENTS
 *
 * Reads every event into memory first, then times only the engine over
 * them, and prints "engine-alone SECONDS events N suggestions S" (after
 * "load-library SECONDS rules N", the XML library's load time). The
 * comparison harness (compare/compare.py) uses it against CLIPS, whose
 * facts are likewise built before it runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "tacit-engine.h"
#include "tacit-event-reader.h"
#include "tacit-library-xml.h"

static void
count_cb (TacitSuggestion *s, gpointer data)
{
  (*(guint64 *) data)++;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitLibrary) library = NULL;
  g_autoptr(TacitEventReader) reader = NULL;
  g_autoptr(TacitEngine) engine = NULL;
  g_autoptr(GArray) events = g_array_new (FALSE, FALSE, sizeof (TacitEvent));
  GStringChunk *strings = g_string_chunk_new (1 << 20);
  guint64 suggestions = 0;
  TacitEvent event;
  gint64 start;

  if (argc != 3)
    {
      g_printerr ("usage: bench-engine LIBRARY.xml EVENTS\n");
      return 2;
    }
  start = g_get_monotonic_time ();
  library = tacit_library_load_file (argv[1], &error);
  if (library != NULL)
    printf ("load-library %.6f rules %u\n", (g_get_monotonic_time () - start) / 1e6,
            tacit_library_get_rules (library)->len);
  if (library != NULL)
    reader = tacit_event_reader_new_for_path (argv[2], TACIT_EVENT_FORMAT_AUTO, 0, &error);
  while (reader != NULL && tacit_event_reader_next (reader, &event, &error))
    {
      event.machine = g_string_chunk_insert_const (strings, event.machine);
      event.item = g_string_chunk_insert_const (strings, event.item);
      event.value = g_string_chunk_insert (strings, event.value);
      event.code = event.code ? g_string_chunk_insert_const (strings, event.code) : NULL;
      event.text = event.text ? g_string_chunk_insert (strings, event.text) : NULL;
      g_array_append_val (events, event);
    }
  if (error != NULL)
    {
      g_printerr ("bench-engine: %s\n", error->message);
      return 1;
    }

  engine = tacit_engine_new (library);
  tacit_engine_set_ready_func (engine, count_cb, &suggestions);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < events->len; i++)
    if (!tacit_engine_push (engine, &g_array_index (events, TacitEvent, i), &error))
      {
        g_printerr ("bench-engine: %s\n", error->message);
        return 1;
      }
  tacit_engine_finish (engine);
  printf ("engine-alone %.6f events %u suggestions %" G_GUINT64_FORMAT "\n",
          (g_get_monotonic_time () - start) / 1e6, events->len, suggestions);
  g_string_chunk_free (strings);
  return 0;
}
