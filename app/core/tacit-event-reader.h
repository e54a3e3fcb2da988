/* tacit-event-reader.h: streaming readers for CSV, JSONL and MTConnect
 * Streams XML event files (SPEC "Event input formats").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tacit-event.h"

G_BEGIN_DECLS

typedef enum {
  TACIT_EVENT_FORMAT_AUTO,       /* from the file name's extension */
  TACIT_EVENT_FORMAT_CSV,
  TACIT_EVENT_FORMAT_JSONL,
  TACIT_EVENT_FORMAT_MTCONNECT,
} TacitEventFormat;

typedef enum {
  TACIT_EVENT_READER_NONE                   = 0,
  TACIT_EVENT_READER_IGNORE_UNKNOWN_COLUMNS = 1 << 0,
} TacitEventReaderFlags;

#define TACIT_TYPE_EVENT_READER (tacit_event_reader_get_type ())
G_DECLARE_FINAL_TYPE (TacitEventReader, tacit_event_reader, TACIT, EVENT_READER, GObject)

gboolean          tacit_event_format_from_string   (const char            *name,
                                                    TacitEventFormat      *out);
/* Guess from the extension (.csv .jsonl .ndjson .json .xml, each also
 * with .gz, .bz2 or .xz after it); AUTO if unknown. */
TacitEventFormat  tacit_event_format_for_path      (const char            *path);

/* path "-" is standard input and needs an explicit format. A path ending
 * in .gz, .bz2 or .xz is decompressed as it is read. */
TacitEventReader *tacit_event_reader_new_for_path   (const char            *path,
                                                    TacitEventFormat       format,
                                                    TacitEventReaderFlags  flags,
                                                    GError               **error);
TacitEventReader *tacit_event_reader_new_for_stream (GInputStream          *stream,
                                                    const char            *display_name,
                                                    TacitEventFormat       format,
                                                    TacitEventReaderFlags  flags);

/* A plant's own export read through an import profile
 * (tacit-import-profile.h, docs/import-profiles.md). */
typedef struct _TacitImportProfile TacitImportProfile;
TacitEventReader *tacit_event_reader_new_with_profile (const char          *path,
                                                      TacitImportProfile  *profile,
                                                      GError             **error);

/* Reads the next event. Returns TRUE and fills *event, whose strings stay
 * valid until the next call; FALSE at the end (error unset) or on bad input
 * (error set in TACIT_INPUT_ERROR, message "FILE:LINE: problem"). After an
 * error the reader stays failed. */
gboolean          tacit_event_reader_next          (TacitEventReader      *self,
                                                    TacitEvent            *event,
                                                    GError               **error);

const char       *tacit_event_reader_get_display_name (TacitEventReader   *self);
/* Line (CSV/JSONL: physical line where the record starts; XML: the
 * element's line) of the event returned last. */
guint64           tacit_event_reader_get_line      (TacitEventReader      *self);
/* Bytes consumed so far and the input's size (0 when unknown): progress. */
guint64           tacit_event_reader_get_bytes_read (TacitEventReader     *self);
guint64           tacit_event_reader_get_size      (TacitEventReader      *self);

/* The Header of an MTConnect Streams document: what a client polling an
 * agent needs to ask for the next observations (sample?from=next_sequence)
 * and to notice an agent restart (instance_id changes). 0 when absent. */
typedef struct {
  guint64 instance_id;
  guint64 first_sequence;
  guint64 last_sequence;
  guint64 next_sequence;
} TacitMtconnectHeader;

/* FALSE unless the input is MTConnect and its Header has been read (the
 * first tacit_event_reader_next() call reads the whole document). */
gboolean          tacit_event_reader_get_mtconnect_header (TacitEventReader     *self,
                                                          TacitMtconnectHeader *out);

G_END_DECLS
