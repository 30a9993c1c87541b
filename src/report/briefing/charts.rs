//! The briefing's charts as inline SVG: seizures per day with the operation's phases
//! shaded, estimates with their 95% intervals, and shares of 100%. Every chart has a
//! labelled axis with units, a legend for what it draws, and keeps its marks inside the
//! axes (the domain is taken from the data, interval ends included).

use std::fmt::Write;

use super::html::esc;
use crate::report::context::PhaseInfo;
use crate::report::numbers::{fixed, percents_summing_to_100};

/// Colour-blind-safe series colours (Okabe–Ito).
pub const SERIES: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8a6d00", "#000000",
];

/// Fill of each operation phase.
pub fn phase_fill(kind: &str) -> &'static str {
    match kind {
        "TargetBuilding" => "#e8eef7",
        "Interdiction" => "#fbe3d3",
        "FollowUp" => "#e3f1e6",
        "Drain" => "#ececec",
        _ => "#efe8f5",
    }
}

/// Human name of a phase kind.
pub fn phase_name(kind: &str) -> &'static str {
    match kind {
        "TargetBuilding" => "target building",
        "Interdiction" => "interdiction",
        "FollowUp" => "follow-up",
        "Reporting" => "reporting",
        "run" => "whole run",
        "Drain" => "drain",
        _ => "phase",
    }
}

/// Round numbers for an axis from `lo` to `hi`: (first tick, step, count).
pub fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return vec![lo];
    }
    let raw = (hi - lo) / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() * step;
    let mut v = Vec::new();
    let mut t = first;
    while t <= hi + step * 1e-9 {
        v.push(if t.abs() < step * 1e-9 { 0.0 } else { t });
        t += step;
    }
    v
}

fn tick_label(v: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10().floor()) as usize
            + usize::from((step * 10f64.powf(-step.log10().floor())).fract() > 1e-6)
    };
    fixed(v, decimals.min(4))
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `2020-02-03` → `3 Feb`.
fn short_date(date: &str) -> String {
    let mut it = date.split('-');
    let (_, m, d) = (it.next(), it.next(), it.next());
    match (
        m.and_then(|m| m.parse::<usize>().ok()),
        d.and_then(|d| d.parse::<u32>().ok()),
    ) {
        (Some(m), Some(d)) if (1..=12).contains(&m) => format!("{d} {}", MONTHS[m - 1]),
        _ => date.to_string(),
    }
}

/// One line of a daily chart.
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
    pub dashed: bool,
}

