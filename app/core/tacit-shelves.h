/* tacit-shelves.h: shelving a rule at a kiosk station (the OPC UA Alarms &
 * Conditions model: an operator puts a nuisance away for a while, with a
 * comment; it comes back by itself).
 *
 * Kinds, and how each expires by itself (cleared_reason in parentheses):
 *   one-shot  "just this once": the rule's next firing at the station is
 *             suppressed, then the shelf clears ("fired-once");
 *   timed     for a duration: clears when expires_at passes ("expired");
 *   lot       while the machine runs the lot it ran when shelved: clears
 *             when that item's value changes ("lot-changed");
 *   tool      the same for the tool ("tool-changed").
 * An operator or engineer may also take a shelf down ("unshelved").
 *
 * Times are the kiosk's clock: the event time of the plant (for live
 * sources the wall clock; for a simulated shift the simulated time).
 *
 * What happens to a shelved rule's suggestions: they are recorded as
 * usual (the engine and the dataset see them) but never shown; each gets
 * the response `dismissed` with reason `shelved`, in the name of whoever
 * shelved the rule, since it is their standing answer — so a shelved
 * suggestion is never held, never counted against the budget and never
 * expires unanswered. The audit log has every shelf, clearing and expiry
 * (actions shelf.create, shelf.clear, shelf.expire).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tacit-store.h"

G_BEGIN_DECLS

typedef enum {
  TACIT_SHELF_ONE_SHOT,
  TACIT_SHELF_TIMED,
  TACIT_SHELF_LOT,
  TACIT_SHELF_TOOL,
} TacitShelfKind;

typedef struct {
  gint64          id;
  char           *rule_id;
  char           *station;         /* "" for a kiosk showing every machine */
  char           *machine;         /* NULL: every machine of the station */
  TacitShelfKind  kind;
  char           *item;            /* lot, tool: the item ("material_lot") */
  char           *value;           /* lot, tool: its value when shelved */
  char           *comment;         /* "" when none */
  char           *actor;           /* "op-117" */
  TacitTime       shelved_at;
  TacitTime       expires_at;      /* timed; else 0 */
  TacitTime       cleared_at;      /* 0 while the shelf stands */
  char           *cleared_reason;  /* NULL while it stands */
} TacitShelf;

const char *tacit_shelf_kind_to_string   (TacitShelfKind  kind);
gboolean    tacit_shelf_kind_from_string (const char     *text,
                                          TacitShelfKind *out);
TacitShelf *tacit_shelf_copy             (const TacitShelf *shelf);
void        tacit_shelf_free             (TacitShelf     *shelf);

/* Puts rule_id away at station (machine NULL: on every machine there).
 * Needs TACIT_PERMISSION_RESPOND. lot and tool need item and value (what
 * the machine runs now); timed needs duration > 0. Stored and audited in
 * one transaction. Returns the shelf's id (> 0), 0 on error. */
gint64      tacit_shelves_shelve         (TacitStore          *store,
                                          const TacitOperator *actor,
                                          const char          *rule_id,
                                          const char          *station,
                                          const char          *machine,
                                          TacitShelfKind       kind,
                                          const char          *item,
                                          const char          *value,
                                          TacitTime            duration,
                                          const char          *comment,
                                          TacitTime            now,
                                          GError             **error);

/* Takes a standing shelf down ("unshelved"). Needs
 * TACIT_PERMISSION_RESPOND; audited. */
gboolean    tacit_shelves_clear          (TacitStore          *store,
                                          const TacitOperator *actor,
                                          gint64               shelf_id,
                                          TacitTime            now,
                                          GError             **error);

/* TacitShelf* (freed with the array), newest first: the standing shelves
 * of station (NULL: every station), with the cleared ones too when
 * include_cleared. */
GPtrArray  *tacit_shelves_list           (TacitStore          *store,
                                          const char          *station,
                                          gboolean             include_cleared,
                                          GError             **error);

/* Whether rule_id firing on machine at station is shelved at now, given
 * the machine's current values (item → value; NULL when unknown). Clears
 * on the way what has expired: timed shelves past expires_at, lot and
 * tool shelves whose item now has another value, and the one-shot shelf
 * that suppresses this firing. *shelf is set to a copy of the shelf that
 * suppresses it, or NULL. Returns FALSE only on error. */
gboolean    tacit_shelves_check          (TacitStore          *store,
                                          const char          *rule_id,
                                          const char          *station,
                                          const char          *machine,
                                          GHashTable          *values,
                                          TacitTime            now,
                                          TacitShelf         **shelf,
                                          GError             **error);

/* Expiry without a firing: clears the timed shelves past expires_at, and
 * (machine and item given) the lot and tool shelves of that machine whose
 * item now reads value. Returns the number cleared, -1 on error. */
gint64      tacit_shelves_expire         (TacitStore          *store,
                                          TacitTime            now,
                                          const char          *machine,
                                          const char          *item,
                                          const char          *value,
                                          GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TacitShelf, tacit_shelf_free)

G_END_DECLS
