/* tacit-cli-output.h: how tacit-cli prints suggestions and rule figures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tacit-alarm-load.h"
#include "tacit-engine.h"

G_BEGIN_DECLS

typedef enum {
  TACIT_OUTPUT_JSONL,
  TACIT_OUTPUT_TABLE,
} TacitOutputFormat;

gboolean tacit_output_format_from_string (const char        *text,
                                          TacitOutputFormat *out);

/* One line (newline included). lang picks the advice text. */
void     tacit_output_suggestion_jsonl   (GString           *out,
                                          TacitSuggestion   *suggestion,
                                          const char        *lang);
void     tacit_output_suggestion_table   (GString           *out,
                                          TacitSuggestion   *suggestion,
                                          const char        *lang);
void     tacit_output_table_header       (GString           *out);

/* Per rule figures: firings, suppressed, firings per hour of replayed
 * time (hours <= 0: not computable), flood and chattering flags. */
void     tacit_output_stats              (GString              *out,
                                          TacitOutputFormat     format,
                                          const TacitRuleStats *stats,
                                          guint                 n_stats,
                                          double                hours);

/* Per station alarm load (TacitStationLoad), after the rules. */
void     tacit_output_station_loads      (GString              *out,
                                          TacitOutputFormat     format,
                                          GArray               *stations);

G_END_DECLS
