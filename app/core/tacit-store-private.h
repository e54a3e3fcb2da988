/* tacit-store-private.h: for core modules that keep their own tables in
 * the store (dataset export, kiosk, live sources). Not for the UI or CLI.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "tacit-store.h"

G_BEGIN_DECLS

/* The connection. Use prepared statements only; one thread at a time. */
sqlite3 *_tacit_store_get_db (TacitStore *self);

G_END_DECLS
