//! Small inline SVG maps for the console: a team's ports and the routes through them,
//! and the debrief's illicit flows with seizures marked.
//!
//! Coastlines are Natural Earth's 1:110m countries (public domain), embedded from
//! `scenarios/reference/countries/`; ports and airports are placed from the embedded
//! reference tables. The projection is equirectangular with the longitude scaled by the
//! cosine of the middle latitude, which is faithful enough for a region and needs no
//! library. Everything is drawn into the SVG itself, so a map works offline and in the
//! exported debrief.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use maud::{Markup, PreEscaped, html};

use crate::world::reference::Reference;

const COUNTRIES_GEOJSON: &str =
    include_str!("../../../scenarios/reference/countries/naturalearth_110m_countries.geojson");

/// One polygon ring, (lon, lat) in degrees, with its bounding box.
struct Ring {
    points: Vec<(f32, f32)>,
    min: (f32, f32),
    max: (f32, f32),
}

fn rings() -> &'static [Ring] {
    static RINGS: OnceLock<Vec<Ring>> = OnceLock::new();
    RINGS.get_or_init(|| parse_rings(COUNTRIES_GEOJSON))
}

/// Outer rings of every country polygon (holes do not matter at this scale).
fn parse_rings(text: &str) -> Vec<Ring> {
    let doc: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
    let mut out = Vec::new();
    let features = doc["features"].as_array().cloned().unwrap_or_default();
    for f in &features {
        let geom = &f["geometry"];
        let polys: Vec<&serde_json::Value> = match geom["type"].as_str() {
            Some("Polygon") => vec![&geom["coordinates"]],
            Some("MultiPolygon") => geom["coordinates"]
                .as_array()
                .map(|a| a.iter().collect())
                .unwrap_or_default(),
            _ => continue,
        };
        for poly in polys {
            let Some(outer) = poly.get(0).and_then(|r| r.as_array()) else {
                continue;
            };
            let points: Vec<(f32, f32)> = outer
                .iter()
                .filter_map(|p| Some((p.get(0)?.as_f64()? as f32, p.get(1)?.as_f64()? as f32)))
                .collect();
            if points.len() < 3 {
                continue;
            }
            let mut min = (f32::MAX, f32::MAX);
            let mut max = (f32::MIN, f32::MIN);
            for &(x, y) in &points {
                min = (min.0.min(x), min.1.min(y));
                max = (max.0.max(x), max.1.max(y));
            }
            out.push(Ring { points, min, max });
        }
    }
    out
}

/// Where a place is: (lat, lon, name). A country (ISO3) is placed at its representative
/// point; a node code is a port (UN/LOCODE) or an airport (IATA). The kinds are looked up
/// apart because an ISO3 code can also be an airport's ("IND" is India and Indianapolis).
pub fn locate(code: &str, country: bool) -> Option<(f64, f64, String)> {
    let r = Reference::embedded();
    if country {
        return r.country(code).map(|c| (c.lat, c.lon, c.name.clone()));
    }
    if let Some(p) = r.port(code) {
        return Some((p.lat, p.lon, p.name.clone()));
    }
    r.airport(code).map(|a| (a.lat, a.lon, a.name.clone()))
}

/// What a place on the map is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mark {
    /// A port or airport on a route.
    Port,
    /// A country where a flow starts or ends.
    Country,
    /// One of the team's offices.
    Office,
    /// Seizures happened here.
    Seizure,
}

/// A map to draw: places by code, and lines between them with a weight (shipments).
#[derive(Debug, Default)]
pub struct MapSpec {
    places: BTreeMap<String, (Mark, u64)>,
    lines: BTreeMap<(String, String), u64>,
}

impl MapSpec {
    /// Mark a place; the strongest mark wins (a seizure over an office over a port), and
    /// `n` adds up (seizures at a port).
    pub fn place(&mut self, code: &str, mark: Mark, n: u64) {
        let e = self.places.entry(code.to_string()).or_insert((mark, 0));
        if mark > e.0 {
            *e = (mark, 0);
        }
        if mark == e.0 {
            e.1 += n;
        }
    }

