/* test-translations.c: the kiosk speaks Spanish and German, whole.
 *
 * Runs the kiosk window (demo store, injected events, the real worker
 * thread) once in English and once in the language under test, with
 * LANGUAGE set and the text domain bound to the catalogs built in the build
 * directory (po/LANG/LC_MESSAGES/tacit.mo), and walks the widget tree of
 * the sign-in screen (empty, PIN prompt, wrong PIN) and of the live screen
 * (machine cards, suggestion cards, the event feed). Every visible label
 * (buttons show theirs through a GtkLabel) must be translated:
 *
 * - a text that is an English msgid of po/LANG.po (format strings match
 *   with their arguments) fails, unless it is also that message's
 *   translation (PIN, OK, Info…): shown untranslated, or not translated;
 * - a text that reads the same as in the English run fails, unless it is
 *   data (names, ids, values and advice from the library, operators,
 *   event fields: whole words, any case) or symbols and numbers only.
 *   This catches strings not marked for translation at all.
 *
 * Also the reasons behind "Not now", the "Why?" dialog, the shelve sheet,
 * the held page, the capture page and the station chooser (behind an
 * engineer's PIN), and the window must keep its 1280 px on each. Writes
 * kiosk-LANG-signin.png, kiosk-LANG-live.png and kiosk-LANG-capture.png
 * (1280×800) into the build directory's screenshots/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <sqlite3.h>

#include "tacit-application.h"
#include "tacit-demo.h"
#include "tacit-kiosk-window.h"
#include "tacit-test-utils.h"

#define T0 G_GINT64_CONSTANT (1793599200000000)   /* 2026-11-02T06:00:00Z */

/* ---- the catalog under test ---- */

typedef struct {
  char   *msgid;
  GRegex *msgid_re;
  GRegex *msgstr_re;   /* NULL: not translated (empty or fuzzy) */
  char   *msgstr;
  guint   msgid_letters;   /* letters outside the conversions: how */
  guint   msgstr_letters;  /* specific a match is ("%s: %s" has none) */
} Message;

static void
message_free (Message *m)
{
  g_free (m->msgid);
  g_free (m->msgstr);
  g_clear_pointer (&m->msgid_re, g_regex_unref);
  g_clear_pointer (&m->msgstr_re, g_regex_unref);
  g_free (m);
}

/* A printf format as an anchored regex: each conversion matches anything.
 * *letters: how many letters the format has outside its conversions. */
static GRegex *
format_regex (const char *format,
              guint      *letters)
{
  g_autoptr(GString) re = g_string_new ("^");
  g_autoptr(GRegex) conversion = g_regex_new ("^%[-+ #0']*[0-9]*(\\.[0-9]+)?(hh|h|ll|l|z|j|t|L)?[diouxXeEfFgGaAcsp]",
                                              0, 0, NULL);

  for (const char *p = format; *p != '\0';)
    {
      g_autoptr(GMatchInfo) match = NULL;

      if (p[0] == '%' && p[1] == '%')
        {
          g_string_append (re, "%");
          p += 2;
        }
      else if (p[0] == '%' && g_regex_match (conversion, p, 0, &match))
        {
          int end;

          g_match_info_fetch_pos (match, 0, NULL, &end);
          g_string_append (re, "(.*)");
          p += end;
        }
      else
        {
          const char *next = g_utf8_next_char (p);
          g_autofree char *escaped = g_regex_escape_string (p, next - p);

          if (g_unichar_isalpha (g_utf8_get_char (p)))
            (*letters)++;
          g_string_append (re, escaped);
          p = next;
        }
    }
  g_string_append (re, "$");
  return g_regex_new (re->str, G_REGEX_DOTALL, 0, NULL);
}

/* The C string of a PO line's quoted part, unescaped. */
static char *
po_string (const char *line)
{
  const char *open = strchr (line, '"');
  const char *close = strrchr (line, '"');
  g_autofree char *quoted = NULL;

  g_assert_true (open != NULL && close > open);
  quoted = g_strndup (open + 1, close - open - 1);
  return g_strcompress (quoted);
}

typedef enum { FIELD_NONE, FIELD_MSGID, FIELD_PLURAL, FIELD_MSGSTR, FIELD_MSGSTR1, FIELD_OTHER } Field;

