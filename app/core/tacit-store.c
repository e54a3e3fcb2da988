/* tacit-store.c: the SQLite store (one file per kiosk or plant hub).
 *
 * Schema (version 1; PRAGMA user_version is the schema version and
 * PRAGMA application_id is TACIT_APPLICATION_ID, "Tact"). Times are
 * microseconds since the Unix epoch (UTC). "Wall clock" columns record when
 * something happened on this computer; every other time is event time.
 *
 *   machines     num INTEGER PRIMARY KEY (the key events refer to), id TEXT
 *                UNIQUE (the machine id), name, class, cell. Registered by
 *                the library and by the first event of an unknown machine.
 *   counters     name → value; 'events' is the last event id handed out.
 *   imports      id INTEGER PRIMARY KEY, started / finished (wall clock),
 *                actor (OS user), files (JSON array of display names),
 *                events, machines_added, first_time, last_time.
 *   events       PRIMARY KEY (time, id), WITHOUT ROWID: the table itself is
 *                stored in replay order, so ordered replay and time ranges
 *                are plain range scans and no separate time index has to be
 *                maintained on import. id is the import order (1, 2, 3 …,
 *                from counters; dense, since a rolled-back import hands its
 *                ids back). received (wall clock at import), machine →
 *                machines (num), kind (0 sample, 1 event, 2 condition), item,
 *                value, code, text, import_id → imports (NULL for events
 *                stored live). Immutable: triggers refuse UPDATE and DELETE.
 *                events_machine_time (machine, time, and the key's id)
 *                serves per-machine queries. The view event_rows shows
 *                events with machine ids and kind names (for sqlite3 users).
 *                Why this shape: a rowid table with a (time) index and a
 *                TEXT machine column imported about half as fast (measured:
 *                every secondary index costs as much as the table insert).
 *   library      one row (id = 1): name, revision, updated (wall clock).
 *   rules        (id, revision) PRIMARY KEY, status, kind, title, xml (the
 *                canonical form of tacit_rule_to_xml, whose revision
 *                attribute equals the revision column), saved_at (wall
 *                clock), saved_by. Every revision is kept.
 *   rule_heads   view: the current (highest) revision of every rule.
 *   suggestions  id TEXT PRIMARY KEY (tacit_suggestion_compute_id), time,
 *                machine, rule_id, revision, kind, severity, mode, propensity,
 *                text (the rule's first text), actions (JSON array of
 *                {"parameter", "change"}), trigger_time, trigger_kind,
 *                trigger_item, trigger_value, trigger_code, trigger_text,
 *                context (JSON object {item: value}, keys sorted byte by
 *                byte), has_outcome, outcome (NULL until the window closed),
 *                outcome_closed, recorded_at (wall clock). Suggestions made
 *                from a library file or an event file are stored too, so
 *                rule_id/revision and machine carry no foreign keys.
 *   responses    id INTEGER PRIMARY KEY, suggestion_id → suggestions,
 *                response ('accepted', 'dismissed', 'expired'), reason,
 *                actor, responded_at, recorded_at (wall clock). A suggestion
 *                may collect several (kiosks syncing late); the latest
 *                responded_at wins.
 *   audit        id INTEGER PRIMARY KEY, at (wall clock), actor, action,
 *                subject, detail. Append-only: triggers refuse UPDATE and
 *                DELETE.
 *
 * Every statement used more than once is prepared once
 * (SQLITE_PREPARE_PERSISTENT) and kept in the object; a cursor prepares its
 * own. Values are always bound: SQL is never built from data.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-store.h"
#include "tacit-store-private.h"
#include "tacit-source-store.h"

#include <errno.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "tacit-error.h"
#include "tacit-json.h"
#include "tacit-library-xml.h"
#include "tacit-rule-index-private.h"

/* "Tact" in ASCII: marks the file as ours (sqlite3 shows it in .dbinfo). */
#define TACIT_APPLICATION_ID 0x54616374

/* 16 KiB pages: an import writes a page per few hundred events instead of
 * per few dozen (bare inserts measured ~30% faster than with 4 KiB pages on
 * a small virtual machine; with the machine index the gain shrinks to the
 * noise), while a small commit's WAL frames stay small. */
#define PAGE_SIZE "16384"

/* How long a writer waits for another connection's write lock. */
#define BUSY_TIMEOUT_MS 5000

/* Import batches call the progress callback every this many events. */
#define PROGRESS_EVERY 16384

/* Page cache during an import (negative values are KiB): enough for the
 * pages an import keeps touching (the ends of the primary key and of each
 * machine's index range); 16 to 128 MiB measured the same. The default is
 * restored afterwards. */
#define IMPORT_CACHE_SIZE "-32768"
#define DEFAULT_CACHE_SIZE "-8192"

typedef sqlite3_stmt TacitStmtFinalize;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TacitStmtFinalize, sqlite3_finalize)

/* A cached statement handed out by get_stmt(): reset (not finalized) when
 * it goes out of scope, so that no statement keeps a read transaction open
 * or points at freed strings. */
typedef sqlite3_stmt TacitStmt;

static void
stmt_release (TacitStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TacitStmt, stmt_release)

/* ---- schema ---- */

static const char schema_v1[] =
  "CREATE TABLE machines ("
  "  num   INTEGER PRIMARY KEY,"
  "  id    TEXT NOT NULL UNIQUE,"
  "  name  TEXT,"
  "  class TEXT,"
  "  cell  TEXT"
  ");"
  "CREATE TABLE counters ("
  "  name  TEXT PRIMARY KEY,"
  "  value INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "INSERT INTO counters (name, value) VALUES ('events', 0);"
  "CREATE TABLE imports ("
  "  id             INTEGER PRIMARY KEY,"
  "  started        INTEGER NOT NULL,"
  "  finished       INTEGER,"
  "  actor          TEXT,"
  "  files          TEXT NOT NULL,"
  "  events         INTEGER NOT NULL DEFAULT 0,"
  "  machines_added INTEGER NOT NULL DEFAULT 0,"
  "  first_time     INTEGER,"
  "  last_time      INTEGER"
  ");"
  "CREATE TABLE events ("
  "  time      INTEGER NOT NULL,"
  "  id        INTEGER NOT NULL,"
  "  received  INTEGER NOT NULL,"
  "  machine   INTEGER NOT NULL REFERENCES machines (num),"
  "  kind      INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 2),"
  "  item      TEXT NOT NULL,"
  "  value     TEXT,"
  "  code      TEXT,"
  "  text      TEXT,"
  "  import_id INTEGER REFERENCES imports (id),"
  "  PRIMARY KEY (time, id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX events_machine_time ON events (machine, time);"
  "CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
  "  BEGIN SELECT RAISE (ABORT, 'events are immutable'); END;"
  "CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
  "  BEGIN SELECT RAISE (ABORT, 'events are immutable'); END;"
  "CREATE VIEW event_rows AS"
  "  SELECT e.id, e.time, e.received, m.id AS machine,"
  "         CASE e.kind WHEN 0 THEN 'sample' WHEN 1 THEN 'event' ELSE 'condition' END AS kind,"
  "         e.item, e.value, e.code, e.text, e.import_id"
  "  FROM events AS e JOIN machines AS m ON m.num = e.machine;"
  "CREATE TABLE library ("
  "  id       INTEGER PRIMARY KEY CHECK (id = 1),"
  "  name     TEXT,"
  "  revision INTEGER NOT NULL,"
  "  updated  INTEGER NOT NULL"
  ");"
  "CREATE TABLE rules ("
  "  id       TEXT NOT NULL,"
  "  revision INTEGER NOT NULL CHECK (revision >= 1),"
  "  status   TEXT NOT NULL,"
  "  kind     TEXT NOT NULL,"
  "  title    TEXT NOT NULL,"
  "  xml      TEXT NOT NULL,"
  "  saved_at INTEGER NOT NULL,"
  "  saved_by TEXT,"
  "  PRIMARY KEY (id, revision)"
  ") WITHOUT ROWID;"
  "CREATE VIEW rule_heads AS"
  "  SELECT r.* FROM rules AS r"
  "  WHERE r.revision = (SELECT max (h.revision) FROM rules AS h WHERE h.id = r.id);"
  "CREATE TABLE suggestions ("
  "  id             TEXT PRIMARY KEY NOT NULL,"
  "  time           INTEGER NOT NULL,"
  "  machine        TEXT NOT NULL,"
  "  rule_id        TEXT NOT NULL,"
  "  revision       INTEGER NOT NULL,"
  "  kind           TEXT NOT NULL,"
  "  severity       TEXT NOT NULL,"
  "  mode           TEXT NOT NULL CHECK (mode IN ('live', 'shadow', 'held-out')),"
  "  propensity     REAL NOT NULL,"
  "  text           TEXT NOT NULL,"
  "  actions        TEXT NOT NULL,"
  "  trigger_time   INTEGER,"
  "  trigger_kind   INTEGER,"
  "  trigger_item   TEXT,"
  "  trigger_value  TEXT,"
  "  trigger_code   TEXT,"
  "  trigger_text   TEXT,"
  "  context        TEXT NOT NULL,"
  "  has_outcome    INTEGER NOT NULL,"
  "  outcome        INTEGER,"
  "  outcome_closed INTEGER NOT NULL DEFAULT 0,"
  "  recorded_at    INTEGER NOT NULL"
  ");"
  "CREATE INDEX suggestions_time ON suggestions (time);"
  "CREATE INDEX suggestions_rule ON suggestions (rule_id, revision);"
  "CREATE TABLE responses ("
  "  id            INTEGER PRIMARY KEY,"
  "  suggestion_id TEXT NOT NULL REFERENCES suggestions (id),"
  "  response      TEXT NOT NULL CHECK (response IN ('accepted', 'dismissed', 'expired')),"
  "  reason        TEXT,"
  "  actor         TEXT,"
  "  responded_at  INTEGER NOT NULL,"
  "  recorded_at   INTEGER NOT NULL"
  ");"
  "CREATE INDEX responses_suggestion ON responses (suggestion_id, responded_at);"
  "CREATE TABLE audit ("
  "  id      INTEGER PRIMARY KEY,"
  "  at      INTEGER NOT NULL,"
  "  actor   TEXT,"
  "  action  TEXT NOT NULL,"
  "  subject TEXT,"
  "  detail  TEXT"
  ");"
  "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
  "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;";

/* Version 2: the kiosk (tacit-operators.c, tacit-kiosk-store.c).
 *   operators        badge, name, role, pin_hash (libsodium
 *                    crypto_pwhash_str: the CHECK refuses anything that is
 *                    not an Argon2 hash string), failed sign-ins in a row,
 *                    locked_until (wall clock).
 *   sign_ins         every attempt: badge, station, at (wall clock), ok.
 *   responses        + latency_ms (shown → answered, wall clock) and station.
 *   held_suggestions live suggestions over a station's budget: kept, never
 *                    dropped; released_at when shown later. */
static const char schema_v2[] =
  "CREATE TABLE operators ("
  "  badge        TEXT PRIMARY KEY NOT NULL,"
  "  name         TEXT NOT NULL,"
  "  role         TEXT NOT NULL CHECK (role IN ('operator', 'engineer')),"
  "  pin_hash     TEXT NOT NULL CHECK (pin_hash LIKE '$argon2%'),"
  "  failed       INTEGER NOT NULL DEFAULT 0,"
  "  locked_until INTEGER NOT NULL DEFAULT 0,"
  "  created      INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE TABLE sign_ins ("
  "  id      INTEGER PRIMARY KEY,"
  "  badge   TEXT NOT NULL,"
  "  station TEXT,"
  "  at      INTEGER NOT NULL,"
  "  ok      INTEGER NOT NULL"
  ");"
  "ALTER TABLE responses ADD COLUMN latency_ms INTEGER;"
  "ALTER TABLE responses ADD COLUMN station TEXT;"
  "CREATE TABLE held_suggestions ("
  "  suggestion_id TEXT PRIMARY KEY NOT NULL REFERENCES suggestions (id),"
  "  station       TEXT NOT NULL,"
  "  held_at       INTEGER NOT NULL,"
  "  released_at   INTEGER"
  ") WITHOUT ROWID;";

