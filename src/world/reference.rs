//! Reference data embedded in the binary: ports (UN/LOCODE), airports (IATA), countries
//! with WCO regions and GDP, the HS 2022 nomenclature and strategic chemicals (CWC
//! schedules, EU 1C350). Parsed once, on first use. Origins and licences are in
//! `scenarios/reference/*/SOURCE.md`.

use std::sync::OnceLock;

use serde::Deserialize;

const PORTS: &str = include_str!("../../scenarios/reference/ports/searoute_ports.csv");
const AIRPORTS: &str = include_str!("../../scenarios/reference/airports/airports_iata.csv");
const COUNTRIES: &str = include_str!("../../scenarios/reference/countries/world_countries.csv");
const NATURAL_EARTH: &str =
    include_str!("../../scenarios/reference/countries/naturalearth_110m_countries.csv");
const WCO_REGIONS: &str = include_str!("../../scenarios/reference/countries/wco_regions_2017.csv");
const GDP_SUPPLEMENT: &str = include_str!("../../scenarios/reference/countries/gdp_supplement.csv");
const HS: &str = include_str!("../../scenarios/reference/hs/hs2022_nomenclature.csv");
const CWC: &str = include_str!("../../scenarios/reference/strategic_goods/cwc_schedules.csv");
const EU_1C350: &str =
    include_str!("../../scenarios/reference/strategic_goods/eu_1C350_cw_precursors.csv");

#[derive(Debug, Clone)]
pub struct CountryRef {
    pub iso2: String,
    pub iso3: String,
    pub name: String,
    /// WCO region code (ESA, WCA, MENA, EUR, AP, AMC).
    pub wco_region: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub gdp_musd: Option<f64>,
    pub population: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PortRef {
    pub unlocode: String,
    pub name: String,
    pub country_iso2: String,
    pub lat: f64,
    pub lon: f64,
    /// Countries the port serves directly (searoute's `to_cty`, ISO2): a measure of how
    /// much of a gateway it is.
    #[serde(default)]
    pub serves: usize,
}

#[derive(Debug, Clone)]
pub struct AirportRef {
    pub iata: String,
    pub name: String,
    pub city: String,
    pub country_iso2: String,
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Clone)]
pub struct HsRef {
    pub code: String,
    pub description: String,
    pub level: u8,
    pub section: String,
}

#[derive(Debug, Clone)]
pub struct ChemicalRef {
    pub name: String,
    pub cas: String,
    pub cwc_schedule: Option<u8>,
    pub cwc_part: Option<char>,
    pub eu_1c350_item: Option<u16>,
}

/// The reference tables, each sorted by its key for binary search.
pub struct Reference {
    countries: Vec<CountryRef>,
    ports: Vec<PortRef>,
    airports: Vec<AirportRef>,
    hs: Vec<HsRef>,
    chemicals: Vec<ChemicalRef>,
}

fn rows(text: &'static str) -> impl Iterator<Item = csv::StringRecord> {
    csv::Reader::from_reader(text.as_bytes())
        .into_records()
        .map(|r| r.expect("embedded reference CSV is well formed"))
}

fn num(s: &str) -> Option<f64> {
    s.trim().parse().ok().filter(|v: &f64| v.is_finite())
}

fn find<'a, T>(v: &'a [T], key: &str, k: impl Fn(&T) -> &str) -> Option<&'a T> {
    v.binary_search_by(|x| k(x).cmp(key)).ok().map(|i| &v[i])
}

