//! Bars with 95% CI whiskers, one per strategy.

use super::*;

struct BarChart<'a> {
    title: &'a str,
    y_label: &'a str,
    bars: &'a [(String, Estimate)],
}

impl Chart for BarChart<'_> {
    fn title(&self) -> &str {
        self.title
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let shown: Vec<(usize, &str, &Estimate)> = self
            .bars
            .iter()
            .filter(|(_, e)| e.mean.is_finite())
            .enumerate()
            .map(|(i, (n, e))| (i, n.as_str(), e))
            .collect();
        // Bars start at zero, so zero is always on the axis.
        let Some(ys) = finite_range(
            shown
                .iter()
                .flat_map(|(_, _, e)| [e.mean, e.ci_low, e.ci_high])
                .chain(std::iter::once(0.0)),
        ) else {
            return draw_no_data(area);
        };
        if shown.is_empty() {
            return draw_no_data(area);
        }
        let (lo, hi) = pad_range(ys, 0.08);
        // No padding below a zero baseline: bars should sit on the axis.
        let lo = if ys.0 >= 0.0 { 0.0 } else { lo };
        let hi = if ys.1 <= 0.0 { 0.0 } else { hi };
        let n = shown.len();

        let label_style = font(TICK_SIZE).pos(Pos::new(HPos::Center, VPos::Top));
        let (w, _) = area.dim_in_pixel();
        let slot_w = ((w as i32 - 120) / n as i32).max(20);
        let labels: Vec<Vec<String>> = shown
            .iter()
            .map(|(_, name, _)| wrap_text(area, name, &label_style, slot_w - 8, 3))
            .collect();
        let lines = labels.iter().map(Vec::len).max().unwrap_or(1) as i32;
        let line_h = (TICK_SIZE * 1.25) as i32;

        let mut chart = ChartBuilder::on(area)
            .margin_top(10)
            .margin_right(25)
            .margin_left(5)
            .x_label_area_size(18 + lines * line_h)
            .y_label_area_size(80)
            .build_cartesian_2d(-0.5..(n as f64 - 0.5), lo..hi)
            .map_err(de)?;
        let (bold, light) = mesh_styles(false);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_desc(self.y_label)
            .label_style(font(TICK_SIZE))
            .axis_desc_style(font(AXIS_DESC_SIZE))
            .bold_line_style(bold)
            .light_line_style(light)
            .y_label_formatter(&fmt_tick)
            .y_labels(8)
            .draw()
            .map_err(de)?;

        let half = 0.32;
        for (k, (i, _, e)) in shown.iter().enumerate() {
            let x = k as f64;
            let c = colour(*i);
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x - half, 0.0), (x + half, e.mean)],
                    c.mix(0.85).filled(),
                )))
                .map_err(de)?;
            let has_ci = e.ci_low.is_finite() && e.ci_high.is_finite();
            if has_ci && e.ci_high > e.ci_low {
                let whisker = BLACK.stroke_width(2);
                let cap = half * 0.35;
                chart
                    .draw_series([
                        PathElement::new(vec![(x, e.ci_low), (x, e.ci_high)], whisker),
                        PathElement::new(vec![(x - cap, e.ci_low), (x + cap, e.ci_low)], whisker),
                        PathElement::new(vec![(x - cap, e.ci_high), (x + cap, e.ci_high)], whisker),
                    ])
                    .map_err(de)?;
            }
            // The mean printed beyond the end of the whisker (above for positive bars,
            // below for negative ones), offset sideways so it never sits on the whisker.
            let tip = if has_ci {
                if e.mean >= 0.0 { e.ci_high } else { e.ci_low }
            } else {
                e.mean
            };
            // The glyph box of a top-anchored label starts a few pixels above its ink, so
            // labels below a cap need a larger gap than labels above one.
            let (dy, v) = if e.mean >= 0.0 {
                (-4, VPos::Bottom)
            } else {
                (9, VPos::Top)
            };
            let vstyle = font(VALUE_SIZE).pos(Pos::new(HPos::Center, v));
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at((x, tip)) + Text::new(fmt_value(e.mean), (0, dy), vstyle),
                ))
                .map_err(de)?;
            // Category label under the axis, wrapped to the slot width.
            let baseline = lo;
            for (j, line) in labels[k].iter().enumerate() {
                let off = 10 + j as i32 * line_h;
                chart
                    .draw_series(std::iter::once(
                        EmptyElement::at((x, baseline))
                            + Text::new(line.clone(), (0, off), label_style.clone()),
                    ))
                    .map_err(de)?;
            }
        }
        Ok(())
    }
}

/// Bars with 95% CI whiskers side by side, the mean printed at the tip, e.g. strategies
/// compared on detection rate. Bars start at zero (negative means go down, as for paired
/// differences). Bars with a non-finite mean are left out; long names are wrapped.
pub fn bars_with_whiskers(
    stem: &Path,
    title: &str,
    y_label: &str,
    bars: &[(String, Estimate)],
) -> Result<(), PlotError> {
    write_both(
        stem,
        &BarChart {
            title,
            y_label,
            bars,
        },
    )
}