static void
add_message (GPtrArray  *messages,
             GString    *msgid,
             GString    *msgstr,
             gboolean    fuzzy)
{
  Message *m;

  if (msgid->len == 0)   /* the header, or no plural */
    return;
  m = g_new0 (Message, 1);
  m->msgid = g_strdup (msgid->str);
  m->msgid_re = format_regex (msgid->str, &m->msgid_letters);
  g_assert_nonnull (m->msgid_re);
  if (msgstr->len > 0 && !fuzzy)
    {
      m->msgstr = g_strdup (msgstr->str);
      m->msgstr_re = format_regex (msgstr->str, &m->msgstr_letters);
      g_assert_nonnull (m->msgstr_re);
    }
  g_ptr_array_add (messages, m);
}

/* po/LANG.po of the source tree: every message, with its translation or
 * none; a plural message as two, singular and plural. */
static GPtrArray *
load_catalog (const char *lang)
{
  g_autofree char *name = g_strconcat (lang, ".po", NULL);
  g_autofree char *path = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "..", "po", name, NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) msgid = g_string_new (NULL);
  g_autoptr(GString) msgstr = g_string_new (NULL);
  g_autoptr(GString) plural = g_string_new (NULL);
  g_autoptr(GString) msgstr1 = g_string_new (NULL);
  GPtrArray *messages = g_ptr_array_new_with_free_func ((GDestroyNotify) message_free);
  Field field = FIELD_NONE;
  gboolean fuzzy = FALSE, next_fuzzy = FALSE, started = FALSE;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      g_autofree char *text = NULL;

      if (g_str_has_prefix (line, "#~"))   /* obsolete */
        continue;
      if (g_str_has_prefix (line, "#,"))
        next_fuzzy = strstr (line, "fuzzy") != NULL;
      if (line[0] == '#' || line[0] == '\0')
        continue;
      if (g_str_has_prefix (line, "msgctxt "))
        {
          field = FIELD_OTHER;
          continue;
        }
      if (g_str_has_prefix (line, "msgid "))
        {
          if (started)
            {
              add_message (messages, msgid, msgstr, fuzzy);
              add_message (messages, plural, msgstr1, fuzzy);
            }
          started = TRUE;
          fuzzy = next_fuzzy;
          next_fuzzy = FALSE;
          g_string_truncate (msgid, 0);
          g_string_truncate (msgstr, 0);
          g_string_truncate (plural, 0);
          g_string_truncate (msgstr1, 0);
          field = FIELD_MSGID;
        }
      else if (g_str_has_prefix (line, "msgid_plural "))
        field = FIELD_PLURAL;
      else if (g_str_has_prefix (line, "msgstr ") || g_str_has_prefix (line, "msgstr[0] "))
        field = FIELD_MSGSTR;
      else if (g_str_has_prefix (line, "msgstr[1] "))
        field = FIELD_MSGSTR1;
      else if (g_str_has_prefix (line, "msgstr["))
        field = FIELD_OTHER;
      else if (line[0] != '"')
        g_error ("%s:%u: cannot read this line", path, i + 1);
      text = po_string (line);
      if (field == FIELD_MSGID)
        g_string_append (msgid, text);
      else if (field == FIELD_PLURAL)
        g_string_append (plural, text);
      else if (field == FIELD_MSGSTR)
        g_string_append (msgstr, text);
      else if (field == FIELD_MSGSTR1)
        g_string_append (msgstr1, text);
    }
  if (started)
    {
      add_message (messages, msgid, msgstr, fuzzy);
      add_message (messages, plural, msgstr1, fuzzy);
    }
  g_assert_cmpuint (messages->len, >, 50);
  return messages;
}

/* ---- data: what the kiosk shows verbatim in every language ---- */

static GPtrArray *data_words;   /* GRegex*: whole words, any case */

static void
add_data (GHashTable *seen,
          const char *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_autofree char *escaped = NULL;
  g_autofree char *pattern = NULL;

  if (stripped[0] == '\0' || g_hash_table_contains (seen, stripped))
    return;
  escaped = g_regex_escape_string (stripped, -1);
  pattern = g_strdup_printf ("(?<!\\w)%s(?!\\w)", escaped);
  g_ptr_array_add (data_words, g_regex_new (pattern, G_REGEX_CASELESS, 0, NULL));
  g_hash_table_add (seen, g_steal_pointer (&stripped));
}

static int
by_length_desc (gconstpointer a,
                gconstpointer b)
{
  return (int) strlen (*(const char **) b) - (int) strlen (*(const char **) a);
}

/* Attribute values and texts of the demo library, the demo operators'
 * names, the injected events' fields: longest first, so that a name is
 * removed before a word inside it. */