impl Reference {
    /// The embedded tables, parsed on first use.
    pub fn embedded() -> &'static Reference {
        static R: OnceLock<Reference> = OnceLock::new();
        R.get_or_init(Reference::parse)
    }

    fn parse() -> Reference {
        let mut ports: Vec<PortRef> = Vec::new();
        for r in rows(PORTS) {
            // Duplicate codes (terminals of one port): the first row in file order wins.
            if ports.last().is_some_and(|p| p.unlocode == r[0]) {
                continue;
            }
            ports.push(PortRef {
                unlocode: r[0].to_string(),
                name: r[1].to_string(),
                country_iso2: r[2].to_string(),
                lat: num(&r[4]).unwrap_or(0.0),
                lon: num(&r[5]).unwrap_or(0.0),
                serves: r
                    .get(7)
                    .map_or(0, |t| t.split(';').filter(|c| !c.is_empty()).count()),
            });
        }
        ports.sort_by(|a, b| a.unlocode.cmp(&b.unlocode));
        ports.dedup_by(|a, b| a.unlocode == b.unlocode);

        let mut airports: Vec<AirportRef> = rows(AIRPORTS)
            .map(|r| AirportRef {
                iata: r[0].to_string(),
                name: r[2].to_string(),
                city: r[3].to_string(),
                country_iso2: r[5].to_string(),
                lat: num(&r[7]).unwrap_or(0.0),
                lon: num(&r[8]).unwrap_or(0.0),
            })
            .collect();
        airports.sort_by(|a, b| a.iata.cmp(&b.iata));
        airports.dedup_by(|a, b| a.iata == b.iata);

        let regions: Vec<(String, String)> = rows(WCO_REGIONS)
            .map(|r| (r[1].to_string(), r[4].to_string()))
            .collect();
        let mut economy: Vec<(String, Option<f64>, Option<f64>)> = rows(NATURAL_EARTH)
            .map(|r| (r[1].to_string(), num(&r[4]), num(&r[3])))
            .collect();
        economy.extend(rows(GDP_SUPPLEMENT).map(|r| (r[0].to_string(), num(&r[1]), num(&r[2]))));
        let mut countries: Vec<CountryRef> = rows(COUNTRIES)
            .map(|r| {
                let iso3 = r[1].to_string();
                let eco = economy.iter().find(|e| e.0 == iso3);
                CountryRef {
                    iso2: r[0].to_string(),
                    wco_region: regions.iter().find(|x| x.0 == iso3).map(|x| x.1.clone()),
                    name: r[3].to_string(),
                    lat: num(&r[7]).unwrap_or(0.0),
                    lon: num(&r[8]).unwrap_or(0.0),
                    gdp_musd: eco.and_then(|e| e.1),
                    population: eco.and_then(|e| e.2),
                    iso3,
                }
            })
            .collect();
        countries.sort_by(|a, b| a.iso3.cmp(&b.iso3));

        let mut hs: Vec<HsRef> = rows(HS)
            .filter(|r| &r[1] != "TOTAL")
            .map(|r| HsRef {
                section: r[0].to_string(),
                code: r[1].to_string(),
                description: r[2].to_string(),
                level: r[4].parse().unwrap_or(0),
            })
            .collect();
        hs.sort_by(|a, b| a.code.cmp(&b.code));

        let mut chemicals: Vec<ChemicalRef> = Vec::new();
        for r in rows(CWC) {
            if r[5].is_empty() {
                continue;
            }
            chemicals.push(ChemicalRef {
                name: r[4].to_string(),
                cas: r[5].to_string(),
                cwc_schedule: r[0].parse().ok(),
                cwc_part: r[1].chars().next(),
                eu_1c350_item: None,
            });
        }
        for r in rows(EU_1C350) {
            let item = r[1].parse().ok();
            match chemicals.iter_mut().find(|c| c.cas == r[3]) {
                Some(c) => c.eu_1c350_item = item,
                None => chemicals.push(ChemicalRef {
                    name: r[2].to_string(),
                    cas: r[3].to_string(),
                    cwc_schedule: None,
                    cwc_part: None,
                    eu_1c350_item: item,
                }),
            }
        }
        chemicals.sort_by(|a, b| a.cas.cmp(&b.cas));
        chemicals.dedup_by(|a, b| a.cas == b.cas);

        Reference {
            countries,
            ports,
            airports,
            hs,
            chemicals,
        }
    }

    pub fn countries(&self) -> &[CountryRef] {
        &self.countries
    }

    pub fn country(&self, iso3: &str) -> Option<&CountryRef> {
        find(&self.countries, iso3, |c| &c.iso3)
    }

    pub fn country_by_iso2(&self, iso2: &str) -> Option<&CountryRef> {
        self.countries.iter().find(|c| c.iso2 == iso2)
    }

    pub fn port(&self, unlocode: &str) -> Option<&PortRef> {
        find(&self.ports, unlocode, |p| &p.unlocode)
    }

    pub fn ports(&self) -> &[PortRef] {
        &self.ports
    }

    pub fn airports(&self) -> &[AirportRef] {
        &self.airports
    }

    /// The HS 2022 nomenclature: sections, chapters, headings and subheadings.
    pub fn hs_codes(&self) -> &[HsRef] {
        &self.hs
    }

    /// CWC-scheduled and EU 1C350 chemicals.
    pub fn chemicals(&self) -> &[ChemicalRef] {
        &self.chemicals
    }

    pub fn airport(&self, iata: &str) -> Option<&AirportRef> {
        find(&self.airports, iata, |a| &a.iata)
    }

    pub fn hs(&self, code: &str) -> Option<&HsRef> {
        find(&self.hs, code, |h| &h.code)
    }

    pub fn chemical_by_cas(&self, cas: &str) -> Option<&ChemicalRef> {
        find(&self.chemicals, cas, |c| &c.cas)
    }

    /// The nearest ISO3 code, matching codes and country names alike.
    pub fn suggest_country(&self, bad: &str) -> Option<&str> {
        if let Some(c) = self
            .countries
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(bad))
        {
            return Some(&c.iso3);
        }
        nearest(bad, self.countries.iter().map(|c| c.iso3.as_str())).or_else(|| {
            let name = nearest(bad, self.countries.iter().map(|c| c.name.as_str()))?;
            self.countries
                .iter()
                .find(|c| c.name == name)
                .map(|c| c.iso3.as_str())
        })
    }

    /// The nearest UN/LOCODE, preferring ports of the same country prefix.
    pub fn suggest_port(&self, bad: &str) -> Option<&str> {
        let prefix = bad.get(..2).unwrap_or("");
        nearest(
            bad,
            self.ports
                .iter()
                .filter(|p| p.unlocode.starts_with(prefix))
                .map(|p| p.unlocode.as_str()),
        )
        .or_else(|| nearest(bad, self.ports.iter().map(|p| p.unlocode.as_str())))
    }

    pub fn suggest_airport(&self, bad: &str) -> Option<&str> {
        nearest(bad, self.airports.iter().map(|a| a.iata.as_str()))
    }

    /// The nearest code of the same length within the deepest group the bad code shares
    /// (a subheading of the same heading for a subheading, else of the same chapter):
    /// a typo within the group by edit distance, else the numerically closest. Only an
    /// unknown chapter is compared with the whole table; a code that is not digits gets
    /// no suggestion (any code would be as near as any other).
    pub fn suggest_hs(&self, bad: &str) -> Option<&str> {
        if !bad.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let same_len = || {
            self.hs
                .iter()
                .filter(|h| h.code.len() == bad.len())
                .map(|h| h.code.as_str())
        };
        let shared = |c: &str| {
            c.bytes()
                .zip(bad.bytes())
                .take_while(|(a, b)| a == b)
                .count()
        };
        let longest = same_len().map(shared).max()?;
        if longest < 2 {
            return nearest(bad, same_len());
        }
        let family = || same_len().filter(|c| shared(c) == longest);
        nearest(bad, family()).or_else(|| {
            let target = bad.parse::<u64>().ok();
            family().min_by_key(|c| match (c.parse::<u64>().ok(), target) {
                (Some(c), Some(t)) => c.abs_diff(t),
                _ => u64::MAX,
            })
        })
    }
}