/* Version 3: live data (docs/live-data.md). sources: one row per
 * MTConnect agent or MQTT broker/topic (url is the key), its state, and for
 * agents the position read up to (instance_id, next_sequence), written in
 * the same transaction as the events it covers so that a reconnect never
 * stores an observation twice. late_events: events stored live that were
 * older than the last one fed to the engine for their machine (events are
 * immutable, so the flag lives beside them). */
static const char schema_v3[] =
  "CREATE TABLE sources ("
  "  url           TEXT PRIMARY KEY NOT NULL,"
  "  kind          TEXT NOT NULL CHECK (kind IN ('mtconnect', 'mqtt')),"
  "  instance_id   INTEGER,"
  "  next_sequence INTEGER,"
  "  state         TEXT NOT NULL,"
  "  message       TEXT,"
  "  updated       INTEGER NOT NULL"
  ");"
  "CREATE TABLE late_events ("
  "  id        INTEGER PRIMARY KEY,"
  "  time      INTEGER NOT NULL,"
  "  machine   TEXT NOT NULL,"
  "  kind      INTEGER NOT NULL,"
  "  item      TEXT NOT NULL,"
  "  value     TEXT,"
  "  last_time INTEGER NOT NULL,"
  "  received  INTEGER NOT NULL"
  ");";

/* Version 4: the engineer desktop, reviews and shelves.
 *   rule_index  one row per rule, for its current revision: what the
 *               library view lists and filters on (status, kind, severity,
 *               title, author credit, scope, trigger, tags), written in the
 *               same transaction as the revision, so that a library of
 *               100,000 rules lists without parsing any XML. Space-separated
 *               lists; search holds the casefolded text a filter matches.
 *   reviews     every review decision on a rule revision (approved,
 *               sent-back with a comment the author sees on the kiosk,
 *               rejected, retired, merged into another rule); seen_at when
 *               the author saw it.
 *   shelves     a rule shelved at a station (OPC UA A&C shelving): one-shot
 *               (until it fires once more), timed (until expires_at, wall
 *               clock), or for the current lot or tool (item and value:
 *               until that item changes on the machine). cleared_at and
 *               cleared_reason when it ends; engineers see them all.
 *   responses   + library_revision: the library in force when answered.
 *   suggestions + library_revision: the library in force when fired. */
static const char schema_v4[] =
  "CREATE TABLE rule_index ("
  "  id        TEXT PRIMARY KEY NOT NULL,"
  "  revision  INTEGER NOT NULL,"
  "  status    TEXT NOT NULL,"
  "  kind      TEXT NOT NULL,"
  "  severity  TEXT NOT NULL,"
  "  title     TEXT NOT NULL,"
  "  author    TEXT NOT NULL DEFAULT '',"
  "  machines  TEXT NOT NULL DEFAULT '',"
  "  classes   TEXT NOT NULL DEFAULT '',"
  "  cells     TEXT NOT NULL DEFAULT '',"
  "  trigger   TEXT NOT NULL DEFAULT '',"
  "  tags      TEXT NOT NULL DEFAULT '',"
  "  saved_at  INTEGER NOT NULL,"
  "  saved_by  TEXT,"
  "  search    TEXT NOT NULL DEFAULT ''"
  ") WITHOUT ROWID;"
  "CREATE TABLE reviews ("
  "  id       INTEGER PRIMARY KEY,"
  "  rule_id  TEXT NOT NULL,"
  "  revision INTEGER NOT NULL,"
  "  decision TEXT NOT NULL CHECK (decision IN"
  "             ('approved', 'sent-back', 'rejected', 'retired', 'merged')),"
  "  comment  TEXT,"
  "  actor    TEXT NOT NULL,"
  "  at       INTEGER NOT NULL,"
  "  seen_at  INTEGER"
  ");"
  "CREATE INDEX reviews_rule ON reviews (rule_id, at);"
  "CREATE TABLE shelves ("
  "  id             INTEGER PRIMARY KEY,"
  "  rule_id        TEXT NOT NULL,"
  "  station        TEXT NOT NULL,"
  "  machine        TEXT,"
  "  kind           TEXT NOT NULL CHECK (kind IN ('one-shot', 'timed', 'lot', 'tool')),"
  "  item           TEXT,"
  "  value          TEXT,"
  "  comment        TEXT NOT NULL DEFAULT '',"
  "  actor          TEXT NOT NULL,"
  "  shelved_at     INTEGER NOT NULL,"
  "  expires_at     INTEGER,"
  "  cleared_at     INTEGER,"
  "  cleared_reason TEXT"
  ");"
  "CREATE INDEX shelves_open ON shelves (station, rule_id) WHERE cleared_at IS NULL;"
  "ALTER TABLE responses ADD COLUMN library_revision INTEGER;"
  "ALTER TABLE suggestions ADD COLUMN library_revision INTEGER;";

/* Version 5: plant scale (docs/architecture.md).
 *   plant_kiosk        one row when this store is a kiosk of a plant (set by
 *                      tacit_outbox_configure): plant and kiosk names (topic
 *                      segments) and the hub's library revision applied last.
 *                      Without it nothing is queued: plain CLI use keeps no
 *                      outbox.
 *   outbox             what the kiosk created and the hub has not
 *                      acknowledged, in creation order (seq). The triggers
 *                      below write it in the transaction of the change
 *                      itself, whichever code path makes it: a change never
 *                      lands without its message, nor a message without its
 *                      change. message_id is unique per change; payload is
 *                      the JSON message (schema 1). The plant link deletes a
 *                      row when the broker acknowledges it (PUBACK).
 *   received_messages  on the hub: every message id stored (a redelivery is
 *                      recognised and not stored twice), the sending kiosk,
 *                      its type, the row it made (ref), and its fate. */
#define PLANT_NOW "CAST ((julianday ('now') - 2440587.5) * 86400000000 AS INTEGER)"
#define PLANT_ENVELOPE(type, id) \
  "'schema', 1, 'type', '" type "', 'id', " id ", 'plant', k.plant, 'kiosk', k.kiosk, " \
  "'created', " PLANT_NOW
#define PLANT_SUGGESTION(id_expr) \
  "json ((SELECT json_object ('id', s.id, 'time', s.time, 'machine', s.machine," \
  " 'rule_id', s.rule_id, 'revision', s.revision, 'kind', s.kind, 'severity', s.severity," \
  " 'mode', s.mode, 'propensity', s.propensity, 'text', s.text, 'actions', json (s.actions)," \
  " 'trigger_time', s.trigger_time, 'trigger_kind', s.trigger_kind," \
  " 'trigger_item', s.trigger_item, 'trigger_value', s.trigger_value," \
  " 'trigger_code', s.trigger_code, 'trigger_text', s.trigger_text," \
  " 'context', json (s.context), 'has_outcome', s.has_outcome, 'outcome', s.outcome," \
  " 'outcome_closed', s.outcome_closed, 'recorded_at', s.recorded_at," \
  " 'library_revision', s.library_revision)" \
  " FROM suggestions AS s WHERE s.id = " id_expr "))"
#define PLANT_QUEUE(type, id, body) \
  "INSERT INTO outbox (message_id, type, payload, created)" \
  " SELECT " id ", '" type "', json_object (" PLANT_ENVELOPE (type, id) ", 'body', " body ")," \
  " " PLANT_NOW " FROM plant_kiosk AS k;"
#define PLANT_RESPONSE_ID(row) "k.kiosk || '/response/' || " row ".id || '-' || " row ".recorded_at"
static const char schema_v5[] =
  "CREATE TABLE plant_kiosk ("
  "  id               INTEGER PRIMARY KEY CHECK (id = 1),"
  "  plant            TEXT NOT NULL,"
  "  kiosk            TEXT NOT NULL,"
  "  library_revision INTEGER NOT NULL DEFAULT 0,"
  "  configured_at    INTEGER NOT NULL"
  ");"
  "CREATE TABLE outbox ("
  "  seq        INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  message_id TEXT NOT NULL UNIQUE,"
  "  type       TEXT NOT NULL,"
  "  payload    TEXT NOT NULL,"
  "  created    INTEGER NOT NULL"
  ");"
  "CREATE TABLE received_messages ("
  "  message_id  TEXT PRIMARY KEY NOT NULL,"
  "  kiosk       TEXT NOT NULL,"
  "  type        TEXT NOT NULL,"
  "  ref         TEXT,"
  "  status      TEXT NOT NULL CHECK (status IN ('stored', 'conflict', 'refused', 'orphan')),"
  "  detail      TEXT,"
  "  received_at INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE INDEX received_messages_kiosk ON received_messages (kiosk, type);"
  "CREATE TRIGGER outbox_rule AFTER INSERT ON rules"
  "  WHEN NEW.saved_by IS NOT 'eng-plant-hub' BEGIN "
  PLANT_QUEUE ("rule", "k.kiosk || '/rule/' || NEW.id || '/' || NEW.revision || '-' || NEW.saved_at",
               "json_object ('id', NEW.id, 'revision', NEW.revision, 'status', NEW.status,"
               " 'kind', NEW.kind, 'title', NEW.title, 'xml', NEW.xml, 'saved_at', NEW.saved_at,"
               " 'saved_by', NEW.saved_by)")
  " END;"
  "CREATE TRIGGER outbox_response AFTER INSERT ON responses BEGIN "
  PLANT_QUEUE ("response", PLANT_RESPONSE_ID ("NEW"),
               "json_object ('row', NEW.id, 'suggestion_id', NEW.suggestion_id,"
               " 'response', NEW.response, 'reason', NEW.reason, 'actor', NEW.actor,"
               " 'responded_at', NEW.responded_at, 'recorded_at', NEW.recorded_at,"
               " 'latency_ms', NEW.latency_ms, 'station', NEW.station,"
               " 'library_revision', NEW.library_revision,"
               " 'suggestion', " PLANT_SUGGESTION ("NEW.suggestion_id") ")")
  " END;"
  "CREATE TRIGGER outbox_response_update AFTER UPDATE OF latency_ms, station, library_revision"
  "  ON responses BEGIN "
  PLANT_QUEUE ("response-update",
               "k.kiosk || '/response-update/' || NEW.id || '-' || NEW.recorded_at || '-' ||"
               " (coalesce ((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0) + 1)",
               "json_object ('response', " PLANT_RESPONSE_ID ("NEW") ", 'latency_ms', NEW.latency_ms,"
               " 'station', NEW.station, 'library_revision', NEW.library_revision)")
  " END;"
  "CREATE TRIGGER outbox_response_undo AFTER DELETE ON responses BEGIN "
  PLANT_QUEUE ("response-undo", "k.kiosk || '/response-undo/' || OLD.id || '-' || OLD.recorded_at",
               "json_object ('response', " PLANT_RESPONSE_ID ("OLD") ")")
  " END;"
  "CREATE TRIGGER outbox_held AFTER INSERT ON held_suggestions BEGIN "
  PLANT_QUEUE ("held", "k.kiosk || '/held/' || NEW.suggestion_id || '-' || NEW.held_at",
               "json_object ('suggestion_id', NEW.suggestion_id, 'station', NEW.station,"
               " 'held_at', NEW.held_at, 'released_at', NEW.released_at,"
               " 'suggestion', " PLANT_SUGGESTION ("NEW.suggestion_id") ")")
  " END;"
  "CREATE TRIGGER outbox_held_release AFTER UPDATE OF released_at ON held_suggestions"
  "  WHEN OLD.released_at IS NULL AND NEW.released_at IS NOT NULL BEGIN "
  PLANT_QUEUE ("held-release",
               "k.kiosk || '/held-release/' || NEW.suggestion_id || '-' || NEW.released_at",
               "json_object ('suggestion_id', NEW.suggestion_id, 'released_at', NEW.released_at)")
  " END;"
  "CREATE TRIGGER outbox_sign_in AFTER INSERT ON sign_ins BEGIN "
  PLANT_QUEUE ("sign-in", "k.kiosk || '/sign-in/' || NEW.id || '-' || NEW.at",
               "json_object ('row', NEW.id, 'badge', NEW.badge, 'station', NEW.station,"
               " 'at', NEW.at, 'ok', NEW.ok)")
  " END;";

/* migrations[i] takes a database from user_version i to i + 1. Append new
 * steps; never edit a released one (none is released yet). */
static const char *const migrations[] = {
  schema_v1,
  schema_v2,
  schema_v3,
  schema_v4,
  schema_v5,
};
G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == TACIT_STORE_SCHEMA_VERSION);

