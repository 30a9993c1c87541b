//! Finding codes in the embedded reference data by name or code, for `stce list`:
//! ports (UN/LOCODE), airports (IATA), countries (ISO3, WCO region), HS 2022 codes,
//! strategic chemicals by CAS number, and the kinds of targeting strategy.

use serde::Serialize;

use super::reference::Reference;

/// What `stce list` can list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Table {
    Ports,
    Airports,
    Countries,
    Hs,
    Cas,
    Strategies,
}

/// A listing: column names and rows of text (codes stay text).
#[derive(Debug, Clone, Serialize)]
pub struct Listing {
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

/// The kinds of targeting strategy a scenario can define, with an example each.
pub const STRATEGY_KINDS: &[(&str, &str, &str)] = &[
    (
        "Random",
        "each declaration drawn independently at a rate",
        r#"StrategyDef(name: "random", kind: Random(rate: 0.02))"#,
    ),
    (
        "Rules",
        "profiles that fire when all their indicators are present",
        r#"StrategyDef(name: "profiles", kind: Rules(watch: Watchlists(hs: ["2931"]), profiles: [Profile(name: "watched HS, new trader", all: [HsWatch, NewTrader])]))"#,
    ),
    (
        "RiskScore",
        "sum of indicator weights; highest scores above a threshold first",
        r#"StrategyDef(name: "risk", kind: RiskScore(watch: Watchlists(hs: ["2931"]), weights: {HsWatch: 2.0, NewTrader: 2.0, MissingLicence: 3.0}, threshold: 1.0))"#,
    ),
    (
        "Learner",
        "online logistic model learning from its own inspections, with an exploration share",
        r#"StrategyDef(name: "learner", kind: Learner(watch: Watchlists(hs: ["2931"]), exploration: 0.1))"#,
    ),
    (
        "IntelligenceLed",
        "declarations naming a watched entity first, then the risk score",
        r#"StrategyDef(name: "intel", kind: IntelligenceLed(watch: Watchlists(hs: ["2931"], networks: ["Precursor network"], entity_coverage: 0.5), weights: {HsWatch: 2.0}, threshold: 1.0))"#,
    ),
    (
        "Mixture",
        "capacity split between named strategies",
        r#"StrategyDef(name: "mix", kind: Mixture(parts: [("risk", 0.9), ("random", 0.1)]))"#,
    ),
];

fn matches(query: &str, fields: &[&str]) -> bool {
    let q = query.to_lowercase();
    fields
        .iter()
        .any(|f| f.to_lowercase().contains(&q) || f.to_lowercase().replace('_', " ").contains(&q))
}

fn coord(v: f64) -> String {
    format!("{v:.4}")
}

/// Rows of `table` whose code or name contains `query` (case-insensitive; a country
/// code or name also finds that country's ports and airports). No query: every row.
pub fn search(table: Table, query: Option<&str>) -> Listing {
    let r = Reference::embedded();
    let q = query.map(str::trim).filter(|q| !q.is_empty());
    let keep = |fields: &[&str]| q.is_none_or(|q| matches(q, fields));
    let country_of_iso2 = |iso2: &str| r.country_by_iso2(iso2);
    // A query that is a country code lists that country's ports or airports only.
    let country_query = q.and_then(|q| {
        let up = q.to_uppercase();
        r.country(&up)
            .or_else(|| (up.len() == 2).then(|| r.country_by_iso2(&up)).flatten())
            .map(|c| c.iso2.clone())
    });
    let keep_place = |iso2: &str, fields: &[&str]| match &country_query {
        Some(c) => c == iso2,
        None => keep(fields),
    };
    match table {
        Table::Ports => Listing {
            columns: vec![
                "unlocode",
                "name",
                "country",
                "lat",
                "lon",
                "wco_region",
                "serves_countries",
            ],
            rows: r
                .ports()
                .iter()
                .filter_map(|p| {
                    let c = country_of_iso2(&p.country_iso2);
                    let iso3 = c.map_or("", |c| c.iso3.as_str());
                    let cname = c.map_or("", |c| c.name.as_str());
                    let exact = q.is_some_and(|q| q.eq_ignore_ascii_case(&p.unlocode));
                    (exact || keep_place(&p.country_iso2, &[&p.unlocode, &p.name, cname])).then(
                        || {
                            vec![
                                p.unlocode.clone(),
                                p.name.clone(),
                                iso3.to_string(),
                                coord(p.lat),
                                coord(p.lon),
                                c.and_then(|c| c.wco_region.clone()).unwrap_or_default(),
                                p.serves.to_string(),
                            ]
                        },
                    )
                })
                .collect(),
        },
        Table::Airports => Listing {
            columns: vec![
                "iata",
                "name",
                "city",
                "country",
                "lat",
                "lon",
                "wco_region",
            ],
            rows: r
                .airports()
                .iter()
                .filter_map(|a| {
                    let c = country_of_iso2(&a.country_iso2);
                    let iso3 = c.map_or("", |c| c.iso3.as_str());
                    let cname = c.map_or("", |c| c.name.as_str());
                    let exact = q.is_some_and(|q| q.eq_ignore_ascii_case(&a.iata));
                    (exact || keep_place(&a.country_iso2, &[&a.iata, &a.name, &a.city, cname]))
                        .then(|| {
                            vec![
                                a.iata.clone(),
                                a.name.clone(),
                                a.city.clone(),
                                iso3.to_string(),
                                coord(a.lat),
                                coord(a.lon),
                                c.and_then(|c| c.wco_region.clone()).unwrap_or_default(),
                            ]
                        })
                })
                .collect(),
        },
        Table::Countries => Listing {
            columns: vec![
                "iso3",
                "iso2",
                "name",
                "wco_region",
                "gdp_musd",
                "lat",
                "lon",
            ],
            rows: r
                .countries()
                .iter()
                .filter(|c| keep(&[&c.iso3, &c.iso2, &c.name]))
                .map(|c| {
                    vec![
                        c.iso3.clone(),
                        c.iso2.clone(),
                        c.name.clone(),
                        c.wco_region.clone().unwrap_or_default(),
                        c.gdp_musd.map_or(String::new(), |g| format!("{g:.0}")),
                        coord(c.lat),
                        coord(c.lon),
                    ]
                })
                .collect(),
        },
        Table::Hs => Listing {
            columns: vec!["code", "level", "description"],
            rows: r
                .hs_codes()
                .iter()
                .filter(|h| match q {
                    // a code finds itself and what lies under it
                    Some(q) if q.bytes().all(|b| b.is_ascii_digit()) => h.code.starts_with(q),
                    _ => keep(&[&h.code, &h.description]),
                })
                .map(|h| vec![h.code.clone(), h.level.to_string(), h.description.clone()])
                .collect(),
        },
        Table::Cas => Listing {
            columns: vec!["cas", "name", "cwc_schedule", "eu_1c350_item"],
            rows: r
                .chemicals()
                .iter()
                .filter(|c| keep(&[&c.cas, &c.name]))
                .map(|c| {
                    vec![
                        c.cas.clone(),
                        c.name.clone(),
                        c.cwc_schedule
                            .map(|s| {
                                format!("{s}{}", c.cwc_part.map(String::from).unwrap_or_default())
                            })
                            .unwrap_or_default(),
                        c.eu_1c350_item.map(|i| i.to_string()).unwrap_or_default(),
                    ]
                })
                .collect(),
        },
        Table::Strategies => Listing {
            columns: vec!["kind", "what it does", "example"],
            rows: STRATEGY_KINDS
                .iter()
                .filter(|(k, d, _)| keep(&[k, d]))
                .map(|(k, d, e)| vec![k.to_string(), d.to_string(), e.to_string()])
                .collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn singapore_finds_sgsin_with_its_region() {
        let l = search(Table::Ports, Some("singapore"));
        let row = l.rows.iter().find(|r| r[0] == "SGSIN").expect("SGSIN");
        assert_eq!(row[2], "SGP");
        assert_eq!(row[5], "AP");
    }

    #[test]
    fn a_country_code_lists_its_ports_and_hs_keeps_leading_zeros() {
        let l = search(Table::Ports, Some("KEN"));
        assert!(l.rows.iter().any(|r| r[0] == "KEMBA"), "Mombasa");
        assert!(
            l.rows.iter().all(|r| r[2] == "KEN"),
            "a country code lists that country only"
        );
        let lao = search(Table::Airports, Some("LAO"));
        assert!(lao.rows.iter().any(|r| r[0] == "VTE"), "Vientiane, Laos");
        assert!(
            lao.rows.iter().any(|r| r[0] == "LAO"),
            "and the airport whose code it is"
        );
        let hs = search(Table::Hs, Some("0901"));
        assert!(hs.rows.iter().any(|r| r[0] == "090111"), "coffee");
        assert!(hs.rows.iter().all(|r| r[0].starts_with("0901")));
        let cas = search(Table::Cas, Some("756-79-6"));
        assert_eq!(cas.rows.len(), 1);
        assert!(cas.rows[0][2].starts_with('2'), "DMMP is CWC schedule 2");
    }
}
