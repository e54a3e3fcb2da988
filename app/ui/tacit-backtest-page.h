/* tacit-backtest-page.h: the desktop's backtest — chosen rules replayed
 * over a time range of stored history off the main thread, a chart of
 * firings per hour, per-rule figures with outcome lift, and alarm load per
 * station (the same core code as `tacit-cli replay --stats`).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tacit-store.h"

G_BEGIN_DECLS

#define TACIT_TYPE_BACKTEST_PAGE (tacit_backtest_page_get_type ())
G_DECLARE_FINAL_TYPE (TacitBacktestPage, tacit_backtest_page, TACIT, BACKTEST_PAGE, GtkWidget)

GtkWidget *tacit_backtest_page_new       (TacitStore          *store,
                                          const TacitOperator *actor);
/* Preselects these rules (NULL-terminated ids), e.g. from the library's
 * selection, and shows the page's setup. */
void       tacit_backtest_page_set_rules (TacitBacktestPage   *self,
                                          const char * const  *rule_ids);

/* While a backtest runs (Run pressed, not yet done or cancelled). */
gboolean   tacit_backtest_page_is_running (TacitBacktestPage  *self);
/* The last finished backtest's rules (0 before any). */
guint      tacit_backtest_page_get_n_rules (TacitBacktestPage *self);

G_END_DECLS
