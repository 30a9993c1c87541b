//! The team page: what a blue team (customs administration) or the red team (the
//! network) sees and decides during a turn.
//!
//! Rendered only from the team's [`TeamView`], the same value the team's JSON route
//! returns, so the page can hold no more than the API gives a team: no ground truth.

use std::collections::BTreeSet;

use maud::{Markup, html};

use super::layout::{self, Delivery, count, hours, usd};
use super::map::{self, MapSpec, Mark};
use crate::exercise::api::{
    AlertView, DeclarationView, OfficeView, Phase, RedView, Side, Support, TeamView, TurnResults,
};

/// The whole team page for the holder of `token`.
pub fn page(view: &TeamView, token: &str) -> Markup {
    let who = format!("Team {}", view.team);
    let side = match view.side {
        Side::Blue => "Customs administration",
        Side::Red => "Trafficking network (red team)",
    };
    let header = layout::header(
        &view.status,
        &who,
        html! { span.side.{ "side-" (if view.side == Side::Red { "red" } else { "blue" }) } { (side) } },
    );
    let open = view.status.phase == Phase::Open;
    let body = html! {
        div #state data-live="state" data-api=(format!("/api/team/{token}")) data-turn=(view.status.turn)
            data-open=(open) {
            (layout::phase_notice(&view.status, view.submitted, view.side == Side::Red))
            @if view.status.debrief_open {
                p.notice.notice-ok { a href=(format!("/debrief/{token}")) { "The debrief is open: see what was really in the boxes →" } }
            }
        }
        @match (&view.side, &view.red) {
            (Side::Red, Some(red)) => { (red_work(view, red)) }
            _ => { (blue_work(view)) }
        }
        @if view.side == Side::Red {
            div.columns.two {
                @if let Some(red) = &view.red { (red_losses(red)) }
                section #map aria-labelledby="map-h" {
                    h2 #map-h { "Your routes" }
                    (team_map(view))
                }
            }
        } @else {
            div.columns {
                section #alerts data-live="alerts" aria-labelledby="alerts-h" {
                    h2 #alerts-h { "Alerts received" }
                    (alerts(&view.alerts))
                }
                section #results data-live="results" aria-labelledby="results-h" {
                    h2 #results-h { "Last turn's results" }
                    (results(view.last_results.as_ref()))
                }
                section #map aria-labelledby="map-h" {
                    h2 #map-h { "Your ports and the routes through them" }
                    (team_map(view))
                }
            }
        }
    };
    layout::page(&who, "team", Delivery::Live, header, body)
}

