/* tacit-event-item.h: one machine event as a GObject, for list models.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "tacit-event.h"

G_BEGIN_DECLS

#define TACIT_TYPE_EVENT_ITEM (tacit_event_item_get_type ())
G_DECLARE_FINAL_TYPE (TacitEventItem, tacit_event_item, TACIT, EVENT_ITEM, GObject)

/* Takes ownership of event (a tacit_event_copy()). */
TacitEventItem   *tacit_event_item_new_take  (TacitEvent     *event,
                                              gint64          arrived);
const TacitEvent *tacit_event_item_get_event (TacitEventItem *self);
/* g_get_monotonic_time() when the worker received it. */
gint64            tacit_event_item_get_arrived (TacitEventItem *self);

G_END_DECLS
