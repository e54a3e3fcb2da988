/* tacit-firings-chart.c
 *
 * Drawn with cairo inside the snapshot (gtk_snapshot_append_cairo): bars
 * are few (one per hour of the range), text goes through Pango so that it
 * follows the widget's font.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tacit-firings-chart.h"

#define AXIS_LEFT    48.0
#define AXIS_BOTTOM  26.0
#define LEGEND_H     22.0
#define PAD          8.0
#define FLOOD_PER_HOUR 60

struct _TacitFiringsChart
{
  GtkWidget  parent_instance;

  gboolean   compact;
  TacitTime  hour0;
  guint      n_hours;
  GPtrArray *names;     /* char* */
  GPtrArray *series;    /* GArray<guint32> */
  GArray    *totals;    /* guint32 per hour */
  guint      peak;
};

G_DEFINE_FINAL_TYPE (TacitFiringsChart, tacit_firings_chart, GTK_TYPE_WIDGET)

/* The GNOME palette: blue, orange, green, purple, red, brown; grey for "other". */
static const double palette[][3] = {
  { 0.21, 0.52, 0.89 }, { 1.00, 0.47, 0.00 }, { 0.20, 0.82, 0.48 },
  { 0.57, 0.25, 0.67 }, { 0.88, 0.11, 0.14 }, { 0.53, 0.40, 0.30 },
  { 0.60, 0.60, 0.60 },
};

static void
get_fg (GtkWidget *widget, GdkRGBA *rgba)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (context, rgba);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
draw_text (cairo_t    *cr,
           GtkWidget  *widget,
           const char *text,
           double      x,
           double      y,
           double      xalign,
           double      alpha)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  int w, h;
  GdkRGBA fg;

  get_fg (widget, &fg);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * alpha);
  cairo_move_to (cr, x - xalign * w, y - h / 2.0);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
}

/* 1, 2, 5, 10, 20, 50 … : a tick step giving at most max_ticks ticks. */
static guint
nice_step (guint peak,
           guint max_ticks)
{
  guint base = 1;

  for (;;)
    for (guint m = 0; m < 3; m++)
      {
        guint step = base * (m == 0 ? 1 : m == 1 ? 2 : 5);

        if (peak / step < max_ticks)
          return step;
        if (m == 2)
          base *= 10;
      }
}

static void
draw_y_axis (TacitFiringsChart *self,
             cairo_t           *cr,
             double             top,
             double             plot_h,
             double             plot_w,
             guint              scale)
{
  GtkWidget *widget = GTK_WIDGET (self);
  guint step = nice_step (scale, 5);
  GdkRGBA fg;

  get_fg (widget, &fg);
  for (guint v = 0; v <= scale; v += step)
    {
      double y = top + plot_h - plot_h * v / scale;
      char text[16];

      g_snprintf (text, sizeof text, "%u", v);
      draw_text (cr, widget, text, AXIS_LEFT - 6, y, 1.0, 0.7);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.12);
      cairo_rectangle (cr, AXIS_LEFT, round (y), plot_w, 1);
      cairo_fill (cr);
    }
}

static void
draw_x_axis (TacitFiringsChart *self,
             cairo_t           *cr,
             double             baseline,
             double             bar_w)
{
  GtkWidget *widget = GTK_WIDGET (self);
  /* A label every k hours so that labels (about 50 px) do not collide. */
  guint every = MAX (1, (guint) ceil (56.0 / MAX (bar_w, 1)));
  static const guint nice_hours[] = { 1, 2, 3, 4, 6, 12, 24, 48, 72, 168 };

  for (guint i = 0; i < G_N_ELEMENTS (nice_hours); i++)
    if (nice_hours[i] >= every)
      {
        every = nice_hours[i];
        break;
      }
  for (guint h = 0; h < self->n_hours; h += every)
    {
      g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (self->hour0 / G_USEC_PER_SEC + h * 3600);
      g_autofree char *label = (h == 0 || g_date_time_get_hour (t) < (int) every)
                               ? g_date_time_format (t, "%d %b %H:%M") : g_date_time_format (t, "%H:%M");

      draw_text (cr, widget, label, AXIS_LEFT + h * bar_w, baseline + AXIS_BOTTOM / 2 + 2, 0.0, 0.7);
    }
}

static void
draw_legend (TacitFiringsChart *self,
             cairo_t           *cr,
             double             width)
{
  GtkWidget *widget = GTK_WIDGET (self);
  double x = AXIS_LEFT;

  for (guint i = 0; i < self->names->len; i++)
    {
      const double *c = palette[MIN (i, G_N_ELEMENTS (palette) - 1)];
      PangoLayout *layout = gtk_widget_create_pango_layout (widget, g_ptr_array_index (self->names, i));
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      g_object_unref (layout);
      if (x + 16 + w > width)
        break;
      cairo_set_source_rgb (cr, c[0], c[1], c[2]);
      cairo_rectangle (cr, x, LEGEND_H / 2 - 5, 10, 10);
      cairo_fill (cr);
      draw_text (cr, widget, g_ptr_array_index (self->names, i), x + 14, LEGEND_H / 2, 0.0, 0.9);
      x += 14 + w + 18;
    }
}

