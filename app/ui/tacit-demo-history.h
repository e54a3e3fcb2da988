/* tacit-demo-history.h: earlier shifts of the demo plant, so that a fresh
 * desktop has history to backtest, evidence to weigh and rules to propose
 * for retirement.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tacit-store.h"

G_BEGIN_DECLS

#define TACIT_DEMO_HISTORY_SHIFTS 3

/* The bundled shift (data/demo/shift.csv) played TACIT_DEMO_HISTORY_SHIFTS
 * times, on each of the days before its own, stored as events; replayed
 * through the stored library, its suggestions recorded; the live ones
 * answered by the demo operators, drawn reproducibly from each
 * suggestion's id with a per-rule acceptance (some rules are trusted,
 * some mostly dismissed). A store that has events already is left alone. */
gboolean tacit_demo_seed_history (TacitStore  *store,
                                  GError     **error);

G_END_DECLS