fn blue_work(view: &TeamView) -> Markup {
    let chosen: BTreeSet<&str> = view
        .decisions
        .iter()
        .flat_map(|d| d.inspect.iter().map(String::as_str))
        .collect();
    let show_office = view.offices.len() > 1;
    let (indicators, score) = match &view.support {
        Support::None => (false, false),
        Support::Indicators { .. } => (true, false),
        Support::Score { .. } => (true, true),
    };
    let support_words = match &view.support {
        Support::None => "No decision support: you see the declared fields only.".to_string(),
        Support::Indicators { strategy } => {
            format!("Decision support: the risk indicators of the “{strategy}” profile.")
        }
        Support::Score { strategy } => {
            format!("Decision support: indicators and the risk score of the “{strategy}” profile.")
        }
    };
    let traders: BTreeSet<&str> = view
        .declarations
        .iter()
        .flat_map(|d| [d.exporter.id.as_str(), d.consignee.id.as_str()])
        .collect();
    html! {
        // Keyed by turn and capacities: the live updates replace it only when a new turn
        // opens or an inject changes what an office can inspect, so a team's unsent
        // choices survive the polling (and, within a turn, the script carries them over).
        form #work data-live="work" data-key=(work_key(view))
            data-turn=(view.status.turn) novalidate {
            section #offices aria-labelledby="offices-h" {
                h2 #offices-h.sr-only { "Your offices this turn" }
                div.offices {
                    @for o in &view.offices { (office_card(o)) }
                }
            }
            section #declarations aria-labelledby="decl-h" {
                h2 #decl-h { "Declarations arriving this turn (" (view.declarations.len()) ")" }
                p.muted { (support_words) " Select the ones to inspect; each office can inspect only what its officer-hours buy." }
                div.toolbar {
                    label for="filter" { "Filter" }
                    input #filter type="search" placeholder="HS code, country, trader, indicator…"
                        aria-describedby="filter-help" autocomplete="off";
                    span #filter-help.muted { "matches any column" }
                    @if show_office {
                        label for="office-filter" { "Office" }
                        select #office-filter {
                            option value="" { "all" }
                            @for o in &view.offices { option value=(o.code) { (o.code) } }
                        }
                    }
                    span #shown.muted aria-live="polite" {}
                }
                div.submit-bar {
                    div #counters aria-live="polite" {
                        @for o in &view.offices {
                            span.counter #{ "count-" (o.code) } data-office=(o.code) data-max=(o.max_inspections)
                                data-hours=(o.hours_per_inspection) data-capacity=(o.capacity_hours) {
                                (o.code) ": " b.n { "0" } " of " (o.max_inspections) " inspections"
                            }
                        }
                    }
                    button #submit.primary type="submit" data-needs-open disabled[view.status.phase != Phase::Open] {
                        @if view.submitted { "Submit again" } @else { "Submit inspections" }
                    }
                }
                div.table-wrap {
                    table #decl-table.sortable {
                        caption.sr-only { "Declarations; column headers sort the table." }
                        thead { tr {
                            th scope="col" { span.sr-only { "Inspect" } "✓" }
                            (sort_th("ID", "text"))
                            @if show_office { (sort_th("Office", "text")) } @else { (sort_th("Role", "text")) }
                            (sort_th("HS", "text"))
                            (sort_th("Description", "text"))
                            @if score { (sort_th("Score", "num")) }
                            @if indicators { (sort_th("Indicators", "num")) }
                            (sort_th("Exporter", "text"))
                            (sort_th("Consignee", "text"))
                            (sort_th("Route", "text"))
                            (sort_th("Value", "num"))
                            (sort_th("kg", "num"))
                            (sort_th("Notes", "text"))
                        } }
                        tbody {
                            @for d in &view.declarations {
                                (declaration_row(d, chosen.contains(d.id.as_str()), show_office, indicators, score))
                            }
                        }
                    }
                    @if view.declarations.is_empty() {
                        p.muted { "No declarations reach your offices this turn." }
                    }
                }
            }
            section #send-alert aria-labelledby="send-h" {
                h2 #send-h { "Send an alert to another team" }
                p.muted { "Alerts go with your submission (the Submit button above) and reach the other team when this turn closes." }
                div.alert-form {
                    label { "To" select #alert-to {
                        @for t in &view.other_teams { option value=(t) { (t) } }
                    } }
                    label { "Declaration ID" input #alert-decl list="decl-ids" placeholder="D-…" autocomplete="off"; }
                    label { "Exporter or consignee IDs" input #alert-traders list="trader-ids" placeholder="T-… (comma separated)" autocomplete="off"; }
                    label.wide { "Note" input #alert-note placeholder="what you suspect and why" autocomplete="off"; }
                    button #alert-add type="button" { "Add alert" }
                }
                datalist #decl-ids { @for d in &view.declarations { option value=(d.id) {} } }
                datalist #trader-ids { @for t in &traders { option value=(t) {} } }
                h3 { "Alerts going with this submission" }
                ul #alert-drafts {
                    @for a in view.decisions.iter().flat_map(|d| d.alerts.iter()) {
                        li data-alert=(serde_json::to_string(a).unwrap_or_default()) {
                            "To " strong { (a.to) } ": "
                            (a.declaration.as_deref().unwrap_or("")) " " (a.traders.join(", ")) " " em { (a.note) }
                            " " button.remove type="button" { "Remove" }
                        }
                    }
                }
            }
        }
    }
}

/// What the work form depends on besides the team's own choices.
fn work_key(view: &TeamView) -> String {
    let mut key = format!("turn-{}", view.status.turn);
    for o in &view.offices {
        key.push_str(&format!(" {}:{}", o.code, o.max_inspections));
        for c in &o.conditions {
            key.push_str(&format!("/{c}"));
        }
    }
    key
}

fn sort_th(label: &str, kind: &str) -> Markup {
    html! {
        th scope="col" aria-sort="none" {
            button.sort type="button" data-type=(kind) { (label) span.arrow aria-hidden="true" {} }
        }
    }
}

