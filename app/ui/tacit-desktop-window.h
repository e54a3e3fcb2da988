/* tacit-desktop-window.h: the engineer desktop — sign-in, then the
 * library (search, filters, the rule editor), review, backtest and
 * sources pages in one adaptive window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tacit-rule-editor.h"
#include "tacit-store.h"

G_BEGIN_DECLS

#define TACIT_TYPE_DESKTOP_WINDOW (tacit_desktop_window_get_type ())
G_DECLARE_FINAL_TYPE (TacitDesktopWindow, tacit_desktop_window, TACIT, DESKTOP_WINDOW, AdwApplicationWindow)

/* app may be NULL (tests). */
TacitDesktopWindow  *tacit_desktop_window_new        (GtkApplication     *app,
                                                      TacitStore         *store);
/* A line under the sign-in form (the demo badges). */
void                 tacit_desktop_window_set_hint   (TacitDesktopWindow *self,
                                                      const char         *hint);
/* The signed-in engineer, NULL before sign-in. */
const TacitOperator *tacit_desktop_window_get_actor  (TacitDesktopWindow *self);
/* "signin", or the visible page: "library", "review", "backtest", "sources". */
const char          *tacit_desktop_window_get_page   (TacitDesktopWindow *self);
/* The rows the library view shows (TacitRuleItem), after its filters. */
GListModel          *tacit_desktop_window_get_rules  (TacitDesktopWindow *self);
/* NULL before sign-in. */
TacitRuleEditor     *tacit_desktop_window_get_editor (TacitDesktopWindow *self);
/* Opens rule_id in the editor (as activating its row does). */
gboolean             tacit_desktop_window_open_rule  (TacitDesktopWindow *self,
                                                      const char         *rule_id);
/* Re-reads the library view from the store. */
void                 tacit_desktop_window_reload     (TacitDesktopWindow *self);

G_END_DECLS
