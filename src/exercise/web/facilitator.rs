//! The facilitator page, for the projector: every team's status, the controls (advance,
//! pause, injects, open the debrief), a live scoreboard, the timeline, and a ground-truth
//! overlay the facilitator switches on when the class cannot see it.

use maud::{Markup, html};

use super::layout::{self, Delivery, percent};
use crate::exercise::api::{FacilitatorView, Phase, Side, TeamStatus, Truth};

/// The page; `truth` is `Some` when the overlay is switched on.
pub fn page(view: &FacilitatorView, truth: Option<&Truth>, token: &str) -> Markup {
    let s = &view.status;
    let pending: Vec<&str> = view
        .teams
        .iter()
        .filter(|t| t.status == TeamStatus::Pending)
        .map(|t| t.team.as_str())
        .collect();
    let header = layout::header(s, "Facilitator", html! {});
    let body = html! {
        div #state data-live="state" data-api=(format!("/api/facilitator/{token}")) data-turn=(s.turn)
            data-open=(s.phase == Phase::Open) {
            section #controls aria-labelledby="controls-h" {
                h2 #controls-h.sr-only { "Controls" }
                div.controls {
                    button.primary data-action="advance" data-turn=(s.turn) data-needs-open
                        disabled[s.phase != Phase::Open] {
                        @if s.phase == Phase::Finished { "All turns played" } @else { "Close turn " (s.turn) " and advance" }
                    }
                    @if s.phase == Phase::Paused {
                        button data-action="pause" data-paused="false" { "Resume" }
                    } @else {
                        button data-action="pause" data-paused="true" disabled[s.phase == Phase::Finished] { "Pause" }
                    }
                    @if s.debrief_open {
                        a.button href=(format!("/debrief/{token}")) { "Debrief is open: show it →" }
                    } @else {
                        button data-action="debrief" { "Open the debrief for everyone" }
                        a.button.quiet href=(format!("/debrief/{token}")) { "Preview debrief" }
                    }
                }
                p.muted {
                    @if s.phase == Phase::Open && !pending.is_empty() {
                        "Not submitted yet (defaulted to their office's strategy if you advance now): " strong { (pending.join(", ")) } ". "
                    }
                    @if let Some(ms) = view.last_advance_ms { "Last advance took " (format!("{ms:.0}")) " ms." }
                }
            }
            section #teams aria-labelledby="teams-h" {
                h2 #teams-h { "Teams and scoreboard" }
                div.table-wrap { table.scoreboard {
                    thead { tr {
                        th scope="col" { "Team" } th scope="col" { "Plays" } th scope="col" { "This turn" }
                        th scope="col" { "Inspections" } th scope="col" { "Seizures" } th scope="col" { "Hit rate" }
                        th scope="col" { "Defaulted in" }
                    } }
                    tbody { @for t in &view.teams { tr {
                        th scope="row" {
                            a href=(t.url) target="_blank" rel="noopener" { (t.team) }
                            @if t.side == Side::Red { " " span.badge.red { "red" } }
                        }
                        td { (t.plays.join(", ")) }
                        td { span.{ "badge status-" (status_key(t.status)) } { (status_words(t.status)) } }
                        td.num { (t.inspections) }
                        td.num { (t.seizures) }
                        td.num { @if t.side == Side::Blue { (percent(t.seizures, t.inspections)) } }
                        td { @if t.defaulted_turns.is_empty() { "–" } @else {
                            "turn " (t.defaulted_turns.iter().map(u32::to_string).collect::<Vec<_>>().join(", "))
                        } }
                    } } }
                } }
            }
            div.columns.two {
                section #injects aria-labelledby="injects-h" {
                    h2 #injects-h { "Injects" }
                    @if view.injects.is_empty() { p.muted { "The scenario has no injects." } }
                    ul.injects { @for i in &view.injects { li {
                        strong { (i.name) } ": " (i.description) br;
                        @match (i.fired, i.turn) {
                            (Some(f), _) => { span.badge.status-submitted { "fired in turn " (f) } }
                            (None, Some(t)) => { span.badge { "scheduled for turn " (t) } }
                            (None, None) => {
                                span.badge.status-pending { "held" } " "
                                button data-action="fire" data-name=(i.name) disabled[s.phase == Phase::Finished] { "Fire now" }
                            }
                        }
                    } } }
                }
                section #timeline aria-labelledby="timeline-h" {
                    h2 #timeline-h { "Timeline" }
                    @if view.timeline.is_empty() { p.muted { "Nothing yet." } }
                    ol.timeline reversed {
                        @for e in view.timeline.iter().rev() {
                            li.{ "kind-" (e.kind) } { span.when { "Turn " (e.turn) " · " (e.date) } " " span.kind { (e.kind) } " " (e.text) }
                        }
                    }
                }
            }
            section #truth aria-labelledby="truth-h" {
                h2 #truth-h { "Ground truth" }
                @if let Some(truth) = truth {
                    p { a.button role="button" aria-pressed="true" href=(format!("/facilitator/{token}")) { "Hide ground truth" }
                        " " span.muted { "Do not show this on the projector while teams play." } }
                    (overlay(truth))
                } @else {
                    p { a.button role="button" aria-pressed="false" href=(format!("/facilitator/{token}?truth=1")) { "Show ground truth" }
                        " " span.muted { "what the teams selected this turn against what is really illicit" } }
                }
            }
        }
        section #adhoc aria-labelledby="adhoc-h" {
            h2 #adhoc-h { "Write an ad-hoc inject" }
            p.muted { "Takes effect in the tick the open turn simulates; it goes on the timeline with your description." }
            form #adhoc-form.alert-form novalidate {
                label { "Event" select #adhoc-kind name="kind" {
                    option value="IntelligenceTip" { "Intelligence tip (network's front companies)" }
                    option value="NodeClosure" { "Port closure" }
                    option value="EquipmentFailure" { "Scanner failure" }
                    option value="CapacityChange" { "Capacity change" }
                    option value="Publicity" { "Publicity (networks learn of the operation)" }
                } }
                label data-for="IntelligenceTip" { "Network" input name="network" autocomplete="off"; }
                label data-for="IntelligenceTip" { "Share of fronts known (0–1)" input name="coverage" inputmode="decimal" value="0.5"; }
                label data-for="NodeClosure EquipmentFailure CapacityChange" { "Port code" input name="node" placeholder="e.g. SGSIN" autocomplete="off"; }
                label data-for="CapacityChange" { "or country (ISO3)" input name="country" autocomplete="off"; }
                label data-for="CapacityChange" { "Capacity factor" input name="factor" inputmode="decimal" value="0.5"; }
                label data-for="NodeClosure EquipmentFailure CapacityChange" { "Days" input name="days" inputmode="numeric" value="1"; }
                label.wide { "Description for the timeline" input name="description" autocomplete="off"; }
                button.primary type="submit" { "Fire ad-hoc inject" }
            }
        }
    };
    layout::page("Facilitator", "facilitator", Delivery::Live, header, body)
}

