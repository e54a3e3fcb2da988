/* tacit-replay.h: runs the engine over event files or the store's history.
 *
 * Files are streamed when they come in time order (memory stays flat); if
 * one goes back in time, the replay starts over with every event loaded
 * and stably sorted, and tells the sink to forget what it had — so the
 * result is always that of SPEC's order: time, then input order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tacit-engine.h"
#include "tacit-event-reader.h"
#include "tacit-store.h"

G_BEGIN_DECLS

typedef struct {
  /* A complete suggestion, in firing order. */
  TacitSuggestionFunc ready;
  /* Everything handed to ready so far is void: the replay starts over. */
  void              (*restart)  (gpointer user_data);
  /* Now and then; FALSE cancels (G_IO_ERROR_CANCELLED). May be NULL. */
  TacitProgressFunc   progress;
  gpointer            user_data;
} TacitReplaySink;

typedef struct {
  TacitTime             from;            /* TACIT_TIME_MIN: open */
  TacitTime             to;              /* TACIT_TIME_MAX: open; events < to */
  TacitEventFormat      format;          /* for every file; AUTO by name */
  TacitEventReaderFlags reader_flags;
} TacitReplayOptions;

void         tacit_replay_options_init (TacitReplayOptions     *options);

/* Replays paths (in order; "-" is stdin) against library. On success the
 * returned engine holds the run's figures (stats, times). */
TacitEngine *tacit_replay_files        (TacitLibrary           *library,
                                        const char * const     *paths,
                                        const TacitReplayOptions *options,
                                        const TacitReplaySink  *sink,
                                        GError                **error);

/* Replays the store's events in [from, to). */
TacitEngine *tacit_replay_store        (TacitLibrary           *library,
                                        TacitStore             *store,
                                        const TacitReplayOptions *options,
                                        const TacitReplaySink  *sink,
                                        GError                **error);

G_END_DECLS
