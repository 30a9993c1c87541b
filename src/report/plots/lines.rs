//! Lines: curves with shaded 95% CI bands (detection against inspection rate) and
//! plain time series (seizures per day).

use super::*;

struct LineChart<'a> {
    title: &'a str,
    x_label: &'a str,
    y_label: &'a str,
    /// (name, points with finite `x` and `mean`; CI bounds may be NaN)
    series: Vec<(&'a str, Vec<BandPoint>)>,
    /// Per series, a label per point (or none).
    labels: Vec<Vec<String>>,
    bands: bool,
}

impl LineChart<'_> {
    fn ranges(&self) -> Option<((f64, f64), (f64, f64))> {
        let xs = finite_range(self.series.iter().flat_map(|(_, p)| p.iter().map(|q| q.x)))?;
        let ys = finite_range(
            self.series
                .iter()
                .flat_map(|(_, p)| p.iter().flat_map(|q| [q.mean, q.ci_low, q.ci_high])),
        )?;
        // Padded on both sides: a point (and its whisker) at the extreme value stays
        // inside the axes rather than on the frame.
        let x = if xs.0 == xs.1 {
            pad_range(xs, 0.0)
        } else {
            pad_range(xs, 0.06)
        };
        Some((x, pad_range(ys, 0.05)))
    }
}

impl Chart for LineChart<'_> {
    fn title(&self) -> &str {
        self.title
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let Some(((x0, x1), (y0, y1))) = self.ranges() else {
            return draw_no_data(area);
        };
        let (plot, legend) = split_for_legend(area, self.series.iter().map(|(n, _)| *n));
        let mut chart = ChartBuilder::on(&plot)
            .margin_top(10)
            .margin_right(20)
            .margin_left(5)
            .x_label_area_size(55)
            .y_label_area_size(80)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(de)?;
        let (bold, light) = mesh_styles(true);
        chart
            .configure_mesh()
            .x_desc(self.x_label)
            .y_desc(self.y_label)
            .label_style(font(TICK_SIZE))
            .axis_desc_style(font(AXIS_DESC_SIZE))
            .bold_line_style(bold)
            .light_line_style(light)
            .x_label_formatter(&fmt_tick)
            .y_label_formatter(&fmt_tick)
            .x_labels(10)
            .y_labels(8)
            .draw()
            .map_err(de)?;

        if self.bands {
            for (i, (_, pts)) in self.series.iter().enumerate() {
                let with_ci: Vec<_> = pts
                    .iter()
                    .filter(|p| p.ci_low.is_finite() && p.ci_high.is_finite())
                    .collect();
                if with_ci.len() < 2 {
                    continue;
                }
                let mut poly: Vec<(f64, f64)> = with_ci.iter().map(|p| (p.x, p.ci_high)).collect();
                poly.extend(with_ci.iter().rev().map(|p| (p.x, p.ci_low)));
                chart
                    .draw_series(std::iter::once(Polygon::new(
                        poly,
                        colour(i).mix(0.18).filled(),
                    )))
                    .map_err(de)?;
            }
        }
        for (i, (_, pts)) in self.series.iter().enumerate() {
            let c = colour(i);
            let line: Vec<(f64, f64)> = pts.iter().map(|p| (p.x, p.mean)).collect();
            let dashed = is_dashed(i);
            if dashed {
                chart
                    .draw_series(DashedLineSeries::new(
                        line.iter().copied(),
                        10,
                        6,
                        c.stroke_width(3),
                    ))
                    .map_err(de)?;
            } else {
                chart
                    .draw_series(LineSeries::new(line.iter().copied(), c.stroke_width(3)))
                    .map_err(de)?;
            }
            // Markers only where they can be told apart: circles, then triangles once the
            // palette has wrapped round.
            if line.len() <= 40 {
                if dashed {
                    chart
                        .draw_series(line.iter().map(|&p| TriangleMarker::new(p, 5, c.filled())))
                        .map_err(de)?;
                } else {
                    chart
                        .draw_series(line.iter().map(|&p| Circle::new(p, 4, c.filled())))
                        .map_err(de)?;
                }
            }
            // A single point with a CI gets a whisker, since there is no band to draw.
            if self.bands
                && pts.len() == 1
                && pts[0].ci_low.is_finite()
                && pts[0].ci_high.is_finite()
            {
                let p = pts[0];
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(p.x, p.ci_low), (p.x, p.ci_high)],
                        c.stroke_width(2),
                    )))
                    .map_err(de)?;
            }
        }
        for (i, labels) in self.labels.iter().enumerate() {
            let Some((_, pts)) = self.series.get(i) else {
                continue;
            };
            let c = colour(i);
            let style = font(VALUE_SIZE).color(&c);
            chart
                .draw_series(pts.iter().zip(labels).map(|(p, l)| {
                    EmptyElement::at((p.x, p.mean)) + Text::new(l.clone(), (8, -22), style.clone())
                }))
                .map_err(de)?;
        }
        let entries: Vec<_> = self
            .series
            .iter()
            .enumerate()
            .map(|(i, (n, _))| {
                let swatch = Swatch::Line {
                    band: self.bands,
                    dashed: is_dashed(i),
                };
                (*n, colour(i), swatch)
            })
            .collect();
        draw_legend(&legend, &entries)
    }
}

