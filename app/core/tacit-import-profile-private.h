/* tacit-import-profile-private.h: what the profile, SHDR and report code
 * of the core share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libxml/tree.h>

#include "tacit-import-profile.h"
#include "tacit-error.h"

G_BEGIN_DECLS

typedef enum {
  TIME_ISO8601,
  TIME_DMY,
  TIME_MDY,
  TIME_UNIX_S,
  TIME_UNIX_MS,
  TIME_EXCEL,
} TimeFormat;

typedef enum {
  REPEATED_FIRST,
  REPEATED_SECOND,
  REPEATED_ERROR,
} Repeated;

typedef enum {
  UNMAPPED_KEEP,
  UNMAPPED_SKIP,
  UNMAPPED_ERROR,
} Unmapped;

typedef enum {
  PF_TIME,
  PF_MACHINE,
  PF_KIND,
  PF_ITEM,
  PF_VALUE,
  PF_CODE,
  PF_TEXT,
  PF_N,
} ProfileField;

/* A cell by header name or 1-based position, or a constant. */
typedef struct {
  gboolean  set;
  char     *column;     /* header name, or NULL */
  guint     index;      /* 1-based, 0: by name */
  char     *constant;   /* or NULL */
} ColumnRef;

typedef struct {
  ColumnRef  ref;
  char      *item;      /* NULL: the header's name */
  TacitKind  kind;      /* <wide kind> unless the column says */
} WideColumn;

struct _TacitImportProfile
{
  GObject      parent_instance;

  char        *name;
  char        *display_name;    /* of the profile file */
  char         delimiter;
  char         quote;           /* '\0': none */
  guint        skip_rows;
  gboolean     header;
  gboolean     decimal_comma;
  char        *encoding;        /* NULL: UTF-8 */

  ColumnRef    fields[PF_N];
  ColumnRef    clock;           /* the time of day when not in the time column */
  TimeFormat   time_format;
  GTimeZone   *zone;
  char        *zone_name;
  Repeated     repeated;
  TacitKind    kind;            /* when fields[PF_KIND] is a constant */
  GHashTable  *value_map;       /* from → to */
  Unmapped     unmapped;

  gboolean     wide;
  TacitKind    wide_kind;
  GPtrArray   *wide_columns;    /* WideColumn*; empty: every other column */
};

/* Hardened XML: size bound, UTF-8, no NUL, DOCTYPE refused before the
 * parser sees it, no network, no entities, depth bounded. */
xmlDoc   *_tacit_import_xml_parse      (const char  *data,
                                        gsize        len,
                                        gsize        max_bytes,
                                        const char  *display_name,
                                        GError     **error);

/* Local wall-clock microseconds (as if UTC) to UTC in zone. FALSE with
 * *problem (a static printf format taking the zone's name) in a
 * daylight-saving gap, or when repeated is REPEATED_ERROR and the time
 * occurs twice. */
gboolean  _tacit_import_resolve_local  (GTimeZone   *zone,
                                        gint64       local_us,
                                        Repeated     repeated,
                                        TacitTime   *out,
                                        const char **problem);

/* Parses text in format; NULL zone is UTC. *problem explains a failure
 * (owned by the caller). */
gboolean  _tacit_import_parse_time     (const char  *text,
                                        TimeFormat   format,
                                        GTimeZone   *zone,
                                        const char  *zone_name,
                                        Repeated     repeated,
                                        gboolean     decimal_comma,
                                        TacitTime   *out,
                                        char       **problem);

/* The report. */
void      _tacit_import_report_init    (TacitImportReport *report);
void      _tacit_import_report_clear   (TacitImportReport *report);
void      _tacit_import_report_skip    (TacitImportReport *report,
                                        guint64            line,
                                        const char        *reason);
void      _tacit_import_report_event   (TacitImportReport *report,
                                        const TacitEvent  *event);

/* Lines of a text file, one at a time, checked (UTF-8 or converted from
 * encoding, no NUL, bounded length), without the line end. */
typedef struct {
  GDataInputStream *data;
  GIConv            iconv;      /* (GIConv) -1: UTF-8 */
  char             *line;
  gsize             len;
  guint64           number;     /* of line, 1-based */
  gboolean          started;
} LineReader;

void      _tacit_line_reader_init      (LineReader   *lr,
                                        const char   *encoding);
void      _tacit_line_reader_clear     (LineReader   *lr);
/* TRUE with lr->line set; FALSE at the end (error unset) or on error
 * (message "FILE:LINE: problem"). */
gboolean  _tacit_line_reader_next      (LineReader   *lr,
                                        GInputStream *stream,
                                        const char   *display_name,
                                        GError      **error);

/* The SHDR reader's report, or NULL when reader is not one. */
TacitImportReport *_tacit_shdr_source_report (TacitEventReader *reader);

GError   *_tacit_import_error          (const char  *display_name,
                                        guint64      line,
                                        TacitInputError code,
                                        const char  *format,
                                        ...) G_GNUC_PRINTF (4, 5);

G_END_DECLS