/// Nearest candidate by optimal string alignment distance (Levenshtein plus adjacent
/// transpositions, case-insensitive), if within max(2, len/3); the earliest candidate
/// wins ties, so suggestions are deterministic. A bad code is compared with thousands of
/// table entries, so candidates too long or short to be within the limit are skipped
/// before anything is lowercased or aligned.
pub fn nearest<'a>(needle: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let n = needle.to_lowercase();
    let len = n.chars().count();
    let limit = (len / 3).max(2);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        // A char is 1 to 4 bytes: the byte length bounds the char count both ways.
        if c.len() + limit < len || c.len().div_ceil(4) > len + limit {
            continue;
        }
        let cl: std::borrow::Cow<str> =
            if c.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
                c.to_lowercase().into()
            } else {
                c.into()
            };
        if cl.chars().count().abs_diff(len) > limit {
            continue;
        }
        let d = strsim::osa_distance(&n, &cl);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|b| b.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_parse_with_the_documented_sizes() {
        let r = Reference::embedded();
        assert_eq!(r.ports.len(), 3924, "distinct UN/LOCODEs");
        assert_eq!(r.hs.iter().filter(|h| h.level == 6).count(), 5613);
        assert_eq!(r.countries.len(), 250);
    }

    #[test]
    fn known_facts() {
        let r = Reference::embedded();
        let sin = r.port("SGSIN").unwrap();
        assert_eq!(sin.country_iso2, "SG");
        assert!((sin.lat - 1.24).abs() < 0.1 && (sin.lon - 103.8).abs() < 0.2);
        let sgp = r.country("SGP").unwrap();
        assert_eq!(sgp.wco_region.as_deref(), Some("AP"));
        assert!(
            sgp.gdp_musd.unwrap() > 300_000.0,
            "Singapore GDP from the supplement"
        );
        let chn = r.country("CHN").unwrap().gdp_musd.unwrap();
        assert!((chn - 14_342_903.0).abs() < 1.0);
        assert_eq!(r.hs("293141").unwrap().level, 6);
        assert_eq!(r.hs("2931").unwrap().level, 4);
        let dmmp = r.chemical_by_cas("756-79-6").unwrap();
        assert_eq!((dmmp.cwc_schedule, dmmp.eu_1c350_item), (Some(2), Some(3)));
        assert_eq!(r.airport("VTE").unwrap().country_iso2, "LA");
    }

    #[test]
    fn suggestions() {
        let r = Reference::embedded();
        assert_eq!(r.suggest_port("SGSNN"), Some("SGSIN"));
        assert_eq!(r.suggest_country("Singapore"), Some("SGP"));
        assert_eq!(r.suggest_country("SGPP"), Some("SGP"));
        assert_eq!(nearest("zzzzzzzz", ["SGSIN", "MYPKG"]), None);
        // HS: a transposition within the heading, else the closest of the heading.
        assert_eq!(r.suggest_hs("854223"), Some("854232"));
        assert_eq!(r.suggest_hs("854299"), Some("854290"));
        assert_eq!(r.suggest_hs("293100"), Some("293110"));
        assert_eq!(r.suggest_hs("12345678"), None);
        assert_eq!(r.suggest_hs("1e-300"), None);
        assert_eq!(
            nearest("strategy", ["stratgey", "strategies"]),
            Some("stratgey")
        );
    }
}