    /// A route through `codes` in order (ports, airports or countries already placed
    /// as such), carrying `n` shipments.
    pub fn route(&mut self, codes: &[String], n: u64) {
        for c in codes {
            self.place(c, Mark::Port, 0);
        }
        for w in codes.windows(2) {
            if w[0] != w[1] {
                *self.lines.entry((w[0].clone(), w[1].clone())).or_insert(0) += n;
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }
}

/// Draw the map as an inline SVG of `width`×`height` user units. `title` is the
/// accessible name; the places are also listed in the SVG's description.
pub fn svg(spec: &MapSpec, width: f64, height: f64, title: &str) -> Markup {
    let located: BTreeMap<&str, (f64, f64, String, Mark, u64)> = spec
        .places
        .iter()
        .filter_map(|(code, &(mark, n))| {
            locate(code, mark == Mark::Country)
                .map(|(lat, lon, name)| (code.as_str(), (lat, lon, name, mark, n)))
        })
        .collect();
    if located.is_empty() {
        return html! { p.muted { "No mapped places yet." } };
    }
    let view = View::fit(located.values().map(|p| (p.0, p.1)), width, height);
    let mut land = String::new();
    for ring in rings() {
        if !view.overlaps(ring) {
            continue;
        }
        let mut first = true;
        for &(lon, lat) in &ring.points {
            let (x, y) = view.xy(lat as f64, lon as f64);
            let _ = write!(land, "{}{x:.1},{y:.1}", if first { "M" } else { "L" });
            first = false;
        }
        land.push('Z');
    }
    let max_n = spec.lines.values().copied().max().unwrap_or(1).max(1) as f64;
    let desc = located
        .iter()
        .map(|(code, p)| format!("{code} {}", p.2))
        .collect::<Vec<_>>()
        .join("; ");
    html! {
        svg.map xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {width} {height}"))
            role="img" aria-label=(title) {
            title { (title) }
            desc { (desc) }
            rect.sea x="0" y="0" width=(width) height=(height) {}
            path.land d=(land) {}
            @for ((a, b), n) in &spec.lines {
                @if let (Some(pa), Some(pb)) = (located.get(a.as_str()), located.get(b.as_str())) {
                    @let (x1, y1) = view.xy(pa.0, pa.1);
                    @let (x2, y2) = view.xy(pb.0, pb.1);
                    line.route x1=(r1(x1)) y1=(r1(y1)) x2=(r1(x2)) y2=(r1(y2))
                        stroke-width=(r1(1.5 + 4.5 * (*n as f64 / max_n).sqrt())) {
                        title { (a) " → " (b) ": " (n) }
                    }
                }
            }
            @for (code, p) in &located {
                @let (x, y) = view.xy(p.0, p.1);
                @let class = match p.3 { Mark::Port => "port", Mark::Country => "country", Mark::Office => "office", Mark::Seizure => "seizure" };
                g.{ "place " (class) } {
                    title { (code) " " (p.2) @if p.3 == Mark::Seizure { ": " (p.4) " seized" } }
                    @match p.3 {
                        Mark::Seizure => {
                            @let s = 7.0 + (p.4 as f64).sqrt().min(6.0);
                            path d=(format!("M{:.1},{:.1}l{s:.1},{s:.1}m0,-{s:.1}l-{s:.1},{s:.1}", x - s / 2.0, y - s / 2.0)) {}
                        }
                        Mark::Office => { rect x=(r1(x - 6.0)) y=(r1(y - 6.0)) width="12" height="12" {} }
                        Mark::Country => { circle cx=(r1(x)) cy=(r1(y)) r="4" {} }
                        Mark::Port => { circle cx=(r1(x)) cy=(r1(y)) r="4" {} }
                    }
                    // Labels near the right edge go to the left of their mark.
                    @if p.3 != Mark::Port || located.len() <= 12 {
                        @if x > width - 70.0 {
                            text x=(r1(x - 8.0)) y=(r1(y - 6.0)) text-anchor="end" { (code) }
                        } @else {
                            text x=(r1(x + 8.0)) y=(r1(y - 6.0)) { (code) }
                        }
                    }
                }
            }
        }
    }
}

fn r1(v: f64) -> PreEscaped<String> {
    PreEscaped(format!("{v:.1}"))
}

/// The projection: a lat/lon box fitted to the drawing with equal scales.
struct View {
    lon0: f64,
    lat1: f64,
    kx: f64,
    scale: f64,
    span_lon: f64,
    span_lat: f64,
}

impl View {
    fn fit(points: impl Iterator<Item = (f64, f64)>, width: f64, height: f64) -> View {
        let (mut la0, mut la1, mut lo0, mut lo1) = (90.0f64, -90.0f64, 180.0f64, -180.0f64);
        for (lat, lon) in points {
            la0 = la0.min(lat);
            la1 = la1.max(lat);
            lo0 = lo0.min(lon);
            lo1 = lo1.max(lon);
        }
        // A margin round the places, and at least a few degrees so one port is not a
        // full-screen blur of coastline.
        let pad = ((la1 - la0).max(lo1 - lo0) * 0.12).max(3.0);
        la0 = (la0 - pad).max(-85.0);
        la1 = (la1 + pad).min(85.0);
        lo0 -= pad;
        lo1 += pad;
        let kx = ((la0 + la1) / 2.0).to_radians().cos().max(0.2);
        let mut span_lon = (lo1 - lo0) * kx;
        let mut span_lat = la1 - la0;
        // Grow the short side so the box has the drawing's aspect ratio.
        let aspect = width / height;
        if span_lon / span_lat < aspect {
            let grow = span_lat * aspect - span_lon;
            lo0 -= grow / 2.0 / kx;
            span_lon = span_lat * aspect;
        } else {
            let grow = span_lon / aspect - span_lat;
            la1 += grow / 2.0;
            span_lat = span_lon / aspect;
        }
        View {
            lon0: lo0,
            lat1: la1,
            kx,
            scale: width / span_lon,
            span_lon,
            span_lat,
        }
    }

    fn xy(&self, lat: f64, lon: f64) -> (f64, f64) {
        (
            (lon - self.lon0) * self.kx * self.scale,
            (self.lat1 - lat) * self.scale,
        )
    }

    fn overlaps(&self, r: &Ring) -> bool {
        let lon1 = self.lon0 + self.span_lon / self.kx;
        let lat0 = self.lat1 - self.span_lat;
        (r.max.0 as f64) >= self.lon0
            && (r.min.0 as f64) <= lon1
            && (r.max.1 as f64) >= lat0
            && (r.min.1 as f64) <= self.lat1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coastlines_parse_and_ports_are_placed() {
        assert!(rings().len() > 200, "Natural Earth has ~280 outer rings");
        let (lat, lon, _) = locate("SGSIN", false).expect("Singapore is a reference port");
        assert!((lat - 1.3).abs() < 0.5 && (lon - 103.8).abs() < 0.5);
        let (_, lon, _) = locate("IND", true).expect("India by ISO3");
        assert!((lon - 77.0).abs() < 5.0, "India, not Indianapolis");
        assert!(
            locate("IND", false).is_some_and(|p| p.1 < 0.0),
            "the airport IND is Indianapolis"
        );
        assert!(locate("XXXXX", false).is_none());
    }

    #[test]
    fn map_draws_routes_offices_and_seizures_within_the_box() {
        let mut spec = MapSpec::default();
        spec.route(&["SGSIN".into(), "MYPKG".into(), "THLCH".into()], 3);
        spec.place("SGSIN", Mark::Office, 0);
        spec.place("MYPKG", Mark::Seizure, 2);
        let svg = svg(&spec, 400.0, 260.0, "test map").into_string();
        assert_eq!(svg.matches("<line").count(), 2, "{svg}");
        assert!(svg.contains("class=\"place office\""));
        assert!(svg.contains("MYPKG") && svg.contains("2 seized"));
        assert!(svg.contains("class=\"land\" d=\"M"), "coastline drawn");
        // Every place lies inside the drawing.
        for part in svg.split("<rect x=\"").skip(1) {
            let x: f64 = part.split('"').next().unwrap().parse().unwrap();
            assert!((0.0..400.0).contains(&x));
        }
    }

    #[test]
    fn unknown_places_leave_a_plain_note() {
        let mut spec = MapSpec::default();
        spec.place("NOWHERE", Mark::Port, 0);
        assert!(
            svg(&spec, 400.0, 260.0, "t")
                .into_string()
                .contains("No mapped places")
        );
    }
}
