//! Starter scenarios (`stce new`): a valid, commented scenario for any set of countries,
//! built from the embedded reference data — each country's main sea port (the one that
//! serves the most destination countries in the searoute data), a loop calling them all
//! and shuttles to the busiest, two strategies, an illustrative precursor network from
//! the first country to the last, and a four-phase operation — for a planner to edit.

use std::fmt::Write;

use crate::world::reference::{PortRef, Reference};

/// The scenario text for `name` over `countries` (ISO3 codes, at least two).
pub fn starter(name: &str, countries: &[String]) -> Result<String, String> {
    let r = Reference::embedded();
    if countries.len() < 2 {
        return Err("--countries: give at least two ISO3 codes, e.g. --countries KEN,TZA,ZAF (trade needs a partner)".into());
    }
    let mut seen: Vec<&str> = Vec::new();
    let mut picked: Vec<(String, String, Option<f64>, &PortRef)> = Vec::new();
    for code in countries {
        let code = code.trim().to_uppercase();
        if seen.contains(&code.as_str()) {
            return Err(format!("--countries: {code} is given twice"));
        }
        let c = r.country(&code).ok_or_else(|| {
            format!(
                "--countries: unknown ISO3 code {code}{}; `stce list countries NAME` finds codes",
                r.suggest_country(&code)
                    .map(|s| format!(" (did you mean {s}?)"))
                    .unwrap_or_default()
            )
        })?;
        let port = r
            .ports()
            .iter()
            .filter(|p| p.country_iso2 == c.iso2)
            .max_by(|a, b| a.serves.cmp(&b.serves).then(b.unlocode.cmp(&a.unlocode)))
            .ok_or_else(|| {
                format!(
                    "--countries: {code} ({}) has no sea port in the reference data; add it by hand with an airport (`stce list airports {code}`)",
                    c.name
                )
            })?;
        seen.push(
            countries
                .iter()
                .find(|x| x.trim().eq_ignore_ascii_case(&code))
                .map_or("", |s| s.as_str()),
        );
        picked.push((c.iso3.clone(), c.name.clone(), c.gdp_musd, port));
    }
    // the hub: the port serving the most countries
    let hub = picked
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.3.serves.cmp(&b.1.3.serves).then(b.0.cmp(&a.0)))
        .map_or(0, |(i, _)| i);
    let codes: Vec<String> = countries.iter().map(|c| c.trim().to_uppercase()).collect();
    let quoted = |v: &[String]| {
        v.iter()
            .map(|s| format!("\"{s}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let mut s = String::new();
    let _ = writeln!(
        s,
        "// {}: a starter scenario written by `stce new` from the reference data.",
        esc(name)
    );
    s.push_str("//\n// Check it with `stce validate FILE`, run it with `stce run FILE`, and edit it: the\n");
    s.push_str(
        "// README's \"Scenario reference\" lists every field and its default. Ports were chosen\n",
    );
    s.push_str(
        "// as each country's sea port serving the most destination countries; find others with\n",
    );
    s.push_str("// `stce list ports <ISO3>`, HS codes with `stce list hs <text>`.\n//\n");
    s.push_str(
        "// The illicit network is illustrative: it makes no claim about any real company or\n",
    );
    s.push_str("// country; the countries only place the flows on a real map.\n");
    s.push_str("Scenario(\n");
    let _ = writeln!(s, "    name: \"{}\",", esc(name));
    let _ = writeln!(
        s,
        "    description: \"Starter scenario for {}. Illicit share inflated to 1% for statistical power.\",",
        codes.join(", ")
    );
    s.push_str(
        "    seed: 1,                      // base of every random stream; `--seed` overrides it\n",
    );
    s.push_str("    start_date: \"2025-01-06\",     // day 0 (a Monday)\n");
    s.push_str("    days: 28,                     // length of the run\n");
    s.push_str(
        "    declarations: 30000,          // shipments over the run, licit and illicit\n\n",
    );
    s.push_str(
        "    // Customs administrations (ISO3) and their STCE maturity.\n    administrations: [\n",
    );
    for (iso3, cname, gdp, _) in &picked {
        let gdp_field = if gdp.is_none() {
            "gdp_musd: 10000.0, "
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "        Administration(country: \"{iso3}\", {gdp_field}trained_officer_share: 0.3, equipment: [NiiScanner], advance_information: 0.8),  // {}{}",
            cname,
            if gdp.is_none() {
                " (GDP not in the reference data: set gdp_musd)"
            } else {
                ""
            }
        );
    }
    s.push_str("    ],\n\n    // Ports (UN/LOCODE) with a customs office: officer-hours per day and its strategy.\n    nodes: [\n");
    for (i, (_, cname, _, p)) in picked.iter().enumerate() {
        let _ = writeln!(
            s,
            "        Node(code: \"{}\",{} office: Office(capacity_hours: 24.0, strategy: \"risk\")),  // {}, {}",
            p.unlocode,
            if i == hub {
                " transshipment_hub: true,"
            } else {
                ""
            },
            p.name,
            cname
        );
    }
    let hub_code = picked[hub].3.unlocode.clone();
    // the loop calls the ports from west to east
    let mut order: Vec<&PortRef> = picked.iter().map(|x| x.3).collect();
    order.sort_by(|a, b| a.lon.total_cmp(&b.lon));
    let loop_calls: Vec<String> = order.iter().map(|p| p.unlocode.clone()).collect();
    s.push_str("    ],\n\n    // Carrier services: calls in rotation order; sea distances come from the maritime network.\n    services: [\n");
    let _ = writeln!(
        s,
        "        Service(name: \"Regional loop\", mode: Sea, calls: [{}], frequency_days: 7.0),",
        quoted(&loop_calls)
    );
    for (_, cname, _, p) in picked.iter().filter(|x| x.3.unlocode != hub_code) {
        let _ = writeln!(
            s,
            "        Service(name: \"{} shuttle\", mode: Sea, calls: [\"{hub_code}\", \"{}\"], frequency_days: 3.0),",
            esc(cname),
            p.unlocode
        );
    }
    s.push_str(r#"    ],

    // Targeting strategies, referred to by name (`stce list strategies` shows every kind).
    strategies: [
        StrategyDef(name: "random", kind: Random(rate: 0.03)),
        StrategyDef(name: "risk", kind: RiskScore(
            watch: Watchlists(hs: ["2931", "292215"]),
            weights: {HsWatch: 2.0, NewTrader: 2.0, MissingLicence: 3.0, ValueAnomaly: 1.5,
                      VagueDescription: 1.0, ViaHub: 0.5, NotAeo: 0.5, MissingAdvanceInfo: 0.5},
            threshold: 1.0,
        )),
    ],

    // Licit trade: gravity on GDP and distance.
    trade: Gravity(gdp_origin_exponent: 1.0, gdp_destination_exponent: 1.0, distance_exponent: 1.0),

    // Goods by HS 2022 subheading; strategic goods share subheadings with ordinary ones.
    commodities: [
        Commodity(name: "Machinery parts", hs: "847330", share: 20.0, value_per_kg: 60.0, kg: 3000.0),
        Commodity(name: "Plastic articles", hs: "392690", share: 20.0, value_per_kg: 4.0, kg: 8000.0),
        Commodity(name: "Coffee, not roasted", hs: "090111", share: 15.0, value_per_kg: 3.0, kg: 18000.0),
        Commodity(name: "Furniture", hs: "940360", share: 15.0, value_per_kg: 3.0, kg: 9000.0),
        Commodity(name: "Organo-phosphorus flame retardants", hs: "293149", share: 2.0, value_per_kg: 3.0, kg: 15000.0),
        Commodity(name: "Dimethyl methylphosphonate", hs: "293141", share: 0.2, category: Chemical, cas: "756-79-6", value_per_kg: 4.0, kg: 12000.0),
        Commodity(name: "Triethanolamine", hs: "292215", share: 1.0, category: Chemical, cas: "102-71-6", value_per_kg: 1.5, kg: 16000.0),
    ],

    // An illustrative network: what it seeks, where, and how it hides it.
    illicit: [
        Network(
            name: "Precursor procurement network",
            share: 0.01,
            seeks: ["Dimethyl methylphosphonate", "Triethanolamine"],
"#);
    let _ = writeln!(s, "            origins: [\"{}\"],", picked[0].0);
    let _ = writeln!(
        s,
        "            destinations: [\"{}\"],",
        picked[picked.len() - 1].0
    );
    if hub != 0 && hub != picked.len() - 1 {
        let _ = writeln!(
            s,
            "            via: [\"{hub_code}\"],               // transship to break the trail"
        );
    }
    s.push_str(r#"            concealment: {MisdeclaredHs: 0.4, GenericDescription: 0.2, FalseEndUser: 0.3, Undisguised: 0.1},
            cover_hs: ["392690", "940360"],
            front_companies: 8,
        ),
    ],

    // A Cosmo-style operation: every administration takes part (participants: []).
    operation: Some(Operation(
        name: "Starter operation",
        participants: [],
        phases: [
            Phase(kind: TargetBuilding, start_day: 0, end_day: 7),
            Phase(kind: Interdiction, start_day: 7, end_day: 21),
            Phase(kind: FollowUp, start_day: 21, end_day: 25),
            Phase(kind: Reporting, start_day: 25, end_day: 28),
        ],
        focus: ["Dimethyl methylphosphonate", "Triethanolamine"],
        surge: 1.5,                       // officer-hours ×1.5 during interdiction
        strategy: Some("risk"),           // the profile handed to participants
        injects: [
            Inject(day: 10, event: IntelligenceTip(network: "Precursor procurement network", coverage: 0.3)),
        ],
    )),
)
"#);
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_starter_for_a_region_not_shipped_parses_and_validates() {
        let text = starter("East Africa", &["KEN".into(), "TZA".into(), "ZAF".into()]).unwrap();
        assert!(
            text.contains("\"KEMBA\"") && text.contains("\"TZDAR\""),
            "{text}"
        );
        let s = crate::scenario::parse("east-africa.ron", &text)
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        crate::world::World::build(&s).expect("world builds");
    }

    #[test]
    fn bad_countries_are_named() {
        let e = starter("x", &["KEN".into(), "XYZ".into()]).unwrap_err();
        assert!(e.contains("XYZ"), "{e}");
        let e = starter("x", &["KEN".into()]).unwrap_err();
        assert!(e.contains("at least two"), "{e}");
        let e = starter("x", &["KEN".into(), "ken".into()]).unwrap_err();
        assert!(e.contains("twice"), "{e}");
    }
}
