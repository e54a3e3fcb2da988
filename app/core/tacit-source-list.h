/* tacit-source-list.h: the live data sources the store knows (schema v3
 * table sources: MTConnect agents, MQTT brokers) with the state their
 * clients last wrote, for the desktop's sources page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tacit-store.h"

G_BEGIN_DECLS

typedef struct {
  char   *url;
  char   *kind;      /* "mtconnect" or "mqtt" */
  char   *state;     /* as the client wrote it: connected, reconnecting, gap, error … */
  char   *message;   /* may be NULL */
  gint64  updated;   /* wall clock, µs */
} TacitSourceInfo;

/* Every source, sorted by url. TacitSourceInfo*. */
GPtrArray *tacit_source_list          (TacitStore      *store,
                                       GError         **error);
void       tacit_source_info_free     (TacitSourceInfo *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TacitSourceInfo, tacit_source_info_free)

G_END_DECLS
