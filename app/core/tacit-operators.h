/* tacit-operators.h: kiosk operators, their PINs and sign-in.
 *
 * PINs are kept only as libsodium crypto_pwhash_str() strings (Argon2id,
 * salted, interactive limits); the store refuses anything else. After
 * TACIT_OPERATORS_MAX_FAILURES wrong PINs in a row a badge is locked for
 * TACIT_OPERATORS_LOCKOUT, even with the right PIN.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tacit-store.h"

G_BEGIN_DECLS

#define TACIT_OPERATORS_MAX_FAILURES 5
#define TACIT_OPERATORS_LOCKOUT      (G_GINT64_CONSTANT (5) * 60 * G_USEC_PER_SEC)
#define TACIT_PIN_MIN_DIGITS         4
#define TACIT_PIN_MAX_DIGITS         8

#define TACIT_OPERATOR_ERROR (tacit_operator_error_quark ())
typedef enum {
  TACIT_OPERATOR_ERROR_UNKNOWN = 1,   /* no such badge */
  TACIT_OPERATOR_ERROR_WRONG_PIN,
  TACIT_OPERATOR_ERROR_LOCKED,
  TACIT_OPERATOR_ERROR_BAD_PIN,       /* not 4–8 digits */
  TACIT_OPERATOR_ERROR_BAD_BADGE,
  TACIT_OPERATOR_ERROR_CRYPTO,        /* libsodium failed (out of memory) */
} TacitOperatorError;

GQuark         tacit_operator_error_quark   (void);


/* A crypto_pwhash_str() string for pin (4–8 digits). Slow on purpose
 * (about 0.1 s): call it off the main loop. */
char          *tacit_pin_hash               (const char     *pin,
                                             GError        **error);
/* Constant-time check of pin against a hash from tacit_pin_hash(). Slow
 * on purpose, like tacit_pin_hash(). */
gboolean       tacit_pin_verify             (const char     *hash,
                                             const char     *pin);

/* Adds an operator or replaces one with the same badge (new PIN, failures
 * cleared). Needs TACIT_PERMISSION_MANAGE_OPERATORS; audited. */
gboolean       tacit_operators_put          (TacitStore     *store,
                                             const char     *badge,
                                             const char     *name,
                                             TacitRole       role,
                                             const char     *pin,
                                             const TacitOperator *actor,
                                             GError        **error);
guint          tacit_operators_count        (TacitStore     *store,
                                             GError        **error);
/* Every operator (TacitOperator*, no PIN hashes), by badge. */
GPtrArray     *tacit_operators_list         (TacitStore     *store,
                                             GError        **error);

/* The operator and the PIN hash (for tacit_pin_verify() in a worker).
 * TACIT_OPERATOR_ERROR_UNKNOWN when there is no such badge. */
TacitOperator *tacit_operators_lookup       (TacitStore     *store,
                                             const char     *badge,
                                             char          **pin_hash,
                                             GError        **error);
/* Records one sign-in attempt and updates the failure count and lock.
 * now is the wall clock (g_get_real_time()). Audited (operator.sign-in,
 * with the outcome), so that the audit log holds every sign-in. */
gboolean       tacit_operators_note_attempt (TacitStore     *store,
                                             const char     *badge,
                                             const char     *station,
                                             gboolean        ok,
                                             gint64          now,
                                             GError        **error);
/* FALSE with TACIT_OPERATOR_ERROR_LOCKED when op is locked at now. */
gboolean       tacit_operator_check_lock    (const TacitOperator *op,
                                             gint64          now,
                                             GError        **error);

/* lookup + lock check + verify + note_attempt, in this thread (slow: see
 * tacit_pin_hash()). Returns the operator, or NULL with UNKNOWN,
 * WRONG_PIN or LOCKED. */
TacitOperator *tacit_operators_sign_in      (TacitStore     *store,
                                             const char     *badge,
                                             const char     *pin,
                                             const char     *station,
                                             gint64          now,
                                             GError        **error);


G_END_DECLS