static void
load_data (const char *db_path)
{
  g_autofree char *library_path = tacit_demo_find_file ("stamping-line.xml");
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) attribute = g_regex_new ("=\"([^\"]+)\"|>([^<]+)<", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *events[] = { "press-3", "hydraulic", "normal", "fault", "E1234", "oil_temp",
                           "material_lot", "4471", "material_supplier", "cnc-1", "program",
                           "O1001", "tool_change" };
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_file_get_contents (library_path, &xml, NULL, &error);
  g_assert_no_error (error);
  for (g_regex_match (attribute, xml, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *value = g_match_info_fetch (match, 1);

      if (value[0] == '\0')
        {
          g_free (value);
          value = g_match_info_fetch (match, 2);
        }
      g_ptr_array_add (texts, g_steal_pointer (&value));
    }
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM operators", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (texts, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    g_ptr_array_add (texts, g_strdup (events[i]));
  /* Item and parameter ids are shown in words: material_lot as
   * "material lot". */
  for (guint i = 0, n = texts->len; i < n; i++)
    if (strpbrk (texts->pdata[i], "_-") != NULL)
      g_ptr_array_add (texts, g_strdelimit (g_strdup (texts->pdata[i]), "_-", ' '));
  /* The languages are offered by their own names. */
  g_ptr_array_add (texts, g_strdup ("English"));
  g_ptr_array_add (texts, g_strdup ("Español"));
  g_ptr_array_add (texts, g_strdup ("Deutsch"));
  g_ptr_array_sort (texts, by_length_desc);

  data_words = g_ptr_array_new_with_free_func ((GDestroyNotify) g_regex_unref);
  for (guint i = 0; i < texts->len; i++)
    add_data (seen, texts->pdata[i]);
}

/* text without the data in it; TRUE when letters remain. */
static gboolean
has_words (const char *text)
{
  g_autofree char *rest = g_strdup (text);

  for (guint i = 0; i < data_words->len; i++)
    {
      char *replaced = g_regex_replace_literal (data_words->pdata[i], rest, -1, 0, " ", 0, NULL);

      g_free (rest);
      rest = replaced;
    }
  for (const char *p = rest; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isalpha (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

/* ---- the kiosk ---- */

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

typedef gboolean (*Condition) (TacitKioskWindow *window, gconstpointer data);

static void
wait_for (TacitKioskWindow *window,
          Condition         condition,
          gconstpointer     data,
          const char       *what)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!condition (window, data))
    {
      if (g_get_monotonic_time () > end)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
page_is (TacitKioskWindow *window,
         gconstpointer     page)
{
  return g_strcmp0 (tacit_kiosk_window_get_page (window), page) == 0;
}

static gboolean
n_cards_is (TacitKioskWindow *window,
            gconstpointer     n)
{
  return tacit_kiosk_window_get_n_cards (window) == GPOINTER_TO_UINT (n);
}

static gboolean
n_events_is (TacitKioskWindow *window,
             gconstpointer     n)
{
  return g_list_model_get_n_items (tacit_kiosk_window_get_events (window)) == GPOINTER_TO_UINT (n);
}

static gboolean
laid_out (TacitKioskWindow *window,
          gconstpointer     data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (window)) &&
         gtk_widget_get_width (GTK_WIDGET (window)) == 1280 &&
         gtk_widget_get_height (GTK_WIDGET (window)) == 800;
}

static gboolean
shows_label (GtkWidget  *widget,
             const char *text)
{
  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_label (child, text))
      return TRUE;
  return FALSE;
}

static gboolean
window_shows (TacitKioskWindow *window,
              gconstpointer     text)
{
  return shows_label (GTK_WIDGET (window), text);
}

static void
type_digits (TacitKioskWindow *window,
             const char       *digits)
{
  for (const char *p = digits; *p != '\0'; p++)
    {
      char digit[2] = { *p, '\0' };

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.digit", "s", digit));
    }
}

static void
inject (TacitSimulator *simulator,
        double          seconds,
        const char     *machine,
        TacitKind       kind,
        const char     *item,
        const char     *value,
        const char     *code)
{
  TacitEvent event = {
    .time = T0 + (TacitTime) (seconds * G_USEC_PER_SEC),
    .machine = machine, .kind = kind, .item = item, .value = value, .code = code,
  };

  tacit_simulator_inject (simulator, &event);
}

/* A PNG of the window as drawn, into the build directory. */
static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  int width = 0, height = 0;

  spin (300);
  while (node == NULL && g_get_monotonic_time () < end)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL)
        spin (100);
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_mkdir_with_parents (dir, 0755);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot %s (%d×%d)", path, width, height);
}