static void
draw_bars (TacitFiringsChart *self,
           cairo_t           *cr,
           double             left,
           double             top,
           double             plot_h,
           double             bar_w,
           guint              scale)
{
  double gap = bar_w > 6 ? 1.0 : 0.0;

  for (guint h = 0; h < self->n_hours; h++)
    {
      double y = top + plot_h;
      double x = left + h * bar_w;

      if (!self->compact && g_array_index (self->totals, guint32, h) > FLOOD_PER_HOUR)
        {
          cairo_set_source_rgba (cr, 0.88, 0.11, 0.14, 0.10);
          cairo_rectangle (cr, x, top, bar_w, plot_h);
          cairo_fill (cr);
        }
      for (guint s = 0; s < self->series->len; s++)
        {
          guint32 n = g_array_index ((GArray *) g_ptr_array_index (self->series, s), guint32, h);
          const double *c = palette[self->compact ? 0 : MIN (s, G_N_ELEMENTS (palette) - 1)];
          double bar_h = plot_h * n / scale;

          if (n == 0)
            continue;
          cairo_set_source_rgb (cr, c[0], c[1], c[2]);
          cairo_rectangle (cr, x + gap, y - bar_h, MAX (bar_w - 2 * gap, 1), bar_h);
          cairo_fill (cr);
          y -= bar_h;
        }
    }
}

static void
tacit_firings_chart_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  TacitFiringsChart *self = TACIT_FIRINGS_CHART (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double left = self->compact ? 0 : AXIS_LEFT;
  double top = self->compact ? 1 : LEGEND_H + PAD;
  double plot_w = width - left - (self->compact ? 0 : PAD);
  double plot_h = height - top - (self->compact ? 1 : AXIS_BOTTOM);
  guint scale;
  cairo_t *cr;

  if (plot_w <= 0 || plot_h <= 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (self->n_hours == 0)
    {
      if (!self->compact)
        draw_text (cr, widget, _("No firings to show"), width / 2, height / 2, 0.5, 0.6);
      cairo_destroy (cr);
      return;
    }
  scale = MAX (self->peak, 1);
  if (!self->compact)
    {
      guint step = nice_step (scale, 5);
      scale = (scale + step - 1) / step * step;
      draw_y_axis (self, cr, top, plot_h, plot_w, scale);
      draw_x_axis (self, cr, top + plot_h, plot_w / self->n_hours);
      draw_legend (self, cr, width);
    }
  draw_bars (self, cr, left, top, plot_h, plot_w / self->n_hours, scale);
  cairo_destroy (cr);
}

static void
tacit_firings_chart_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  TacitFiringsChart *self = TACIT_FIRINGS_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = self->compact ? 60 : 240;
  else
    *minimum = *natural = self->compact ? 28 : 200;
}

static void
tacit_firings_chart_finalize (GObject *object)
{
  TacitFiringsChart *self = TACIT_FIRINGS_CHART (object);

  g_ptr_array_unref (self->names);
  g_ptr_array_unref (self->series);
  g_array_unref (self->totals);
  G_OBJECT_CLASS (tacit_firings_chart_parent_class)->finalize (object);
}

static void
tacit_firings_chart_class_init (TacitFiringsChartClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = tacit_firings_chart_finalize;
  widget_class->snapshot = tacit_firings_chart_snapshot;
  widget_class->measure = tacit_firings_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "firings-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tacit_firings_chart_init (TacitFiringsChart *self)
{
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->series = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  self->totals = g_array_new (FALSE, TRUE, sizeof (guint32));
}

GtkWidget *
tacit_firings_chart_new (void)
{
  return g_object_new (TACIT_TYPE_FIRINGS_CHART, NULL);
}

void
tacit_firings_chart_set_compact (TacitFiringsChart *self,
                                 gboolean           compact)
{
  g_return_if_fail (TACIT_IS_FIRINGS_CHART (self));

  self->compact = compact;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
tacit_firings_chart_set_series (TacitFiringsChart  *self,
                                TacitTime           hour0,
                                guint               n_series,
                                const char * const *names,
                                GArray * const     *series)
{
  g_autofree char *description = NULL;
  guint64 total = 0;

  g_return_if_fail (TACIT_IS_FIRINGS_CHART (self));

  g_ptr_array_set_size (self->names, 0);
  g_ptr_array_set_size (self->series, 0);
  self->hour0 = hour0;
  self->n_hours = n_series > 0 ? series[0]->len : 0;
  self->peak = 0;
  g_array_set_size (self->totals, 0);
  g_array_set_size (self->totals, self->n_hours);
  for (guint s = 0; s < n_series; s++)
    {
      GArray *copy = g_array_sized_new (FALSE, TRUE, sizeof (guint32), self->n_hours);

      g_return_if_fail (series[s]->len == self->n_hours);
      g_array_append_vals (copy, series[s]->data, self->n_hours);
      g_ptr_array_add (self->series, copy);
      g_ptr_array_add (self->names, g_strdup (names != NULL ? names[s] : ""));
      for (guint h = 0; h < self->n_hours; h++)
        g_array_index (self->totals, guint32, h) += g_array_index (copy, guint32, h);
    }
  for (guint h = 0; h < self->n_hours; h++)
    {
      self->peak = MAX (self->peak, g_array_index (self->totals, guint32, h));
      total += g_array_index (self->totals, guint32, h);
    }
  description = g_strdup_printf (_("%lu firings over %u hours, at most %u in an hour"),
                                 (gulong) total, self->n_hours, self->peak);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
tacit_firings_chart_get_n_hours (TacitFiringsChart *self)
{
  g_return_val_if_fail (TACIT_IS_FIRINGS_CHART (self), 0);
  return self->n_hours;
}

guint
tacit_firings_chart_get_peak (TacitFiringsChart *self)
{
  g_return_val_if_fail (TACIT_IS_FIRINGS_CHART (self), 0);
  return self->peak;
}
