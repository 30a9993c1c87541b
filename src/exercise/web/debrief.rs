//! The debrief page for the whole class: the timeline, per team what was caught and
//! missed with the real contents, the cost to licit trade, the comparison with automated
//! strategies on the same shipments, and the map of illicit flows with the seizures.
//!
//! The same markup serves the live page and the exported file; the export inlines the
//! stylesheet and carries no script, so it opens anywhere with the network off.

use maud::{Markup, html};

use super::layout::{self, Delivery, count, hours, percent};
use super::map::{self, MapSpec, Mark};
use super::team::outcome_words;
use crate::exercise::api::{Comparison, Debrief, RedDebrief, Score, Side, TeamDebrief};

pub fn page(d: &Debrief, token: &str, delivery: Delivery) -> Markup {
    let header = layout::header(&d.status, "Debrief", html! {});
    let blue: Vec<&TeamDebrief> = d.teams.iter().filter(|t| t.side == Side::Blue).collect();
    let body = html! {
        div #state data-live="state" data-turn=(d.status.turn) {
            @if delivery == Delivery::Live {
                p.controls {
                    a.button.primary href=(format!("/debrief/{token}/export")) download="debrief.html" { "Export as one HTML file" }
                    " " span.muted { "opens offline, on any computer" }
                }
            }
            @if !d.status.debrief_open {
                p.notice { "Preview: the debrief is not yet open to the teams." }
            }
        }
        section #overall aria-labelledby="overall-h" data-live="overall" {
            h2 #overall-h { "The class as a whole" }
            (score_cards(&d.overall))
        }
        section #flows aria-labelledby="flows-h" {
            h2 #flows-h { "Illicit flows and where they were stopped" }
            (flow_map(d))
        }
        section #teams aria-labelledby="teams-h" data-live="teams" {
            h2 #teams-h { "Team by team: caught and missed" }
            @for t in &blue { (team_section(t)) }
        }
        section #comparison aria-labelledby="cmp-h" data-live="comparison" {
            h2 #cmp-h { "You against the automated strategies, on exactly the same shipments" }
            (comparisons(&d.comparisons))
        }
        @if !d.red.is_empty() {
            section #red aria-labelledby="red-h" data-live="red" {
                h2 #red-h { "The red team's moves" }
                @for r in &d.red { (red_section(r)) }
            }
        }
        section #timeline aria-labelledby="tl-h" data-live="timeline" {
            h2 #tl-h { "Timeline" }
            @if d.timeline.is_empty() { p.muted { "No events." } } @else {
                div.table-wrap { table.timeline {
                    thead { tr { th scope="col" { "Turn" } th scope="col" { "Date" } th scope="col" { "What" } th scope="col" { "" } } }
                    tbody { @for e in &d.timeline { tr.{ "kind-" (e.kind) } {
                        td.num { (e.turn) } td { (e.date) } td { span.kind { (e.kind) } } td { (e.text) }
                    } } }
                } }
            }
        }
    };
    layout::page(
        &format!("Debrief: {}", d.status.exercise),
        "debrief",
        delivery,
        header,
        body,
    )
}

fn score_cards(s: &Score) -> Markup {
    let resolved = s.caught + s.missed;
    html! {
        dl.cards {
            div { dt { "Illicit boxes caught" } dd { strong { (s.caught) } " of " (resolved) " (" (percent(s.caught, resolved)) ")" } }
            div { dt { "Missed" } dd.bad { (s.missed) } }
            div { dt { "Inspections" } dd { (count(s.inspections)) " of " (count(s.declarations)) " declarations" } }
            div { dt { "Hit rate" } dd { (percent(s.caught, s.inspections)) } }
            div { dt { "Officer time" } dd { (hours(s.officer_hours)) } }
            div { dt { "Cost to licit trade" } dd { (count(s.licit_inspected)) " licit shipments held, " (hours(s.licit_delay_hours)) " of delay in all" } }
        }
    }
}

fn team_section(t: &TeamDebrief) -> Markup {
    let missed: Vec<_> = t.illicit.iter().filter(|r| r.outcome != "caught").collect();
    let caught: Vec<_> = t.illicit.iter().filter(|r| r.outcome == "caught").collect();
    html! {
        article.team-debrief aria-labelledby={ "t-" (slug(&t.team)) } {
            h3 #{ "t-" (slug(&t.team)) } { (t.team) }
            (score_cards(&t.score))
            @if !t.defaulted_turns.is_empty() {
                p.warn { "Did not submit in turn "
                    (t.defaulted_turns.iter().map(u32::to_string).collect::<Vec<_>>().join(", "))
                    ": its offices ran their usual strategy then." }
            }
            // Long lists fold (no script needed, so also in the exported file).
            @if !missed.is_empty() {
                details open {
                    summary { h4 { "Missed: what was really in the boxes that got through (" (missed.len()) ")" } }
                    (illicit_table(&missed))
                }
            }
            @if !caught.is_empty() {
                details open {
                    summary { h4 { "Caught (" (caught.len()) ")" } }
                    (illicit_table(&caught))
                }
            }
            @if t.illicit.is_empty() { p.muted { "No illicit shipment passed this team's offices." } }
            @if !t.alerts_sent.is_empty() {
                h4 { "Alerts sent and what they led to" }
                div.table-wrap { table {
                    thead { tr { th { "Turn" } th { "To" } th { "About" } th { "Really illicit?" } th { "Led to" } } }
                    tbody { @for a in &t.alerts_sent { tr {
                        td.num { (a.turn) } td { (a.to) }
                        td.mono { (a.declaration.as_deref().unwrap_or("")) " " (a.traders.join(", ")) }
                        td { @if a.about_illicit { strong { "yes" } } @else { "no" } }
                        td { (a.led_to) }
                    } } }
                } }
            }
        }
    }
}

