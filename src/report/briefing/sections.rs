//! The sections of the briefing page, each from what the folder holds.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::Value;

use super::charts::{self, Interval, Series};
use super::html::{STYLE, esc, figure, note, plot_figure, section, table};
use super::map::{Flow, MapData, map};
use super::{Folder, Kind};
use crate::metrics::stats::wilson_interval;
use crate::report::numbers::{fixed, percent, thousands};

/// How a metric reads: rates as percentages, counts and hours with separators.
fn show(metric: &str, v: f64) -> String {
    if !v.is_finite() {
        return "n/a".into();
    }
    if metric.ends_with("_rate") || metric.starts_with("interdiction_") || metric == "displacement"
    {
        percent(Some(v), 1)
    } else if metric == "lift_over_random" {
        fixed(v, 2)
    } else if v.abs() >= 100.0 || v.fract() == 0.0 {
        fixed(v, 0)
    } else {
        fixed(v, 1)
    }
}

/// A difference of a metric, signed.
fn show_diff(metric: &str, v: f64) -> String {
    if !v.is_finite() {
        return "n/a".into();
    }
    let s = if metric.ends_with("_rate")
        || metric.starts_with("interdiction_")
        || metric == "displacement"
    {
        format!("{} pp", fixed(100.0 * v, 1))
    } else if metric == "lift_over_random" {
        fixed(v, 2)
    } else {
        fixed(v, if v.abs() >= 100.0 { 0 } else { 1 })
    };
    if v > 0.0 && !s.starts_with('0') {
        format!("+{s}")
    } else {
        s
    }
}

/// People's names of the metrics shown in the briefing.
fn label(metric: &str) -> &str {
    match metric {
        "detection_rate" => "Detection rate",
        "hit_rate" => "Hit rate",
        "inspection_rate" => "Inspection rate",
        "lift_over_random" => "Lift over random",
        "seized" => "Seizures",
        "inspections" => "Inspections",
        "officer_hours" => "Officer-hours used",
        "licit_dwell_hours" => "Added dwell of licit trade (hours)",
        "alerts_sent" => "Platform alerts delivered",
        "seizures_from_alerts" => "Seizures from alerts",
        "interdiction_export" => "Seized at export",
        "interdiction_transit" => "Seized in transit",
        "interdiction_import" => "Seized at import",
        "displacement" => "Displacement of illicit routes",
        "illicit_reached_office" => "Illicit shipments that reached an office",
        other => other,
    }
}

const HEADLINE: [&str; 8] = [
    "detection_rate",
    "hit_rate",
    "inspection_rate",
    "lift_over_random",
    "seized",
    "officer_hours",
    "licit_dwell_hours",
    "seizures_from_alerts",
];

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// An estimate (`{mean, ci_low, ci_high, n}`) from a summary map.
fn est(map: &Value, metric: &str) -> (f64, f64, f64, u64) {
    let e = &map[metric];
    (
        num(&e["mean"]),
        num(&e["ci_low"]),
        num(&e["ci_high"]),
        e["n"].as_u64().unwrap_or(0),
    )
}

fn ci_text(metric: &str, lo: f64, hi: f64) -> String {
    if lo.is_finite() && hi.is_finite() {
        format!("95% CI [{}, {}]", show(metric, lo), show(metric, hi))
    } else {
        "95% CI n/a".into()
    }
}

fn card(title: &str, value: &str, sub: &str) -> String {
    format!(
        "<div class=\"card\"><div class=\"label\">{}</div><div class=\"value\">{}</div><div class=\"ci\">{}</div></div>",
        esc(title),
        esc(value),
        esc(sub)
    )
}

/// The whole page.
pub fn page(f: &Folder) -> String {
    let c = &f.context;
    let mut body = String::new();
    body.push_str(&header(f));
    body.push_str(&what_was_run(f));
    body.push_str(&headline(f));
    body.push_str(&map_section(f));
    body.push_str(&daily_section(f));
    body.push_str(&interdiction_section(f));
    if f.kind == Kind::Compare {
        body.push_str(&compare_section(f));
    }
    if f.kind == Kind::Sweep {
        body.push_str(&sweep_section(f));
    }
    body.push_str(&offices_section(f));
    body.push_str(&missed_section(f));
    body.push_str(&timeline_section(f));
    body.push_str(&footer(f));
    let data = serde_json::to_string(&f.main)
        .unwrap_or_default()
        .replace("</", "<\\/");
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"stce {}\">\n<title>{} — briefing</title>\n<style>{STYLE}</style></head>\n<body><main>\n{body}</main>\n<script type=\"application/json\" id=\"stce-data\">{data}</script>\n</body></html>\n",
        esc(env!("CARGO_PKG_VERSION")),
        esc(&c.scenario)
    )
}

