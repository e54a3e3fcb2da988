/* tacit-library-import.h: library files in and out of the desktop.
 *
 * Import: choose a file → it is validated and compared with the store
 * (tacit_library_diff) in a worker thread → the preview lists what would
 * be added, changed, retired, skipped as stale, and what conflicts →
 * Import writes it (again in a worker, with its own store connection),
 * all or nothing; a file with conflicts cannot be imported. Export: the
 * current library as canonical XML, written atomically in a worker.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tacit-store.h"

G_BEGIN_DECLS

#define TACIT_TYPE_LIBRARY_IMPORT (tacit_library_import_get_type ())
G_DECLARE_FINAL_TYPE (TacitLibraryImport, tacit_library_import, TACIT, LIBRARY_IMPORT, AdwWindow)

/* store is only used for its path: workers open their own connection. */
GtkWindow  *tacit_library_import_new        (TacitStore          *store,
                                             const TacitOperator *actor,
                                             GtkWindow           *parent);
GtkWindow  *tacit_library_export_new        (TacitStore          *store,
                                             const TacitOperator *actor,
                                             GtkWindow           *parent);
/* Import: previews path (as choosing it and pressing Preview does).
 * Export: writes the library to path. */
void        tacit_library_import_run_path   (TacitLibraryImport  *self,
                                             const char          *path);
/* "choose", "working", "preview", "done" or "error". */
const char *tacit_library_import_get_stage  (TacitLibraryImport  *self);
/* The summary line shown ("3 added, 1 changed …" or the error). */
const char *tacit_library_import_get_message (TacitLibraryImport *self);
/* Preview: how many rules of that change kind (TacitChangeKind). */
guint       tacit_library_import_count      (TacitLibraryImport  *self,
                                             guint                change_kind);

G_END_DECLS