fn status_key(s: TeamStatus) -> &'static str {
    match s {
        TeamStatus::Pending => "pending",
        TeamStatus::Submitted => "submitted",
        TeamStatus::Defaulted => "defaulted",
    }
}

fn status_words(s: TeamStatus) -> &'static str {
    match s {
        TeamStatus::Pending => "pending",
        TeamStatus::Submitted => "submitted",
        TeamStatus::Defaulted => "defaulted",
    }
}

/// Per team: what it selected against what is really illicit, this turn.
fn overlay(truth: &Truth) -> Markup {
    html! {
        @for t in &truth.teams {
            @let hit = t.declarations.iter().filter(|r| r.selected && r.illicit).count();
            @let miss = t.declarations.iter().filter(|r| !r.selected && r.illicit).count();
            @let licit = t.declarations.iter().filter(|r| r.selected && !r.illicit).count();
            h3 { (t.team) ": "
                span.good { (hit) " illicit selected" } ", "
                span.bad { (miss) " illicit not selected" } ", "
                (licit) " licit selected" }
            @let rows: Vec<_> = t.declarations.iter().filter(|r| r.selected || r.illicit).collect();
            @if !rows.is_empty() {
                div.table-wrap { table.truth {
                    thead { tr {
                        th { "Declaration" } th { "Office" } th { "Selected" } th { "Really" }
                        th { "Goods" } th { "HS declared → actual" } th { "Concealment" } th { "Real end user" }
                    } }
                    tbody { @for r in rows {
                        tr.illicit[r.illicit] {
                            td.mono { (r.id) } td { (r.office) }
                            td { @if r.selected { "✓ selected" } @else { "–" } }
                            td { @if r.illicit { strong { "illicit" } @if let Some(n) = &r.network { " (" (n) ")" } } @else { "licit" } }
                            td { (r.commodity) }
                            td.mono { (r.hs_declared) " → " (r.hs_actual) }
                            td { (r.concealment.as_deref().unwrap_or("–")) }
                            td { (r.real_end_user) }
                        }
                    } }
                } }
            }
        }
    }
}