fn kind_line(f: &Folder) -> String {
    let p = &f.provenance;
    let reps = p["replications"].as_u64().unwrap_or(1);
    let seed = p["base_seed"]
        .as_u64()
        .map_or("?".into(), |s| s.to_string());
    match f.kind {
        Kind::Run => {
            let with = if f.main.get("operation_effect").is_some() {
                ", beside business as usual on the same seed"
            } else {
                ""
            };
            format!("One run, seed {seed}{with}")
        }
        Kind::Replications => {
            let with = if f.main["business_as_usual"].is_object() {
                ", each paired with business as usual on the same seed"
            } else {
                ""
            };
            format!("{reps} seeded replications (base seed {seed}){with}")
        }
        Kind::Compare => format!(
            "Comparison of {} strategies on {reps} paired replications (base seed {seed})",
            f.main["strategies"].as_array().map_or(0, |a| a.len())
        ),
        Kind::Sweep => format!(
            "Sweep of {} cells × {reps} replications (base seed {seed})",
            f.tables.get("cells.csv").map_or(0, |t| t.1.len())
        ),
    }
}

fn header(f: &Folder) -> String {
    format!(
        "<header><h1>{}</h1><p class=\"kind\">Briefing · {}</p></header>\n",
        esc(&f.context.scenario),
        esc(&kind_line(f))
    )
}

fn what_was_run(f: &Folder) -> String {
    let c = &f.context;
    let p = &f.provenance;
    let mut s = String::from("<dl class=\"facts\">");
    let mut row = |k: &str, v: String| {
        let _ = write!(s, "<dt>{}</dt><dd>{v}</dd>", esc(k));
    };
    if !c.description.is_empty() {
        row("Description", esc(&c.description));
    }
    row(
        "Dates",
        esc(&format!(
            "{} to {} ({} days)",
            c.start_date, c.end_date, c.days
        )),
    );
    row("Declarations per run", esc(&thousands(c.declarations)));
    let admins: Vec<String> = c
        .administrations
        .iter()
        .map(|a| {
            if c.operation.is_some() && a.participant {
                format!("{} ({})*", a.name, a.country)
            } else {
                format!("{} ({})", a.name, a.country)
            }
        })
        .collect();
    let participants = c.administrations.iter().filter(|a| a.participant).count();
    row(
        "Administrations",
        esc(&format!(
            "{}{}: {}",
            c.administrations.len(),
            if c.operation.is_some() {
                format!(", {participants} taking part (*)")
            } else {
                String::new()
            },
            admins.join(", ")
        )),
    );
    row(
        "Network",
        esc(&format!(
            "{} ports and airports ({} with a customs office, {} transshipment hubs), {} carrier services, {} illicit networks (illustrative)",
            c.nodes.len(),
            c.nodes
                .iter()
                .filter(|n| !n.office_roles.is_empty())
                .count(),
            c.nodes.iter().filter(|n| n.transshipment_hub).count(),
            c.services.len(),
            c.networks.len()
        )),
    );
    if let Some(op) = &c.operation {
        let phases: Vec<String> = op
            .phases
            .iter()
            .map(|ph| {
                format!(
                    "{} {} to {}",
                    charts::phase_name(&ph.kind),
                    ph.start_date,
                    ph.end_date
                )
            })
            .collect();
        row(
            "Operation",
            esc(&format!(
                "{}: {}; surge ×{} during interdiction; {} injects",
                op.name,
                phases.join("; "),
                fixed(op.surge, 2),
                op.injects.len()
            )),
        );
    }
    let seeds = p["seeds"]
        .as_array()
        .map(|a| {
            let v: Vec<&str> = a.iter().filter_map(|x| x.as_str()).collect();
            if v.len() > 6 {
                format!("{}, … ({} in all)", v[..5].join(", "), v.len())
            } else {
                v.join(", ")
            }
        })
        .unwrap_or_default();
    row(
        "Seeds",
        esc(&format!(
            "base {}; replications {}: {seeds}",
            p["base_seed"]
                .as_u64()
                .map_or("?".into(), |s| s.to_string()),
            p["replications"].as_u64().unwrap_or(1)
        )),
    );
    row(
        "stce version",
        esc(p["stce_version"].as_str().unwrap_or("unknown")),
    );
    row(
        "Scenario file",
        format!(
            "{}<br><span class=\"mono\">SHA-256 {}</span>",
            esc(p["scenario_file"].as_str().unwrap_or("unknown")),
            esc(p["scenario_sha256"].as_str().unwrap_or("unknown"))
        ),
    );
    row(
        "Command line",
        format!(
            "<code>{}</code>",
            esc(p["command_line"].as_str().unwrap_or("unknown"))
        ),
    );
    s.push_str("</dl>");
    section("what", "What was run", &s)
}

