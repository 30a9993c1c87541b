//! Plots for briefings and papers: every chart is written as PNG and SVG, with text
//! rendered from a bundled font (DejaVu Sans), so no system fonts are needed.

use std::error::Error;
use std::ops::Range;
use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use super::io::write_atomic;
use crate::metrics::stats::Estimate;

pub type PlotResult = Result<(), Box<dyn Error + Send + Sync>>;

const FONT: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
const SIZE: (u32, u32) = (1000, 600);
/// Okabe–Ito: distinguishable with the common colour-vision deficiencies.
const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(240, 228, 66),
];

fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
    });
}

fn err(e: impl std::fmt::Display) -> Box<dyn Error + Send + Sync> {
    e.to_string().into()
}

/// Draw a chart twice, into `<stem>.png` and `<stem>.svg`, each written atomically.
macro_rules! both {
    ($stem:expr, |$root:ident| $body:expr) => {{
        register_font();
        let stem: &Path = $stem;
        let png = stem.with_extension("png");
        // The bitmap backend picks its encoder from the extension: render to a temporary
        // .png beside the target, then rename it into place.
        let tmp = stem.with_extension(format!("tmp-{}.png", std::process::id()));
        {
            let $root = BitMapBackend::new(&tmp, SIZE).into_drawing_area();
            $root.fill(&WHITE).map_err(err)?;
            let r: PlotResult = $body;
            r?;
            $root.present().map_err(err)?;
        }
        std::fs::rename(&tmp, &png).map_err(err)?;
        let mut svg = String::new();
        {
            let $root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
            $root.fill(&WHITE).map_err(err)?;
            let r: PlotResult = $body;
            r?;
            $root.present().map_err(err)?;
        }
        write_atomic(&stem.with_extension("svg"), svg.as_bytes()).map_err(err)?;
        Ok(())
    }};
}

/// A range that contains the values, padded, and never empty.
fn span(values: impl Iterator<Item = f64>, floor_zero: bool) -> Range<f64> {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return 0.0..1.0;
    }
    if floor_zero {
        lo = lo.min(0.0);
    }
    let pad = if hi > lo {
        (hi - lo) * 0.08
    } else {
        hi.abs().max(1.0) * 0.1
    };
    (if floor_zero && lo >= 0.0 {
        0.0
    } else {
        lo - pad
    })..hi + pad
}

/// One strategy's curve: a mean with its CI at each x.
pub struct Band {
    pub name: String,
    pub points: Vec<BandPoint>,
}

pub struct BandPoint {
    pub x: f64,
    pub mean: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// Lines with shaded 95% CI bands, e.g. detection rate against inspection rate.
pub fn line_with_bands(
    stem: &Path,
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[Band],
) -> PlotResult {
    let xs = span(
        series.iter().flat_map(|s| s.points.iter().map(|p| p.x)),
        true,
    );
    let ys = span(
        series
            .iter()
            .flat_map(|s| s.points.iter().flat_map(|p| [p.ci_low, p.ci_high, p.mean])),
        true,
    );
    both!(stem, |root| draw_bands(
        &root,
        title,
        x_label,
        y_label,
        series,
        xs.clone(),
        ys.clone()
    ))
}

fn draw_bands<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    xl: &str,
    yl: &str,
    series: &[Band],
    xs: Range<f64>,
    ys: Range<f64>,
) -> PlotResult {
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 26))
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(xs, ys)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(xl)
        .y_desc(yl)
        .label_style(("sans-serif", 16))
        .draw()
        .map_err(err)?;
    for (i, s) in series.iter().enumerate() {
        let c = colour(i);
        let mut pts: Vec<&BandPoint> = s
            .points
            .iter()
            .filter(|p| p.x.is_finite() && p.mean.is_finite())
            .collect();
        pts.sort_by(|a, b| a.x.total_cmp(&b.x));
        if pts.len() > 1 {
            let band: Vec<(f64, f64)> = pts
                .iter()
                .map(|p| (p.x, p.ci_high))
                .chain(pts.iter().rev().map(|p| (p.x, p.ci_low)))
                .collect();
            chart
                .draw_series(std::iter::once(Polygon::new(band, c.mix(0.2))))
                .map_err(err)?;
        }
        chart
            .draw_series(LineSeries::new(
                pts.iter().map(|p| (p.x, p.mean)),
                c.stroke_width(3),
            ))
            .map_err(err)?
            .label(s.name.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(3)));
        chart
            .draw_series(
                pts.iter()
                    .map(|p| Circle::new((p.x, p.mean), 4, c.filled())),
            )
            .map_err(err)?;
        chart
            .draw_series(pts.iter().map(|p| {
                PathElement::new(vec![(p.x, p.ci_low), (p.x, p.ci_high)], c.stroke_width(1))
            }))
            .map_err(err)?;
    }
    legend(&mut chart)
}