/// `detection_vs_inspection.{png,svg}` in `dir`: detection rate against inspection
/// rate with a 95% CI band per strategy (written by `compare` and `sweep`); the title
/// names the scenario.
pub fn detection_vs_inspection(
    dir: &Path,
    scenario: &str,
    bands: &[Band],
) -> Result<(), PlotError> {
    line_with_bands(
        &dir.join("detection_vs_inspection"),
        &format!("{scenario}: detection against inspection rate (95% CI)"),
        "inspection rate (inspections / declarations assessed)",
        "detection rate (seized / illicit that reached an office)",
        bands,
    )
}

/// Lines with shaded 95% CI bands and a legend, one line per [`Band`] (e.g. detection
/// rate against inspection rate, per strategy). Points are drawn in the order given
/// (sort by `x` beforehand); points with a non-finite `x` or `mean` are skipped, and a
/// point with non-finite CI bounds is left out of the band only.
pub fn line_with_bands(
    stem: &Path,
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[Band],
) -> Result<(), PlotError> {
    let chart = LineChart {
        title,
        x_label,
        y_label,
        series: series
            .iter()
            .map(|b| {
                let pts = b
                    .points
                    .iter()
                    .filter(|p| p.x.is_finite() && p.mean.is_finite())
                    .copied()
                    .collect();
                (b.name.as_str(), pts)
            })
            .collect(),
        labels: series
            .iter()
            .map(|b| {
                b.points
                    .iter()
                    .zip(&b.labels)
                    .filter(|(p, _)| p.x.is_finite() && p.mean.is_finite())
                    .map(|(_, l)| l.clone())
                    .collect()
            })
            .collect(),
        bands: true,
    };
    write_both(stem, &chart)
}

/// Plain lines, one per named series of `(x, y)` points (e.g. seizures per day per
/// strategy, x = day). Non-finite points are skipped.
pub fn time_series(
    stem: &Path,
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[(String, Vec<(f64, f64)>)],
) -> Result<(), PlotError> {
    let chart = LineChart {
        title,
        x_label,
        y_label,
        series: series
            .iter()
            .map(|(name, pts)| {
                let pts = pts
                    .iter()
                    .filter(|(x, y)| x.is_finite() && y.is_finite())
                    .map(|&(x, y)| BandPoint {
                        x,
                        mean: y,
                        ci_low: f64::NAN,
                        ci_high: f64::NAN,
                    })
                    .collect();
                (name.as_str(), pts)
            })
            .collect(),
        labels: Vec::new(),
        bands: false,
    };
    write_both(stem, &chart)
}
