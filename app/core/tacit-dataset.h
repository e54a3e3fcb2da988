/* tacit-dataset.h: the ML dataset export (SPEC "ML dataset export";
 * docs/dataset.md describes every file and field).
 *
 * An export directory holds suggestions.jsonl, events.jsonl, rules.xml,
 * with layout episodes also episodes.jsonl, with layout bandit also
 * bandit.jsonl, and dataset.json: the card (JSON Schema of every JSONL
 * file's lines, counts, time range, library, SHA-256 of each file, the
 * exporting version). No wall-clock time is written anywhere, so the same
 * store gives byte-identical files.
 *
 * Rows are streamed from SQLite in one read transaction (a consistent
 * snapshot); memory does not grow with the number of suggestions. Files
 * are written under temporary names and renamed into place only when
 * every file is complete: a failed or cancelled export leaves no new file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tacit-store.h"

G_BEGIN_DECLS

typedef enum {
  TACIT_DATASET_LAYOUT_FLAT,       /* the four files only */
  TACIT_DATASET_LAYOUT_EPISODES,   /* + episodes.jsonl (RLDS-style steps) */
  TACIT_DATASET_LAYOUT_BANDIT,     /* + bandit.jsonl (Open Bandit Dataset shape) */
} TacitDatasetLayout;

typedef struct {
  TacitTime          from;          /* TACIT_TIME_MIN: open */
  TacitTime          to;            /* TACIT_TIME_MAX: open; times < to */
  TacitDatasetLayout layout;
  /* Episodes: shifts are shift_length blocks starting shift_offset after
   * midnight UTC (defaults: 8 h from 06:00, so 06:00, 14:00, 22:00). */
  TacitTime          shift_offset;
  TacitTime          shift_length;
  /* Who exports: an export needs TACIT_PERMISSION_EXPORT (an engineer or
   * the local administrator). Not owned. */
  const TacitOperator *actor;
} TacitDatasetOptions;

typedef struct {
  guint64 suggestions;
  guint64 events;
  guint64 steps;                    /* episodes.jsonl lines */
  guint64 episodes;
  guint64 rounds;                   /* bandit.jsonl lines */
} TacitDatasetStats;

void         tacit_dataset_options_init     (TacitDatasetOptions *options);

const char  *tacit_dataset_layout_to_string   (TacitDatasetLayout  layout);
gboolean     tacit_dataset_layout_from_string (const char         *text,
                                               TacitDatasetLayout *out);

/* The shift that contains time: its start (inclusive). */
TacitTime    tacit_dataset_shift_start      (const TacitDatasetOptions *options,
                                             TacitTime                  time);

/* Writes the export into dir (created when missing). progress gets
 * done/total in rows (suggestions and events); returning FALSE cancels
 * with G_IO_ERROR_CANCELLED. stats may be NULL. Refused
 * (TACIT_STORE_ERROR_PERMISSION) unless options->actor may export. */
gboolean     tacit_dataset_export           (TacitStore                *store,
                                             const char                *dir,
                                             const TacitDatasetOptions *options,
                                             TacitDatasetStats         *stats,
                                             TacitProgressFunc          progress,
                                             gpointer                   progress_data,
                                             GError                   **error);

G_END_DECLS
