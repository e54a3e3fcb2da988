/* tacit-ui-test-utils.h: shared pieces of the widget tests under Xvfb.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Runs the main loop for ms milliseconds. */
void       tacit_ui_test_spin        (guint        ms);
/* Runs the main loop until condition (data) holds; fails the test after
 * 10 s, naming what. */
void       tacit_ui_test_wait_for    (gboolean   (*condition) (gpointer data),
                                      gpointer     data,
                                      const char  *what);
/* A PNG of widget as drawn, into the build directory's screenshots/. */
void       tacit_ui_test_screenshot  (GtkWidget   *widget,
                                      const char  *name);
/* The first descendant of root (depth first) of type, whose label or
 * title (when label is not NULL) is label. */
GtkWidget *tacit_ui_test_find        (GtkWidget   *root,
                                      GType        type,
                                      const char  *label);

G_END_DECLS
