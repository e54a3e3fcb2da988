/* tacit-event-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-event-item.h"

struct _TacitEventItem
{
  GObject     parent_instance;
  TacitEvent *event;
  gint64      arrived;
};

G_DEFINE_FINAL_TYPE (TacitEventItem, tacit_event_item, G_TYPE_OBJECT)

static void
tacit_event_item_finalize (GObject *object)
{
  TacitEventItem *self = TACIT_EVENT_ITEM (object);

  g_clear_pointer (&self->event, g_free);
  G_OBJECT_CLASS (tacit_event_item_parent_class)->finalize (object);
}

static void
tacit_event_item_class_init (TacitEventItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tacit_event_item_finalize;
}

static void
tacit_event_item_init (TacitEventItem *self)
{
}

TacitEventItem *
tacit_event_item_new_take (TacitEvent *event,
                           gint64      arrived)
{
  TacitEventItem *self = g_object_new (TACIT_TYPE_EVENT_ITEM, NULL);

  self->event = event;
  self->arrived = arrived;
  return self;
}

const TacitEvent *
tacit_event_item_get_event (TacitEventItem *self)
{
  g_return_val_if_fail (TACIT_IS_EVENT_ITEM (self), NULL);
  return self->event;
}

gint64
tacit_event_item_get_arrived (TacitEventItem *self)
{
  g_return_val_if_fail (TACIT_IS_EVENT_ITEM (self), 0);
  return self->arrived;
}
