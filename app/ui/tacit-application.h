/* tacit-application.h: the tacit GUI application (dev.tacit.Tacit).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TACIT_TYPE_APPLICATION (tacit_application_get_type ())
G_DECLARE_FINAL_TYPE (TacitApplication, tacit_application, TACIT, APPLICATION, AdwApplication)

TacitApplication *tacit_application_new (void);

/* Settings of dev.tacit.Tacit, or NULL when its schema is not installed
 * (running uninstalled without GSETTINGS_SCHEMA_DIR): defaults apply. */
GSettings        *tacit_application_dup_settings (void);

/* The kiosk window's properties and the settings: language (both ways),
 * budget and suggestion timeout (from settings), station (to settings). */
void              tacit_application_bind_kiosk   (GSettings *settings,
                                                  GtkWidget *window);

/* The kiosk style sheet, once per display. */
void              tacit_application_load_style   (void);

G_END_DECLS