/* A TAP comment per line (a message with newlines would break TAP). */
static void
message_lines (const char *title,
               const char *lines)
{
  g_auto(GStrv) split = g_strsplit (lines, "\n", -1);

  g_test_message ("%s", title);
  for (guint i = 0; split[i] != NULL; i++)
    if (split[i][0] != '\0')
      g_test_message ("%s", split[i]);
}

/* Widgets at least 300 px wide at their minimum, as a tree: where a
 * window too wide for its screen gets its width from. */
static void
list_wide (GtkWidget *widget,
           guint      depth,
           GString   *out)
{
  int min_width;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  if (min_width < 300)
    return;
  g_string_append_printf (out, "%*s%s%s%s%s %d px\n", depth, "", G_OBJECT_TYPE_NAME (widget),
                          GTK_IS_LABEL (widget) ? " “" : "",
                          GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget)) : "",
                          GTK_IS_LABEL (widget) ? "”" : "", min_width);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    list_wide (child, depth + 1, out);
}

/* Every visible label: "screen/Type[i]/Type[j]…" → text. */
static void
collect (GtkWidget  *widget,
         const char *path,
         GHashTable *texts)
{
  guint i = 0;

  /* Longer words must not push the kiosk past its screen: a fullscreen
   * kiosk would cut off the right edge. */
  if (GTK_IS_WINDOW (widget))
    {
      int min_width;

      gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
      if (min_width > 1280)
        {
          g_autoptr(GString) wide = g_string_new (NULL);

          list_wide (widget, 0, wide);
          message_lines ("the widest widgets:", wide->str);
          g_error ("%s in %s: the kiosk needs %d px, wider than its 1280 px screen "
                   "(the widest widgets are listed above)", path, g_getenv ("LANGUAGE"), min_width);
        }
    }

  if (!gtk_widget_get_mapped (widget) || gtk_widget_get_opacity (widget) == 0)
    return;
  if (GTK_IS_LABEL (widget))
    {
      const char *text = gtk_label_get_text (GTK_LABEL (widget));

      if (text != NULL && text[0] != '\0')
        g_hash_table_insert (texts, g_strdup (path), g_strdup (text));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child), i++)
    {
      g_autofree char *child_path = g_strdup_printf ("%s/%s[%u]", path, G_OBJECT_TYPE_NAME (child), i);

      collect (child, child_path, texts);
    }
}

/* The dialogs and sheets the kiosk opened (toplevels besides it): waits
 * until they are drawn, collects their labels, closes them. */
static void
collect_dialogs (TacitKioskWindow *window,
                 const char       *path,
                 GHashTable       *texts)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autoptr(GPtrArray) dialogs = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      if (toplevel != GTK_WIDGET (window) && gtk_widget_get_visible (toplevel))
        g_ptr_array_add (dialogs, g_steal_pointer (&toplevel));
    }
  if (dialogs->len == 0)
    g_error ("%s: no dialog opened", path);
  for (guint i = 0; i < dialogs->len; i++)
    {
      GtkWidget *dialog = dialogs->pdata[i];
      g_autofree char *dialog_path = g_strdup_printf ("%s/%s[%u]", path, G_OBJECT_TYPE_NAME (dialog), i);

      while (!gtk_widget_get_mapped (dialog))
        {
          if (g_get_monotonic_time () > end)
            g_error ("%s: the dialog was never shown", path);
          g_main_context_iteration (NULL, FALSE);
        }
      spin (200);
      collect (dialog, dialog_path, texts);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
  spin (50);
}

static char *template_db;

/* The kiosk in LANGUAGE=lang, through sign-in to the live page with two
 * suggestions; returns what every screen showed. */
