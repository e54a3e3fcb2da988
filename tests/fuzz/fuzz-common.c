/* fuzz-common.c: the bodies of the fuzz targets (see fuzz-common.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-common.h"

#include <stdlib.h>
#include <string.h>

#include "tacit-error.h"
#include "tacit-library-xml.h"

#define DISPLAY_NAME "fuzz-input"

void
tacit_fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_log_set_fatal_mask ("Tacit", G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

/* An invariant the readers promise: a broken one is a bug, abort so that
 * the fuzzer keeps the input. */
static void
require (gboolean    holds,
         const char *what)
{
  if (!holds)
    {
      g_printerr ("fuzz invariant broken: %s\n", what);
      abort ();
    }
}

static void
check_string (const char *s,
              gboolean    optional,
              const char *what)
{
  if (s == NULL)
    {
      require (optional, what);
      return;
    }
  require (g_utf8_validate (s, -1, NULL), what);
}

/* Errors from bad input must be input errors naming the input. */
static void
check_error (const GError *error)
{
  require (error->domain == TACIT_INPUT_ERROR, "a reader error is not a TACIT_INPUT_ERROR");
  require (g_str_has_prefix (error->message, DISPLAY_NAME ":"),
           "a reader error does not start with the input's name");
  require (g_utf8_validate (error->message, -1, NULL), "an error message is not UTF-8");
}

guint64
tacit_fuzz_events (const guint8     *data,
                   gsize             size,
                   TacitEventFormat  format,
                   GError          **error_out)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(TacitEventReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  TacitMtconnectHeader header;
  TacitEvent event;
  guint64 n = 0;

  /* The reader may outlive nothing here, but copy anyway: libFuzzer's
   * buffer is only valid during the call. */
  stream = g_memory_input_stream_new_from_data (g_memdup2 (data, size), size, g_free);
  reader = tacit_event_reader_new_for_stream (stream, DISPLAY_NAME, format,
                                              TACIT_EVENT_READER_NONE);
  while (tacit_event_reader_next (reader, &event, &error))
    {
      check_string (event.machine, FALSE, "event machine");
      check_string (event.item, FALSE, "event item");
      check_string (event.value, FALSE, "event value");
      check_string (event.code, TRUE, "event code");
      check_string (event.text, TRUE, "event text");
      require ((guint) event.kind < TACIT_N_KINDS, "event kind out of range");
      n++;
    }
  if (error != NULL)
    {
      check_error (error);
      /* A failed reader stays failed. */
      require (!tacit_event_reader_next (reader, &event, NULL), "a failed reader went on");
    }
  (void) tacit_event_reader_get_mtconnect_header (reader, &header);
  (void) tacit_event_reader_get_line (reader);
  if (error_out != NULL)
    *error_out = g_steal_pointer (&error);
  return n;
}

gboolean
tacit_fuzz_library (const guint8  *data,
                    gsize          size,
                    GError       **error_out)
{
  g_autoptr(TacitLibrary) library = NULL;
  g_autoptr(TacitLibrary) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = g_memdup2 (data, size);
  g_autofree char *xml = NULL;
  g_autofree char *xml_again = NULL;
  gsize len = 0, len_again = 0;

  library = tacit_library_load_data (copy, size, DISPLAY_NAME, &error);
  if (library == NULL)
    {
      require (error != NULL, "load failed without an error");
      check_error (error);
      if (error_out != NULL)
        *error_out = g_steal_pointer (&error);
      return FALSE;
    }
  /* SPEC: save(load(x)) == save(load(save(load(x)))). */
  xml = tacit_library_to_xml (library, &len);
  again = tacit_library_load_data (xml, len, "canonical", &error);
  if (again == NULL)
    {
      g_printerr ("canonical form does not load: %s\n%s\n", error->message, xml);
      abort ();
    }
  xml_again = tacit_library_to_xml (again, &len_again);
  require (len == len_again && memcmp (xml, xml_again, len) == 0,
           "canonical form is not stable");
  return TRUE;
}
