/* tacit-demo.c: the demo plant a fresh kiosk opens on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-demo.h"

#include "tacit-library-xml.h"
#include "tacit-operators.h"

typedef struct {
  const char *badge;
  const char *name;
  TacitRole   role;
  const char *pin;
} DemoOperator;

/* The authors of the demo library (op-117 …, eng-4 …) with their badges. */
static const DemoOperator demo_operators[] = {
  { "117", "Ana R.", TACIT_ROLE_OPERATOR, "1234" },
  { "204", "Luis M.", TACIT_ROLE_OPERATOR, "2040" },
  { "311", "Marta S.", TACIT_ROLE_OPERATOR, "3110" },
  { "522", "Jonas B.", TACIT_ROLE_OPERATOR, "5220" },
  { "4", "Eng. Kim", TACIT_ROLE_ENGINEER, "4321" },
  { "9", "Eng. Patel", TACIT_ROLE_ENGINEER, "9090" },
};

char *
tacit_demo_find_file (const char *name)
{
  g_autofree char *installed = g_build_filename (TACIT_PKGDATADIR, "demo", name, NULL);

  if (g_file_test (installed, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&installed);
  return g_build_filename (TACIT_SOURCE_DATADIR, "demo", name, NULL);
}

static gboolean
seed_library (TacitStore *store,
              GError    **error)
{
  g_autoptr(TacitLibrary) stored = tacit_store_load_library (store, error);
  g_autoptr(TacitLibrary) demo = NULL;
  g_autofree char *path = NULL;

  if (stored == NULL)
    return FALSE;
  if (tacit_library_get_rules (stored)->len > 0)
    return TRUE;
  path = tacit_demo_find_file ("stamping-line.xml");
  if ((demo = tacit_library_load_file (path, error)) == NULL)
    return FALSE;
  g_autoptr(TacitOperator) seeder = tacit_operator_new_local ("tacit-demo");

  return tacit_store_import_library (store, demo, seeder, error);
}

static gboolean
seed_operators (TacitStore *store,
                GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TacitOperator) seeder = tacit_operator_new_local ("tacit-demo");

  if (tacit_operators_count (store, &local_error) > 0)
    return TRUE;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (demo_operators); i++)
    {
      const DemoOperator *op = &demo_operators[i];

      if (!tacit_operators_put (store, op->badge, op->name, op->role, op->pin,
                                seeder, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
tacit_demo_seed (TacitStore *store,
                 GError    **error)
{
  g_return_val_if_fail (TACIT_IS_STORE (store), FALSE);

  return seed_library (store, error) && seed_operators (store, error);
}