/// Values per day against real dates, the operation's phases shaded behind.
pub fn daily(series: &[Series], dates: &[String], phases: &[PhaseInfo], y_label: &str) -> String {
    let (w, h) = (1000.0, 330.0);
    let (l, r, t, b) = (64.0, 18.0, 40.0, 52.0);
    let days = dates.len().max(1);
    let ymax = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    let ticks = nice_ticks(0.0, (ymax * 1.08).max(1.0), 5);
    let ytop = ticks.last().copied().unwrap_or(1.0).max(ymax).max(1e-9);
    let x = |d: f64| l + (w - l - r) * (d + 0.5) / days as f64;
    let y = |v: f64| t + (h - t - b) * (1.0 - v / ytop);
    let mut s = format!(
        "<svg viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" font-family=\"DejaVu Sans, sans-serif\">"
    );
    // phases
    for p in phases {
        let x0 = l + (w - l - r) * p.start_day as f64 / days as f64;
        let x1 = l + (w - l - r) * (p.end_day.min(days as u32)) as f64 / days as f64;
        if x1 <= x0 {
            continue;
        }
        let _ = write!(
            s,
            "<rect x=\"{x0:.1}\" y=\"{t}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"/>",
            x1 - x0,
            h - t - b,
            phase_fill(&p.kind)
        );
        // a label only where it fits over its band (the table below names every phase)
        let name = phase_name(&p.kind);
        if x1 - x0 >= 6.8 * name.chars().count() as f64 {
            let _ = write!(
                s,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#444\">{}</text>",
                (x0 + x1) / 2.0,
                t - 6.0,
                esc(name)
            );
        }
    }
    // grid and y axis
    for v in &ticks {
        let step = if ticks.len() > 1 {
            ticks[1] - ticks[0]
        } else {
            1.0
        };
        let _ = write!(
            s,
            "<line x1=\"{l}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#d9dee3\" stroke-width=\"1\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"end\" fill=\"#333\">{}</text>",
            w - r,
            l - 6.0,
            y(*v) + 4.0,
            tick_label(*v, step),
            y = y(*v)
        );
    }
    // x ticks: about ten, on whole weeks where the run is long
    let every = [1usize, 2, 7, 14, 28, 56, 91, 182, 364]
        .into_iter()
        .find(|e| days / e <= 12)
        .unwrap_or(364);
    for d in (0..days).step_by(every) {
        let _ = write!(
            s,
            "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#555\"/><text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#333\">{}</text>",
            h - b,
            h - b + 5.0,
            h - b + 19.0,
            esc(&short_date(&dates[d])),
            x = x(d as f64)
        );
    }
    let _ = write!(
        s,
        "<line x1=\"{l}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#555\"/><line x1=\"{l}\" x2=\"{l}\" y1=\"{t}\" y2=\"{:.1}\" stroke=\"#555\"/>",
        w - r,
        h - b,
        h - b,
        h - b
    );
    let _ = write!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\" text-anchor=\"middle\" fill=\"#222\">date ({} to {})</text>",
        (l + w - r) / 2.0,
        h - 10.0,
        esc(dates.first().map_or("", |d| d.as_str())),
        esc(dates.last().map_or("", |d| d.as_str()))
    );
    let _ = write!(
        s,
        "<text transform=\"translate(16 {:.1}) rotate(-90)\" font-size=\"13\" text-anchor=\"middle\" fill=\"#222\">{}</text>",
        (t + h - b) / 2.0,
        esc(y_label)
    );
    // series
    for (i, se) in series.iter().enumerate() {
        let pts: Vec<String> = se
            .values
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_finite())
            .map(|(d, v)| format!("{:.1},{:.1}", x(d as f64), y(*v)))
            .collect();
        let dash = if se.dashed {
            " stroke-dasharray=\"6 4\""
        } else {
            ""
        };
        let _ = write!(
            s,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.2\"{dash}/>",
            pts.join(" "),
            SERIES[i % SERIES.len()]
        );
    }
    // legend, top left inside the plot
    for (i, se) in series.iter().enumerate() {
        let ly = t + 14.0 + 18.0 * i as f64;
        let dash = if se.dashed {
            " stroke-dasharray=\"6 4\""
        } else {
            ""
        };
        let _ = write!(
            s,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"17\" fill=\"white\" opacity=\"0.85\"/><line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{ly:.1}\" y2=\"{ly:.1}\" stroke=\"{}\" stroke-width=\"2.2\"{dash}/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12.5\" fill=\"#222\">{}</text>",
            l + 6.0,
            ly - 9.0,
            36.0 + 7.2 * se.name.chars().count() as f64,
            l + 10.0,
            l + 34.0,
            SERIES[i % SERIES.len()],
            l + 40.0,
            ly + 4.0,
            esc(&se.name)
        );
    }
    s.push_str("</svg>");
    s
}

/// One estimate with its interval.
pub struct Interval {
    pub label: String,
    pub mean: f64,
    pub low: f64,
    pub high: f64,
}

/// Estimates as dots with 95% interval whiskers, one row each; `zero` draws the zero
/// line (for differences).
pub fn intervals(rows: &[Interval], x_label: &str, zero: bool) -> String {
    let row_h = 30.0;
    let (l, r, t, b) = (230.0, 30.0, 12.0, 50.0);
    let w = 1000.0;
    let h = t + b + row_h * rows.len().max(1) as f64;
    let finite = |v: f64| v.is_finite().then_some(v);
    let mut lo = rows
        .iter()
        .filter_map(|r| finite(r.low).or(finite(r.mean)))
        .fold(f64::INFINITY, f64::min);
    let mut hi = rows
        .iter()
        .filter_map(|r| finite(r.high).or(finite(r.mean)))
        .fold(f64::NEG_INFINITY, f64::max);
    if zero {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    if !lo.is_finite() || !hi.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    if hi - lo < 1e-12 {
        (lo, hi) = (
            lo - 0.5f64.max(lo.abs() * 0.1),
            hi + 0.5f64.max(hi.abs() * 0.1),
        );
    }
    let pad = (hi - lo) * 0.06;
    let ticks = nice_ticks(lo - pad, hi + pad, 6);
    let (dlo, dhi) = (
        ticks.first().copied().unwrap_or(lo).min(lo - pad),
        ticks.last().copied().unwrap_or(hi).max(hi + pad),
    );
    let x = |v: f64| l + (w - l - r) * (v - dlo) / (dhi - dlo);
    let mut s = format!(
        "<svg viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" font-family=\"DejaVu Sans, sans-serif\">"
    );
    let step = if ticks.len() > 1 {
        ticks[1] - ticks[0]
    } else {
        1.0
    };
    for v in &ticks {
        let _ = write!(
            s,
            "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{t}\" y2=\"{:.1}\" stroke=\"#e1e5e9\"/><text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#333\">{}</text>",
            h - b,
            h - b + 17.0,
            tick_label(*v, step),
            x = x(*v)
        );
    }
    if zero {
        let _ = write!(
            s,
            "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{t}\" y2=\"{:.1}\" stroke=\"#333\" stroke-dasharray=\"4 3\"/>",
            h - b,
            x = x(0.0)
        );
    }
    for (i, row) in rows.iter().enumerate() {
        let cy = t + row_h * (i as f64 + 0.5);
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\" text-anchor=\"end\" fill=\"#222\">{}</text>",
            l - 10.0,
            cy + 4.5,
            esc(&row.label)
        );
        if row.low.is_finite() && row.high.is_finite() {
            let _ = write!(
                s,
                "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{cy:.1}\" y2=\"{cy:.1}\" stroke=\"{c}\" stroke-width=\"2\"/><line x1=\"{x0:.1}\" x2=\"{x0:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"{c}\" stroke-width=\"2\"/><line x1=\"{x1:.1}\" x2=\"{x1:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"{c}\" stroke-width=\"2\"/>",
                x(row.low),
                x(row.high),
                cy - 6.0,
                cy + 6.0,
                cy - 6.0,
                cy + 6.0,
                c = SERIES[0],
                x0 = x(row.low),
                x1 = x(row.high)
            );
        }
        if row.mean.is_finite() {
            let _ = write!(
                s,
                "<circle cx=\"{:.1}\" cy=\"{cy:.1}\" r=\"5\" fill=\"{}\"/>",
                x(row.mean),
                SERIES[0]
            );
        }
    }
    let _ = write!(
        s,
        "<line x1=\"{l}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#555\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\" text-anchor=\"middle\" fill=\"#222\">{}</text>",
        w - r,
        h - b,
        h - b,
        (l + w - r) / 2.0,
        h - 10.0,
        esc(x_label)
    );
    s.push_str("</svg>");
    s
}

