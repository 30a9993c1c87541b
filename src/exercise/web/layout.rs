//! The page shell every console page shares: head, header with the exercise's clock,
//! the message area where API errors are spoken, and small formatting helpers.
//!
//! Pages served by the binary link the embedded stylesheet and script; the exported
//! debrief inlines the stylesheet and carries no script, so it opens from a file with
//! the network off.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::exercise::api::{Phase, Status};

/// The stylesheet, embedded in the binary (served at [`CSS_PATH`], inlined in exports).
pub const CSS: &str = include_str!("../../../assets/exercise/console.css");
/// The console's script (sorting, filtering, capacity counter, submit, live updates).
pub const JS: &str = include_str!("../../../assets/exercise/console.js");
pub const CSS_PATH: &str = "/console/console.css";
pub const JS_PATH: &str = "/console/console.js";

/// How a page is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Served live: linked assets, polling script.
    Live,
    /// One self-contained file: inline stylesheet, no script, nothing fetched.
    Export,
}

/// A whole HTML document. `kind` names the page for the script (`team`, `red`,
/// `facilitator`, `debrief`).
pub fn page(title: &str, kind: &str, delivery: Delivery, header: Markup, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                // No favicon request: an exported file must not reach for anything.
                link rel="icon" href="data:,";
                title { (title) }
                @match delivery {
                    Delivery::Live => {
                        link rel="stylesheet" href=(CSS_PATH);
                        script src=(JS_PATH) defer {}
                    }
                    Delivery::Export => {
                        meta http-equiv="Content-Security-Policy"
                            content="default-src 'none'; style-src 'unsafe-inline'; img-src data:";
                        style { (PreEscaped(CSS)) }
                    }
                }
            }
            body data-page=(kind) {
                a.skip href="#main" { "Skip to content" }
                (header)
                @if delivery == Delivery::Live {
                    div #messages role="alert" aria-live="assertive" {}
                }
                main #main tabindex="-1" { (body) }
            }
        }
    }
}

/// The banner with the exercise's clock, refreshed by the live updates. `who` is the
/// page's owner ("Team Singapore", "Facilitator", "Debrief").
pub fn header(status: &Status, who: &str, extra: Markup) -> Markup {
    html! {
        header #status.banner data-live="status" data-phase=(phase_key(status)) data-turn=(status.turn) {
            div.who {
                span.exercise { (status.exercise) }
                h1 { (who) " " (extra) }
            }
            div.clock {
                (clock(status))
            }
        }
    }
}

fn clock(status: &Status) -> Markup {
    html! {
        @match status.phase {
            Phase::Finished => {
                p.turn { "All " (status.turns) " turns played" }
            }
            _ => {
                p.turn { "Turn " strong { (status.turn) } " of " (status.turns) }
                p.date { (status.sim_time) " · " (hours(status.turn_hours as f64)) " per turn" }
            }
        }
        p.phase.{ "phase-" (phase_key(status)) } { (phase_words(status)) }
    }
}

pub fn phase_key(status: &Status) -> &'static str {
    match status.phase {
        Phase::Open => "open",
        Phase::Paused => "paused",
        Phase::Finished => "finished",
    }
}

fn phase_words(status: &Status) -> &'static str {
    match status.phase {
        Phase::Open => "Turn open",
        Phase::Paused => "Paused",
        Phase::Finished => "Exercise over",
    }
}

/// A notice that says plainly when nothing can be submitted, and why.
pub fn phase_notice(status: &Status, submitted: bool, red: bool) -> Markup {
    html! {
        @match status.phase {
            Phase::Paused => {
                p.notice.notice-stop role="status" {
                    strong { "The exercise is paused." }
                    " Submissions are closed until the facilitator resumes; your choices on this page are kept."
                }
            }
            Phase::Finished => {
                p.notice.notice-stop role="status" {
                    strong { "The exercise is over: turn closed." }
                    @if status.debrief_open { " The debrief is open." } @else { " Wait for the facilitator to open the debrief." }
                }
            }
            Phase::Open => {
                @if submitted {
                    p.notice.notice-ok role="status" {
                        strong { "Submitted for turn " (status.turn) "." }
                        " You may change and submit again until the facilitator closes the turn."
                    }
                } @else {
                    p.notice role="status" {
                        "Turn " (status.turn) " is open: choose and submit before the facilitator closes it. "
                        @if red { "Without new orders the network keeps its previous ones." }
                        @else { "Without a submission your offices use their usual strategy." }
                    }
                }
            }
        }
    }
}

/// An HTML page for a refused request (bad token, debrief not open yet, ...), with the
/// API's message in words.
pub fn refusal(status: u16, message: &str) -> Markup {
    let title = match status {
        401 => "This link is not valid",
        403 => "This page is not for this link",
        404 => "No such page",
        409 => "Not available yet",
        _ => "Something went wrong",
    };
    let body = html! {
        h1 { (title) }
        p.notice.notice-stop { (message) }
        p { "Check the link you were given by the facilitator (it is printed when " code { "stce exercise" } " starts)." }
    };
    page(title, "refusal", Delivery::Live, html! {}, body)
}

/// Officer-hours or delay as words: "4 h", "1.5 h", "2 d 4 h" for long ones.
pub fn hours(h: f64) -> String {
    if h >= 48.0 {
        let d = (h / 24.0).floor();
        let rest = h - d * 24.0;
        if rest.abs() < 0.05 {
            format!("{d:.0} d")
        } else {
            format!("{d:.0} d {rest:.0} h")
        }
    } else if (h - h.round()).abs() < 0.05 {
        format!("{h:.0} h")
    } else {
        format!("{h:.1} h")
    }
}

/// A whole number with thin grouping: 12,345.
pub fn count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// US dollars, rounded to what a table needs.
pub fn usd(v: f64) -> String {
    if v >= 1e6 {
        format!("${:.1} M", v / 1e6)
    } else {
        format!("${}", count(v.round().max(0.0) as u64))
    }
}

/// A share as a percentage, or an en dash when there is no denominator.
pub fn percent(num: u64, den: u64) -> String {
    if den == 0 {
        "–".into()
    } else {
        format!("{:.0}%", 100.0 * num as f64 / den as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_words() {
        assert_eq!(hours(4.0), "4 h");
        assert_eq!(hours(1.5), "1.5 h");
        assert_eq!(hours(60.0), "2 d 12 h");
        assert_eq!(hours(72.0), "3 d");
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(count(999), "999");
        assert_eq!(usd(1234.4), "$1,234");
        assert_eq!(usd(2_500_000.0), "$2.5 M");
        assert_eq!(percent(1, 4), "25%");
        assert_eq!(percent(1, 0), "–");
    }
}
