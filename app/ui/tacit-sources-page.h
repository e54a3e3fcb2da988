/* tacit-sources-page.h: live data sources (MTConnect agents, MQTT
 * brokers) with their state — connected, reconnecting, gap, error — read
 * from the store's sources table and refreshed while shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tacit-store.h"

G_BEGIN_DECLS

#define TACIT_TYPE_SOURCES_PAGE (tacit_sources_page_get_type ())
G_DECLARE_FINAL_TYPE (TacitSourcesPage, tacit_sources_page, TACIT, SOURCES_PAGE, GtkWidget)

GtkWidget *tacit_sources_page_new           (TacitStore       *store);
/* Rows shown (read again every 2 s while the page is mapped). */
guint      tacit_sources_page_get_n_sources (TacitSourcesPage *self);

G_END_DECLS
