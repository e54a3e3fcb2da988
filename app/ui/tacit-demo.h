/* tacit-demo.h: the demo plant a fresh kiosk opens on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tacit-store.h"

G_BEGIN_DECLS

/* data/demo/NAME, installed or (uninstalled) in the source tree. */
char     *tacit_demo_find_file (const char  *name);

/* Fills an empty store with the demo library (data/demo/stamping-line.xml)
 * and demo operators (badge 117 “Ana R.” PIN 1234, badge 4 “Eng. Kim” PIN
 * 4321 …). A store that has rules or operators is left alone. */
gboolean  tacit_demo_seed      (TacitStore  *store,
                                GError     **error);

G_END_DECLS
