/* tacit-pin-check.c: one badge-and-PIN check for the kiosk and the desktop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-pin-check.h"

#include <glib/gi18n.h>
#include <string.h>

typedef struct {
  TacitStore    *store;
  TacitOperator *op;      /* NULL: unknown badge */
  char          *hash;
  char          *pin;
  char          *station;
} Check;

static void
check_free (Check *check)
{
  g_clear_object (&check->store);
  g_clear_pointer (&check->op, tacit_operator_free);
  g_free (check->hash);
  if (check->pin != NULL)
    memset (check->pin, 0, strlen (check->pin));
  g_free (check->pin);
  g_free (check->station);
  g_free (check);
}

static void
verify_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Check *check = task_data;

  g_task_return_boolean (task, check->hash != NULL && tacit_pin_verify (check->hash, check->pin));
}

void
tacit_pin_check_async (TacitStore          *store,
                       const char          *badge,
                       const char          *pin,
                       const char          *station,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  GError *error = NULL;
  Check *check = g_new0 (Check, 1);

  g_task_set_source_tag (task, tacit_pin_check_async);
  check->store = g_object_ref (store);
  check->op = tacit_operators_lookup (store, badge, &check->hash, NULL);
  check->pin = g_strdup (pin);
  check->station = g_strdup (station);
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);
  if (check->op != NULL && !tacit_operator_check_lock (check->op, g_get_real_time (), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_run_in_thread (task, verify_thread);
}

TacitOperator *
tacit_pin_check_finish (GAsyncResult  *result,
                        GError       **error)
{
  Check *check = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TacitOperator) now = NULL;
  gboolean ok;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  ok = g_task_propagate_boolean (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      /* Locked before the check, or cancelled: no attempt was made. */
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (check->op != NULL &&
      !tacit_operators_note_attempt (check->store, check->op->badge, check->station, ok,
                                     g_get_real_time (), &local_error))
    g_warning ("%s", local_error->message);
  if (ok)
    return g_steal_pointer (&check->op);
  /* This wrong PIN may be the one that locks the badge: say so. */
  g_clear_error (&local_error);
  if (check->op != NULL)
    now = tacit_operators_lookup (check->store, check->op->badge, NULL, NULL);
  if (now != NULL && !tacit_operator_check_lock (now, g_get_real_time (), error))
    return NULL;
  g_set_error_literal (error, TACIT_OPERATOR_ERROR, TACIT_OPERATOR_ERROR_WRONG_PIN,
                       _("Badge or PIN not recognised. Try again."));
  return NULL;
}
