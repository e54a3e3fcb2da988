/* tacit-test-utils.h: helpers shared by the test programs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tacit-access.h"

G_BEGIN_DECLS

/* Path of a fixture under tests/data (G_TEST_SRCDIR). */
char     *tacit_test_data_path     (const char *name);
/* Path under the shared real machine data (TACIT_SHARED_DATA), or NULL
 * (and the test is skipped) when it is not there. */
char     *tacit_test_shared_path   (const char *name);
/* A fresh temporary directory, removed at exit. */
char     *tacit_test_tmpdir        (void);
/* Writes contents to a new file in a temporary directory; returns its path. */
char     *tacit_test_write_file    (const char *basename,
                                    const char *contents,
                                    gssize      len);

/* A signed-in person as the kiosk and desktop hold one: "eng-4" is
 * tacit_test_person (TACIT_ROLE_ENGINEER, "4"). Free with
 * tacit_operator_free. */
TacitOperator *tacit_test_person (TacitRole   role,
                                  const char *badge);
/* The same, by actor id, kept for the whole test run: "eng-4", "op-117";
 * any other id is the local administrator of that name. */
const TacitOperator *tacit_test_actor (const char *actor_id);

G_END_DECLS
