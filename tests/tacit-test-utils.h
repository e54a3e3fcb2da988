/* tacit-test-utils.h: helpers shared by the test programs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

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

G_END_DECLS
