/* tacit-store.h: the SQLite store (one file per kiosk or plant hub).
 *
 * Schema migrations by PRAGMA user_version, WAL, foreign keys, prepared
 * statements only. Events are immutable once stored. Every import is one
 * transaction: nothing half-lands.
 *
 * A TacitStore is one connection; use it from one thread at a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tacit-access.h"
#include "tacit-event-reader.h"
#include "tacit-library.h"
#include "tacit-suggestion.h"

G_BEGIN_DECLS

#define TACIT_STORE_SCHEMA_VERSION 5

typedef enum {
  TACIT_RESPONSE_ACCEPTED,
  TACIT_RESPONSE_DISMISSED,
  TACIT_RESPONSE_EXPIRED,
} TacitResponseKind;

/* Called now and then during long work; return FALSE to cancel. */
typedef gboolean (*TacitProgressFunc) (guint64  done,
                                       guint64  total,
                                       gpointer user_data);

typedef struct {
  guint64   files;
  guint64   events;
  guint64   machines_added;
  TacitTime first_time;   /* TACIT_TIME_MAX when no events */
  TacitTime last_time;    /* TACIT_TIME_MIN when no events */
} TacitImportStats;

#define TACIT_TYPE_STORE (tacit_store_get_type ())
G_DECLARE_FINAL_TYPE (TacitStore, tacit_store, TACIT, STORE, GObject)

/* $XDG_DATA_HOME/tacit/tacit.db */
char         *tacit_store_default_path      (void);

/* Opens (creating the file and its directory when missing) and migrates to
 * TACIT_STORE_SCHEMA_VERSION. Refuses a database from a newer version
 * (TACIT_STORE_ERROR_VERSION) and a file that is not a Tacit database. */
TacitStore   *tacit_store_open              (const char       *path,
                                             GError          **error);
const char   *tacit_store_get_path          (TacitStore       *self);

/* ---- machines ---- */
gboolean      tacit_store_put_machine       (TacitStore       *self,
                                             const TacitMachine *machine,
                                             GError          **error);
/* TacitMachine* (free with tacit_machine_free), sorted by id. */
GPtrArray    *tacit_store_list_machines     (TacitStore       *self,
                                             GError          **error);
void          tacit_machine_free            (TacitMachine     *machine);

/* ---- events ---- */
/* Reads every reader to its end inside one transaction. Machines seen for
 * the first time are registered. On any error (bad input, I/O, cancel)
 * nothing is stored. progress may be NULL.
 * The readers are read by a worker thread while this thread stores what
 * it has read: don't touch them until this returns. progress runs in the
 * calling thread with done/total in bytes of input (total 0 when a size
 * is unknown); returning FALSE rolls back with G_IO_ERROR_CANCELLED. A
 * reader's error is passed on unchanged. */
gboolean      tacit_store_import_events     (TacitStore        *self,
                                             TacitEventReader **readers,
                                             guint              n_readers,
                                             TacitImportStats  *stats,
                                             TacitProgressFunc  progress,
                                             gpointer           progress_data,
                                             GError           **error);
/* Stores events that arrive live (listen), in one transaction, with no
 * import record (import_id NULL). Strings are copied by SQLite. */
gboolean      tacit_store_insert_events     (TacitStore        *self,
                                             const TacitEvent  *events,
                                             guint              n_events,
                                             TacitImportStats  *stats,
                                             GError           **error);
guint64       tacit_store_count_events      (TacitStore       *self,
                                             GError          **error);

/* Iterates stored events ordered by time, then import order, with
 * from <= time < to (TACIT_TIME_MIN / TACIT_TIME_MAX for open ends). */
typedef struct _TacitEventCursor TacitEventCursor;
TacitEventCursor *tacit_store_query_events  (TacitStore       *self,
                                             TacitTime         from,
                                             TacitTime         to,
                                             GError          **error);
/* Like tacit_event_reader_next: strings valid until the next call. */
gboolean      tacit_event_cursor_next       (TacitEventCursor *cursor,
                                             TacitEvent       *event,
                                             GError          **error);
void          tacit_event_cursor_free       (TacitEventCursor *cursor);

/* ---- rules ---- */
/* Stores the library in one transaction: its name and revision, its
 * machines, and every rule. A rule whose content differs from the stored
 * current revision becomes a new revision (stored revision + 1, or the
 * file's revision when higher); an identical one is left alone. Every
 * change is written to the audit log with actor. Needs
 * TACIT_PERMISSION_IMPORT. */
gboolean      tacit_store_import_library    (TacitStore       *self,
                                             TacitLibrary     *library,
                                             const TacitOperator *actor,
                                             GError          **error);
/* The current revision of every rule, with the machines registry. */
TacitLibrary *tacit_store_load_library      (TacitStore       *self,
                                             GError          **error);
/* Saves rule as a new revision (base_revision must be the current one,
 * else TACIT_STORE_ERROR_CONFLICT); sets rule->revision. Audited.
 * An operator may only propose: save a new rule, or one not yet decided,
 * as draft or proposed; approving, retiring and editing decided rules
 * take an engineer (TACIT_STORE_ERROR_PERMISSION, audited). */
gboolean      tacit_store_save_rule         (TacitStore       *self,
                                             TacitRule        *rule,
                                             guint             base_revision,
                                             const TacitOperator *actor,
                                             GError          **error);
/* Every stored revision of a rule (TacitRule*), oldest first; empty when
 * the rule is unknown. */
GPtrArray    *tacit_store_list_rule_revisions (TacitStore     *self,
                                             const char       *rule_id,
                                             GError          **error);

/* ---- suggestions ---- */
/* Inserts the suggestions in one transaction; one already stored (same id)
 * is not duplicated, only its outcome is updated once known. */
gboolean      tacit_store_record_suggestions (TacitStore      *self,
                                             TacitSuggestion **suggestions,
                                             guint             n_suggestions,
                                             GError          **error);
guint64       tacit_store_count_suggestions (TacitStore       *self,
                                             GError          **error);
gboolean      tacit_store_record_response   (TacitStore       *self,
                                             const char       *suggestion_id,
                                             TacitResponseKind response,
                                             const char       *reason,
                                             const char       *actor,
                                             TacitTime         responded_at,
                                             GError          **error);

/* ---- audit ---- */
/* tacit_access_check(), and a refusal goes into the audit log. Modules
 * with privileged changes call it before their transaction. */
gboolean      tacit_store_check_access      (TacitStore          *self,
                                             const TacitOperator *actor,
                                             TacitPermission      permission,
                                             const char          *subject,
                                             GError             **error);
/* Appends an entry; the audit table refuses UPDATE and DELETE. */
gboolean      tacit_store_audit             (TacitStore       *self,
                                             const char       *actor,
                                             const char       *action,
                                             const char       *subject,
                                             const char       *detail,
                                             GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TacitEventCursor, tacit_event_cursor_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TacitMachine, tacit_machine_free)

G_END_DECLS
