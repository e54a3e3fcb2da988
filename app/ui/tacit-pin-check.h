/* tacit-pin-check.h: one badge-and-PIN check for the kiosk and the desktop.
 *
 * The badge is looked up and its lock checked at once; the PIN is verified
 * (Argon2id, slow on purpose) in a worker thread; the attempt is recorded
 * in the store when the result is taken. Unknown badges and wrong PINs get
 * the same words, so that the screen does not tell which badges exist.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tacit-operators.h"

G_BEGIN_DECLS

void           tacit_pin_check_async  (TacitStore          *store,
                                       const char          *badge,
                                       const char          *pin,
                                       const char          *station,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
/* The signed-in person, or NULL with G_IO_ERROR_CANCELLED,
 * TACIT_OPERATOR_ERROR_LOCKED (its message says for how long), or
 * TACIT_OPERATOR_ERROR_WRONG_PIN for an unknown badge or a wrong PIN. */
TacitOperator *tacit_pin_check_finish (GAsyncResult        *result,
                                       GError             **error);

G_END_DECLS
