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
//! One module per kind of chart: [`lines`] (lines with confidence bands, time series),
//! [`bars`] (bars with CI whiskers) and [`shares`] (stacked shares of 100%); this module
//! holds what they share (font, palette, layout, legend, atomic PNG + SVG output).
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

mod bars;
mod lines;
mod shares;
#[cfg(test)]
mod tests;

pub use bars::bars_with_whiskers;
pub use lines::{detection_vs_inspection, line_with_bands, time_series};
pub use shares::stacked_shares;

/// The embedded font (DejaVu Sans, Bitstream Vera licence).
static FONT_BYTES: &[u8] = include_bytes!("../../../assets/DejaVuSans.ttf");
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
    /// A label written beside each point (e.g. the swept value it stands for), in the
    /// order of `points`; empty for none.
    pub labels: Vec<String>,
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
    // A long title (it names the scenario) is set smaller before it is shortened.
    let max_w = SIZE.0 as i32 - 40;
    let size = [TITLE_SIZE, 24.0, 21.0, 19.0]
        .into_iter()
        .find(|&s| text_width(&root, chart.title(), &font(s)) <= max_w)
        .unwrap_or(19.0);
    let title = fit_text(&root, chart.title(), &font(size), max_w);
    let area = root.titled(&title, font(size)).map_err(de)?;
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

    // The PNG is drawn with the bundled DejaVu Sans; the SVG names it first so a viewer
    // that has it (most Linux desktops, any with the font installed) shows the same text.
    let svg = svg.replace(
        "font-family=\"sans-serif\"",
        "font-family=\"DejaVu Sans, sans-serif\"",
    );
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