/* ---- cached statements ---- */

typedef enum {
  STMT_BEGIN,
  STMT_COMMIT,
  STMT_ROLLBACK,
  STMT_PUT_MACHINE,
  STMT_ADD_MACHINE,
  STMT_FIND_MACHINE,
  STMT_LIST_MACHINES,
  STMT_MACHINE_NUMS,
  STMT_INSERT_EVENT,
  STMT_GET_EVENT_COUNTER,
  STMT_SET_EVENT_COUNTER,
  STMT_INSERT_IMPORT,
  STMT_FINISH_IMPORT,
  STMT_GET_LIBRARY,
  STMT_PUT_LIBRARY,
  STMT_RULE_HEAD,
  STMT_INSERT_RULE,
  STMT_RULE_HEADS,
  STMT_RULE_REVISIONS,
  STMT_PUT_RULE_INDEX,
  STMT_UPSERT_SUGGESTION,
  STMT_COUNT_SUGGESTIONS,
  STMT_SUGGESTION_EXISTS,
  STMT_INSERT_RESPONSE,
  STMT_INSERT_AUDIT,
  N_STMTS
} StmtId;

static const char *const stmt_sql[N_STMTS] = {
  [STMT_BEGIN] = "BEGIN IMMEDIATE",
  [STMT_COMMIT] = "COMMIT",
  [STMT_ROLLBACK] = "ROLLBACK",
  [STMT_PUT_MACHINE] =
    "INSERT INTO machines (id, name, class, cell) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
    "class = excluded.class, cell = excluded.cell",
  [STMT_ADD_MACHINE] = "INSERT INTO machines (id) VALUES (?1)",
  [STMT_FIND_MACHINE] = "SELECT num FROM machines WHERE id = ?1",
  [STMT_LIST_MACHINES] = "SELECT id, name, class, cell FROM machines ORDER BY id",
  [STMT_MACHINE_NUMS] = "SELECT num, id FROM machines",
  [STMT_INSERT_EVENT] =
    "INSERT INTO events (time, machine, kind, item, value, code, text, id, received, import_id) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
  [STMT_GET_EVENT_COUNTER] = "SELECT value FROM counters WHERE name = 'events'",
  [STMT_SET_EVENT_COUNTER] = "UPDATE counters SET value = ?1 WHERE name = 'events'",
  [STMT_INSERT_IMPORT] =
    "INSERT INTO imports (started, actor, files) VALUES (?1, ?2, ?3)",
  [STMT_FINISH_IMPORT] =
    "UPDATE imports SET finished = ?2, events = ?3, machines_added = ?4, "
    "first_time = ?5, last_time = ?6 WHERE id = ?1",
  [STMT_GET_LIBRARY] = "SELECT name, revision FROM library WHERE id = 1",
  [STMT_PUT_LIBRARY] =
    "INSERT INTO library (id, name, revision, updated) VALUES (1, ?1, ?2, ?3) "
    "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
    "revision = excluded.revision, updated = excluded.updated",
  [STMT_RULE_HEAD] =
    "SELECT revision, xml, status FROM rules WHERE id = ?1 ORDER BY revision DESC LIMIT 1",
  [STMT_INSERT_RULE] =
    "INSERT INTO rules (id, revision, status, kind, title, xml, saved_at, saved_by) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
  [STMT_RULE_HEADS] = "SELECT id, revision, xml FROM rule_heads ORDER BY id",
  [STMT_RULE_REVISIONS] =
    "SELECT revision, xml FROM rules WHERE id = ?1 ORDER BY revision",
  [STMT_PUT_RULE_INDEX] = TACIT_RULE_INDEX_PUT_SQL,
  [STMT_UPSERT_SUGGESTION] =
    "INSERT INTO suggestions (id, time, machine, rule_id, revision, kind, severity, "
    "mode, propensity, text, actions, trigger_time, trigger_kind, trigger_item, "
    "trigger_value, trigger_code, trigger_text, context, has_outcome, outcome, "
    "outcome_closed, recorded_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
    "?16, ?17, ?18, ?19, ?20, ?21, ?22) "
    "ON CONFLICT (id) DO UPDATE SET outcome = excluded.outcome, outcome_closed = 1 "
    "WHERE excluded.outcome_closed = 1 AND suggestions.outcome_closed = 0",
  [STMT_COUNT_SUGGESTIONS] = "SELECT count(*) FROM suggestions",
  [STMT_SUGGESTION_EXISTS] = "SELECT 1 FROM suggestions WHERE id = ?1",
  [STMT_INSERT_RESPONSE] =
    "INSERT INTO responses (suggestion_id, response, reason, actor, responded_at, recorded_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
  [STMT_INSERT_AUDIT] =
    "INSERT INTO audit (at, actor, action, subject, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
};

struct _TacitStore
{
  GObject       parent_instance;

  char         *path;
  sqlite3      *db;
  sqlite3_stmt *stmts[N_STMTS];
  /* Machine id → num of the machines known to be in the machines table
   * (they are never deleted), so that an import does not query once per
   * event. NULL until first needed, and dropped on every rollback: a
   * rolled-back insert must not stay "known". */
  GHashTable   *known_machines;
};

G_DEFINE_FINAL_TYPE (TacitStore, tacit_store, G_TYPE_OBJECT)

sqlite3 *
_tacit_store_get_db (TacitStore *self)
{
  g_return_val_if_fail (TACIT_IS_STORE (self), NULL);
  return self->db;
}

gboolean
_tacit_store_sql_error (TacitStore *self, GError **error, const char *doing)
{
  g_set_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_SQL, "%s: %s: %s",
               self->path, doing, sqlite3_errmsg (self->db));
  return FALSE;
}

sqlite3_stmt *
_tacit_store_prepare (TacitStore *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      _tacit_store_sql_error (self, error, "preparing a statement");
      return NULL;
    }
  return stmt;
}

/* ---- errors ---- */

static int
store_error_code (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return TACIT_STORE_ERROR_BUSY;
    case SQLITE_READONLY:
      return TACIT_STORE_ERROR_READONLY;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return TACIT_STORE_ERROR_CORRUPT;
    case SQLITE_FULL:
      return TACIT_STORE_ERROR_FULL;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      return TACIT_STORE_ERROR_OPEN;
    default:
      return TACIT_STORE_ERROR_SQL;
    }
}

/* "PATH: doing: sqlite message", in the domain matching rc. */
static gboolean
set_sqlite_error (TacitStore *self,
                  GError    **error,
                  int         rc,
                  const char *doing)
{
  const char *message = self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc);
  int code = store_error_code (rc);

  /* Say why a lock error took the busy timeout to come. */
  if (code == TACIT_STORE_ERROR_BUSY)
    g_set_error (error, TACIT_STORE_ERROR, code,
                 "%s: %s: %s (another connection is writing to it; waited up to %d s)",
                 self->path, doing, message, BUSY_TIMEOUT_MS / 1000);
  else
    g_set_error (error, TACIT_STORE_ERROR, code, "%s: %s: %s", self->path, doing, message);
  return FALSE;
}

/* ---- statements and transactions ---- */

/* The cached statement, prepared on first use. Release it with
 * g_autoptr(TacitStmt) or stmt_release(). */
static sqlite3_stmt *
get_stmt (TacitStore *self,
          StmtId      id,
          GError    **error)
{
  int rc;

  if (self->stmts[id] != NULL)
    return self->stmts[id];
  rc = sqlite3_prepare_v3 (self->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                           &self->stmts[id], NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, error, rc, "preparing a statement");
      return NULL;
    }
  return self->stmts[id];
}

/* Binds text without copying: every caller steps the statement while the
 * string is alive and resets it before the string goes. */
static inline void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, index);
}

static inline void
bind_time_or_null (sqlite3_stmt *stmt,
                   int           index,
                   gboolean      valid,
                   TacitTime     time)
{
  if (valid)
    sqlite3_bind_int64 (stmt, index, time);
  else
    sqlite3_bind_null (stmt, index);
}

/* Steps a statement that returns no rows. */
static gboolean
step_done (TacitStore   *self,
           sqlite3_stmt *stmt,
           const char   *doing,
           GError      **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, rc, doing);
      sqlite3_reset (stmt);
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_simple (TacitStore *self,
            StmtId      id,
            const char *doing,
            GError    **error)
{
  g_autoptr(TacitStmt) stmt = get_stmt (self, id, error);

  return stmt != NULL && step_done (self, stmt, doing, error);
}

/* BEGIN IMMEDIATE takes the write lock up front: a writer never has to
 * upgrade a read transaction later, which is what makes busy_timeout
 * effective (an upgrade that fails cannot be retried). */
static gboolean
begin (TacitStore *self,
       GError    **error)
{
  return run_simple (self, STMT_BEGIN, "starting a transaction", error);
}

static void
rollback (TacitStore *self)
{
  /* Drop the machine cache: it may name machines this transaction added. */
  g_clear_pointer (&self->known_machines, g_hash_table_unref);
  if (!sqlite3_get_autocommit (self->db))
    run_simple (self, STMT_ROLLBACK, "rolling back", NULL);
}

static gboolean
commit (TacitStore *self,
        GError    **error)
{
  if (!run_simple (self, STMT_COMMIT, "committing", error))
    {
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

/* For core modules that change their own tables and the store's together
 * (tacit-store-private.h). Not nestable: a module calls these only when it
 * is not inside another store function's transaction. */
gboolean
_tacit_store_begin (TacitStore *self,
                    GError    **error)
{
  return begin (self, error);
}

gboolean
_tacit_store_commit (TacitStore *self,
                     GError    **error)
{
  return commit (self, error);
}

void
_tacit_store_rollback (TacitStore *self)
{
  rollback (self);
}

/* Runs a statement returning one integer. */
static gboolean
query_int64 (TacitStore *self,
             StmtId      id,
             const char *doing,
             gint64     *out,
             GError    **error)
{
  g_autoptr(TacitStmt) stmt = get_stmt (self, id, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return set_sqlite_error (self, error, rc, doing);
  *out = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* ---- object ---- */

static void
tacit_store_finalize (GObject *object)
{
  TacitStore *self = TACIT_STORE (object);

  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
  g_clear_pointer (&self->known_machines, g_hash_table_unref);
  /* close_v2: a cursor's statement holds a reference to us, so none can be
   * left; v2 still keeps the handle valid if one were. */
  g_clear_pointer (&self->db, sqlite3_close_v2);
  g_free (self->path);

  G_OBJECT_CLASS (tacit_store_parent_class)->finalize (object);
}

static void
tacit_store_class_init (TacitStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tacit_store_finalize;

  /* SQLite counts every allocation under a global mutex unless told not
   * to; nothing here reads the counts. Only possible before SQLite is
   * first used, which class_init precedes (a MISUSE result is harmless). */
  sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
}

static void
tacit_store_init (TacitStore *self)
{
}

char *
tacit_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "tacit", "tacit.db", NULL);
}

const char *
tacit_store_get_path (TacitStore *self)
{
  g_return_val_if_fail (TACIT_IS_STORE (self), NULL);

  return self->path;
}

/* ---- opening and migrating ---- */

/* Runs a PRAGMA (a fixed string) that returns at most one integer. */
static gboolean
pragma_int (TacitStore *self,
            const char *sql,
            gint64     *out,
            GError    **error)
{
  g_autoptr(TacitStmtFinalize) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW && out != NULL)
        *out = sqlite3_column_int64 (stmt, 0);
    }
  if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (self, error, rc, sql);
  return TRUE;
}

static gboolean
exec_script (TacitStore *self,
             const char *sql,
             const char *doing,
             GError    **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return set_sqlite_error (self, error, rc, doing);
  return TRUE;
}

/* Refuses files that are not ours: another program's SQLite database, or
 * one from a newer Tacit. An empty database (new file) is fine. */
