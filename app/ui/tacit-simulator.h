/* tacit-simulator.h: plays machine events through the engine off the main
 * loop.
 *
 * A worker thread reads an event file (played in accelerated event time)
 * and events injected with tacit_simulator_inject(), pushes them into its
 * own TacitEngine, records every suggestion in its own store connection,
 * and hands events and suggestions to the main context it was created in
 * ("events" and "suggestion" signals). The main loop only renders.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tacit-engine.h"

G_BEGIN_DECLS

#define TACIT_TYPE_SIMULATOR (tacit_simulator_get_type ())
G_DECLARE_FINAL_TYPE (TacitSimulator, tacit_simulator, TACIT, SIMULATOR, GObject)

/* db_path: where suggestions are recorded (NULL: nowhere). */
TacitSimulator *tacit_simulator_new         (TacitLibrary     *library,
                                             const char       *db_path);
/* Event-time seconds per wall-clock second (default 60). */
void            tacit_simulator_set_speed   (TacitSimulator   *self,
                                             double            speed);
/* Starts the worker; path (may be NULL: injected events only) is opened
 * here so that a bad file fails at once. */
gboolean        tacit_simulator_start       (TacitSimulator   *self,
                                             const char       *path,
                                             GError          **error);
/* Queues a copy of event for the worker (from the main thread). */
void            tacit_simulator_inject      (TacitSimulator   *self,
                                             const TacitEvent *event);
/* Stops and joins the worker; nothing is emitted afterwards. */
void            tacit_simulator_stop        (TacitSimulator   *self);
gboolean        tacit_simulator_is_running  (TacitSimulator   *self);

G_END_DECLS
