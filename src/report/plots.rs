//! Charts for reports, written as both PNG and SVG with no system fonts.
//!
//! Text is drawn with DejaVu Sans, embedded in the binary (`assets/DejaVuSans.ttf`, licence
//! in `assets/LICENSE-DejaVu.txt`) and registered once as plotters' `"sans-serif"` family,
//! so rendering never depends on fontconfig or installed fonts.
//!
//! Every chart function takes a path *stem* (no extension) and writes `<stem>.png`
//! (1000x600) and `<stem>.svg`, each atomically (see [`crate::report::io`]). Data is never a
//! reason to panic: non-finite values are skipped, empty input gives a chart that says
//! "No data", and a flat series gets a padded axis range.
//!
//! Colours are the Okabe–Ito palette, which stays distinguishable under the common forms
//! of colour blindness. Legends are drawn in a panel to the right of the plot, so they
//! never cover data.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, register_font};

use crate::metrics::stats::Estimate;
use crate::report::io::{promote, temp_sibling, write_atomic};

/// The embedded font (DejaVu Sans, Bitstream Vera licence).
static FONT_BYTES: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
/// The family name the font is registered under; every text style below uses it.
const FAMILY: &str = "sans-serif";
/// Pixel size of every chart (PNG pixels; SVG user units).
pub const SIZE: (u32, u32) = (1000, 600);

const TITLE_SIZE: f64 = 28.0;
const AXIS_DESC_SIZE: f64 = 20.0;
const TICK_SIZE: f64 = 16.0;
const LEGEND_SIZE: f64 = 17.0;
const VALUE_SIZE: f64 = 15.0;

/// Okabe–Ito colours, ordered so that the first few contrast well on white (yellow last).
const PALETTE: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0x00, 0x00, 0x00), // black
    RGBColor(0xF0, 0xE4, 0x42), // yellow
];

fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Lines past the palette's length repeat its colours, so they are dashed to stay distinct.
fn is_dashed(i: usize) -> bool {
    (i / PALETTE.len()) % 2 == 1
}

/// Why a chart could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// Writing or renaming a file failed (the message names the path).
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// plotters reported an error while drawing or encoding.
    #[error("cannot draw {path}: {message}")]
    Draw { path: PathBuf, message: String },
    /// The embedded font could not be parsed (a corrupt build).
    #[error("the embedded DejaVu Sans font could not be loaded")]
    Font,
}

/// One strategy's curve with its confidence band.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub name: String,
    pub points: Vec<BandPoint>,
}

/// One point of a [`Band`]: the mean and its confidence interval at `x`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BandPoint {
    pub x: f64,
    pub mean: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// Register the embedded font once; later calls return the first outcome.
fn ensure_font() -> Result<(), PlotError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok =
        *REGISTERED.get_or_init(|| register_font(FAMILY, FontStyle::Normal, FONT_BYTES).is_ok());
    if ok { Ok(()) } else { Err(PlotError::Font) }
}

fn font(size: f64) -> TextStyle<'static> {
    TextStyle::from((FAMILY, size).into_font()).color(&BLACK)
}

/// `stem` plus `.ext`, keeping any dots already in the stem ("rate.v2" -> "rate.v2.png").
fn with_suffix(stem: &Path, ext: &str) -> PathBuf {
    let mut s: OsString = stem.as_os_str().to_owned();
    s.push(".");
    s.push(ext);
    PathBuf::from(s)
}

type DrawResult = Result<(), String>;

fn de<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// A chart that can draw itself on any plotters backend (so one description yields both
/// the PNG and the SVG).
trait Chart {
    fn title(&self) -> &str;
    /// Draw into `area`, the part of the canvas below the title.
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult;
}

fn draw_on<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, chart: &impl Chart) -> DrawResult {
    root.fill(&WHITE).map_err(de)?;
    let root = root.margin(8, 8, 8, 8);
    let title = fit_text(&root, chart.title(), &font(TITLE_SIZE), SIZE.0 as i32 - 40);
    let area = root.titled(&title, font(TITLE_SIZE)).map_err(de)?;
    chart.draw(&area)
}

/// Removes a temp file when dropped unless disarmed.
struct TempGuard(Option<PathBuf>);

impl Drop for TempGuard {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = fs::remove_file(p);
        }
    }
}