fn illicit_table(rows: &[&crate::exercise::api::IllicitRow]) -> Markup {
    html! {
        div.table-wrap { table.illicit {
            thead { tr {
                th scope="col" { "Turn" } th scope="col" { "Office" } th scope="col" { "Outcome" }
                th scope="col" { "Really inside" } th scope="col" { "HS declared → actual" }
                th scope="col" { "Concealment" } th scope="col" { "Sent by" } th scope="col" { "For" }
                th scope="col" { "Ended" }
            } }
            tbody { @for r in rows { tr.{ "outcome-" (r.outcome) } {
                td.num { (r.turn) } td { (r.office) }
                td { (outcome_words(&r.outcome)) }
                td { strong { (r.commodity) } " " span.muted { "(" (r.category) ")" } br; span.muted { (r.network) } }
                td.mono { (r.hs_declared) " → " (r.hs_actual) }
                td { (r.concealment) }
                td { span.mono { (r.sender) } " " span.cc { (r.sender_country) } }
                td { span.mono { (r.consignee) } " → " (r.destination) }
                td { (r.ended) }
            } } }
        } }
    }
}

fn comparisons(list: &[Comparison]) -> Markup {
    html! {
        @if list.is_empty() { p.muted { "The scenario names no comparison strategies." } } @else {
            p.muted { "Each strategy replayed on the same world, seeds and red-team orders, in place of the team." }
            div.table-wrap { table.comparison {
                thead { tr {
                    th scope="col" { "Team" } th scope="col" { "Against" }
                    th scope="col" { "Caught (team / strategy)" } th scope="col" { "Missed" }
                    th scope="col" { "Inspections" } th scope="col" { "Licit trade held" }
                } }
                tbody { @for c in list { tr {
                    th scope="row" { (c.team) } td { (c.strategy) }
                    td.num { (versus(c.team_score.caught, c.strategy_score.caught, true)) }
                    td.num { (versus(c.team_score.missed, c.strategy_score.missed, false)) }
                    td.num { (c.team_score.inspections) " / " (c.strategy_score.inspections) }
                    td.num { (hours(c.team_score.licit_delay_hours)) " / " (hours(c.strategy_score.licit_delay_hours)) }
                } } }
            } }
        }
    }
}

/// "5 / 3" with the better side marked in words (not colour alone).
fn versus(team: u64, strategy: u64, more_is_better: bool) -> Markup {
    let team_better = if more_is_better {
        team > strategy
    } else {
        team < strategy
    };
    let strategy_better = if more_is_better {
        strategy > team
    } else {
        strategy < team
    };
    html! {
        span.good[team_better] { (team) } " / " span.bad[team_better] .good[strategy_better] { (strategy) }
        @if team_better { span.sr-only { " (team better)" } }
        @if strategy_better { span.sr-only { " (strategy better)" } }
    }
}

fn red_section(r: &RedDebrief) -> Markup {
    html! {
        article.team-debrief {
            h3 { (r.team) " — network " (r.network) }
            p { "Sent " strong { (r.sent) } " shipments, lost " strong { (r.lost) } "." }
            @if !r.routes.is_empty() {
                h4 { "Routes taken" }
                ul { @for (route, n) in &r.routes { li { span.mono { (route.replace('>', " → ")) } ": " (n) } } }
            }
            @if !r.orders.is_empty() {
                h4 { "Orders given" }
                ul { @for o in &r.orders { li {
                    "Turn " (o.turn) ": route " (o.route.map(|i| format!("option {i}")).unwrap_or_else(|| "network's choice".into()))
                    ", concealment " (o.concealment.as_deref().unwrap_or("network's choice"))
                    ", front " (o.front_company.as_deref().unwrap_or("network's choice"))
                } } }
            }
            @if !r.losses.is_empty() {
                h4 { "Losses" }
                ul { @for l in &r.losses { li { (l.date) ": " (l.commodity) " at " (l.port) " (" (l.country) "), " (l.concealment) ", front " span.mono { (l.front_company) } } } }
            }
        }
    }
}

/// Illicit flows: the red team's routes, and every illicit shipment the teams saw from
/// its sender's country through the office to its destination, seizures marked.
fn flow_map(d: &Debrief) -> Markup {
    let mut spec = MapSpec::default();
    for r in &d.red {
        for (route, n) in &r.routes {
            let ports: Vec<String> = route.split('>').map(|p| p.trim().to_string()).collect();
            spec.route(&ports, *n);
        }
        for l in &r.losses {
            spec.place(&l.port, Mark::Seizure, 1);
        }
    }
    for t in &d.teams {
        for row in &t.illicit {
            let path = [
                row.sender_country.clone(),
                row.office.clone(),
                row.destination.clone(),
            ];
            spec.route(&path, 1);
            spec.place(&row.sender_country, Mark::Country, 0);
            spec.place(&row.destination, Mark::Country, 0);
            if let Some(port) = row.ended.strip_prefix("seized at ") {
                spec.place(
                    port.split_whitespace().next().unwrap_or(port),
                    Mark::Seizure,
                    1,
                );
            } else if row.outcome == "caught" {
                spec.place(&row.office, Mark::Seizure, 1);
            }
        }
    }
    if spec.is_empty() {
        return html! { p.muted { "No illicit flow reached the teams' offices." } };
    }
    html! {
        (map::svg(&spec, 960.0, 460.0, "Map of illicit flows with seizures"))
        p.legend { span.key-seizure { "✕ seizure" } " " span.key-port { "● port or country" }
            " · line width: illicit shipments on that leg" }
    }
}

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}