/// Detection and hit rate of one run with Wilson intervals over its shipments.
fn run_cards(m: &Value) -> String {
    let mut s = String::from("<div class=\"cards\">");
    let seized_illicit = m["shipments"]["illicit"]["seized"].as_u64().unwrap_or(0);
    let det = num(&m["detection_rate"]["overall"]);
    if det.is_finite() && det > 0.0 {
        let n = (seized_illicit as f64 / det).round() as u64;
        let (lo, hi) = wilson_interval(seized_illicit, n);
        s.push_str(&card(
            "Detection rate",
            &percent(Some(det), 1),
            &format!(
                "95% CI [{}, {}] · n = {} illicit shipments",
                percent(Some(lo), 1),
                percent(Some(hi), 1),
                thousands(n)
            ),
        ));
    } else {
        s.push_str(&card(
            "Detection rate",
            &show("detection_rate", det),
            "no seizure",
        ));
    }
    let insp = m["inspections"].as_u64().unwrap_or(0);
    let found = m["violations_found"].as_u64().unwrap_or(0);
    let hit = num(&m["hit_rate"]);
    let (lo, hi) = wilson_interval(found, insp);
    s.push_str(&card(
        "Hit rate",
        &show("hit_rate", hit),
        &if insp > 0 {
            format!(
                "95% CI [{}, {}] · n = {} inspections",
                percent(Some(lo), 1),
                percent(Some(hi), 1),
                thousands(insp)
            )
        } else {
            "no inspection".into()
        },
    ));
    let assessed = m["declarations_assessed"].as_u64().unwrap_or(0);
    s.push_str(&card(
        "Inspection rate",
        &show("inspection_rate", num(&m["inspection_rate"])),
        &format!(
            "{} inspections of {} declarations assessed",
            thousands(insp),
            thousands(assessed)
        ),
    ));
    s.push_str(&card(
        "Seizures",
        &thousands(m["shipments"]["seized"].as_u64().unwrap_or(0)),
        &format!(
            "{} selected because of a platform alert",
            thousands(m["seizures_from_alerts"].as_u64().unwrap_or(0))
        ),
    ));
    s.push_str(&card(
        "Lift over random",
        &show("lift_over_random", num(&m["lift_over_random"])),
        "hit rate ÷ share of illicit declarations",
    ));
    s.push_str(&card(
        "Officer-hours used",
        &fixed(num(&m["officer_hours"]), 0),
        &format!(
            "licit trade delayed {} hours in all",
            fixed(num(&m["licit_dwell_hours"]), 0)
        ),
    ));
    s.push_str("</div>");
    s
}

fn estimate_cards(summary: &Value) -> String {
    let mut s = String::from("<div class=\"cards\">");
    for m in HEADLINE {
        let (mean, lo, hi, n) = est(summary, m);
        s.push_str(&card(
            label(m),
            &show(m, mean),
            &format!("{} · n = {n}", ci_text(m, lo, hi)),
        ));
    }
    s.push_str("</div>");
    s
}

fn headline(f: &Folder) -> String {
    let m = &f.main;
    let mut s = String::new();
    match f.kind {
        Kind::Run => {
            s.push_str(&run_cards(m));
            s.push_str(&note("One run: the intervals are binomial (Wilson) over this run's shipments and inspections; they do not cover the variation between runs. Use stce run --reps N (N ≥ 2) for intervals over replications."));
            if let Some(e) = m.get("operation_effect") {
                let rows: Vec<Vec<String>> = HEADLINE
                    .iter()
                    .map(|k| {
                        vec![
                            label(k).to_string(),
                            show(k, num(&e["with_operation"][k])),
                            show(k, num(&e["business_as_usual"][k])),
                            show_diff(k, num(&e["difference"][k])),
                        ]
                    })
                    .collect();
                let _ = write!(
                    s,
                    "<h3>What the operation added over business as usual</h3>{}{}",
                    table(
                        &[
                            "metric",
                            "with the operation",
                            "business as usual",
                            "difference"
                        ],
                        &rows,
                        &[false, true, true, true]
                    ),
                    note(
                        "Business as usual: the same scenario and seed without the operation (its surge, handed-out profile, platform, tips and publicity); the licit trade is the same shipments in both runs. One seed: use --reps N --baseline for an interval on the difference."
                    )
                );
            }
        }
        Kind::Replications => {
            s.push_str(&estimate_cards(&m["metrics"]));
            s.push_str(&note("Mean over replications with its 95% confidence interval (Student t) and the number of replications n with a value (a rate with an empty denominator has none)."));
            if m["operation_effect"].is_object() {
                let e = &m["operation_effect"];
                let b = &m["business_as_usual"];
                let rows: Vec<Vec<String>> = HEADLINE
                    .iter()
                    .map(|k| {
                        let (wm, _, _, _) = est(&m["metrics"], k);
                        let (bm, _, _, _) = est(b, k);
                        let (dm, dl, dh, n) = est(e, k);
                        vec![
                            label(k).to_string(),
                            show(k, wm),
                            show(k, bm),
                            show_diff(k, dm),
                            if dl.is_finite() {
                                format!("[{}, {}]", show_diff(k, dl), show_diff(k, dh))
                            } else {
                                "n/a".into()
                            },
                            n.to_string(),
                        ]
                    })
                    .collect();
                let _ = write!(
                    s,
                    "<h3>What the operation added over business as usual</h3>{}{}",
                    table(
                        &[
                            "metric",
                            "with the operation",
                            "business as usual",
                            "paired difference",
                            "95% CI",
                            "n"
                        ],
                        &rows,
                        &[false, true, true, true, true, true]
                    ),
                    note(
                        "Paired on the same seeds (common random numbers): the difference is the operation's, not the dice's. pp = percentage points."
                    )
                );
            }
        }
        Kind::Compare => {
            let strategies = m["strategies"].as_array().cloned().unwrap_or_default();
            let rows: Vec<Interval> = strategies
                .iter()
                .map(|st| {
                    let (mean, low, high, _) = est(&st["metrics"], "detection_rate");
                    Interval {
                        label: st["name"].as_str().unwrap_or("").to_string(),
                        mean,
                        low,
                        high,
                    }
                })
                .collect();
            s.push_str(&figure(
                &charts::intervals(&rows, "detection rate (share of illicit shipments seized), mean and 95% CI", false),
                "Detection rate by strategy, every office using that strategy, on the same replications.",
            ));
        }
        Kind::Sweep => {
            s.push_str(&note(
                "Each cell's mean and 95% CI are in the sweep section below.",
            ));
        }
    }
    section("headline", "Headline figures", &s)
}