fn office_card(o: &OfficeView) -> Markup {
    let method = if o.method == "nii_scan" {
        "X-ray scans"
    } else {
        "physical examinations"
    };
    html! {
        div.office #{ "office-" (o.code) } {
            p { strong { (o.name) } " " span.code { (o.code) } " · " (o.country) }
            p.capacity {
                (format!("{:.0}", o.capacity_hours)) " officer-hours buy " strong { (o.max_inspections) } " " (method)
                " (" (hours(o.hours_per_inspection)) " each) · left: " b.left-n data-office=(o.code) { (o.max_inspections) }
            }
            @for c in &o.conditions { p.condition { "⚠ " (c) } }
        }
    }
}

fn declaration_row(
    d: &DeclarationView,
    chosen: bool,
    show_office: bool,
    indicators: bool,
    score: bool,
) -> Markup {
    let inds = d.indicators.clone().unwrap_or_default();
    let search = format!(
        "{} {} {} {} {} {} {} {} {} {} {} {}",
        d.id,
        d.office,
        d.role,
        d.hs,
        d.description,
        d.exporter.id,
        d.exporter.country,
        d.consignee.id,
        d.consignee.country,
        d.origin_country,
        d.destination_country,
        inds.join(" ")
    )
    .to_lowercase();
    html! {
        tr data-office=(d.office) data-search=(search) .chosen[chosen] {
            td { input.pick type="checkbox" name="inspect" value=(d.id) data-office=(d.office)
                    aria-label=(format!("Inspect {} ({} from {})", d.id, d.hs, d.exporter.country))
                    checked[chosen]; }
            td.mono { (d.id) }
            @if show_office { td data-v=(d.office) { (d.office) br; span.muted { (d.role) } } } @else { td { (d.role) } }
            td.mono.hs data-v=(d.hs) { (d.hs) }
            td.desc title=(d.description) { span { (d.description) } }
            @if score {
                td.num.score data-v=(d.score.unwrap_or(0.0)) { (d.score.map(|s| format!("{s:.2}")).unwrap_or_default()) }
            }
            @if indicators {
                td.inds data-v=(inds.len()) {
                    @for i in &inds { span.ind { (i) } }
                }
            }
            td data-v=(format!("{} {}", d.exporter.country, d.exporter.id)) { span.mono { (d.exporter.id) } " " span.cc { (d.exporter.country) } }
            td data-v=(format!("{} {}", d.consignee.country, d.consignee.id)) { span.mono { (d.consignee.id) } " " span.cc { (d.consignee.country) } }
            td.route { (d.route.join(" → ")) }
            td.num data-v=(d.value_usd) { (usd(d.value_usd)) }
            td.num data-v=(d.kg) { (count(d.kg.round() as u64)) }
            td.flags {
                @if d.vague { span.flag { "vague description" } }
                @if d.licence { span.flag.ok { "licence quoted" } }
                @if !d.advance_info { span.flag { "no advance info" } }
            }
        }
    }
}

fn red_work(view: &TeamView, red: &RedView) -> Markup {
    let orders = red.orders.as_ref();
    html! {
        // Keyed by the orders in force too: after the team gives orders the form shows them.
        form #work.red data-live="work" data-key=(format!("turn-{} {}", view.status.turn, serde_json::to_string(&red.orders).unwrap_or_default()))
            data-turn=(view.status.turn) novalidate {
            section aria-labelledby="net-h" {
                h2 #net-h { "Network " (red.network) ": orders for your next shipments" }
                p.muted { "What you choose here applies from the tick this turn simulates until you change it. Leave a choice on “network decides” to let the network pick as usual." }
                fieldset {
                    legend { "Route" }
                    label.radio { input type="radio" name="route" value="" checked[orders.and_then(|o| o.route).is_none()]; " network decides" }
                    @for r in &red.routes {
                        label.radio {
                            input type="radio" name="route" value=(r.index)
                                checked[orders.and_then(|o| o.route) == Some(r.index)];
                            " " span.mono { (r.ports.join(" → ")) } " " span.muted { "(" (r.countries.join(", ")) ")" }
                        }
                    }
                }
                div.alert-form {
                    label { "Concealment" select #concealment name="concealment" {
                        option value="" { "network decides" }
                        @for c in &red.concealments {
                            option value=(c) selected[orders.and_then(|o| o.concealment.as_deref()) == Some(c.as_str())] { (c) }
                        }
                    } }
                    label { "Front company" select #front name="front_company" {
                        option value="" { "network decides" }
                        @for f in &red.front_companies {
                            option value=(f.id) selected[orders.and_then(|o| o.front_company.as_deref()) == Some(f.id.as_str())] {
                                (f.id) " (" (f.country) ")"
                            }
                        }
                    } }
                }
            }
            div.submit-bar {
                div #counters {
                    @if let Some(o) = orders { "Orders in force since turn " (o.turn) } @else { "No orders given yet: the network ships as it planned." }
                }
                button #submit.primary type="submit" data-needs-open disabled[view.status.phase != Phase::Open] {
                    "Give orders"
                }
            }
        }
    }
}