/// Render `chart` to `<stem>.png` and `<stem>.svg`, each atomically.
///
/// The SVG is rendered into a string and written with [`write_atomic`]. The PNG is
/// rendered by plotters' bitmap backend into a hidden temp file in the target directory
/// (its name ends in `.png` so the encoder picks PNG), then renamed over the target.
fn write_both(stem: &Path, chart: &impl Chart) -> Result<(), PlotError> {
    ensure_font()?;
    let png_path = with_suffix(stem, "png");
    let svg_path = with_suffix(stem, "svg");

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        let drawn = draw_on(&root, chart).and_then(|()| root.present().map_err(de));
        drawn.map_err(|message| PlotError::Draw {
            path: svg_path.clone(),
            message,
        })?;
    }

    let tmp = temp_sibling(&png_path, ".png");
    let mut guard = TempGuard(Some(tmp.clone()));
    {
        let root = BitMapBackend::new(&tmp, SIZE).into_drawing_area();
        let drawn = draw_on(&root, chart).and_then(|()| root.present().map_err(de));
        drawn.map_err(|message| PlotError::Draw {
            path: png_path.clone(),
            message,
        })?;
    }
    promote(&tmp, &png_path)?;
    guard.0 = None;

    write_atomic(&svg_path, svg.as_bytes())?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Layout helpers

/// Width in pixels of `text` in `style` (0 if it cannot be measured).
fn text_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
) -> i32 {
    area.estimate_text_size(text, style)
        .map(|(w, _)| w as i32)
        .unwrap_or(0)
}