/// The per-office rows to show, with the columns of `offices.csv`: a single run's as
/// written; across replications, per office the mean of the counts and hours and the
/// rates of the summed counts — over the operation's replications (not business as
/// usual's), or in a comparison over the first strategy's. The text says which.
fn offices_view(f: &Folder) -> Option<(Vec<String>, Vec<Vec<String>>, String)> {
    let (h, rows) = f.tables.get("offices.csv")?;
    let col = |name: &str| h.iter().position(|x| x == name);
    let Some(rep) = col("rep") else {
        return Some((h.clone(), rows.clone(), String::new()));
    };
    let _ = rep;
    let first_strategy = (f.kind == Kind::Compare)
        .then(|| f.main["strategies"][0]["name"].as_str().map(String::from))
        .flatten();
    let keep = |r: &Vec<String>| {
        col("scenario_variant").is_none_or(|i| r[i] != "business_as_usual")
            && first_strategy
                .as_ref()
                .is_none_or(|s| col("strategy").is_some_and(|i| &r[i] == s))
    };
    let sums = [
        "capacity_hours",
        "officer_hours",
        "assessed",
        "assessed_illicit",
        "inspections",
        "violations_found",
        "seizures",
        "licit_dwell_hours",
    ];
    let mut order: Vec<String> = Vec::new();
    let mut acc: BTreeMap<String, (Vec<String>, Vec<f64>, u64)> = BTreeMap::new();
    let office = col("office")?;
    for r in rows.iter().filter(|r| keep(r)) {
        let e = acc.entry(r[office].clone()).or_insert_with(|| {
            order.push(r[office].clone());
            (r.clone(), vec![0.0; sums.len()], 0)
        });
        for (k, name) in sums.iter().enumerate() {
            e.1[k] += col(name)
                .and_then(|i| r[i].parse::<f64>().ok())
                .unwrap_or(0.0);
        }
        e.2 += 1;
    }
    let ratio = |a: f64, b: f64| {
        if b > 0.0 {
            format!("{}", a / b)
        } else {
            String::new()
        }
    };
    let mut out = Vec::new();
    let mut n = 0;
    for code in &order {
        let (mut r, s, k) = acc.remove(code)?;
        n = k;
        let kf = k.max(1) as f64;
        for (j, name) in sums.iter().enumerate() {
            if let Some(i) = col(name) {
                r[i] = format!("{}", s[j] / kf);
            }
        }
        let get = |name: &str| sums.iter().position(|x| *x == name).map_or(0.0, |j| s[j]);
        for (name, v) in [
            (
                "utilisation",
                ratio(get("officer_hours"), get("capacity_hours")),
            ),
            (
                "hit_rate",
                ratio(get("violations_found"), get("inspections")),
            ),
            (
                "inspection_rate",
                ratio(get("inspections"), get("assessed")),
            ),
        ] {
            if let Some(i) = col(name) {
                r[i] = v;
            }
        }
        out.push(r);
    }
    let whose = match (&first_strategy, f.main["business_as_usual"].is_object()) {
        (Some(s), _) => format!(" with every office on \"{s}\" (the first strategy)"),
        (None, true) => " with the operation".to_string(),
        _ => String::new(),
    };
    Some((
        h.clone(),
        out,
        format!("Mean per replication over {n} replications{whose}; rates from the summed counts."),
    ))
}

