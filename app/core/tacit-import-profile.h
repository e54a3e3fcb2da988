/* tacit-import-profile.h: import profiles (how a plant's own table maps to
 * machine events), SHDR adapter logs, and the report every such import
 * gives (docs/import-profiles.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tacit-event-reader.h"

G_BEGIN_DECLS

#define TACIT_IMPORT_PROFILE_NAMESPACE "urn:tacit:import-profile:1"
/* Profiles and probe documents larger than this are refused. */
#define TACIT_IMPORT_PROFILE_MAX_BYTES (1024 * 1024)
#define TACIT_MTCONNECT_PROBE_MAX_BYTES (32 * 1024 * 1024)

#define TACIT_TYPE_IMPORT_PROFILE (tacit_import_profile_get_type ())
G_DECLARE_FINAL_TYPE (TacitImportProfile, tacit_import_profile, TACIT, IMPORT_PROFILE, GObject)

/* Parsed with the same hardening as rule libraries (no network, no DTD,
 * no entities, bounded size and depth), validated against
 * data/tacit-import-profile-1.rng, then checked for what a grammar cannot
 * say (a known time zone, a one-character delimiter…). Errors read
 * "FILE:LINE: problem" in TACIT_INPUT_ERROR. */
TacitImportProfile *tacit_import_profile_load_file (const char  *path,
                                                    GError     **error);
TacitImportProfile *tacit_import_profile_load_data (const char  *data,
                                                    gsize        len,
                                                    const char  *display_name,
                                                    GError     **error);
const char         *tacit_import_profile_get_name  (TacitImportProfile *self);

/* ---- SHDR (MTConnect adapter) logs ---- */

/* Which data items an MTConnectDevices document (an agent's probe)
 * declares, and their category. */
typedef struct _TacitMtconnectProbe TacitMtconnectProbe;

TacitMtconnectProbe *tacit_mtconnect_probe_load_file (const char          *path,
                                                      GError             **error);
void                 tacit_mtconnect_probe_free      (TacitMtconnectProbe *probe);
/* TRUE when the probe has a Device of that name. */
gboolean             tacit_mtconnect_probe_has_device (TacitMtconnectProbe *probe,
                                                       const char          *device);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TacitMtconnectProbe, tacit_mtconnect_probe_free)

/* Events of device (the machine) from an SHDR log. probe may be NULL: keys
 * are then told apart by their shape. The reader keeps what it needs of
 * the probe: it may be freed before the reader. */
TacitEventReader    *tacit_event_reader_new_shdr      (const char          *path,
                                                       const char          *device,
                                                       TacitMtconnectProbe *probe,
                                                       GError             **error);

/* ---- what an import read ---- */

#define TACIT_IMPORT_SKIP_LINES 5

typedef struct {
  char    *reason;
  guint64  count;
  guint64  lines[TACIT_IMPORT_SKIP_LINES];   /* the first few */
  guint    n_lines;
} TacitImportSkip;

typedef struct {
  guint64     rows;           /* data rows (SHDR: lines) read */
  guint64     events;
  guint64     rows_skipped;
  GPtrArray  *skipped;        /* TacitImportSkip*, by first occurrence */
  TacitTime   first_time;     /* TACIT_TIME_MAX when no events */
  TacitTime   last_time;      /* TACIT_TIME_MIN when no events */
  guint64     out_of_order;   /* events earlier than the one before them */
  TacitTime   previous_time;  /* of the last event: for out_of_order */
  GHashTable *machines;       /* names, a set */
  GHashTable *items;          /* names, a set */
} TacitImportReport;

/* The report of a profile or SHDR reader (NULL for others); complete once
 * the reader has reached its end. */
const TacitImportReport *tacit_event_reader_get_import_report (TacitEventReader        *reader);
/* A few lines for a person, each starting with display_name. */
char                    *tacit_import_report_format           (const TacitImportReport *report,
                                                               const char              *display_name);

G_END_DECLS