static gboolean
check_identity (TacitStore *self,
                gint64     *version,
                GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 app_id = 0;
  gint64 n_objects = 0;

  /* The first read of the file: a file that is not SQLite fails here. */
  if (!pragma_int (self, "PRAGMA application_id", &app_id, &local_error) ||
      !pragma_int (self, "PRAGMA user_version", version, &local_error) ||
      !pragma_int (self, "SELECT count(*) FROM sqlite_schema", &n_objects, &local_error))
    {
      if (local_error->code == TACIT_STORE_ERROR_CORRUPT)
        g_set_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_CORRUPT,
                     "%s: not a Tacit database, or a damaged one (%s)",
                     self->path, sqlite3_errmsg (self->db));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (app_id != TACIT_APPLICATION_ID && (app_id != 0 || n_objects != 0))
    {
      g_set_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_OPEN,
                   "%s: not a Tacit database (an SQLite database of another "
                   "application, application_id 0x%08" G_GINT64_MODIFIER "x)",
                   self->path, app_id);
      return FALSE;
    }
  if (*version > TACIT_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_VERSION,
                   "%s: the database has schema version %" G_GINT64_FORMAT
                   ", made by a newer Tacit; this version understands up to %d. "
                   "Upgrade Tacit to open it",
                   self->path, *version, TACIT_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  return TRUE;
}

/* journal_mode=WAL: readers never block the writer and the writer never
 * blocks readers (the kiosk UI reads while `listen` writes).
 * synchronous=NORMAL: in WAL mode, a commit is durable against crashes of
 * the application (the WAL is written before COMMIT returns); only an
 * operating-system crash or a power loss can lose the last transactions
 * committed before it (never corrupting the file). FULL would fsync on
 * every commit, which costs live operation dearly for that rare case. */
static gboolean
configure_connection (TacitStore *self,
                      GError    **error)
{
  /* Only a new, empty file takes the page size (and only before WAL). */
  if (!sqlite3_db_readonly (self->db, "main") &&
      !exec_script (self, "PRAGMA page_size = " PAGE_SIZE ";"
                    "PRAGMA journal_mode = WAL", "enabling WAL", error))
    return FALSE;
  return exec_script (self,
                      "PRAGMA synchronous = NORMAL;"
                      "PRAGMA foreign_keys = ON;"
                      /* Keep the WAL from staying huge after a big import. */
                      "PRAGMA journal_size_limit = 67108864;"
                      "PRAGMA cache_size = " DEFAULT_CACHE_SIZE ";",
                      "configuring the connection", error);
}