fn map_section(f: &Folder) -> String {
    let seizures = offices_view(f).and_then(|(h, rows, _)| {
        let code = h.iter().position(|x| x == "office")?;
        let k = h.iter().position(|x| x == "seizures")?;
        Some(
            rows.iter()
                .map(|r| (r[code].clone(), r[k].parse::<f64>().unwrap_or(0.0)))
                .collect::<BTreeMap<String, f64>>(),
        )
    });
    let flows: Vec<Flow> = f.main["displacement"]["by_route"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| Flow {
                    route: v["name"]
                        .as_str()
                        .unwrap_or("")
                        .split('>')
                        .map(String::from)
                        .collect(),
                    before: v["before"].as_u64().unwrap_or(0),
                    during: v["during"].as_u64().unwrap_or(0),
                })
                .collect()
        })
        .unwrap_or_default();
    let has_flows = !flows.is_empty();
    let data = MapData {
        context: &f.context,
        seizures,
        flows,
    };
    // With an operation, the operation's area first (the participants' ports and
    // airports), then the whole network, where partners far away would shrink it.
    let c = &f.context;
    let area: Vec<String> = c
        .nodes
        .iter()
        .filter(|n| {
            c.administrations
                .iter()
                .any(|a| a.participant && a.country == n.country)
        })
        .map(|n| n.code.clone())
        .collect();
    let (svg, legend, proj) = map(&data, &[]);
    let detail = (c.operation.is_some() && !area.is_empty() && area.len() < c.nodes.len())
        .then(|| map(&data, &area));
    let mut caption = format!(
        "Whole network. {}. Country outlines: Natural Earth 1:110m (public domain); ports and airports at their UN/LOCODE and IATA coordinates. Carrier services are straight lines between calls, not sea lanes.",
        proj.describe()
    );
    if has_flows {
        caption.push_str(" Illicit flows: shipments per route (as a sequence of ports) of the networks, before the interdiction phase and from it to the operation's end.");
    } else if f.kind != Kind::Run {
        caption.push_str(" Illicit flows by route are recorded per run; see the briefing of a single run (stce run --out).");
    }
    let mut body = String::new();
    if let Some((dsvg, dlegend, dproj)) = detail {
        let _ = write!(
            body,
            "<div class=\"maprow\">{}{dlegend}</div>",
            figure(
                &dsvg,
                &format!(
                    "The operation's area: the ports and airports of the administrations taking part. {}. Lines leaving the map go to partners outside it (next map).",
                    dproj.describe()
                )
            )
        );
    }
    if body.is_empty() {
        let _ = write!(
            body,
            "<div class=\"maprow\">{}{legend}</div>",
            figure(&svg, &caption)
        );
    } else {
        caption.push_str(" Legend as above.");
        body.push_str(&figure(&svg, &caption));
    }
    section("map", "Map", &body)
}

fn dates(f: &Folder, n: usize) -> Vec<String> {
    (0..n as u32).map(|d| f.context.date(d)).collect()
}

fn daily_section(f: &Folder) -> String {
    let phases = f
        .context
        .operation
        .as_ref()
        .map(|o| o.phases.clone())
        .unwrap_or_default();
    let as_f64 = |v: &Value| -> Vec<f64> {
        v.as_array()
            .map(|a| a.iter().map(num).collect())
            .unwrap_or_default()
    };
    let m = &f.main;
    let (series, what) = match f.kind {
        Kind::Run => {
            let mut s = vec![Series {
                name: if m.get("operation_effect").is_some() {
                    "with the operation".into()
                } else {
                    "seizures".into()
                },
                values: as_f64(&m["seizures_per_day"]),
                dashed: false,
            }];
            let bau = as_f64(&m["operation_effect"]["business_as_usual_seizures_per_day"]);
            if !bau.is_empty() {
                s.push(Series {
                    name: "business as usual".into(),
                    values: bau,
                    dashed: true,
                });
            }
            (s, "Seizures per day of this run")
        }
        Kind::Replications => {
            let mut s = vec![Series {
                name: if m["business_as_usual"].is_object() {
                    "with the operation (mean)".into()
                } else {
                    "mean over replications".into()
                },
                values: as_f64(&m["seizures_per_day_mean"]),
                dashed: false,
            }];
            let bau = as_f64(&m["business_as_usual_seizures_per_day_mean"]);
            if !bau.is_empty() {
                s.push(Series {
                    name: "business as usual (mean)".into(),
                    values: bau,
                    dashed: true,
                });
            }
            (s, "Mean seizures per day over the replications")
        }
        Kind::Compare => {
            return match f.svg("seizures_per_day") {
                Some(svg) => section(
                    "daily",
                    "Seizures per day",
                    &plot_figure(
                        &svg,
                        "Mean seizures per day over the replications, one line per strategy (x: day of the run, day 0 = the scenario's start date).",
                    ),
                ),
                None => String::new(),
            };
        }
        Kind::Sweep => return String::new(),
    };
    // Up to the last day with a seizure (the drain's long tail of empty days would
    // squeeze the operation's weeks), but never shorter than the window.
    let last = series
        .iter()
        .flat_map(|s| s.values.iter().rposition(|v| *v > 0.0))
        .max()
        .map_or(0, |i| i + 4);
    let full = series.iter().map(|s| s.values.len()).max().unwrap_or(0);
    let n = last.max(f.context.days as usize).min(full);
    if n == 0 {
        return String::new();
    }
    let series: Vec<Series> = series
        .into_iter()
        .map(|s| Series {
            values: s.values.into_iter().take(n).collect(),
            ..s
        })
        .collect();
    // After the window, its shipments finish their voyages (the drain): shaded too, so
    // the seizures made then are not read as the operation's days.
    let mut phases = phases;
    let window = f.context.days;
    if n as u32 > window {
        phases.push(crate::report::context::PhaseInfo {
            kind: "Drain".into(),
            start_day: window,
            end_day: n as u32,
            start_date: f.context.date(window),
            end_date: f.context.date(n as u32 - 1),
        });
    }
    let svg = charts::daily(&series, &dates(f, n), &phases, "seizures per day");
    let caption = if phases.is_empty() {
        what.to_string()
    } else {
        format!(
            "{what}; the operation's phases shaded, then the drain (grey): the window's shipments finishing their voyages, whose seizures count."
        )
    };
    let mut body = figure(&svg, &caption);
    if let Some((h, rows)) = f.tables.get("phases.csv") {
        let col = |n: &str| h.iter().position(|x| x == n);
        let get =
            |r: &Vec<String>, n: &str| col(n).and_then(|i| r.get(i).cloned()).unwrap_or_default();
        let num = |s: String| s.parse::<f64>().unwrap_or(f64::NAN);
        let t: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                let hit = get(r, "hit_rate");
                vec![
                    charts::phase_name(&get(r, "phase")).to_string(),
                    format!("{} to {}", get(r, "start_date"), get(r, "end_date")),
                    get(r, "days"),
                    thousands(get(r, "seizures").parse().unwrap_or(0)),
                    fixed(num(get(r, "seizures_per_day")), 1),
                    thousands(get(r, "inspections").parse().unwrap_or(0)),
                    if hit.is_empty() {
                        "n/a".into()
                    } else {
                        percent(Some(num(hit)), 1)
                    },
                ]
            })
            .collect();
        body.push_str(&table(
            &[
                "phase",
                "dates",
                "days",
                "seizures",
                "per day",
                "inspections",
                "hit rate",
            ],
            &t,
            &[false, false, true, true, true, true, true],
        ));
        body.push_str(&note("Counted by the day they happened (phases.csv). Detection rates are not split by phase: a shipment assessed in one phase may be seized in the next."));
    }
    section("daily", "Seizures per day", &body)
}