fn legend<
    'a,
    DB: DrawingBackend + 'a,
    X: plotters::coord::ranged1d::Ranged,
    Y: plotters::coord::ranged1d::Ranged,
>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
) -> PlotResult {
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font(("sans-serif", 16))
        .position(SeriesLabelPosition::UpperLeft)
        .draw()
        .map_err(err)
}

/// Points with 95% CI whiskers, side by side, e.g. strategies on detection rate.
pub fn bars_with_whiskers(
    stem: &Path,
    title: &str,
    y_label: &str,
    bars: &[(String, Estimate)],
) -> PlotResult {
    let ys = span(
        bars.iter().flat_map(|(_, e)| [e.ci_low, e.ci_high, e.mean]),
        true,
    );
    both!(stem, |root| draw_whiskers(
        &root,
        title,
        y_label,
        bars,
        ys.clone()
    ))
}

fn draw_whiskers<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    yl: &str,
    bars: &[(String, Estimate)],
    ys: Range<f64>,
) -> PlotResult {
    let n = bars.len().max(1);
    let names: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 26))
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(-0.5..n as f64 - 0.5, ys)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n)
        .x_label_formatter(&|x| {
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_desc(yl)
        .label_style(("sans-serif", 16))
        .draw()
        .map_err(err)?;
    for (i, (_, e)) in bars.iter().enumerate() {
        let c = colour(i);
        let x = i as f64;
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(x - 0.3, 0.0f64.max(chart_floor(e))), (x + 0.3, e.mean)],
                c.mix(0.6).filled(),
            )))
            .map_err(err)?;
        chart
            .draw_series([
                PathElement::new(vec![(x, e.ci_low), (x, e.ci_high)], BLACK.stroke_width(2)),
                PathElement::new(
                    vec![(x - 0.1, e.ci_low), (x + 0.1, e.ci_low)],
                    BLACK.stroke_width(2),
                ),
                PathElement::new(
                    vec![(x - 0.1, e.ci_high), (x + 0.1, e.ci_high)],
                    BLACK.stroke_width(2),
                ),
            ])
            .map_err(err)?;
    }
    Ok(())
}

fn chart_floor(e: &Estimate) -> f64 {
    e.mean.min(0.0)
}

/// Plain lines, e.g. seizures per day for each strategy.
pub fn time_series(
    stem: &Path,
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[(String, Vec<(f64, f64)>)],
) -> PlotResult {
    let xs = span(series.iter().flat_map(|s| s.1.iter().map(|p| p.0)), true);
    let ys = span(series.iter().flat_map(|s| s.1.iter().map(|p| p.1)), true);
    both!(stem, |root| draw_lines(
        &root,
        title,
        x_label,
        y_label,
        series,
        xs.clone(),
        ys.clone()
    ))
}

fn draw_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    xl: &str,
    yl: &str,
    series: &[(String, Vec<(f64, f64)>)],
    xs: Range<f64>,
    ys: Range<f64>,
) -> PlotResult {
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 26))
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(xs, ys)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(xl)
        .y_desc(yl)
        .label_style(("sans-serif", 16))
        .draw()
        .map_err(err)?;
    for (i, (name, pts)) in series.iter().enumerate() {
        let c = colour(i);
        chart
            .draw_series(LineSeries::new(
                pts.iter().copied().filter(|p| p.1.is_finite()),
                c.stroke_width(3),
            ))
            .map_err(err)?
            .label(name.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(3)));
    }
    legend(&mut chart)
}