static gboolean
migrate (TacitStore *self,
         gint64      version,
         GError    **error)
{
  g_autofree char *set_version = NULL;

  if (version == TACIT_STORE_SCHEMA_VERSION)
    return TRUE;
  if (sqlite3_db_readonly (self->db, "main"))
    {
      g_set_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_READONLY,
                   "%s: the database needs an upgrade to schema version %d, "
                   "but it is read-only", self->path, TACIT_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  if (!begin (self, error))
    return FALSE;
  /* Another process may have migrated while we waited for the lock. */
  if (!check_identity (self, &version, error))
    goto fail;
  for (gint64 v = version; v < TACIT_STORE_SCHEMA_VERSION; v++)
    if (!exec_script (self, migrations[v], "migrating the schema", error))
      goto fail;
  /* PRAGMAs take no parameters; the number is our own constant. */
  set_version = g_strdup_printf ("PRAGMA user_version = %d;"
                                 "PRAGMA application_id = %d;",
                                 TACIT_STORE_SCHEMA_VERSION, TACIT_APPLICATION_ID);
  if (!exec_script (self, set_version, "migrating the schema", error))
    goto fail;
  return commit (self, error);

fail:
  rollback (self);
  return FALSE;
}

/* A file without any write permission bit is opened read-only, also for
 * root (who could write it anyway): "chmod a-w" protects a database as
 * its owner expects. */
static gboolean
file_is_write_protected (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 && S_ISREG (st.st_mode) && (st.st_mode & 0222) == 0;
}

static gboolean
ensure_parent_directory (const char *path,
                         GError    **error)
{
  g_autofree char *dir = NULL;

  if (g_str_equal (path, ":memory:"))
    return TRUE;
  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_OPEN,
                   "%s: cannot create the directory %s: %s",
                   path, dir, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

TacitStore *
tacit_store_open (const char *path,
                  GError    **error)
{
  g_autoptr(TacitStore) self = NULL;
  gint64 version = 0;
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ensure_parent_directory (path, error))
    return NULL;
  self = g_object_new (TACIT_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  if (file_is_write_protected (path))
    flags |= SQLITE_OPEN_READONLY;
  else
    flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  rc = sqlite3_open_v2 (path, &self->db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, error, rc, "cannot open the database");
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, TRUE);
  /* Before the first read: another process may be writing. */
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  if (!check_identity (self, &version, error) ||
      !configure_connection (self, error) ||
      !migrate (self, version, error))
    return NULL;
  if (!sqlite3_db_readonly (self->db, "main") && !_tacit_rule_index_backfill (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* ---- audit ---- */

static gboolean
audit_append (TacitStore *self,
              const char *actor,
              const char *action,
              const char *subject,
              const char *detail,
              GError    **error)
{
  g_autoptr(TacitStmt) stmt = get_stmt (self, STMT_INSERT_AUDIT, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
  bind_text (stmt, 2, actor);
  bind_text (stmt, 3, action);
  bind_text (stmt, 4, subject);
  bind_text (stmt, 5, detail);
  return step_done (self, stmt, "writing the audit log", error);
}

/* A refused change is audited after its rollback, so that the refusal
 * outlives the transaction it ended. */
static void
audit_refusal (TacitStore          *self,
               const TacitOperator *actor,
               const char          *subject,
               const GError        *refusal)
{
  g_autofree char *actor_id = tacit_operator_dup_actor_id (actor);

  if (refusal == NULL || !g_error_matches (refusal, TACIT_STORE_ERROR, TACIT_STORE_ERROR_PERMISSION))
    return;
  audit_append (self, actor_id, "access.denied", subject, refusal->message, NULL);
}

gboolean
tacit_store_check_access (TacitStore          *self,
                          const TacitOperator *actor,
                          TacitPermission      permission,
                          const char          *subject,
                          GError             **error)
{
  g_autoptr(GError) refusal = NULL;

  g_return_val_if_fail (TACIT_IS_STORE (self), FALSE);

  if (tacit_access_check (actor, permission, &refusal))
    return TRUE;
  audit_refusal (self, actor, subject, refusal);
  g_propagate_error (error, g_steal_pointer (&refusal));
  return FALSE;
}

gboolean
tacit_store_audit (TacitStore *self,
                   const char *actor,
                   const char *action,
                   const char *subject,
                   const char *detail,
                   GError    **error)
{
  g_return_val_if_fail (TACIT_IS_STORE (self), FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  return audit_append (self, actor, action, subject, detail, error);
}

/* ---- machines ---- */

void
tacit_machine_free (TacitMachine *machine)
{
  if (machine == NULL)
    return;
  g_free (machine->id);
  g_free (machine->name);
  g_free (machine->class_name);
  g_free (machine->cell);
  g_free (machine);
}

static gboolean
put_machine (TacitStore         *self,
             const TacitMachine *machine,
             GError            **error)
{
  g_autoptr(TacitStmt) stmt = get_stmt (self, STMT_PUT_MACHINE, error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, machine->id);
  bind_text (stmt, 2, machine->name);
  bind_text (stmt, 3, machine->class_name);
  bind_text (stmt, 4, machine->cell);
  return step_done (self, stmt, "storing a machine", error);
}

gboolean
tacit_store_put_machine (TacitStore         *self,
                         const TacitMachine *machine,
                         GError            **error)
{
  g_return_val_if_fail (TACIT_IS_STORE (self), FALSE);
  g_return_val_if_fail (machine != NULL && machine->id != NULL, FALSE);

  return put_machine (self, machine, error);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

GPtrArray *
tacit_store_list_machines (TacitStore *self,
                           GError    **error)
{
  g_autoptr(TacitStmt) stmt = NULL;
  g_autoptr(GPtrArray) machines = NULL;
  int rc;

  g_return_val_if_fail (TACIT_IS_STORE (self), NULL);

  if ((stmt = get_stmt (self, STMT_LIST_MACHINES, error)) == NULL)
    return NULL;
  machines = g_ptr_array_new_with_free_func ((GDestroyNotify) tacit_machine_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TacitMachine *machine = g_new0 (TacitMachine, 1);

      machine->id = column_dup (stmt, 0);
      machine->name = column_dup (stmt, 1);
      machine->class_name = column_dup (stmt, 2);
      machine->cell = column_dup (stmt, 3);
      g_ptr_array_add (machines, machine);
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, rc, "listing machines");
      return NULL;
    }
  return g_steal_pointer (&machines);
}

/* Fills known_machines (machine id → num) once; it then stays in step
 * with every machine this connection adds. */
static gboolean
load_known_machines (TacitStore *self,
                     GError    **error)
{
  g_autoptr(TacitStmt) stmt = NULL;
  g_autoptr(GHashTable) known = NULL;
  int rc;

  if (self->known_machines != NULL)
    return TRUE;
  if ((stmt = get_stmt (self, STMT_MACHINE_NUMS, error)) == NULL)
    return FALSE;
  known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (known, column_dup (stmt, 1),
                         GSIZE_TO_POINTER ((gsize) sqlite3_column_int64 (stmt, 0)));
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, error, rc, "listing machines");
  self->known_machines = g_steal_pointer (&known);
  return TRUE;
}

/* The num of a machine, registering it when it is new (another process
 * may have registered it since the cache was filled: look first). */
static gboolean
register_machine (TacitStore *self,
                  const char *machine,
                  gint64     *num,
                  gboolean   *added,
                  GError    **error)
{
  g_autoptr(TacitStmt) find = get_stmt (self, STMT_FIND_MACHINE, error);
  g_autoptr(TacitStmt) add = NULL;
  int rc;

  if (find == NULL)
    return FALSE;
  *added = FALSE;
  bind_text (find, 1, machine);
  rc = sqlite3_step (find);
  if (rc == SQLITE_ROW)
    {
      *num = sqlite3_column_int64 (find, 0);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, error, rc, "looking up a machine");
  if ((add = get_stmt (self, STMT_ADD_MACHINE, error)) == NULL)
    return FALSE;
  bind_text (add, 1, machine);
  if (!step_done (self, add, "registering a machine", error))
    return FALSE;
  *num = sqlite3_last_insert_rowid (self->db);
  *added = TRUE;
  return TRUE;
}

/* ---- events ---- */

/* One transaction of event inserts. */
typedef struct {
  TacitStore       *store;
  sqlite3_stmt     *insert;
  const char       *last_machine;    /* a key of known_machines */
  gint64            last_num;
  gint64            next_id;
  TacitImportStats *stats;
} EventSink;

static gboolean
sink_see_machine (EventSink  *sink,
                  const char *machine,
                  GError    **error)
{
  TacitStore *self = sink->store;
  gpointer key, value;

  /* Events come in runs of the same machine often enough to skip the hash. */
  if (sink->last_machine != NULL && strcmp (sink->last_machine, machine) == 0)
    return TRUE;
  if (!g_hash_table_lookup_extended (self->known_machines, machine, &key, &value))
    {
      gint64 num = 0;
      gboolean added;

      if (!register_machine (self, machine, &num, &added, error))
        return FALSE;
      sink->stats->machines_added += added;
      key = g_strdup (machine);
      value = GSIZE_TO_POINTER ((gsize) num);
      g_hash_table_insert (self->known_machines, key, value);
    }
  sink->last_machine = key;
  sink->last_num = (gint64) GPOINTER_TO_SIZE (value);
  return TRUE;
}

/* The hot path of every import: no allocation, no copy. */
static inline gboolean
sink_put (EventSink        *sink,
          const TacitEvent *event,
          GError          **error)
{
  sqlite3_stmt *stmt = sink->insert;

  if (G_UNLIKELY (event->machine == NULL || event->item == NULL))
    {
      g_set_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_SQL,
                   "%s: an event without machine or item", sink->store->path);
      return FALSE;
    }
  if (!sink_see_machine (sink, event->machine, error))
    return FALSE;
  /* Bindings 9 (received) and 10 (import_id) stay from sink_init. */
  sqlite3_bind_int64 (stmt, 1, event->time);
  sqlite3_bind_int64 (stmt, 2, sink->last_num);
  sqlite3_bind_int (stmt, 3, (int) event->kind);
  sqlite3_bind_text (stmt, 4, event->item, -1, SQLITE_STATIC);
  bind_text (stmt, 5, event->value);
  bind_text (stmt, 6, event->code);
  bind_text (stmt, 7, event->text);
  sqlite3_bind_int64 (stmt, 8, sink->next_id);
  if (G_UNLIKELY (sqlite3_step (stmt) != SQLITE_DONE))
    {
      int rc = sqlite3_reset (stmt);

      return set_sqlite_error (sink->store, error, rc, "storing an event");
    }
  sqlite3_reset (stmt);
  sink->next_id++;
  sink->stats->events++;
  sink->stats->first_time = MIN (sink->stats->first_time, event->time);
  sink->stats->last_time = MAX (sink->stats->last_time, event->time);
  return TRUE;
}

static void
stats_init (TacitImportStats *stats,
            guint64           files)
{
  memset (stats, 0, sizeof *stats);
  stats->files = files;
  stats->first_time = TACIT_TIME_MAX;
  stats->last_time = TACIT_TIME_MIN;
}

/* Readies the statements inside an open transaction; import_id 0 means
 * "stored live" (NULL in the database). */
static gboolean
sink_init (EventSink        *sink,
           TacitStore       *self,
           gint64            import_id,
           TacitImportStats *stats,
           GError          **error)
{
  gint64 last_id = 0;

  memset (sink, 0, sizeof *sink);
  sink->store = self;
  sink->stats = stats;
  if (!load_known_machines (self, error) ||
      !query_int64 (self, STMT_GET_EVENT_COUNTER, "reading the event counter", &last_id, error) ||
      (sink->insert = get_stmt (self, STMT_INSERT_EVENT, error)) == NULL)
    return FALSE;
  sink->next_id = last_id + 1;
  sqlite3_bind_int64 (sink->insert, 9, g_get_real_time ());
  if (import_id > 0)
    sqlite3_bind_int64 (sink->insert, 10, import_id);
  else
    sqlite3_bind_null (sink->insert, 10);
  return TRUE;
}

/* Stores the event counter; the transaction is still open. */
static gboolean
sink_finish (EventSink *sink,
             GError   **error)
{
  g_autoptr(TacitStmt) stmt = get_stmt (sink->store, STMT_SET_EVENT_COUNTER, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, sink->next_id - 1);
  return step_done (sink->store, stmt, "updating the event counter", error);
}

static void
sink_clear (EventSink *sink)
{
  if (sink->insert != NULL)
    stmt_release (sink->insert);
  sink->insert = NULL;
}

/* ---- reading in a second thread ----
 *
 * Parsing and storing take about the same time per event, and a kiosk or
 * hub has at least two cores: a thread reads and parses the files into
 * batches (copying each event's strings into the batch) while the calling
 * thread stores the previous batch. The readers are used by that thread
 * only until it has ended; the progress callback runs in the caller's
 * thread. */

#define BATCH_EVENTS 4096
#define BATCH_ARENA  (256 * 1024)
#define N_BATCHES    4

typedef struct {
  TacitEvent *events;
  guint       n_events;
  char       *arena;
  gsize       arena_used;
  gsize       arena_size;
  guint64     bytes_done;    /* progress in bytes once this batch is stored */
  gboolean    last;          /* nothing follows */
  GError     *error;         /* on the last batch: the reader's error */
} Batch;

typedef struct {
  TacitEventReader **readers;
  guint              n_readers;
  GAsyncQueue       *full;   /* reader thread → caller */
  GAsyncQueue       *empty;  /* caller → reader thread */
  int                stop;   /* atomic: the caller gave up */
} Pipeline;

static Batch *
batch_new (void)
{
  Batch *batch = g_new0 (Batch, 1);

  batch->events = g_new (TacitEvent, BATCH_EVENTS);
  batch->arena_size = BATCH_ARENA;
  batch->arena = g_malloc (batch->arena_size);
  return batch;
}

static void
batch_free (Batch *batch)
{
  g_clear_error (&batch->error);
  g_free (batch->events);
  g_free (batch->arena);
  g_free (batch);
}

static void
batch_reset (Batch *batch)
{
  batch->n_events = 0;
  batch->arena_used = 0;
  batch->bytes_done = 0;
  batch->last = FALSE;
  g_clear_error (&batch->error);
}

static const char *
batch_copy_string (Batch      *batch,
                   const char *s,
                   gsize       len)
{
  char *copy;

  if (s == NULL)
    return NULL;
  copy = batch->arena + batch->arena_used;
  memcpy (copy, s, len + 1);
  batch->arena_used += len + 1;
  return copy;
}

/* Copies event into the batch; FALSE when it is full. An empty batch
 * takes any event (its arena grows for a huge one). */
static gboolean
batch_add (Batch            *batch,
           const TacitEvent *event)
{
  gsize machine_len = event->machine ? strlen (event->machine) : 0;
  gsize item_len = event->item ? strlen (event->item) : 0;
  gsize value_len = event->value ? strlen (event->value) : 0;
  gsize code_len = event->code ? strlen (event->code) : 0;
  gsize text_len = event->text ? strlen (event->text) : 0;
  gsize need = machine_len + item_len + value_len + code_len + text_len + 5;
  TacitEvent *copy;

  if (batch->n_events == BATCH_EVENTS || batch->arena_used + need > batch->arena_size)
    {
      if (batch->n_events > 0)
        return FALSE;
      batch->arena_size = MAX (BATCH_ARENA, need);
      batch->arena = g_realloc (batch->arena, batch->arena_size);
    }
  copy = &batch->events[batch->n_events++];
  copy->time = event->time;
  copy->kind = event->kind;
  copy->machine = batch_copy_string (batch, event->machine, machine_len);
  copy->item = batch_copy_string (batch, event->item, item_len);
  copy->value = batch_copy_string (batch, event->value, value_len);
  copy->code = batch_copy_string (batch, event->code, code_len);
  copy->text = batch_copy_string (batch, event->text, text_len);
  return TRUE;
}

static gpointer
read_thread (gpointer data)
{
  Pipeline *p = data;
  Batch *batch = g_async_queue_pop (p->empty);
  guint64 done_before = 0;
  GError *error = NULL;

  for (guint i = 0; i < p->n_readers && error == NULL && !g_atomic_int_get (&p->stop); i++)
    {
      TacitEventReader *reader = p->readers[i];
      TacitEvent event;

      while (tacit_event_reader_next (reader, &event, &error))
        {
          if (batch_add (batch, &event))
            continue;
          batch->bytes_done = done_before + tacit_event_reader_get_bytes_read (reader);
          g_async_queue_push (p->full, batch);
          batch = g_async_queue_pop (p->empty);
          if (g_atomic_int_get (&p->stop))
            break;
          batch_add (batch, &event);
        }
      done_before += tacit_event_reader_get_bytes_read (reader);
    }
  batch->bytes_done = done_before;
  batch->error = error;
  batch->last = TRUE;
  g_async_queue_push (p->full, batch);
  return NULL;
}

/* Progress over all readers, in bytes. total is 0 when a size is unknown. */
typedef struct {
  TacitProgressFunc func;
  gpointer          data;
  guint64           total;
  guint64           events_at_last_call;
} Progress;

static gboolean
cancelled (TacitStore *self,
           GError    **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
               "%s: import cancelled; nothing was stored", self->path);
  return FALSE;
}

/* Stores one batch and reports progress now and then. */
static gboolean
store_batch (EventSink *sink,
             Batch     *batch,
             Progress  *progress,
             GError   **error)
{
  for (guint i = 0; i < batch->n_events; i++)
    if (!sink_put (sink, &batch->events[i], error))
      return FALSE;
  if (progress->func != NULL &&
      (batch->last || sink->stats->events - progress->events_at_last_call >= PROGRESS_EVERY))
    {
      progress->events_at_last_call = sink->stats->events;
      if (!progress->func (batch->bytes_done, progress->total, progress->data))
        return cancelled (sink->store, error);
    }
  return TRUE;
}

/* Runs the reader thread and stores what it reads. On failure the thread
 * is told to stop and drained before returning, so that the readers are
 * the caller's again. */
static gboolean
pipe_events (EventSink         *sink,
             TacitEventReader **readers,
             guint              n_readers,
             Progress          *progress,
             GError           **error)
{
  Pipeline p = { readers, n_readers, g_async_queue_new (), g_async_queue_new (), 0 };
  GThread *thread;
  gboolean ok = TRUE;
  gboolean last = FALSE;

  for (guint i = 0; i < N_BATCHES; i++)
    g_async_queue_push (p.empty, batch_new ());
  thread = g_thread_new ("tacit-import", read_thread, &p);
  while (!last)
    {
      Batch *batch = g_async_queue_pop (p.full);

      last = batch->last;
      if (ok)
        ok = store_batch (sink, batch, progress, error);
      if (ok && batch->error != NULL)
        {
          /* Unchanged: its message already names the file and line. */
          g_propagate_error (error, g_steal_pointer (&batch->error));
          ok = FALSE;
        }
      if (!ok)
        g_atomic_int_set (&p.stop, 1);
      batch_reset (batch);
      g_async_queue_push (p.empty, batch);
    }
  g_thread_join (thread);
  g_async_queue_unref (p.full);
  for (Batch *b; (b = g_async_queue_try_pop (p.empty)) != NULL;)
    batch_free (b);
  g_async_queue_unref (p.empty);
  return ok;
}

/* ---- importing ---- */

static char *
files_json (TacitEventReader **readers,
            guint              n_readers)
{
  GString *json = g_string_new ("[");

  for (guint i = 0; i < n_readers; i++)
    {
      if (i > 0)
        g_string_append_c (json, ',');
      tacit_json_append_string (json, tacit_event_reader_get_display_name (readers[i]));
    }
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

static gboolean
insert_import (TacitStore        *self,
               TacitEventReader **readers,
               guint              n_readers,
               gint64            *import_id,
               GError           **error)
{
  g_autoptr(TacitStmt) stmt = get_stmt (self, STMT_INSERT_IMPORT, error);
  g_autofree char *files = files_json (readers, n_readers);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
  bind_text (stmt, 2, g_get_user_name ());
  bind_text (stmt, 3, files);
  if (!step_done (self, stmt, "recording the import", error))
    return FALSE;
  *import_id = sqlite3_last_insert_rowid (self->db);
  return TRUE;
}

static gboolean
finish_import (TacitStore             *self,
               gint64                  import_id,
               const TacitImportStats *stats,
               GError                **error)
{
  g_autoptr(TacitStmt) stmt = get_stmt (self, STMT_FINISH_IMPORT, error);
  g_autofree char *subject = NULL;
  g_autofree char *detail = NULL;
  gboolean any = stats->events > 0;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, import_id);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  sqlite3_bind_int64 (stmt, 3, (gint64) stats->events);
  sqlite3_bind_int64 (stmt, 4, (gint64) stats->machines_added);
  bind_time_or_null (stmt, 5, any, stats->first_time);
  bind_time_or_null (stmt, 6, any, stats->last_time);
  if (!step_done (self, stmt, "recording the import", error))
    return FALSE;
  subject = g_strdup_printf ("import %" G_GINT64_FORMAT, import_id);
  detail = g_strdup_printf ("%" G_GUINT64_FORMAT " events, %" G_GUINT64_FORMAT
                            " new machines, %" G_GUINT64_FORMAT " files",
                            stats->events, stats->machines_added, stats->files);
  return audit_append (self, g_get_user_name (), "events.import", subject, detail, error);
}

static gboolean
import_in_transaction (TacitStore        *self,
                       TacitEventReader **readers,
                       guint              n_readers,
                       TacitImportStats  *stats,
                       Progress          *progress,
                       GError           **error)
{
  EventSink sink;
  gint64 import_id = 0;
  gboolean ok;

  if (!insert_import (self, readers, n_readers, &import_id, error))
    return FALSE;
  ok = sink_init (&sink, self, import_id, stats, error) &&
       (n_readers == 0 || pipe_events (&sink, readers, n_readers, progress, error)) &&
       sink_finish (&sink, error);
  sink_clear (&sink);
  return ok && finish_import (self, import_id, stats, error);
}

static gboolean
any_statement_running (TacitStore *self)
{
  for (sqlite3_stmt *stmt = sqlite3_next_stmt (self->db, NULL); stmt != NULL;
       stmt = sqlite3_next_stmt (self->db, stmt))
    if (sqlite3_stmt_busy (stmt))
      return TRUE;
  return FALSE;
}

/* A bulk import runs without foreign key checks: it registers every
 * machine and its import row itself before an event refers to them, and
 * machines and imports are never deleted, so the checks cannot fail; they
 * cost about 15% of an import (measured: instructions per event). The
 * pragma works only outside a transaction and expires every prepared
 * statement, so it is left alone while a statement (a cursor) is running. */
static gboolean
suspend_foreign_keys (TacitStore *self)
{
  return !any_statement_running (self) &&
         exec_script (self, "PRAGMA foreign_keys = OFF", "", NULL);
}

static void
resume_foreign_keys (TacitStore *self)
{
  exec_script (self, "PRAGMA foreign_keys = ON", "", NULL);
}

gboolean
tacit_store_import_events (TacitStore        *self,
                           TacitEventReader **readers,
                           guint              n_readers,
                           TacitImportStats  *stats,
                           TacitProgressFunc  progress,
                           gpointer           progress_data,
                           GError           **error)
{
  TacitImportStats local_stats;
  Progress prog = { progress, progress_data, 0, 0 };
  gboolean fk_suspended;
  gboolean ok;

  g_return_val_if_fail (TACIT_IS_STORE (self), FALSE);
  g_return_val_if_fail (readers != NULL || n_readers == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (stats == NULL)
    stats = &local_stats;
  stats_init (stats, n_readers);
  for (guint i = 0; i < n_readers; i++)
    {
      guint64 size = tacit_event_reader_get_size (readers[i]);

      if (size == 0)
        {
          prog.total = 0;
          break;
        }
      prog.total += size;
    }

  fk_suspended = suspend_foreign_keys (self);
  exec_script (self, "PRAGMA cache_size = " IMPORT_CACHE_SIZE, "", NULL);
  ok = begin (self, error) &&
       import_in_transaction (self, readers, n_readers, stats, &prog, error) &&
       commit (self, error);
  if (!ok)
    {
      rollback (self);
      stats_init (stats, n_readers);
    }
  exec_script (self, "PRAGMA cache_size = " DEFAULT_CACHE_SIZE, "", NULL);
  if (fk_suspended)
    resume_foreign_keys (self);
  return ok;
}

gboolean
tacit_store_insert_events (TacitStore        *self,
                           const TacitEvent  *events,
                           guint              n_events,
                           TacitImportStats  *stats,
                           GError           **error)
{
  TacitImportStats local_stats;
  EventSink sink;
  gboolean ok;

  g_return_val_if_fail (TACIT_IS_STORE (self), FALSE);
  g_return_val_if_fail (events != NULL || n_events == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (stats == NULL)
    stats = &local_stats;
  stats_init (stats, 0);
  if (!begin (self, error))
    return FALSE;
  ok = sink_init (&sink, self, 0, stats, error);
  for (guint i = 0; ok && i < n_events; i++)
    ok = sink_put (&sink, &events[i], error);
  ok = ok && sink_finish (&sink, error);
  sink_clear (&sink);
  ok = ok && commit (self, error);
  if (!ok)
    {
      rollback (self);
      stats_init (stats, 0);
    }
  return ok;
}

guint64
tacit_store_count_events (TacitStore *self,
                          GError    **error)
{
  gint64 n = 0;

  g_return_val_if_fail (TACIT_IS_STORE (self), 0);

  /* Ids are dense from 1 and events are never deleted: the counter is the
   * count, without scanning millions of rows. */
  query_int64 (self, STMT_GET_EVENT_COUNTER, "counting events", &n, error);
  return (guint64) n;
}

/* ---- reading events back ---- */

struct _TacitEventCursor {
  TacitStore   *store;
  sqlite3_stmt *stmt;
  GPtrArray    *machines;   /* num → machine id (char*, NULL for gaps) */
  gboolean      done;
};

/* The machine ids by num, so that rows need no join. */
static gboolean
cursor_load_machines (TacitEventCursor *cursor,
                      GError          **error)
{
  TacitStore *self = cursor->store;
  g_autoptr(TacitStmt) stmt = get_stmt (self, STMT_MACHINE_NUMS, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  g_ptr_array_set_size (cursor->machines, 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 num = sqlite3_column_int64 (stmt, 0);

      if (num < 0 || num > G_MAXINT32)
        continue;
      if ((guint) num >= cursor->machines->len)
        g_ptr_array_set_size (cursor->machines, (guint) num + 1);
      g_free (g_ptr_array_index (cursor->machines, num));
      g_ptr_array_index (cursor->machines, num) = column_dup (stmt, 1);
    }
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, error, rc, "listing machines");
  return TRUE;
}

static const char *
cursor_machine (TacitEventCursor *cursor,
                gint64            num,
                GError          **error)
{
  for (int attempt = 0; attempt < 2; attempt++)
    {
      if (num >= 0 && num < cursor->machines->len &&
          g_ptr_array_index (cursor->machines, num) != NULL)
        return g_ptr_array_index (cursor->machines, num);
      /* Registered after the cursor started (this connection imports
       * while it reads): reload once. */
      if (attempt == 0 && !cursor_load_machines (cursor, error))
        return NULL;
    }
  g_set_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_CORRUPT,
               "%s: an event refers to machine %" G_GINT64_FORMAT ", which is not registered",
               cursor->store->path, num);
  return NULL;
}

TacitEventCursor *
tacit_store_query_events (TacitStore *self,
                          TacitTime   from,
                          TacitTime   to,
                          GError    **error)
{
  /* An open end binds nothing, so that an event at TACIT_TIME_MAX is not
   * lost to "time < TACIT_TIME_MAX". Both are range scans of the primary
   * key, which is (time, id): no sort. */
  static const char sql_bounded[] =
    "SELECT time, machine, kind, item, value, code, text FROM events "
    "WHERE time >= ?1 AND time < ?2 ORDER BY time, id";
  static const char sql_open[] =
    "SELECT time, machine, kind, item, value, code, text FROM events "
    "WHERE time >= ?1 ORDER BY time, id";
  g_autoptr(TacitEventCursor) cursor = NULL;
  int rc;

  g_return_val_if_fail (TACIT_IS_STORE (self), NULL);

  cursor = g_new0 (TacitEventCursor, 1);
  cursor->store = g_object_ref (self);
  cursor->machines = g_ptr_array_new_with_free_func (g_free);
  cursor->done = from >= to;
  rc = sqlite3_prepare_v3 (self->db, to == TACIT_TIME_MAX ? sql_open : sql_bounded,
                           -1, 0, &cursor->stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, error, rc, "querying events");
      return NULL;
    }
  sqlite3_bind_int64 (cursor->stmt, 1, from);
  if (to != TACIT_TIME_MAX)
    sqlite3_bind_int64 (cursor->stmt, 2, to);
  if (!cursor_load_machines (cursor, error))
    return NULL;
  return g_steal_pointer (&cursor);
}

gboolean
tacit_event_cursor_next (TacitEventCursor *cursor,
                         TacitEvent       *event,
                         GError          **error)
{
  sqlite3_stmt *stmt;
  int rc;
  int kind;

  g_return_val_if_fail (cursor != NULL, FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  if (cursor->done)
    return FALSE;
  stmt = cursor->stmt;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc != SQLITE_DONE)
        set_sqlite_error (cursor->store, error, rc, "reading events");
      cursor->done = TRUE;
      /* Ends the read transaction now rather than at free. */
      sqlite3_reset (stmt);
      return FALSE;
    }
  kind = sqlite3_column_int (stmt, 2);
  event->machine = cursor_machine (cursor, sqlite3_column_int64 (stmt, 1), error);
  if (event->machine == NULL)
    {
      cursor->done = TRUE;
      sqlite3_reset (stmt);
      return FALSE;
    }
  /* Pointers into the row: valid until the next step (the columns are
   * stored as TEXT, so no conversion invalidates them). */
  event->time = sqlite3_column_int64 (stmt, 0);
  event->kind = (kind >= 0 && kind < TACIT_N_KINDS) ? (TacitKind) kind : TACIT_KIND_EVENT;
  event->item = (const char *) sqlite3_column_text (stmt, 3);
  event->value = (const char *) sqlite3_column_text (stmt, 4);
  event->code = (const char *) sqlite3_column_text (stmt, 5);
  event->text = (const char *) sqlite3_column_text (stmt, 6);
  return TRUE;
}

void
tacit_event_cursor_free (TacitEventCursor *cursor)
{
  if (cursor == NULL)
    return;
  g_clear_pointer (&cursor->stmt, sqlite3_finalize);
  g_clear_pointer (&cursor->machines, g_ptr_array_unref);
  g_clear_object (&cursor->store);
  g_free (cursor);
}

/* ---- rules ---- */

static gboolean
get_library_row (TacitStore *self,
                 char      **name,
                 guint      *revision,
                 GError    **error)
{
  g_autoptr(TacitStmt) stmt = get_stmt (self, STMT_GET_LIBRARY, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  *revision = 0;
  if (name != NULL)
    *name = NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (name != NULL)
        *name = column_dup (stmt, 0);
      *revision = (guint) sqlite3_column_int64 (stmt, 1);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, error, rc, "reading the library");
  return TRUE;
}

static gboolean
put_library_row (TacitStore *self,
                 const char *name,
                 guint       revision,
                 GError    **error)
{
  g_autoptr(TacitStmt) stmt = get_stmt (self, STMT_PUT_LIBRARY, error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, name);
  sqlite3_bind_int64 (stmt, 2, revision);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  return step_done (self, stmt, "storing the library", error);
}

/* The current revision of a rule (0 when none) and its XML. */
/* The current revision of rule id (0 when unknown), its XML and status. */
static gboolean
get_rule_head_status (TacitStore      *self,
                      const char      *id,
                      guint           *revision,
                      char           **xml,
                      TacitRuleStatus *status,
                      GError         **error)
{
  g_autoptr(TacitStmt) stmt = get_stmt (self, STMT_RULE_HEAD, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  *revision = 0;
  if (xml != NULL)
    *xml = NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *revision = (guint) sqlite3_column_int64 (stmt, 0);
      if (xml != NULL)
        *xml = column_dup (stmt, 1);
      if (status != NULL)
        tacit_rule_status_from_string ((const char *) sqlite3_column_text (stmt, 2), status);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, error, rc, "reading a rule");
  return TRUE;
}

static gboolean
get_rule_head (TacitStore *self,
               const char *id,
               guint      *revision,
               char      **xml,
               GError    **error)
{
  return get_rule_head_status (self, id, revision, xml, NULL, error);
}

/* The library view's row for the new current revision (rule_index). */
static gboolean
put_rule_index (TacitStore      *self,
                const TacitRule *rule,
                gint64           saved_at,
                const char      *actor,
                GError         **error)
{
  g_autoptr(TacitStmt) stmt = get_stmt (self, STMT_PUT_RULE_INDEX, error);
  g_autofree TacitRuleSummary *summary = NULL;

  if (stmt == NULL)
    return FALSE;
  summary = tacit_rule_summary_new (rule, saved_at, actor);
  _tacit_rule_index_bind (stmt, summary);
  return step_done (self, stmt, "indexing a rule", error);
}

/* Stores rule (whose revision is already the new one) and audits it. */
static gboolean
insert_rule (TacitStore      *self,
             const TacitRule *rule,
             const char      *xml,
             const char      *actor,
             const char      *action,
             GError         **error)
{
  g_autoptr(TacitStmt) stmt = get_stmt (self, STMT_INSERT_RULE, error);
  g_autofree char *detail = NULL;
  gint64 saved_at = g_get_real_time ();

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, rule->id);
  sqlite3_bind_int64 (stmt, 2, rule->revision);
  bind_text (stmt, 3, tacit_rule_status_to_string (rule->status));
  bind_text (stmt, 4, tacit_rule_kind_to_string (rule->kind));
  bind_text (stmt, 5, rule->title != NULL ? rule->title : "");
  bind_text (stmt, 6, xml);
  sqlite3_bind_int64 (stmt, 7, saved_at);
  bind_text (stmt, 8, actor);
  if (!step_done (self, stmt, "storing a rule", error) ||
      !put_rule_index (self, rule, saved_at, actor, error))
    return FALSE;
  detail = g_strdup_printf ("revision %u", rule->revision);
  return audit_append (self, actor, action, rule->id, detail, error);
}

typedef enum {
  RULE_UNCHANGED,
  RULE_NEW,
  RULE_CHANGED,
} RuleChange;

/* Compares rule with the stored current revision by canonical XML (with
 * the revision attribute equalised) and stores it as a new revision when
 * it differs. */
static gboolean
import_rule (TacitStore      *self,
             const TacitRule *rule,
             const char      *actor,
             RuleChange      *change,
             GError         **error)
{
  g_autoptr(TacitRule) copy = tacit_rule_copy (rule);
  g_autofree char *head_xml = NULL;
  g_autofree char *xml = NULL;
  guint head = 0;

  if (!get_rule_head (self, rule->id, &head, &head_xml, error))
    return FALSE;
  *change = head == 0 ? RULE_NEW : RULE_CHANGED;
  if (head > 0)
    {
      copy->revision = head;
      xml = tacit_rule_to_xml (copy);
      if (g_strcmp0 (xml, head_xml) == 0)
        {
          *change = RULE_UNCHANGED;
          return TRUE;
        }
      g_clear_pointer (&xml, g_free);
    }
  copy->revision = MAX (head + 1, MAX (rule->revision, 1));
  xml = tacit_rule_to_xml (copy);
  return insert_rule (self, copy, xml, actor, "rule.import", error);
}

static gboolean
import_library_rules (TacitStore   *self,
                      TacitLibrary *library,
                      const char   *actor,
                      guint        *n_new,
                      guint        *n_changed,
                      GError      **error)
{
  g_autoptr(GPtrArray) rules = tacit_library_dup_rules_sorted (library);

  *n_new = *n_changed = 0;
  for (guint i = 0; i < rules->len; i++)
    {
      RuleChange change;

      if (!import_rule (self, g_ptr_array_index (rules, i), actor, &change, error))
        return FALSE;
      *n_new += change == RULE_NEW;
      *n_changed += change == RULE_CHANGED;
    }
  return TRUE;
}

static gboolean
import_library_machines (TacitStore   *self,
                         TacitLibrary *library,
                         GError      **error)
{
  GPtrArray *machines = tacit_library_get_machines (library);

  for (guint i = 0; machines != NULL && i < machines->len; i++)
    if (!put_machine (self, g_ptr_array_index (machines, i), error))
      return FALSE;
  return TRUE;
}

/* The library revision counts changes: the file's revision, or one more
 * than the stored one when the import changed any rule. */
static gboolean
import_library_in_transaction (TacitStore   *self,
                               TacitLibrary *library,
                               const char   *actor,
                               GError      **error)
{
  g_autofree char *detail = NULL;
  guint stored = 0, revision, n_new, n_changed;
  guint n_rules = tacit_library_get_rules (library)->len;

  if (!get_library_row (self, NULL, &stored, error) ||
      !import_library_machines (self, library, error) ||
      !import_library_rules (self, library, actor, &n_new, &n_changed, error))
    return FALSE;
  revision = MAX (tacit_library_get_revision (library), stored);
  if (n_new + n_changed > 0)
    revision = MAX (revision, stored + 1);
  revision = MAX (revision, 1);
  if (!put_library_row (self, tacit_library_get_name (library), revision, error))
    return FALSE;
  detail = g_strdup_printf ("revision %u: %u new, %u changed, %u unchanged rules",
                            revision, n_new, n_changed, n_rules - n_new - n_changed);
  return audit_append (self, actor, "library.import",
                       tacit_library_get_name (library), detail, error);
}

gboolean
tacit_store_import_library (TacitStore          *self,
                            TacitLibrary        *library,
                            const TacitOperator *actor,
                            GError             **error)
{
  g_autofree char *actor_id = NULL;

  g_return_val_if_fail (TACIT_IS_STORE (self), FALSE);
  g_return_val_if_fail (TACIT_IS_LIBRARY (library), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!tacit_store_check_access (self, actor, TACIT_PERMISSION_IMPORT,
                                 tacit_library_get_name (library), error))
    return FALSE;
  if (!begin (self, error))
    return FALSE;
  actor_id = tacit_operator_dup_actor_id (actor);
  if (!import_library_in_transaction (self, library, actor_id, error) ||
      !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

static TacitRule *
rule_from_row (TacitStore   *self,
               sqlite3_stmt *stmt,
               int           xml_column,
               const char   *id,
               GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *xml = (const char *) sqlite3_column_text (stmt, xml_column);
  int len = sqlite3_column_bytes (stmt, xml_column);
  TacitRule *rule = tacit_rule_from_xml (xml, len, &local_error);

  if (rule == NULL)
    g_set_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_CORRUPT,
                 "%s: stored rule “%s” revision %" G_GINT64_FORMAT " is unreadable: %s",
                 self->path, id, (gint64) sqlite3_column_int64 (stmt, xml_column - 1),
                 local_error->message);
  return rule;
}

static gboolean
load_rules (TacitStore   *self,
            TacitLibrary *library,
            GError      **error)
{
  g_autoptr(TacitStmt) stmt = get_stmt (self, STMT_RULE_HEADS, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      g_autoptr(TacitRule) rule = rule_from_row (self, stmt, 2, id, error);

      if (rule == NULL || !tacit_library_add_rule (library, rule, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, error, rc, "reading rules");
  return TRUE;
}

TacitLibrary *
tacit_store_load_library (TacitStore *self,
                          GError    **error)
{
  g_autoptr(TacitLibrary) library = tacit_library_new ();
  g_autoptr(GPtrArray) machines = NULL;
  g_autofree char *name = NULL;
  guint revision = 0;
  gboolean ok;

  g_return_val_if_fail (TACIT_IS_STORE (self), NULL);

  /* One read transaction: a consistent snapshot even while another
   * process imports. */
  if (!exec_script (self, "BEGIN", "reading the library", error))
    return NULL;
  ok = get_library_row (self, &name, &revision, error) &&
       (machines = tacit_store_list_machines (self, error)) != NULL &&
       load_rules (self, library, error);
  exec_script (self, "COMMIT", "reading the library", NULL);
  if (!ok)
    return NULL;
  tacit_library_set_name (library, name);
  tacit_library_set_revision (library, revision);
  for (guint i = 0; i < machines->len; i++)
    {
      const TacitMachine *m = g_ptr_array_index (machines, i);

      tacit_library_add_machine (library, m->id, m->name, m->class_name, m->cell);
    }
  return g_steal_pointer (&library);
}

/* What saving rule over the current revision (head, 0 when new) takes:
 * operators only propose (new rules, or proposals not yet decided);
 * a change of status to approved or retired is a review decision. */
static TacitPermission
save_permission (const TacitRule *rule,
                 guint            head,
                 TacitRuleStatus  head_status)
{
  gboolean undecided = head == 0 || head_status == TACIT_RULE_STATUS_DRAFT ||
                       head_status == TACIT_RULE_STATUS_PROPOSED;

  if (rule->status == TACIT_RULE_STATUS_RETIRED && (head == 0 || head_status != TACIT_RULE_STATUS_RETIRED))
    return TACIT_PERMISSION_RETIRE;
  if (rule->status == TACIT_RULE_STATUS_APPROVED && (head == 0 || head_status != TACIT_RULE_STATUS_APPROVED))
    return TACIT_PERMISSION_REVIEW;
  if (undecided && (rule->status == TACIT_RULE_STATUS_PROPOSED || rule->status == TACIT_RULE_STATUS_DRAFT))
    return TACIT_PERMISSION_PROPOSE;
  return TACIT_PERMISSION_EDIT_RULE;
}

static gboolean
save_rule_in_transaction (TacitStore          *self,
                          TacitRule           *rule,
                          guint                base_revision,
                          const TacitOperator *actor,
                          GError             **error)
{
  g_autofree char *xml = NULL;
  g_autofree char *name = NULL;
  guint head = 0, library_revision = 0;
  guint old_revision = rule->revision;
  TacitRuleStatus head_status = TACIT_RULE_STATUS_DRAFT;
  g_autofree char *actor_id = NULL;
  gboolean ok;

  if (!get_rule_head_status (self, rule->id, &head, NULL, &head_status, error) ||
      !tacit_access_check (actor, save_permission (rule, head, head_status), error))
    return FALSE;
  if (head != base_revision)
    {
      g_set_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_CONFLICT,
                   "%s: rule “%s” was changed meanwhile: the edit is based on "
                   "revision %u, but the current revision is %u",
                   self->path, rule->id, base_revision, head);
      return FALSE;
    }
  rule->revision = head + 1;
  xml = tacit_rule_to_xml (rule);
  actor_id = tacit_operator_dup_actor_id (actor);
  ok = insert_rule (self, rule, xml, actor_id, "rule.save", error) &&
       get_library_row (self, &name, &library_revision, error) &&
       put_library_row (self, name, library_revision + 1, error);
  if (!ok)
    rule->revision = old_revision;
  return ok;
}

gboolean
tacit_store_save_rule (TacitStore          *self,
                       TacitRule           *rule,
                       guint                base_revision,
                       const TacitOperator *actor,
                       GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  guint old_revision;

  g_return_val_if_fail (TACIT_IS_STORE (self), FALSE);
  g_return_val_if_fail (rule != NULL && rule->id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  old_revision = rule->revision;
  if (!begin (self, error))
    return FALSE;
  if (!save_rule_in_transaction (self, rule, base_revision, actor, &local_error) ||
      !commit (self, &local_error))
    {
      rule->revision = old_revision;
      rollback (self);
      audit_refusal (self, actor, rule->id, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* For core modules that save a rule together with their own rows
 * (tacit-review): tacit_store_save_rule inside the caller's transaction. */
gboolean
_tacit_store_save_rule_in_transaction (TacitStore          *self,
                                       TacitRule           *rule,
                                       guint                base_revision,
                                       const TacitOperator *actor,
                                       GError             **error)
{
  g_return_val_if_fail (TACIT_IS_STORE (self), FALSE);
  g_return_val_if_fail (rule != NULL && rule->id != NULL, FALSE);

  return save_rule_in_transaction (self, rule, base_revision, actor, error);
}

GPtrArray *
tacit_store_list_rule_revisions (TacitStore *self,
                                 const char *rule_id,
                                 GError    **error)
{
  g_autoptr(TacitStmt) stmt = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  int rc;

  g_return_val_if_fail (TACIT_IS_STORE (self), NULL);
  g_return_val_if_fail (rule_id != NULL, NULL);

  if ((stmt = get_stmt (self, STMT_RULE_REVISIONS, error)) == NULL)
    return NULL;
  bind_text (stmt, 1, rule_id);
  rules = g_ptr_array_new_with_free_func ((GDestroyNotify) tacit_rule_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TacitRule *rule = rule_from_row (self, stmt, 1, rule_id, error);

      if (rule == NULL)
        return NULL;
      g_ptr_array_add (rules, rule);
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, rc, "reading rule revisions");
      return NULL;
    }
  return g_steal_pointer (&rules);
}

/* ---- suggestions ---- */

static char *
actions_json (const TacitRule *rule)
{
  GString *json = g_string_new ("[");

  for (guint i = 0; rule->actions != NULL && i < rule->actions->len; i++)
    {
      const TacitAction *action = g_ptr_array_index (rule->actions, i);

      if (i > 0)
        g_string_append_c (json, ',');
      g_string_append (json, "{\"parameter\":");
      tacit_json_append_string (json, action->parameter);
      g_string_append (json, ",\"change\":");
      tacit_json_append_string (json, action->change);
      g_string_append_c (json, '}');
    }
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

static int
compare_context_items (gconstpointer a,
                       gconstpointer b)
{
  const TacitContextItem *x = *(const TacitContextItem *const *) a;
  const TacitContextItem *y = *(const TacitContextItem *const *) b;

  return strcmp (x->item, y->item);
}

/* {item: value} with keys sorted byte by byte, whatever order the array
 * is in, so that exports are byte-identical. */
static char *
context_json (const TacitSuggestion *suggestion)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  GString *json = g_string_new ("{");

  for (guint i = 0; suggestion->context != NULL && i < suggestion->context->len; i++)
    g_ptr_array_add (items, g_ptr_array_index (suggestion->context, i));
  g_ptr_array_sort (items, compare_context_items);
  for (guint i = 0; i < items->len; i++)
    {
      const TacitContextItem *item = g_ptr_array_index (items, i);

      if (i > 0)
        g_string_append_c (json, ',');
      tacit_json_append_string (json, item->item);
      g_string_append_c (json, ':');
      tacit_json_append_string (json, item->value);
    }
  g_string_append_c (json, '}');
  return g_string_free (json, FALSE);
}

static void
bind_trigger (sqlite3_stmt     *stmt,
              const TacitEvent *trigger)
{
  if (trigger == NULL)
    {
      for (int i = 12; i <= 17; i++)
        sqlite3_bind_null (stmt, i);
      return;
    }
  sqlite3_bind_int64 (stmt, 12, trigger->time);
  sqlite3_bind_int (stmt, 13, (int) trigger->kind);
  bind_text (stmt, 14, trigger->item);
  bind_text (stmt, 15, trigger->value);
  bind_text (stmt, 16, trigger->code);
  bind_text (stmt, 17, trigger->text);
}

static gboolean
upsert_suggestion (TacitStore            *self,
                   sqlite3_stmt          *stmt,
                   const TacitSuggestion *s,
                   gint64                 now,
                   GError               **error)
{
  g_autofree char *actions = actions_json (s->rule);
  g_autofree char *context = context_json (s);
  gboolean closed = s->has_outcome && s->outcome_closed;
  gboolean ok;

  bind_text (stmt, 1, s->id);
  sqlite3_bind_int64 (stmt, 2, s->time);
  bind_text (stmt, 3, s->machine);
  bind_text (stmt, 4, s->rule->id);
  sqlite3_bind_int64 (stmt, 5, s->rule->revision);
  bind_text (stmt, 6, tacit_rule_kind_to_string (s->rule->kind));
  bind_text (stmt, 7, tacit_severity_to_string (s->rule->severity));
  bind_text (stmt, 8, tacit_mode_to_string (s->mode));
  sqlite3_bind_double (stmt, 9, s->propensity);
  bind_text (stmt, 10, tacit_rule_get_text (s->rule, NULL));
  bind_text (stmt, 11, actions);
  bind_trigger (stmt, s->trigger);
  bind_text (stmt, 18, context);
  sqlite3_bind_int (stmt, 19, s->has_outcome);
  if (closed)
    sqlite3_bind_int64 (stmt, 20, s->outcome);
  else
    sqlite3_bind_null (stmt, 20);
  sqlite3_bind_int (stmt, 21, closed);
  sqlite3_bind_int64 (stmt, 22, now);
  ok = step_done (self, stmt, "storing a suggestion", error);
  stmt_release (stmt);
  return ok;
}

gboolean
tacit_store_record_suggestions (TacitStore       *self,
                                TacitSuggestion **suggestions,
                                guint             n_suggestions,
                                GError          **error)
{
  sqlite3_stmt *stmt;
  gint64 now = g_get_real_time ();

  g_return_val_if_fail (TACIT_IS_STORE (self), FALSE);
  g_return_val_if_fail (suggestions != NULL || n_suggestions == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < n_suggestions; i++)
    g_return_val_if_fail (suggestions[i] != NULL && suggestions[i]->rule != NULL &&
                          suggestions[i]->machine != NULL, FALSE);

  if ((stmt = get_stmt (self, STMT_UPSERT_SUGGESTION, error)) == NULL ||
      !begin (self, error))
    return FALSE;
  for (guint i = 0; i < n_suggestions; i++)
    if (!upsert_suggestion (self, stmt, suggestions[i], now, error))
      {
        rollback (self);
        return FALSE;
      }
  return commit (self, error);
}

guint64
tacit_store_count_suggestions (TacitStore *self,
                               GError    **error)
{
  gint64 n = 0;

  g_return_val_if_fail (TACIT_IS_STORE (self), 0);

  query_int64 (self, STMT_COUNT_SUGGESTIONS, "counting suggestions", &n, error);
  return (guint64) n;
}

static const char *
response_to_string (TacitResponseKind response)
{
  switch (response)
    {
    case TACIT_RESPONSE_ACCEPTED:
      return "accepted";
    case TACIT_RESPONSE_DISMISSED:
      return "dismissed";
    case TACIT_RESPONSE_EXPIRED:
      return "expired";
    default:
      return NULL;
    }
}

static gboolean
suggestion_exists (TacitStore *self,
                   const char *suggestion_id,
                   GError    **error)
{
  g_autoptr(TacitStmt) stmt = get_stmt (self, STMT_SUGGESTION_EXISTS, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, suggestion_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, error, rc, "looking up a suggestion");
  g_set_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_NOT_FOUND,
               "%s: no suggestion with id %s", self->path, suggestion_id);
  return FALSE;
}

static gboolean
insert_response (TacitStore *self,
                 const char *suggestion_id,
                 const char *response,
                 const char *reason,
                 const char *actor,
                 TacitTime   responded_at,
                 GError    **error)
{
  g_autoptr(TacitStmt) stmt = get_stmt (self, STMT_INSERT_RESPONSE, error);
  g_autofree char *detail = NULL;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, suggestion_id);
  bind_text (stmt, 2, response);
  bind_text (stmt, 3, reason);
  bind_text (stmt, 4, actor);
  sqlite3_bind_int64 (stmt, 5, responded_at);
  sqlite3_bind_int64 (stmt, 6, g_get_real_time ());
  if (!step_done (self, stmt, "storing a response", error))
    return FALSE;
  detail = reason != NULL ? g_strdup_printf ("%s: %s", response, reason) : g_strdup (response);
  return audit_append (self, actor, "suggestion.respond", suggestion_id, detail, error);
}

gboolean
tacit_store_record_response (TacitStore        *self,
                             const char        *suggestion_id,
                             TacitResponseKind  response,
                             const char        *reason,
                             const char        *actor,
                             TacitTime          responded_at,
                             GError           **error)
{
  const char *name = response_to_string (response);

  g_return_val_if_fail (TACIT_IS_STORE (self), FALSE);
  g_return_val_if_fail (suggestion_id != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!begin (self, error))
    return FALSE;
  if (!suggestion_exists (self, suggestion_id, error) ||
      !insert_response (self, suggestion_id, name, reason, actor, responded_at, error) ||
      !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

/* ---- live sources (tacit-source-store.h, schema version 3) ---- */

static sqlite3_stmt *
prepare_once (TacitStore *self,
              const char *sql,
              GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, error, rc, "preparing a statement");
      return NULL;
    }
  return stmt;
}

static gboolean
put_source_position (TacitStore                *self,
                     const TacitSourcePosition *position,
                     GError                   **error)
{
  g_autoptr(TacitStmtFinalize) stmt = prepare_once (self,
    "INSERT INTO sources (url, kind, instance_id, next_sequence, state, updated) "
    "VALUES (?1, 'mtconnect', ?2, ?3, 'connected', ?4) "
    "ON CONFLICT (url) DO UPDATE SET instance_id = excluded.instance_id, "
    "next_sequence = excluded.next_sequence, updated = excluded.updated", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, position->url);
  sqlite3_bind_int64 (stmt, 2, (gint64) position->instance_id);
  sqlite3_bind_int64 (stmt, 3, (gint64) position->next_sequence);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  return step_done (self, stmt, "storing a source position", error);
}

static gboolean
put_late_flags (TacitStore       *self,
                const TacitEvent *events,
                guint             n_events,
                const TacitTime  *late_behind,
                GError          **error)
{
  g_autoptr(TacitStmtFinalize) stmt = NULL;
  gint64 now = g_get_real_time ();

  for (guint i = 0; i < n_events; i++)
    {
      if (late_behind[i] == TACIT_TIME_MIN)
        continue;
      if (stmt == NULL && (stmt = prepare_once (self,
            "INSERT INTO late_events (time, machine, kind, item, value, last_time, received) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error)) == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, events[i].time);
      bind_text (stmt, 2, events[i].machine);
      sqlite3_bind_int (stmt, 3, (int) events[i].kind);
      bind_text (stmt, 4, events[i].item);
      bind_text (stmt, 5, events[i].value);
      sqlite3_bind_int64 (stmt, 6, late_behind[i]);
      sqlite3_bind_int64 (stmt, 7, now);
      if (!step_done (self, stmt, "flagging a late event", error))
        return FALSE;
      sqlite3_reset (stmt);
    }
  return TRUE;
}

gboolean
_tacit_store_insert_live_batch (TacitStore                *self,
                                const TacitEvent          *events,
                                guint                      n_events,
                                const TacitTime           *late_behind,
                                const TacitSourcePosition *position,
                                GError                   **error)
{
  TacitImportStats stats;
  EventSink sink;
  gboolean ok;

  g_return_val_if_fail (TACIT_IS_STORE (self), FALSE);
  g_return_val_if_fail (events != NULL || n_events == 0, FALSE);

  stats_init (&stats, 0);
  if (!begin (self, error))
    return FALSE;
  ok = sink_init (&sink, self, 0, &stats, error);
  for (guint i = 0; ok && i < n_events; i++)
    ok = sink_put (&sink, &events[i], error);
  ok = ok && sink_finish (&sink, error);
  sink_clear (&sink);
  ok = ok && (late_behind == NULL || put_late_flags (self, events, n_events, late_behind, error));
  ok = ok && (position == NULL || put_source_position (self, position, error));
  ok = ok && commit (self, error);
  if (!ok)
    rollback (self);
  return ok;
}

gboolean
_tacit_store_get_source_position (TacitStore *self,
                                  const char *url,
                                  guint64    *instance_id,
                                  guint64    *next_sequence,
                                  GError    **error)
{
  g_autoptr(TacitStmtFinalize) stmt = prepare_once (self,
    "SELECT instance_id, next_sequence FROM sources "
    "WHERE url = ?1 AND next_sequence IS NOT NULL", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, url);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return FALSE;
  if (rc != SQLITE_ROW)
    return set_sqlite_error (self, error, rc, "reading a source position");
  *instance_id = (guint64) sqlite3_column_int64 (stmt, 0);
  *next_sequence = (guint64) sqlite3_column_int64 (stmt, 1);
  return TRUE;
}

gboolean
_tacit_store_set_source_state (TacitStore *self,
                               const char *url,
                               const char *kind,
                               const char *state,
                               const char *message,
                               GError    **error)
{
  g_autoptr(TacitStmtFinalize) stmt = prepare_once (self,
    "INSERT INTO sources (url, kind, state, message, updated) VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT (url) DO UPDATE SET state = excluded.state, "
    "message = excluded.message, updated = excluded.updated", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, url);
  bind_text (stmt, 2, kind);
  bind_text (stmt, 3, state);
  bind_text (stmt, 4, message);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time ());
  return step_done (self, stmt, "storing a source state", error);
}

gboolean
_tacit_store_add_machine_if_missing (TacitStore *self,
                                     const char *id,
                                     const char *name,
                                     GError    **error)
{
  g_autoptr(TacitStmtFinalize) stmt = prepare_once (self,
    "INSERT INTO machines (id, name) VALUES (?1, ?2) ON CONFLICT (id) DO NOTHING", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  bind_text (stmt, 2, name);
  return step_done (self, stmt, "registering a machine", error);
}

gboolean
_tacit_store_find_stored_events (TacitStore       *self,
                                 const TacitEvent *events,
                                 guint             n_events,
                                 gboolean         *stored,
                                 GError          **error)
{
  g_autoptr(TacitStmtFinalize) stmt = prepare_once (self,
    "SELECT 1 FROM events WHERE machine = (SELECT num FROM machines WHERE id = ?1) "
    "AND time = ?2 AND kind = ?3 AND item = ?4 AND value IS ?5 AND code IS ?6 "
    "AND text IS ?7 LIMIT 1", error);

  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < n_events; i++)
    {
      int rc;

      bind_text (stmt, 1, events[i].machine);
      sqlite3_bind_int64 (stmt, 2, events[i].time);
      sqlite3_bind_int (stmt, 3, (int) events[i].kind);
      bind_text (stmt, 4, events[i].item);
      bind_text (stmt, 5, events[i].value);
      bind_text (stmt, 6, events[i].code);
      bind_text (stmt, 7, events[i].text);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return set_sqlite_error (self, error, rc, "looking for a stored event");
      stored[i] = rc == SQLITE_ROW;
    }
  return TRUE;
}
