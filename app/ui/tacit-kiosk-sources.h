/* tacit-kiosk-sources.h: the kiosk's live data sources (GSettings
 * `sources`), run off the main loop.
 *
 * Each entry is an MTConnect agent URL (http://agent:5000) or an MQTT
 * broker and topic filter, as `mqtt://broker:1883 plant/+/events` or
 * `mqtt://broker:1883/plant/+/events`. A thread of its own runs them the
 * way `tacit-cli listen` does — TacitMtconnectClient / TacitMqttSource
 * into a TacitIngest on its own store connection — so events are stored
 * live; the simulator's worker reads them from the store into the
 * kiosk's engine (tacit-simulator.h). "state-changed" reports each
 * source's state in the main context the object was created in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tacit-ingest.h"

G_BEGIN_DECLS

#define TACIT_TYPE_KIOSK_SOURCES (tacit_kiosk_sources_get_type ())
G_DECLARE_FINAL_TYPE (TacitKioskSources, tacit_kiosk_sources, TACIT, KIOSK_SOURCES, GObject)

/* Checks every entry (an unknown scheme, an MQTT entry without a topic:
 * G_IO_ERROR_INVALID_ARGUMENT naming the entry); NULL on error. */
TacitKioskSources *tacit_kiosk_sources_new        (const char         *db_path,
                                                   const char *const  *entries,
                                                   GError            **error);
guint              tacit_kiosk_sources_get_n      (TacitKioskSources  *self);
/* The entry's display: "agent:5000", "broker:1883 plant/+/events". */
const char        *tacit_kiosk_sources_get_label  (TacitKioskSources  *self,
                                                   guint               index);
/* Starts the thread; the store is opened there (a failure is reported as
 * every source in TACIT_SOURCE_STATE_ERROR). */
void               tacit_kiosk_sources_start      (TacitKioskSources  *self);
/* Stops the sources, stores what is queued, joins the thread. */
void               tacit_kiosk_sources_stop       (TacitKioskSources  *self);

G_END_DECLS
