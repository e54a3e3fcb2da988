/* tacit-firings-chart.h: firings per hour as bars, stacked by rule, with
 * time and count axes and a legend (the backtest), or as a bare sparkline
 * (the review queue). Hours with more than 60 firings — more than 10 per
 * 10 minutes on average, so at least one flood window — are shaded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tacit-time.h"

G_BEGIN_DECLS

#define TACIT_TYPE_FIRINGS_CHART (tacit_firings_chart_get_type ())
G_DECLARE_FINAL_TYPE (TacitFiringsChart, tacit_firings_chart, TACIT, FIRINGS_CHART, GtkWidget)

GtkWidget *tacit_firings_chart_new        (void);
/* A sparkline: no axes, no legend, one colour. */
void       tacit_firings_chart_set_compact (TacitFiringsChart  *self,
                                           gboolean            compact);
/* series[i] is a GArray of guint32 with one count per hour from hour0
 * (all the same length); names[i] its legend entry. Copied. n_series 0
 * clears the chart. */
void       tacit_firings_chart_set_series (TacitFiringsChart  *self,
                                           TacitTime           hour0,
                                           guint               n_series,
                                           const char * const *names,
                                           GArray * const     *series);
guint      tacit_firings_chart_get_n_hours (TacitFiringsChart *self);
/* The tallest stacked bar. */
guint      tacit_firings_chart_get_peak   (TacitFiringsChart  *self);

G_END_DECLS