/// Horizontal bars of 100%, one per row, split into `parts`; whole percentages that
/// add up to 100 are written in the segments wide enough to hold them.
pub fn shares(rows: &[(String, Vec<f64>)], parts: &[&str]) -> String {
    let row_h = 34.0;
    let (l, r, t, b) = (230.0, 30.0, 34.0, 14.0);
    let w = 1000.0;
    let h = t + b + row_h * rows.len().max(1) as f64;
    let mut s = format!(
        "<svg viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" font-family=\"DejaVu Sans, sans-serif\">"
    );
    let colours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7"];
    let mut lx = l;
    for (k, p) in parts.iter().enumerate() {
        let _ = write!(
            s,
            "<rect x=\"{lx:.1}\" y=\"8\" width=\"14\" height=\"14\" fill=\"{}\"/><text x=\"{:.1}\" y=\"20\" font-size=\"13\" fill=\"#222\">{}</text>",
            colours[k % colours.len()],
            lx + 19.0,
            esc(p)
        );
        lx += 30.0 + 8.0 * p.chars().count() as f64;
    }
    for (i, (label, values)) in rows.iter().enumerate() {
        let y0 = t + row_h * i as f64 + 4.0;
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\" text-anchor=\"end\" fill=\"#222\">{}</text>",
            l - 10.0,
            y0 + 18.0,
            esc(label)
        );
        let Some(pcts) = percents_summing_to_100(values) else {
            let _ = write!(
                s,
                "<text x=\"{l}\" y=\"{:.1}\" font-size=\"13\" fill=\"#666\">no seizure: n/a</text>",
                y0 + 18.0
            );
            continue;
        };
        let total: f64 = values.iter().filter(|v| v.is_finite()).sum();
        let mut x = l;
        for (k, v) in values.iter().enumerate() {
            let width = if v.is_finite() {
                (w - l - r) * v / total
            } else {
                0.0
            };
            if width <= 0.0 {
                continue;
            }
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{y0:.1}\" width=\"{width:.1}\" height=\"26\" fill=\"{}\"/>",
                colours[k % colours.len()]
            );
            if width > 40.0 {
                let _ = write!(
                    s,
                    "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\" text-anchor=\"middle\" fill=\"white\">{}%</text>",
                    x + width / 2.0,
                    y0 + 18.0,
                    pcts[k]
                );
            }
            x += width;
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(
            nice_ticks(0.0, 10.0, 5),
            vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
        );
        let t = nice_ticks(0.23, 0.61, 5);
        assert!(t.iter().all(|v| (0.23..=0.61).contains(v)), "{t:?}");
        assert_eq!(tick_label(0.25, 0.05), "0.25");
        assert_eq!(tick_label(20.0, 5.0), "20");
        assert_eq!(short_date("2020-02-03"), "3 Feb");
    }

    #[test]
    fn interval_marks_stay_inside_the_axes() {
        let svg = intervals(
            &[Interval {
                label: "a".into(),
                mean: 0.5,
                low: 0.2,
                high: 0.9,
            }],
            "rate",
            true,
        );
        // every x coordinate lies between the left and right margins
        for part in svg.split("x1=\"").skip(1) {
            let v: f64 = part.split('"').next().unwrap().parse().unwrap();
            assert!((230.0..=970.0).contains(&v), "{v}");
        }
    }
}