/// `text`, shortened with an ellipsis if needed so that it is at most `max_w` pixels wide.
fn fit_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max_w: i32,
) -> String {
    if text_width(area, text, style) <= max_w {
        return text.to_owned();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut n = chars.len();
    while n > 0 {
        n -= 1;
        let candidate: String = chars[..n].iter().collect::<String>().trim_end().to_owned() + "…";
        if text_width(area, &candidate, style) <= max_w {
            return candidate;
        }
    }
    "…".to_owned()
}

/// Break `text` into at most `max_lines` lines no wider than `max_w`, at spaces, `_` or `-`
/// where possible; the last line is shortened with an ellipsis if the text does not fit.
fn wrap_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max_w: i32,
    max_lines: usize,
) -> Vec<String> {
    // Split into words, keeping separators attached to the preceding word.
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        cur.push(c);
        if c == ' ' || c == '_' || c == '-' || c == '/' {
            words.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for (i, w) in words.iter().enumerate() {
        let candidate = format!("{line}{w}");
        if line.is_empty() || text_width(area, candidate.trim_end(), style) <= max_w {
            line = candidate;
        } else {
            lines.push(line.trim_end().to_owned());
            if lines.len() == max_lines - 1 {
                let rest: String = words[i..].concat();
                lines.push(fit_text(area, rest.trim_end(), style, max_w));
                return lines;
            }
            line = w.clone();
        }
    }
    if !line.is_empty() {
        lines.push(fit_text(area, line.trim_end(), style, max_w));
    }
    lines
}

/// The smallest range holding every finite value, or `None` if there is none.
fn finite_range(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// Widen `(lo, hi)` by `frac` of its span on each side; a zero span gets a span of its own
/// (10% of the magnitude, or 1 around zero) so a flat series still has an axis.
fn pad_range((lo, hi): (f64, f64), frac: f64) -> (f64, f64) {
    let span = hi - lo;
    if span > 0.0 && span.is_finite() {
        (lo - span * frac, hi + span * frac)
    } else {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        (lo - pad, hi + pad)
    }
}

/// Tick label for a number: short, with precision that suits its magnitude.
fn fmt_tick(v: &f64) -> String {
    let a = v.abs();
    // Below 1e-10 is rounding noise around zero (e.g. -2.8e-17), not a tick value.
    let s = if a < 1e-10 {
        "0".to_owned()
    } else if !(1e-3..1e6).contains(&a) {
        format!("{v:.1e}")
    } else if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 1.0 {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    };
    if s == "-0" { "0".to_owned() } else { s }
}

/// Value label printed on a bar.
fn fmt_value(v: f64) -> String {
    let a = v.abs();
    if a >= 1e6 || (a < 1e-3 && a > 0.0) {
        format!("{v:.2e}")
    } else if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}

/// "No data" in the middle of `area`.
fn draw_no_data<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> DrawResult {
    let (w, h) = area.dim_in_pixel();
    let style = font(AXIS_DESC_SIZE)
        .color(&RGBColor(0x66, 0x66, 0x66))
        .pos(Pos::new(HPos::Center, VPos::Center));
    area.draw_text("No data", &style, (w as i32 / 2, h as i32 / 2))
        .map_err(de)
}

#[derive(Clone, Copy)]
enum Swatch {
    /// A line, optionally over a light band (for series with confidence bands), dashed
    /// once the palette has wrapped round.
    Line { band: bool, dashed: bool },
    /// A filled box (for bar segments).
    Box,
}

/// Split `area` into a plot area and a legend panel on the right wide enough for `names`.
fn split_for_legend<'a, DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    names: impl IntoIterator<Item = &'a str>,
) -> (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>) {
    let style = font(LEGEND_SIZE);
    let widest = names
        .into_iter()
        .map(|n| text_width(area, n, &style))
        .max()
        .unwrap_or(0);
    let (w, _) = area.dim_in_pixel();
    // Swatch and gap (40) + text + right margin (20); at most 30% of the width.
    let legend_w = (widest + 60).clamp(120, (w as i32 * 3) / 10);
    area.split_horizontally(w as i32 - legend_w)
}

/// Draw legend entries top-down in `panel`, names shortened to fit the panel.
fn draw_legend<DB: DrawingBackend>(
    panel: &DrawingArea<DB, Shift>,
    entries: &[(&str, RGBColor, Swatch)],
) -> DrawResult {
    let style = font(LEGEND_SIZE).pos(Pos::new(HPos::Left, VPos::Center));
    let (w, h) = panel.dim_in_pixel();
    let row_h = 28;
    let top = 30;
    let max_rows = ((h as i32 - top) / row_h).max(1) as usize;
    let text_x = 40;
    for (i, (name, c, swatch)) in entries.iter().enumerate() {
        let y = top + i as i32 * row_h;
        if i + 1 == max_rows && entries.len() > max_rows {
            let more = format!("+{} more", entries.len() - i);
            panel.draw_text(&more, &style, (text_x, y)).map_err(de)?;
            break;
        }
        match swatch {
            Swatch::Line { band, dashed } => {
                if *band {
                    panel
                        .draw(&Rectangle::new(
                            [(2, y - 8), (30, y + 8)],
                            c.mix(0.2).filled(),
                        ))
                        .map_err(de)?;
                }
                if *dashed {
                    for x in [2, 13, 24] {
                        panel
                            .draw(&PathElement::new(
                                vec![(x, y), (x + 6, y)],
                                c.stroke_width(3),
                            ))
                            .map_err(de)?;
                    }
                } else {
                    panel
                        .draw(&PathElement::new(vec![(2, y), (30, y)], c.stroke_width(3)))
                        .map_err(de)?;
                }
            }
            Swatch::Box => {
                panel
                    .draw(&Rectangle::new([(4, y - 9), (28, y + 9)], c.filled()))
                    .map_err(de)?;
                panel
                    .draw(&Rectangle::new([(4, y - 9), (28, y + 9)], BLACK.mix(0.5)))
                    .map_err(de)?;
            }
        }
        let label = fit_text(panel, name, &style, w as i32 - text_x - 12);
        panel.draw_text(&label, &style, (text_x, y)).map_err(de)?;
    }
    Ok(())
}

/// Grid line styles (major, minor): light grey major lines; minor lines only for the
/// line charts (`minor = true`), and faint, since dense minor lines read as hatching
/// behind bars.
fn mesh_styles(minor: bool) -> (ShapeStyle, ShapeStyle) {
    let light = if minor {
        BLACK.mix(0.035).stroke_width(1)
    } else {
        TRANSPARENT.stroke_width(0)
    };
    (BLACK.mix(0.15).stroke_width(1), light)
}

// ---------------------------------------------------------------------------------------
// Lines with confidence bands

struct LineChart<'a> {
    title: &'a str,
    x_label: &'a str,
    y_label: &'a str,
    /// (name, points with finite `x` and `mean`; CI bounds may be NaN)
    series: Vec<(&'a str, Vec<BandPoint>)>,
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
        let x = if xs.0 == xs.1 { pad_range(xs, 0.0) } else { xs };
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
/// rate with a 95% CI band per strategy (written by `compare` and `sweep`).
pub fn detection_vs_inspection(dir: &Path, bands: &[Band]) -> Result<(), PlotError> {
    line_with_bands(
        &dir.join("detection_vs_inspection"),
        "Detection rate against inspection rate (95% CI)",
        "inspection rate",
        "detection rate",
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
        bands: false,
    };
    write_both(stem, &chart)
}

// ---------------------------------------------------------------------------------------
// Bars with whiskers

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

// ---------------------------------------------------------------------------------------
// Stacked shares

struct StackChart<'a> {
    title: &'a str,
    parts: &'a [&'a str],
    rows: &'a [(String, Vec<f64>)],
}