fn red_losses(red: &RedView) -> Markup {
    html! {
        section #losses data-live="losses" aria-labelledby="loss-h" {
            h2 #loss-h { "What you know you lost" }
            p.muted { "Seizures reach you after the scenario's learning delay, as a real network hears of them." }
            @if red.known_losses.is_empty() {
                p { "No losses known yet." }
            } @else {
                div.table-wrap { table {
                    thead { tr { th { "Date" } th { "Port" } th { "Country" } th { "Goods" } th { "Concealment" } th { "Front company" } } }
                    tbody { @for l in &red.known_losses { tr {
                        td { (l.date) } td { (l.port) } td { (l.country) } td { (l.commodity) } td { (l.concealment) } td.mono { (l.front_company) }
                    } } }
                } }
            }
            p { "Shipments sent per closed turn: "
                @if red.sent.is_empty() { "none yet" } @else {
                    @for (i, n) in red.sent.iter().enumerate() { @if i > 0 { ", " } "turn " (i + 1) ": " (n) }
                }
            }
        }
    }
}

fn alerts(list: &[AlertView]) -> Markup {
    html! {
        @if list.is_empty() {
            p.muted { "None yet." }
        } @else {
            ul.alerts {
                @for a in list {
                    li {
                        strong { "From " (a.from) } " · turn " (a.turn) br;
                        @if let Some(d) = &a.declaration { "Declaration " span.mono { (d) } " " }
                        @if !a.traders.is_empty() { "Traders " span.mono { (a.traders.join(", ")) } }
                        @if !a.note.is_empty() { br; em { (a.note) } }
                    }
                }
            }
        }
    }
}

fn results(r: Option<&TurnResults>) -> Markup {
    html! {
        @match r {
            None => { p.muted { "Results of a turn appear here when the facilitator closes it." } }
            Some(r) => {
                p { "Turn " (r.turn) ": "
                    @if r.defaulted { strong.warn { "you did not submit; your offices used their usual strategy. " } }
                    (r.inspections.len()) " inspections, " (hours(r.officer_hours)) " of officer time, "
                    (hours(r.delay_hours)) " of delay to the traders you held."
                }
                @if !r.inspections.is_empty() {
                    div.table-wrap { table {
                        thead { tr { th { "Declaration" } th { "Office" } th { "Outcome" } th { "Found" } } }
                        tbody { @for i in &r.inspections {
                            tr.{ "outcome-" (i.outcome) } {
                                td.mono { (i.declaration) } td { (i.office) }
                                td { (outcome_words(&i.outcome)) }
                                td { (i.found.as_deref().unwrap_or("")) }
                            }
                        } }
                    } }
                    p.muted { "“Nothing found” is not proof that nothing was there." }
                }
            }
        }
    }
}

pub fn outcome_words(code: &str) -> &str {
    match code {
        "seized" => "Seized",
        "violation_not_seizable" => "Violation found, no power to seize",
        "clear" => "Nothing found",
        "caught" => "Caught",
        "inspected_not_found" => "Inspected, not found",
        "found_not_seizable" => "Found, not seizable",
        "not_inspected" => "Not inspected",
        other => other,
    }
}

fn team_map(view: &TeamView) -> Markup {
    let mut spec = MapSpec::default();
    if let Some(red) = &view.red {
        for r in &red.routes {
            spec.route(&r.ports, 1);
        }
        for l in &red.known_losses {
            spec.place(&l.port, Mark::Seizure, 1);
        }
    } else {
        for d in &view.declarations {
            spec.route(&d.route, 1);
        }
        for o in &view.offices {
            spec.place(&o.code, Mark::Office, 0);
        }
    }
    html! {
        (map::svg(&spec, 420.0, 300.0, &format!("Map of {}'s ports and routes", view.team)))
        @if view.side == Side::Red {
            p.legend { span.key-port { "● port" } " " span.key-seizure { "✕ a loss you know of" } " · lines: the routes you may order" }
        } @else {
            p.legend { span.key-office { "■ your office" } " " span.key-port { "● port" } " "
                span.key-seizure { "✕ seizure" } " · line width: declarations on that leg" }
        }
    }
}
