/* tacit-access.h: who may do what, decided in the core.
 *
 * Every change to the store names its actor: an operator signed in on a
 * kiosk, an engineer signed in on a desktop, or the local administrator
 * (tacit-cli, the demo seeding: whoever can write the database file holds
 * every right the file grants anyway). The kiosk and desktop only ever hold
 * actors that tacit_operators_sign_in() returned, so hiding a button is
 * never the only thing that stands between an operator and an engineer's
 * job: the store functions themselves refuse with
 * TACIT_STORE_ERROR_PERMISSION, and the refusal is audited.
 *
 *   operator  propose rules (status proposed), respond, shelve, hold
 *   engineer  all of the above, and edit, approve, send back, reject,
 *             retire, merge, import, export, manage operators, leave or
 *             re-station a kiosk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TACIT_ROLE_OPERATOR,
  TACIT_ROLE_ENGINEER,
} TacitRole;

/* A person known to the store (or the local administrator). */
typedef struct {
  char      *badge;
  char      *name;
  TacitRole  role;
  guint      failed;         /* wrong PINs in a row */
  gint64     locked_until;   /* wall clock, 0 when not locked */
} TacitOperator;

typedef enum {
  TACIT_PERMISSION_PROPOSE,          /* save a rule as proposed */
  TACIT_PERMISSION_RESPOND,          /* accept, dismiss, shelve, hold */
  TACIT_PERMISSION_EDIT_RULE,        /* save a rule in any other status */
  TACIT_PERMISSION_REVIEW,           /* approve, send back, reject, merge */
  TACIT_PERMISSION_RETIRE,
  TACIT_PERMISSION_DELETE,
  TACIT_PERMISSION_IMPORT,           /* events, libraries */
  TACIT_PERMISSION_EXPORT,           /* libraries, datasets */
  TACIT_PERMISSION_MANAGE_OPERATORS,
  TACIT_PERMISSION_LEAVE_KIOSK,      /* leave fullscreen, change station, open the desktop */
} TacitPermission;

const char    *tacit_role_to_string         (TacitRole            role);
gboolean       tacit_role_from_string       (const char          *text,
                                             TacitRole           *out);
const char    *tacit_permission_to_string   (TacitPermission      permission);

/* Whether role grants permission. */
gboolean       tacit_role_allows            (TacitRole            role,
                                             TacitPermission      permission);

/* TRUE when actor may; else FALSE with TACIT_STORE_ERROR_PERMISSION
 * naming the actor and what was refused. A NULL actor may do nothing. */
gboolean       tacit_access_check           (const TacitOperator *actor,
                                             TacitPermission      permission,
                                             GError             **error);

/* The local administrator: role engineer, badge "local:<OS user>" (or
 * "local:<name>" when name is given, e.g. "tacit-demo"). */
TacitOperator *tacit_operator_new_local     (const char          *name);

/* The actor as written into audit rows, responses and rule credit:
 * "op-117" for operator badge 117, "eng-4" for engineer badge 4, the
 * badge itself for the local administrator ("local:…"); NULL for NULL. */
char          *tacit_operator_dup_actor_id  (const TacitOperator *actor);

TacitOperator *tacit_operator_copy          (const TacitOperator *op);
void           tacit_operator_free          (TacitOperator       *op);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TacitOperator, tacit_operator_free)

G_END_DECLS