/// Row values as shares: non-finite and negative values count as 0, then divided by the
/// row total. `None` for a row with nothing in it.
fn shares(values: &[f64]) -> Option<Vec<f64>> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::stats::estimate;

    const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// The text content of every `<text>` element.
    fn svg_texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .filter_map(|chunk| {
                let start = chunk.find('>')? + 1;
                let end = chunk.find("</text>")?;
                Some(chunk[start..end].trim().to_owned())
            })
            .collect()
    }

    /// Both files exist, the PNG is a PNG, the SVG has every `expected` string as a text
    /// element, and no temp files were left.
    fn check(dir: &Path, stem: &Path, expected: &[&str]) {
        let png = fs::read(with_suffix(stem, "png")).unwrap();
        assert!(png.len() > 1000, "PNG too small: {}", png.len());
        assert_eq!(png[..8], PNG_SIGNATURE);
        let svg = fs::read_to_string(with_suffix(stem, "svg")).unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..40.min(svg.len())]);
        let texts = svg_texts(&svg);
        for e in expected {
            assert!(
                texts.iter().any(|t| t == e),
                "missing text {e:?} in {texts:?}"
            );
        }
        let leftovers: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
    }

    fn band(name: &str, f: impl Fn(f64) -> f64) -> Band {
        Band {
            name: name.to_owned(),
            points: (0..=10)
                .map(|i| {
                    let x = i as f64 * 0.02;
                    let m = f(x);
                    BandPoint {
                        x,
                        mean: m,
                        ci_low: m - 0.03 - x * 0.1,
                        ci_high: m + 0.03 + x * 0.1,
                    }
                })
                .collect(),
        }
    }

    fn sample_bands() -> Vec<Band> {
        vec![
            band("Random", |x| x),
            band("Risk profile", |x| (x * 4.0).min(0.7)),
            band("Intelligence-led", |x| (0.1 + x * 5.0).min(0.9)),
        ]
    }

    fn sample_bars() -> Vec<(String, Estimate)> {
        vec![
            (
                "Random".to_owned(),
                estimate(&[0.05, 0.07, 0.06, 0.08, 0.04]),
            ),
            (
                "Risk profile".to_owned(),
                estimate(&[0.31, 0.35, 0.29, 0.4, 0.33]),
            ),
            (
                "Intelligence-led".to_owned(),
                estimate(&[0.52, 0.61, 0.55, 0.58, 0.49]),
            ),
            (
                "Intelligence-led with transit checks".to_owned(),
                estimate(&[0.6, 0.7, 0.65, 0.62, 0.71]),
            ),
        ]
    }

    fn sample_days() -> Vec<(String, Vec<(f64, f64)>)> {
        let mk = |name: &str, k: f64| {
            let pts = (0..90)
                .map(|d| {
                    let d = d as f64;
                    (d, (k * (1.0 + (d / 7.0).sin()) + d * 0.02).max(0.0))
                })
                .collect();
            (name.to_owned(), pts)
        };
        vec![
            mk("Random", 1.0),
            mk("Risk profile", 2.5),
            mk("Intelligence-led", 4.0),
        ]
    }

    fn sample_rows() -> Vec<(String, Vec<f64>)> {
        vec![
            ("Random".to_owned(), vec![0.2, 0.3, 0.5]),
            ("Risk profile".to_owned(), vec![0.5, 0.2, 0.3]),
            ("Intelligence-led".to_owned(), vec![12.0, 3.0, 1.0]),
            ("No seizures".to_owned(), vec![0.0, 0.0, 0.0]),
        ]
    }

    #[test]
    fn line_with_bands_writes_png_and_svg_with_text() {
        let dir = tempfile::tempdir().unwrap();
        let stem = dir.path().join("detection_vs_inspection");
        line_with_bands(
            &stem,
            "Detection vs inspection rate",
            "Inspection rate",
            "Detection rate",
            &sample_bands(),
        )
        .unwrap();
        check(
            dir.path(),
            &stem,
            &[
                "Detection vs inspection rate",
                "Inspection rate",
                "Detection rate",
                "Random",
                "Risk profile",
                "Intelligence-led",
            ],
        );
    }

    #[test]
    fn bars_with_whiskers_writes_png_and_svg_with_text() {
        let dir = tempfile::tempdir().unwrap();
        let stem = dir.path().join("bars");
        bars_with_whiskers(
            &stem,
            "Detection rate by strategy",
            "Detection rate",
            &sample_bars(),
        )
        .unwrap();
        check(
            dir.path(),
            &stem,
            &[
                "Detection rate by strategy",
                "Detection rate",
                "Random",
                "Risk profile",
            ],
        );
    }

    #[test]
    fn time_series_writes_png_and_svg_with_text() {
        let dir = tempfile::tempdir().unwrap();
        let stem = dir.path().join("seizures");
        time_series(&stem, "Seizures per day", "Day", "Seizures", &sample_days()).unwrap();
        check(
            dir.path(),
            &stem,
            &[
                "Seizures per day",
                "Day",
                "Seizures",
                "Random",
                "Intelligence-led",
            ],
        );
    }

    #[test]
    fn stacked_shares_writes_png_and_svg_with_text() {
        let dir = tempfile::tempdir().unwrap();
        let stem = dir.path().join("interdiction");
        stacked_shares(
            &stem,
            "Where shipments were stopped",
            &["Export", "Transit", "Import"],
            &sample_rows(),
        )
        .unwrap();
        check(
            dir.path(),
            &stem,
            &[
                "Where shipments were stopped",
                "Export",
                "Transit",
                "Import",
                "Random",
                "No seizures",
                "no data",
                "75%",
            ],
        );
    }

    #[test]
    fn empty_and_degenerate_input_does_not_panic() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        line_with_bands(&d.join("a"), "Empty", "x", "y", &[]).unwrap();
        check(d, &d.join("a"), &["Empty", "No data"]);
        line_with_bands(
            &d.join("b"),
            "No points",
            "x",
            "y",
            &[Band {
                name: "s".into(),
                points: vec![],
            }],
        )
        .unwrap();
        let nan = BandPoint {
            x: f64::NAN,
            mean: f64::NAN,
            ci_low: f64::NAN,
            ci_high: f64::NAN,
        };
        line_with_bands(
            &d.join("c"),
            "NaN",
            "x",
            "y",
            &[Band {
                name: "s".into(),
                points: vec![nan; 3],
            }],
        )
        .unwrap();
        let flat = BandPoint {
            x: 1.0,
            mean: 0.5,
            ci_low: f64::NAN,
            ci_high: f64::NAN,
        };
        line_with_bands(
            &d.join("d"),
            "One point",
            "x",
            "y",
            &[Band {
                name: "s".into(),
                points: vec![flat],
            }],
        )
        .unwrap();
        bars_with_whiskers(&d.join("e"), "Empty", "y", &[]).unwrap();
        let nan_est = Estimate {
            mean: f64::NAN,
            ci_low: f64::NAN,
            ci_high: f64::NAN,
            sd: 0.0,
            n: 0,
        };
        bars_with_whiskers(
            &d.join("f"),
            "NaN",
            "y",
            &[("a".into(), nan_est), ("b".into(), Estimate::EMPTY)],
        )
        .unwrap();
        bars_with_whiskers(
            &d.join("g"),
            "Negative",
            "y",
            &[("a".into(), estimate(&[-1.0, -2.0, -1.5]))],
        )
        .unwrap();
        time_series(&d.join("h"), "Empty", "x", "y", &[]).unwrap();
        time_series(
            &d.join("i"),
            "Flat",
            "x",
            "y",
            &[("z".into(), vec![(0.0, 0.0), (1.0, 0.0), (2.0, f64::NAN)])],
        )
        .unwrap();
        time_series(
            &d.join("j"),
            "Inf",
            "x",
            "y",
            &[("z".into(), vec![(f64::INFINITY, 1.0)])],
        )
        .unwrap();
        stacked_shares(&d.join("k"), "Empty", &[], &[]).unwrap();
        stacked_shares(
            &d.join("l"),
            "Ragged",
            &["a"],
            &[
                ("r".into(), vec![f64::NAN, -1.0, 2.0]),
                ("s".into(), vec![]),
            ],
        )
        .unwrap();
        let texts = svg_texts(&fs::read_to_string(d.join("l.svg")).unwrap());
        assert!(texts.iter().any(|t| t == "part 3"), "{texts:?}");
        for s in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"] {
            check(d, &d.join(s), &[]);
        }
    }

    #[test]
    fn stem_keeps_its_dots_and_errors_name_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let stem = dir.path().join("rate.v2");
        time_series(&stem, "t", "x", "y", &sample_days()).unwrap();
        assert!(dir.path().join("rate.v2.png").exists());
        assert!(dir.path().join("rate.v2.svg").exists());
        let missing = dir.path().join("no-such-dir").join("plot");
        let err = time_series(&missing, "t", "x", "y", &sample_days()).unwrap_err();
        assert!(err.to_string().contains("no-such-dir"), "{err}");
    }

    #[test]
    fn helpers() {
        assert_eq!(pad_range((2.0, 2.0), 0.05), (1.8, 2.2));
        assert_eq!(pad_range((0.0, 0.0), 0.05), (-1.0, 1.0));
        assert_eq!(
            finite_range([f64::NAN, 3.0, -1.0, f64::INFINITY]),
            Some((-1.0, 3.0))
        );
        assert_eq!(finite_range([f64::NAN]), None);
        assert_eq!(shares(&[1.0, 3.0]), Some(vec![0.25, 0.75]));
        assert_eq!(shares(&[0.0, f64::NAN]), None);
        assert_eq!(fmt_tick(&0.25), "0.25");
        assert_eq!(fmt_tick(&0.30000000000000004), "0.3");
        assert_eq!(fmt_tick(&250.0), "250");
        assert_eq!(
            with_suffix(Path::new("out/a.b"), "png"),
            PathBuf::from("out/a.b.png")
        );
    }

    /// Writes one chart of each kind to /tmp/stce-plots for looking at by eye:
    /// `cargo test --lib report::plots::tests::write_examples -- --ignored`.
    #[test]
    #[ignore]
    fn write_examples() {
        let d = Path::new("/tmp/stce-plots");
        fs::create_dir_all(d).unwrap();
        line_with_bands(
            &d.join("bands"),
            "Detection rate vs inspection rate",
            "Inspection rate",
            "Detection rate",
            &sample_bands(),
        )
        .unwrap();
        bars_with_whiskers(
            &d.join("bars"),
            "Detection rate by strategy (95% CI)",
            "Detection rate",
            &sample_bars(),
        )
        .unwrap();
        time_series(
            &d.join("series"),
            "Seizures per day",
            "Day",
            "Seizures",
            &sample_days(),
        )
        .unwrap();
        stacked_shares(
            &d.join("stacked"),
            "Interdiction point by strategy",
            &["Export", "Transit", "Import"],
            &sample_rows(),
        )
        .unwrap();
        line_with_bands(&d.join("empty"), "Nothing to show", "x", "y", &[]).unwrap();

        // Stress: many series, long names, negative values.
        let names = [
            "Random",
            "Risk profile",
            "Intelligence-led",
            "Intelligence-led with transit-hub checks and extra scrutiny",
            "Cosmo operation",
            "Post-shipment verification",
            "End-user checks",
            "Broker registry",
            "Catch-all clause",
            "Tenth strategy",
        ];
        let many: Vec<Band> = names
            .iter()
            .enumerate()
            .map(|(i, n)| band(n, |x| x * (i as f64 + 1.0)))
            .collect();
        line_with_bands(
            &d.join("bands_many"),
            "Many strategies with a rather long title that goes on and on about detection",
            "Inspection rate",
            "Detection rate",
            &many,
        )
        .unwrap();
        let diffs: Vec<(String, Estimate)> = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let m = i as f64 * 0.05 - 0.2;
                (
                    (*n).to_owned(),
                    estimate(&[m - 0.03, m, m + 0.04, m + 0.01]),
                )
            })
            .collect();
        bars_with_whiskers(
            &d.join("bars_many"),
            "Difference from baseline (paired, 95% CI)",
            "Detection rate difference",
            &diffs,
        )
        .unwrap();
        let rows: Vec<(String, Vec<f64>)> = names
            .iter()
            .enumerate()
            .map(|(i, n)| ((*n).to_owned(), vec![i as f64, 10.0 - i as f64, 2.0]))
            .collect();
        stacked_shares(
            &d.join("stacked_many"),
            "Interdiction point",
            &["Export", "Transit", "Import"],
            &rows,
        )
        .unwrap();
    }
}