/// Stacked shares per row (each row sums to 1), e.g. where interdictions happen.
pub fn stacked_shares(
    stem: &Path,
    title: &str,
    parts: &[&str],
    rows: &[(String, Vec<f64>)],
) -> PlotResult {
    both!(stem, |root| draw_stacked(&root, title, parts, rows))
}

fn draw_stacked<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    parts: &[&str],
    rows: &[(String, Vec<f64>)],
) -> PlotResult {
    let n = rows.len().max(1);
    let names: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 26))
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(-0.5..n as f64 - 0.5, 0.0..1.25)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n)
        .x_label_formatter(&|x| {
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_desc("share of seizures")
        .label_style(("sans-serif", 16))
        .draw()
        .map_err(err)?;
    for (k, part) in parts.iter().enumerate() {
        let c = colour(k);
        chart
            .draw_series(rows.iter().enumerate().map(|(i, (_, shares))| {
                let below: f64 = shares.iter().take(k).filter(|v| v.is_finite()).sum();
                let v = shares
                    .get(k)
                    .copied()
                    .filter(|v| v.is_finite())
                    .unwrap_or(0.0);
                Rectangle::new(
                    [(i as f64 - 0.3, below), (i as f64 + 0.3, below + v)],
                    c.filled(),
                )
            }))
            .map_err(err)?
            .label(part.to_string())
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 16, y + 6)], c.filled()));
    }
    legend(&mut chart)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(stem: &Path, words: &[&str]) {
        let png = std::fs::read(stem.with_extension("png")).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let svg = std::fs::read_to_string(stem.with_extension("svg")).unwrap();
        for w in words {
            assert!(svg.contains(w), "{w} not rendered as text");
        }
        let leftovers = std::fs::read_dir(stem.parent().unwrap())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains("tmp")
            })
            .count();
        assert_eq!(leftovers, 0);
    }

    #[test]
    fn every_chart_writes_png_and_svg_with_text() {
        let dir = tempfile::tempdir().unwrap();
        let e = |m: f64| Estimate {
            mean: m,
            ci_low: m - 0.05,
            ci_high: m + 0.05,
            sd: 0.1,
            n: 10,
        };
        let s = dir.path().join("bars");
        bars_with_whiskers(
            &s,
            "Detection by strategy",
            "detection rate",
            &[("random".into(), e(0.1)), ("risk-score".into(), e(0.4))],
        )
        .unwrap();
        check(&s, &["Detection by strategy", "risk-score"]);
        let s = dir.path().join("bands");
        let band = |n: &str, k: f64| Band {
            name: n.into(),
            points: (1..5)
                .map(|i| BandPoint {
                    x: i as f64 * 0.01,
                    mean: k * i as f64,
                    ci_low: k * i as f64 - 0.02,
                    ci_high: k * i as f64 + 0.02,
                })
                .collect(),
        };
        line_with_bands(
            &s,
            "Detection vs inspection",
            "inspection rate",
            "detection rate",
            &[band("random", 0.05), band("learner", 0.1)],
        )
        .unwrap();
        check(&s, &["Detection vs inspection", "learner"]);
        let s = dir.path().join("series");
        time_series(
            &s,
            "Seizures per day",
            "day",
            "seizures",
            &[("random".into(), vec![(0.0, 1.0), (1.0, 3.0)])],
        )
        .unwrap();
        check(&s, &["Seizures per day", "random"]);
        let s = dir.path().join("stack");
        stacked_shares(
            &s,
            "Where interdictions happen",
            &["export", "transit", "import"],
            &[("random".into(), vec![0.2, 0.5, 0.3])],
        )
        .unwrap();
        check(&s, &["Where interdictions happen", "transit"]);
        // Empty and degenerate inputs do not panic.
        time_series(&dir.path().join("empty"), "Empty", "x", "y", &[]).unwrap();
        bars_with_whiskers(
            &dir.path().join("flat"),
            "Flat",
            "y",
            &[("a".into(), e(0.0))],
        )
        .unwrap();
    }
}
