//! Stacked bars of shares that add up to 100% (where interdictions happen).

use super::*;

struct StackChart<'a> {
    title: &'a str,
    parts: &'a [&'a str],
    rows: &'a [(String, Vec<f64>)],
}

/// Row values as shares: non-finite and negative values count as 0, then divided by the
/// row total. `None` for a row with nothing in it.
pub(super) fn shares(values: &[f64]) -> Option<Vec<f64>> {
    let clean: Vec<f64> = values
        .iter()
        .map(|&v| if v.is_finite() && v > 0.0 { v } else { 0.0 })
        .collect();
    let total: f64 = clean.iter().sum();
    if total > 0.0 && total.is_finite() {
        Some(clean.iter().map(|v| v / total).collect())
    } else {
        None
    }
}

/// Black or white, whichever reads better on `c`.
fn text_on(c: RGBColor) -> &'static RGBColor {
    let lum = 0.299 * c.0 as f64 + 0.587 * c.1 as f64 + 0.114 * c.2 as f64;
    if lum > 140.0 { &BLACK } else { &WHITE }
}

impl Chart for StackChart<'_> {
    fn title(&self) -> &str {
        self.title
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        if self.rows.is_empty() {
            return draw_no_data(area);
        }
        let n_parts = self
            .rows
            .iter()
            .map(|(_, v)| v.len())
            .max()
            .unwrap_or(0)
            .max(self.parts.len());
        let part_name = |j: usize| -> String {
            self.parts
                .get(j)
                .map(|s| (*s).to_owned())
                .unwrap_or_else(|| format!("part {}", j + 1))
        };
        let part_names: Vec<String> = (0..n_parts).map(part_name).collect();
        let (plot, legend) = split_for_legend(area, part_names.iter().map(String::as_str));

        let name_style = font(TICK_SIZE).pos(Pos::new(HPos::Right, VPos::Center));
        let (pw, _) = plot.dim_in_pixel();
        let max_name_w = pw as i32 * 3 / 10;
        let names: Vec<String> = self
            .rows
            .iter()
            .map(|(n, _)| fit_text(&plot, n, &name_style, max_name_w))
            .collect();
        let name_w = names
            .iter()
            .map(|n| text_width(&plot, n, &name_style))
            .max()
            .unwrap_or(0);

        let n = self.rows.len();
        let mut chart = ChartBuilder::on(&plot)
            .margin_top(10)
            .margin_right(25)
            .margin_left(5)
            .x_label_area_size(55)
            .y_label_area_size(name_w + 18)
            .build_cartesian_2d(0.0..1.0, 0.0..n as f64)
            .map_err(de)?;
        let (bold, light) = mesh_styles(false);
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_desc("Share")
            .label_style(font(TICK_SIZE))
            .axis_desc_style(font(AXIS_DESC_SIZE))
            .bold_line_style(bold)
            .light_line_style(light)
            .x_label_formatter(&|v: &f64| format!("{:.0}%", v * 100.0))
            .x_labels(6)
            .draw()
            .map_err(de)?;

        let pct_style = |c: RGBColor| {
            font(VALUE_SIZE)
                .color(text_on(c))
                .pos(Pos::new(HPos::Center, VPos::Center))
        };
        for (i, (_, values)) in self.rows.iter().enumerate() {
            // Row 0 at the top.
            let yc = (n - 1 - i) as f64 + 0.5;
            let (y0, y1) = (yc - 0.32, yc + 0.32);
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at((0.0, yc))
                        + Text::new(names[i].clone(), (-10, 0), name_style.clone()),
                ))
                .map_err(de)?;
            let Some(sh) = shares(values) else {
                let style = font(VALUE_SIZE)
                    .color(&RGBColor(0x66, 0x66, 0x66))
                    .pos(Pos::new(HPos::Left, VPos::Center));
                chart
                    .draw_series(std::iter::once(
                        EmptyElement::at((0.0, yc)) + Text::new("no data", (8, 0), style),
                    ))
                    .map_err(de)?;
                continue;
            };
            let mut left = 0.0;
            for (j, s) in sh.iter().enumerate() {
                if *s <= 0.0 {
                    continue;
                }
                let right = (left + s).min(1.0);
                let c = colour(j);
                chart
                    .draw_series([
                        Rectangle::new([(left, y0), (right, y1)], c.filled()),
                        Rectangle::new([(left, y0), (right, y1)], WHITE.stroke_width(1)),
                    ])
                    .map_err(de)?;
                if *s >= 0.06 {
                    chart
                        .draw_series(std::iter::once(
                            EmptyElement::at(((left + right) / 2.0, yc))
                                + Text::new(format!("{:.0}%", s * 100.0), (0, 0), pct_style(c)),
                        ))
                        .map_err(de)?;
                }
                left = right;
            }
        }
        let entries: Vec<_> = part_names
            .iter()
            .enumerate()
            .map(|(j, p)| (p.as_str(), colour(j), Swatch::Box))
            .collect();
        draw_legend(&legend, &entries)
    }
}

/// Horizontal stacked bars of shares, one bar per row (e.g. where shipments were
/// interdicted — export / transit / import — per strategy); `parts` names the segments in
/// order. Each row is normalised by its total, so counts work as well as shares;
/// non-finite or negative values count as 0 and an all-zero row reads "no data". Segments
/// of at least 6% are labelled with their percentage.
pub fn stacked_shares(
    stem: &Path,
    title: &str,
    parts: &[&str],
    rows: &[(String, Vec<f64>)],
) -> Result<(), PlotError> {
    write_both(stem, &StackChart { title, parts, rows })
}
