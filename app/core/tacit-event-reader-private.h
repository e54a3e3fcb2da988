/* tacit-event-reader-private.h: readers whose parsing lives in another
 * core module (import profiles, SHDR logs). The TacitEventReader opens the
 * file (decompressing it), keeps the sticky error, the line and the
 * progress; the source turns the stream into events.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tacit-event-reader.h"

G_BEGIN_DECLS

typedef struct {
  /* Like tacit_event_reader_next(): TRUE with *event (and *line, the
   * event's line) filled, FALSE at the end or with error set. */
  gboolean (*next) (gpointer           source,
                    TacitEventReader  *reader,
                    GInputStream      *stream,
                    TacitEvent        *event,
                    guint64           *line,
                    GError           **error);
  void     (*free) (gpointer           source);
} TacitEventSourceFuncs;

/* Opens path as tacit_event_reader_new_for_path() does ("-" is standard
 * input; .gz, .bz2 and .xz are decompressed) and reads it through funcs.
 * The reader owns source from here on, also when this fails. */
TacitEventReader *_tacit_event_reader_new_for_source (const char                  *path,
                                                      const TacitEventSourceFuncs *funcs,
                                                      gpointer                     source,
                                                      GError                     **error);
/* The source of a reader made by _tacit_event_reader_new_for_source() with
 * these funcs, else NULL. */
gpointer          _tacit_event_reader_get_source     (TacitEventReader            *self,
                                                      const TacitEventSourceFuncs *funcs);

G_END_DECLS
