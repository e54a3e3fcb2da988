/* tacit-error.h: error domains of the core, one per module.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bad input data: events, rule libraries. Messages always read
 * "FILE:LINE: problem" so that the CLI can print them as they are. */
#define TACIT_INPUT_ERROR (tacit_input_error_quark ())
typedef enum {
  TACIT_INPUT_ERROR_SYNTAX = 1,    /* malformed CSV / JSON / XML */
  TACIT_INPUT_ERROR_ENCODING,      /* invalid UTF-8, NUL bytes */
  TACIT_INPUT_ERROR_INVALID,       /* well-formed but wrong: bad time, unknown kind, schema */
  TACIT_INPUT_ERROR_UNKNOWN_COLUMN,
  TACIT_INPUT_ERROR_FORBIDDEN,     /* DOCTYPE, entities */
  TACIT_INPUT_ERROR_TOO_LARGE,     /* size or depth limits */
  TACIT_INPUT_ERROR_UNSORTED,      /* internal: a stream went back in time */
} TacitInputError;

/* The SQLite store. */
#define TACIT_STORE_ERROR (tacit_store_error_quark ())
typedef enum {
  TACIT_STORE_ERROR_OPEN = 1,
  TACIT_STORE_ERROR_SQL,
  TACIT_STORE_ERROR_BUSY,
  TACIT_STORE_ERROR_READONLY,
  TACIT_STORE_ERROR_CORRUPT,
  TACIT_STORE_ERROR_FULL,
  TACIT_STORE_ERROR_VERSION,       /* database from a newer Tacit */
  TACIT_STORE_ERROR_NOT_FOUND,
  TACIT_STORE_ERROR_CONFLICT,      /* edit based on an old revision */
  TACIT_STORE_ERROR_PERMISSION,    /* role does not allow it */
} TacitStoreError;

GQuark tacit_input_error_quark (void);
GQuark tacit_store_error_quark (void);

G_END_DECLS
