/* tacit-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-error.h"

G_DEFINE_QUARK (tacit-input-error-quark, tacit_input_error)
G_DEFINE_QUARK (tacit-store-error-quark, tacit_store_error)