fn interdiction_section(f: &Folder) -> String {
    let parts = ["export", "transit", "import"];
    let keys = [
        "interdiction_export",
        "interdiction_transit",
        "interdiction_import",
    ];
    let m = &f.main;
    let rows: Vec<(String, Vec<f64>)> = match f.kind {
        Kind::Run => {
            let ip = &m["interdiction_point"];
            let mut v = vec![(
                "this run".to_string(),
                parts.iter().map(|p| num(&ip[p])).collect(),
            )];
            if let Some(e) = m.get("operation_effect") {
                v[0].0 = "with the operation".into();
                v.push((
                    "business as usual".into(),
                    keys.iter()
                        .map(|k| num(&e["business_as_usual"][k]))
                        .collect(),
                ));
            }
            v
        }
        Kind::Replications => {
            let mut v = vec![(
                "mean over replications".to_string(),
                keys.iter().map(|k| est(&m["metrics"], k).0).collect(),
            )];
            if m["business_as_usual"].is_object() {
                v[0].0 = "with the operation".into();
                v.push((
                    "business as usual".into(),
                    keys.iter()
                        .map(|k| est(&m["business_as_usual"], k).0)
                        .collect(),
                ));
            }
            v
        }
        Kind::Compare => m["strategies"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|st| {
                        (
                            st["name"].as_str().unwrap_or("").to_string(),
                            keys.iter().map(|k| est(&st["metrics"], k).0).collect(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
        Kind::Sweep => return String::new(),
    };
    section(
        "interdiction",
        "Interdiction point",
        &figure(
            &charts::shares(&rows, &parts),
            "Where seizures were made, as shares of all seizures (whole percentages adding up to 100). Earlier is better: seized goods never reach the end user.",
        ),
    )
}

fn compare_section(f: &Folder) -> String {
    let m = &f.main;
    let strategies = m["strategies"].as_array().cloned().unwrap_or_default();
    let metrics = [
        "detection_rate",
        "hit_rate",
        "inspection_rate",
        "officer_hours",
        "licit_dwell_hours",
    ];
    let mut header = vec!["strategy"];
    header.extend(metrics.iter().map(|k| label(k)));
    let rows: Vec<Vec<String>> = strategies
        .iter()
        .map(|st| {
            let mut r = vec![st["name"].as_str().unwrap_or("").to_string()];
            for k in metrics {
                let (mean, lo, hi, _) = est(&st["metrics"], k);
                r.push(format!(
                    "{} [{}, {}]",
                    show(k, mean),
                    show(k, lo),
                    show(k, hi)
                ));
            }
            r
        })
        .collect();
    let mut s = table(&header, &rows, &[false, true, true, true, true, true]);
    let base = m["baseline"].as_str().unwrap_or("the first strategy");
    let diffs = m["differences"].as_array().cloned().unwrap_or_default();
    if !diffs.is_empty() {
        let iv: Vec<Interval> = diffs
            .iter()
            .map(|d| {
                let (mean, low, high, _) = est(&d["metrics"], "detection_rate");
                Interval {
                    label: format!("{} − {base}", d["name"].as_str().unwrap_or("")),
                    mean: 100.0 * mean,
                    low: 100.0 * low,
                    high: 100.0 * high,
                }
            })
            .collect();
        s.push_str(&figure(
            &charts::intervals(&iv, "paired difference in detection rate (percentage points), mean and 95% CI", true),
            &format!("Each strategy against \"{base}\", replication by replication on the same seeds (common random numbers). An interval that excludes zero is a difference that can be claimed at 95%."),
        ));
    }
    // equal effort: say whether the strategies spent comparable officer-hours
    let effort: Vec<(String, f64)> = strategies
        .iter()
        .map(|st| {
            (
                st["name"].as_str().unwrap_or("").to_string(),
                est(&st["metrics"], "inspection_rate").0,
            )
        })
        .collect();
    let lo = effort.iter().map(|e| e.1).fold(f64::INFINITY, f64::min);
    let hi = effort.iter().map(|e| e.1).fold(f64::NEG_INFINITY, f64::max);
    let equal = m
        .get("equal_effort")
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let effort_note = if equal {
        "Equal effort: every strategy was held to the same inspections, so differences are in what they choose, not in how much they inspect.".to_string()
    } else if lo.is_finite() && hi > 0.0 && (hi - lo) / hi > 0.1 {
        format!(
            "Not at equal effort: inspection rates range from {} to {}. A strategy that inspects more can detect more for that reason alone; compare at equal effort before crediting the selection.",
            percent(Some(lo), 1),
            percent(Some(hi), 1)
        )
    } else {
        format!(
            "Effort is comparable: inspection rates range from {} to {}.",
            percent(Some(lo), 1),
            percent(Some(hi), 1)
        )
    };
    s.push_str(&note(&effort_note));
    if let Some(svg) = f.svg("detection_vs_inspection") {
        s.push_str(&plot_figure(
            &svg,
            "Detection rate against inspection rate, one point per strategy with its 95% CI.",
        ));
    }
    section("comparison", "Strategies compared", &s)
}

fn sweep_section(f: &Folder) -> String {
    let Some((h, rows)) = f.tables.get("cells.csv") else {
        return String::new();
    };
    let axes: Vec<usize> = (0..h.len()).filter(|&i| h[i].starts_with("set.")).collect();
    let col = |name: &str| h.iter().position(|x| x == name);
    let metrics = [
        "detection_rate",
        "hit_rate",
        "inspection_rate",
        "officer_hours",
    ];
    let mut header: Vec<String> = axes
        .iter()
        .map(|&i| h[i].trim_start_matches("set.").to_string())
        .collect();
    header.extend(metrics.iter().map(|m| format!("{} [95% CI]", label(m))));
    header.push("n".into());
    let mut table_rows = Vec::new();
    for r in rows {
        let mut row: Vec<String> = axes.iter().map(|&i| r[i].clone()).collect();
        let mut n = String::new();
        for m in metrics {
            let get = |suffix: &str| {
                col(&format!("{m}{suffix}"))
                    .and_then(|i| r.get(i))
                    .and_then(|v| v.parse::<f64>().ok())
                    .unwrap_or(f64::NAN)
            };
            row.push(format!(
                "{} [{}, {}]",
                show(m, get("_mean")),
                show(m, get("_ci_low")),
                show(m, get("_ci_high"))
            ));
            if n.is_empty() {
                n = col(&format!("{m}_n"))
                    .and_then(|i| r.get(i).cloned())
                    .unwrap_or_default();
            }
        }
        row.push(n);
        table_rows.push(row);
    }
    let hdr: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut numeric = vec![false; axes.len()];
    numeric.extend([true; 5]);
    let mut s = table(&hdr, &table_rows, &numeric);
    s.push_str(&note("Every cell runs the same replications (the same seeds), so cells differ by the swept values, not by the dice."));
    if let Some(svg) = f.svg("detection_vs_inspection") {
        s.push_str(&plot_figure(
            &svg,
            "Detection rate against inspection rate across the cells, with 95% CI bands.",
        ));
    }
    section("sweep", "Sweep cells", &s)
}

fn offices_section(f: &Folder) -> String {
    let view = offices_view(f);
    let Some((h, rows, basis)) = &view else {
        return section(
            "offices",
            "Offices",
            &note(
                "Per-office results are written by stce run and stce compare (offices.csv); a sweep keeps its cells only.",
            ),
        );
    };
    let col = |name: &str| h.iter().position(|x| x == name);
    let get = |r: &Vec<String>, name: &str| {
        col(name)
            .and_then(|i| r.get(i).cloned())
            .unwrap_or_default()
    };
    let f64of = |s: String| s.parse::<f64>().unwrap_or(f64::NAN);
    // counts of one run are whole; means over replications get one decimal
    let count = |s: String| {
        let v = f64of(s);
        fixed(v, if v.fract() == 0.0 { 0 } else { 1 })
    };
    let mut sorted: Vec<&Vec<String>> = rows.iter().collect();
    sorted.sort_by(|a, b| f64of(get(b, "seizures")).total_cmp(&f64of(get(a, "seizures"))));
    let body: Vec<Vec<String>> = sorted
        .iter()
        .map(|r| {
            let share = |k: &str| {
                let v = get(r, k);
                if v.is_empty() {
                    "n/a".to_string()
                } else {
                    percent(Some(f64of(v)), 1)
                }
            };
            vec![
                format!("{} {}", get(r, "office"), get(r, "name")),
                get(r, "country"),
                get(r, "roles").replace(';', ", "),
                get(r, "strategy"),
                fixed(f64of(get(r, "capacity_hours")), 0),
                fixed(f64of(get(r, "officer_hours")), 0),
                share("utilisation"),
                count(get(r, "assessed")),
                count(get(r, "inspections")),
                share("hit_rate"),
                count(get(r, "seizures")),
            ]
        })
        .collect();
    let s = format!(
        "{}{}{}",
        if basis.is_empty() {
            String::new()
        } else {
            note(basis)
        },
        table(
            &[
                "office",
                "country",
                "roles",
                "strategy",
                "capacity (officer-h)",
                "used (officer-h)",
                "use",
                "assessed",
                "inspections",
                "hit rate",
                "seizures"
            ],
            &body,
            &[
                false, false, false, false, true, true, true, true, true, true, true
            ]
        ),
        note(
            "Capacity is the officer-hours actually available over the run (surge and capacity injects included); use = used ÷ capacity. Sorted by seizures."
        )
    );
    section("offices", "Offices", &s)
}

/// What got through: illicit shipments that reached an office and were not seized, by
/// network and route.
fn missed_section(f: &Folder) -> String {
    let Some((h, rows)) = f.tables.get("missed.csv") else {
        return String::new();
    };
    let col = |name: &str| h.iter().position(|x| x == name);
    let (Some(net), Some(route), Some(fate), Some(offices)) = (
        col("network"),
        col("route"),
        col("fate"),
        col("offices_assessed"),
    ) else {
        return String::new();
    };
    let mut by: BTreeMap<(String, String, String), (u64, u64)> = BTreeMap::new();
    for r in rows {
        let e = by
            .entry((
                r[net].clone(),
                r[route].replace('>', " → "),
                r[offices].replace(';', ", "),
            ))
            .or_default();
        if r[fate] == "delivered" {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }
    let mut v: Vec<_> = by.into_iter().collect();
    v.sort_by_key(|(_, (d, t))| std::cmp::Reverse(d + t));
    let delivered: u64 = v.iter().map(|x| x.1.0).sum();
    let moving: u64 = v.iter().map(|x| x.1.1).sum();
    let shown: Vec<Vec<String>> = v
        .iter()
        .take(12)
        .map(|((n, r, o), (d, t))| {
            vec![
                n.clone(),
                r.clone(),
                o.clone(),
                thousands(*d),
                thousands(*t),
            ]
        })
        .collect();
    let s = format!(
        "<p>{} illicit shipments reached a customs office and were not seized: {} delivered, {} still moving when the run ended. The routes that let most through:</p>{}{}",
        thousands(delivered + moving),
        thousands(delivered),
        thousands(moving),
        table(
            &[
                "network",
                "route",
                "offices that assessed it",
                "delivered",
                "in transit"
            ],
            &shown,
            &[false, false, false, true, true]
        ),
        note(
            "Every such shipment, with what it was declared as and where it ended up, is in missed.csv."
        )
    );
    section("missed", "What got through", &s)
}

fn timeline_section(f: &Folder) -> String {
    let c = &f.context;
    let mut events: Vec<(u32, String, &str)> = Vec::new();
    if let Some(t) = f.main["timeline"].as_array() {
        for e in t {
            let day = e["day"].as_u64().unwrap_or(0) as u32;
            let text = e["event"].as_str().unwrap_or("").to_string();
            events.push((day, text, "event"));
        }
    } else if let Some(op) = &c.operation {
        for i in &op.injects {
            events.push((i.day, i.event.clone(), "inject"));
        }
    }
    if let Some(op) = &c.operation {
        for p in &op.phases {
            events.push((
                p.start_day,
                format!("{} phase begins", charts::phase_name(&p.kind)),
                "phase",
            ));
        }
    }
    if events.is_empty() {
        return String::new();
    }
    events.sort_by_key(|e| (e.0, e.2 != "phase"));
    let mut s = String::from("<ol class=\"timeline\">");
    for (day, text, tag) in &events {
        let _ = write!(
            s,
            "<li><span>{}</span><span>{}{}</span></li>",
            esc(&c.date(*day)),
            esc(text),
            if *tag == "phase" {
                "<span class=\"tag\">phase</span>".to_string()
            } else {
                String::new()
            }
        );
    }
    s.push_str("</ol>");
    if f.kind != Kind::Run {
        s.push_str(&note("Scripted injects and phases; the traffickers' reactions differ by replication and are listed in the briefing of a single run."));
    }
    section(
        "timeline",
        "Timeline of injects and traffickers' reactions",
        &s,
    )
}

fn footer(f: &Folder) -> String {
    format!(
        "<footer>Made by <code>stce report {}</code> with stce {}. Reference data: ports and maritime network from searoute (Apache-2.0), airports from airportsdata (MIT), countries from world-countries (ODbL-1.0) and Natural Earth (public domain). The illicit networks are illustrative and make no claim about any real company or country.</footer>",
        esc(&f.dir.display().to_string()),
        esc(env!("CARGO_PKG_VERSION"))
    )
}
