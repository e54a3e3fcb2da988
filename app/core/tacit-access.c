/* tacit-access.c: roles and permissions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "tacit-access.h"

#include "tacit-error.h"

const char *
tacit_role_to_string (TacitRole role)
{
  return role == TACIT_ROLE_ENGINEER ? "engineer" : "operator";
}

gboolean
tacit_role_from_string (const char *text,
                        TacitRole  *out)
{
  if (g_strcmp0 (text, "operator") == 0)
    *out = TACIT_ROLE_OPERATOR;
  else if (g_strcmp0 (text, "engineer") == 0)
    *out = TACIT_ROLE_ENGINEER;
  else
    return FALSE;
  return TRUE;
}

const char *
tacit_permission_to_string (TacitPermission permission)
{
  switch (permission)
    {
    case TACIT_PERMISSION_PROPOSE:          return "propose rules";
    case TACIT_PERMISSION_RESPOND:          return "respond to suggestions";
    case TACIT_PERMISSION_EDIT_RULE:        return "edit rules";
    case TACIT_PERMISSION_REVIEW:           return "review rules";
    case TACIT_PERMISSION_RETIRE:           return "retire rules";
    case TACIT_PERMISSION_DELETE:           return "delete";
    case TACIT_PERMISSION_IMPORT:           return "import";
    case TACIT_PERMISSION_EXPORT:           return "export";
    case TACIT_PERMISSION_MANAGE_OPERATORS: return "manage operators";
    case TACIT_PERMISSION_LEAVE_KIOSK:      return "leave the kiosk";
    default:                                return "do this";
    }
}

gboolean
tacit_role_allows (TacitRole       role,
                   TacitPermission permission)
{
  if (role == TACIT_ROLE_ENGINEER)
    return TRUE;
  return permission == TACIT_PERMISSION_PROPOSE || permission == TACIT_PERMISSION_RESPOND;
}

gboolean
tacit_access_check (const TacitOperator *actor,
                    TacitPermission      permission,
                    GError             **error)
{
  if (actor == NULL)
    {
      g_set_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_PERMISSION,
                   "Only a signed-in person may %s", tacit_permission_to_string (permission));
      return FALSE;
    }
  if (tacit_role_allows (actor->role, permission))
    return TRUE;
  g_set_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_PERMISSION,
               "%s (badge %s) is an %s: only an engineer may %s",
               actor->name != NULL ? actor->name : actor->badge, actor->badge,
               tacit_role_to_string (actor->role), tacit_permission_to_string (permission));
  return FALSE;
}

TacitOperator *
tacit_operator_new_local (const char *name)
{
  TacitOperator *op = g_new0 (TacitOperator, 1);
  const char *who = name != NULL ? name : g_get_user_name ();

  op->badge = g_strconcat ("local:", who, NULL);
  op->name = g_strdup (who);
  op->role = TACIT_ROLE_ENGINEER;
  return op;
}

char *
tacit_operator_dup_actor_id (const TacitOperator *actor)
{
  if (actor == NULL)
    return NULL;
  if (g_str_has_prefix (actor->badge, "local:"))
    return g_strdup (actor->badge);
  return g_strdup_printf ("%s-%s", actor->role == TACIT_ROLE_ENGINEER ? "eng" : "op", actor->badge);
}

TacitOperator *
tacit_operator_copy (const TacitOperator *op)
{
  TacitOperator *copy = g_new0 (TacitOperator, 1);

  *copy = *op;
  copy->badge = g_strdup (op->badge);
  copy->name = g_strdup (op->name);
  return copy;
}

void
tacit_operator_free (TacitOperator *op)
{
  if (op == NULL)
    return;
  g_free (op->badge);
  g_free (op->name);
  g_free (op);
}