static GHashTable *
run_kiosk (const char *lang,
           gboolean    screenshots)
{
  GHashTable *texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *db_path = g_build_filename (dir, "kiosk.db", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *png = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitStore) store = NULL;
  g_autoptr(TacitLibrary) library = NULL;
  g_autoptr(TacitSimulator) simulator = NULL;
  TacitKioskWindow *window;
  GtkWidget *card;
  gsize len;

  /* gettext caches translations per message, not per LANGUAGE:
   * textdomain() tells it the catalogs changed. */
  g_setenv ("LANGUAGE", lang, TRUE);
  textdomain (GETTEXT_PACKAGE);

  g_file_get_contents (template_db, &contents, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (db_path, contents, len, &error);
  g_assert_no_error (error);
  store = tacit_store_open (db_path, &error);
  g_assert_no_error (error);
  library = tacit_store_load_library (store, &error);
  g_assert_no_error (error);
  simulator = tacit_simulator_new (library, db_path);
  g_assert_true (tacit_simulator_start (simulator, NULL, &error));
  g_assert_no_error (error);
  window = tacit_kiosk_window_new (NULL, store, library, simulator, NULL);
  g_object_ref_sink (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  /* As tacit shows it on the demo plant, and the advice in lang too. */
  tacit_kiosk_window_set_hint (window, _("Demo plant: operator badge 117, PIN 1234 · "
                                         "engineer badge 4, PIN 4321"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.language", "s", lang));
  gtk_window_present (GTK_WINDOW (window));
  wait_for (window, laid_out, NULL, "the window at 1280×800");

  /* Sign-in: empty, then a wrong PIN, then the PIN prompt. */
  spin (200);
  collect (GTK_WIDGET (window), "signin", texts);
  type_digits (window, "117");
  gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.enter", NULL);
  type_digits (window, "9999");
  gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.enter", NULL);
  wait_for (window, window_shows, _("Badge or PIN not recognised. Try again."), "the wrong-PIN message");
  collect (GTK_WIDGET (window), "signin-wrong-pin", texts);
  type_digits (window, "117");
  gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.enter", NULL);
  type_digits (window, "12");
  spin (100);
  collect (GTK_WIDGET (window), "signin-pin", texts);
  if (screenshots)
    {
      png = g_strdup_printf ("kiosk-%s-signin.png", lang);
      screenshot (GTK_WIDGET (window), png);
      g_clear_pointer (&png, g_free);
    }
  type_digits (window, "34");
  gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.enter", NULL);
  wait_for (window, page_is, "live", "the live page");

  /* The live page, empty, then with cold oil on press 3 and lot 4471:
   * two suggestion cards, a faulted machine, the feed. */
  spin (200);
  collect (GTK_WIDGET (window), "live-empty", texts);
  inject (simulator, 0, "press-3", TACIT_KIND_CONDITION, "hydraulic", "normal", NULL);
  inject (simulator, 0, "press-3", TACIT_KIND_SAMPLE, "oil_temp", "25.5", NULL);
  inject (simulator, 1, "press-3", TACIT_KIND_EVENT, "material_lot", "4471", NULL);
  inject (simulator, 2, "press-3", TACIT_KIND_CONDITION, "hydraulic", "fault", "E1234");
  inject (simulator, 3, "cnc-1", TACIT_KIND_EVENT, "program", "O1001", NULL);
  wait_for (window, n_cards_is, GUINT_TO_POINTER (2), "two cards");
  wait_for (window, n_events_is, GUINT_TO_POINTER (5), "five events");
  spin (300);
  collect (GTK_WIDGET (window), "live", texts);
  if (screenshots)
    {
      png = g_strdup_printf ("kiosk-%s-live.png", lang);
      screenshot (GTK_WIDGET (window), png);
      g_clear_pointer (&png, g_free);
    }

  /* A card's other answers: the reasons behind "Not now", "Why?" and the
   * shelve sheet. */
  card = tacit_kiosk_window_get_card (window, 0);
  g_assert_true (gtk_widget_activate_action (card, "card.dismiss", NULL));
  spin (200);
  collect (GTK_WIDGET (window), "live-reasons", texts);
  g_assert_true (gtk_widget_activate_action (card, "card.back", NULL));
  g_assert_true (gtk_widget_activate_action (card, "card.why", NULL));
  collect_dialogs (window, "why", texts);
  g_assert_true (gtk_widget_activate_action (card, "card.shelve", NULL));
  collect_dialogs (window, "shelve", texts);

  /* The held suggestions (none: the budget is not reached). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.show-held", NULL));
  wait_for (window, page_is, "held", "the held page");
  spin (200);
  collect (GTK_WIDGET (window), "held", texts);

  /* Add what you know, from the newest event. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.capture", "u", 0));
  wait_for (window, page_is, "capture", "the capture page");
  spin (200);
  collect (GTK_WIDGET (window), "capture", texts);
  if (screenshots)
    {
      png = g_strdup_printf ("kiosk-%s-capture.png", lang);
      screenshot (GTK_WIDGET (window), png);
    }

  /* Changing the station: an engineer's badge and PIN, then the stations. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.change-station", NULL));
  wait_for (window, page_is, "signin", "the engineer sign-in");
  spin (200);
  collect (GTK_WIDGET (window), "station-signin", texts);
  type_digits (window, "4");
  gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.enter", NULL);
  type_digits (window, "4321");
  gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.enter", NULL);
  wait_for (window, page_is, "stations", "the stations page");
  spin (200);
  collect (GTK_WIDGET (window), "stations", texts);

  tacit_simulator_stop (simulator);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  spin (50);
  return texts;
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
test_language (gconstpointer data)
{
  const char *lang = data;
  g_autoptr(GPtrArray) catalog = load_catalog (lang);
  g_autoptr(GHashTable) english = run_kiosk ("en", FALSE);
  g_autoptr(GHashTable) translated = run_kiosk (lang, TRUE);
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autofree const char **paths = NULL;
  guint n_paths, n_checked = 0;

  /* Both runs went through every screen. */
  g_assert_cmpuint (g_hash_table_size (english), >, 20);
  g_assert_cmpuint (g_hash_table_size (translated), >, 20);

  paths = (const char **) g_hash_table_get_keys_as_array (translated, &n_paths);
  qsort (paths, n_paths, sizeof *paths, compare_strings);
  for (guint i = 0; i < n_paths; i++)
    {
      const char *path = paths[i];
      const char *text = g_hash_table_lookup (translated, path);
      const char *in_english = g_hash_table_lookup (english, path);
      const Message *english_msgid = NULL;
      guint best_translation = 0;

      if (!has_words (text))
        continue;
      n_checked++;
      /* The most specific matches: a translation that says more than
       * any English msgid it also matches is a translation. */
      for (guint j = 0; j < catalog->len; j++)
        {
          const Message *m = catalog->pdata[j];

          if (m->msgstr_re != NULL && g_regex_match (m->msgstr_re, text, 0, NULL))
            best_translation = MAX (best_translation, m->msgstr_letters);
          else if (g_strcmp0 (m->msgid, m->msgstr) != 0 && m->msgid_letters > 0 &&
                   g_regex_match (m->msgid_re, text, 0, NULL) &&
                   (english_msgid == NULL || m->msgid_letters > english_msgid->msgid_letters))
            english_msgid = m;
        }
      if (english_msgid != NULL && english_msgid->msgid_letters > best_translation)
        {
          if (english_msgid->msgstr != NULL)
            g_string_append_printf (problems, "%s: “%s” is in English; its translation “%s” is not used\n",
                                    path, text, english_msgid->msgstr);
          else
            g_string_append_printf (problems, "%s: “%s” has no %s translation\n", path, text, lang);
        }
      else if (best_translation == 0 && g_strcmp0 (text, in_english) == 0)
        g_string_append_printf (problems, "%s: “%s” is the same as in English and not in the catalog "
                                          "(not marked for translation?)\n", path, text);
    }
  g_test_message ("%s: %u labels with words checked", lang, n_checked);
  if (problems->len > 0)
    {
      message_lines ("Untranslated text on the kiosk:", problems->str);
      g_error ("Untranslated text on the kiosk in %s (listed above)", lang);
    }
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("TACIT_TEST_LOCALEDIR");
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitStore) store = NULL;
  g_autofree char *dir = NULL;

  /* LC_ALL=C.UTF-8 (tests/meson.build): LANGUAGE chooses the catalog, no
   * generated locale is needed. It is set before anything is translated:
   * GLib decides once whether to translate at all. */
  g_setenv ("LANGUAGE", "es", TRUE);
  setlocale (LC_ALL, "");
  g_assert_nonnull (localedir);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* As tacit looks, and screenshots of finished screens, not of a crossfade. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  tacit_application_load_style ();
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  /* The catalogs in the build directory are found. */
  g_assert_cmpstr (_("Badge number"), ==, "Número de tarjeta");

  /* The demo store, seeded once (Argon2 PIN hashes are slow on purpose). */
  dir = tacit_test_tmpdir ();
  template_db = g_build_filename (dir, "template.db", NULL);
  store = tacit_store_open (template_db, &error);
  g_assert_no_error (error);
  g_assert_true (tacit_demo_seed (store, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  load_data (template_db);

  g_test_add_data_func ("/translations/es", "es", test_language);
  g_test_add_data_func ("/translations/de", "de", test_language);
  return g_test_run ();
}
