//! The briefing's map as inline SVG: Natural Earth 1:110m country outlines (shipped in
//! `scenarios/reference/countries/`), the scenario's ports and airports at their real
//! coordinates, offices sized by seizures and coloured by role, carrier services as
//! straight lines between calls, illicit flows before and during the operation, hubs
//! labelled. Equirectangular projection with the standard parallel at the middle of the
//! scenario's extent, cropped to that extent.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::OnceLock;

use serde_json::Value;

use super::html::esc;
use crate::report::context::{Context, NodeInfo};
use crate::report::numbers::thousands;

const COUNTRIES: &str =
    include_str!("../../../scenarios/reference/countries/naturalearth_110m_countries.geojson");

/// Country outlines: ISO3 and rings of (lon, lat).
type Outline = (String, Vec<Vec<(f64, f64)>>);

fn outlines() -> &'static [Outline] {
    static O: OnceLock<Vec<Outline>> = OnceLock::new();
    O.get_or_init(|| {
        let v: Value = serde_json::from_str(COUNTRIES).unwrap_or(Value::Null);
        let ring = |r: &Value| -> Vec<(f64, f64)> {
            r.as_array()
                .map(|pts| {
                    pts.iter()
                        .filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
                        .collect()
                })
                .unwrap_or_default()
        };
        v["features"]
            .as_array()
            .map(|fs| {
                fs.iter()
                    .map(|f| {
                        let iso = f["properties"]["iso_a3"].as_str().unwrap_or("").to_string();
                        let g = &f["geometry"];
                        let coords = g["coordinates"].as_array().cloned().unwrap_or_default();
                        let rings: Vec<Vec<(f64, f64)>> = match g["type"].as_str() {
                            Some("Polygon") => coords.iter().map(ring).collect(),
                            Some("MultiPolygon") => coords
                                .iter()
                                .flat_map(|poly| {
                                    poly.as_array().cloned().unwrap_or_default().into_iter()
                                })
                                .map(|r| ring(&r))
                                .collect(),
                            _ => Vec::new(),
                        };
                        (iso, rings)
                    })
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// An illicit route (node codes in order) and its shipments before and during the
/// operation.
pub struct Flow {
    pub route: Vec<String>,
    pub before: u64,
    pub during: u64,
}

/// What the map shows beyond the world.
pub struct MapData<'a> {
    pub context: &'a Context,
    /// Seizures per node code; `None` when the folder has no per-office results.
    /// (A mean over replications may be fractional.)
    pub seizures: Option<BTreeMap<String, f64>>,
    pub flows: Vec<Flow>,
}

/// The equirectangular projection of the map's extent onto `w` × `h` pixels.
pub struct Projection {
    pub lon0: f64,
    pub lon1: f64,
    pub lat0: f64,
    pub lat1: f64,
    /// Standard parallel (degrees).
    pub parallel: f64,
    pub w: f64,
    pub h: f64,
}

impl Projection {
    /// The extent of `nodes` with a margin, widened so the map is not distorted.
    pub fn fit(nodes: &[NodeInfo], w: f64) -> Projection {
        let (mut lon0, mut lon1, mut lat0, mut lat1) = nodes.iter().fold(
            (
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
            ),
            |(a, b, c, d), n| (a.min(n.lon), b.max(n.lon), c.min(n.lat), d.max(n.lat)),
        );
        if !lon0.is_finite() {
            (lon0, lon1, lat0, lat1) = (-180.0, 180.0, -60.0, 80.0);
        }
        let (mx, my) = (
            ((lon1 - lon0) * 0.08).max(4.0),
            ((lat1 - lat0) * 0.1).max(4.0),
        );
        lon0 = (lon0 - mx).max(-180.0);
        lon1 = (lon1 + mx).min(180.0);
        lat0 = (lat0 - my).max(-75.0);
        lat1 = (lat1 + my).min(84.0);
        let parallel = ((lat0 + lat1) / 2.0).clamp(-60.0, 60.0);
        let k = parallel.to_radians().cos();
        // aspect between 1.25:1 and 2.2:1; widen the short side around its centre
        let aspect = (lon1 - lon0) * k / (lat1 - lat0);
        if aspect < 1.25 {
            let want = 1.25 * (lat1 - lat0) / k;
            let c = (lon0 + lon1) / 2.0;
            lon0 = (c - want / 2.0).max(-180.0);
            lon1 = (c + want / 2.0).min(180.0);
        } else if aspect > 2.2 {
            let want = (lon1 - lon0) * k / 2.2;
            let c = (lat0 + lat1) / 2.0;
            lat0 = (c - want / 2.0).max(-75.0);
            lat1 = (c + want / 2.0).min(84.0);
        }
        let h = w * (lat1 - lat0) / ((lon1 - lon0) * k);
        Projection {
            lon0,
            lon1,
            lat0,
            lat1,
            parallel,
            w,
            h,
        }
    }

    pub fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            self.w * (lon - self.lon0) / (self.lon1 - self.lon0),
            self.h * (self.lat1 - lat) / (self.lat1 - self.lat0),
        )
    }

    /// A plain-words statement of the projection and extent.
    pub fn describe(&self) -> String {
        let deg = |v: f64, pos: char, neg: char| {
            format!("{:.0}°{}", v.abs(), if v >= 0.0 { pos } else { neg })
        };
        format!(
            "Equirectangular projection, standard parallel {}; extent {}–{}, {}–{}",
            deg(self.parallel, 'N', 'S'),
            deg(self.lon0, 'E', 'W'),
            deg(self.lon1, 'E', 'W'),
            deg(self.lat0, 'N', 'S'),
            deg(self.lat1, 'N', 'S')
        )
    }
}

/// A count, or a mean of counts over replications with one decimal.
fn count(v: f64) -> String {
    crate::report::numbers::fixed(v, if v.fract() == 0.0 { 0 } else { 1 })
}

/// The role colour of an office and its legend label.
pub fn role_style(roles: &[String]) -> (&'static str, &'static str) {
    let has = |r: &str| roles.iter().any(|x| x == r);
    match (has("export"), has("transit"), has("import")) {
        (true, true, true) => ("#6a3d9a", "export, transit and import"),
        (true, false, true) => ("#1f78b4", "export and import"),
        (true, false, false) => ("#33a02c", "export only"),
        (false, false, true) => ("#a6761d", "import only"),
        (false, true, false) => ("#e7298a", "transit only"),
        (true, true, false) => ("#1b9e77", "export and transit"),
        (false, true, true) => ("#d95f02", "transit and import"),
        (false, false, false) => ("#9aa3ab", "no customs office"),
    }
}

const BEFORE: &str = "#E69F00";
const DURING: &str = "#7b2cbf";

/// Segments from a to b, split at the antimeridian when the short way crosses it.
fn segments(a: (f64, f64), b: (f64, f64)) -> Vec<((f64, f64), (f64, f64))> {
    let d = b.0 - a.0;
    if d > 180.0 {
        vec![(a, (b.0 - 360.0, b.1)), ((a.0 + 360.0, a.1), b)]
    } else if d < -180.0 {
        vec![(a, (b.0 + 360.0, b.1)), ((a.0 - 360.0, a.1), b)]
    } else {
        vec![(a, b)]
    }
}

/// The map (SVG) and its legend (HTML), cropped to the extent of `frame` (node codes;
/// empty: every node).
pub fn map(d: &MapData, frame: &[String]) -> (String, String, Projection) {
    let c = d.context;
    let framed: Vec<NodeInfo> = c
        .nodes
        .iter()
        .filter(|n| frame.is_empty() || frame.contains(&n.code))
        .cloned()
        .collect();
    let p = Projection::fit(&framed, 1000.0);
    let visible = |x: f64, y: f64| x >= 0.0 && x <= p.w && y >= 0.0 && y <= p.h;
    let (w, h) = (p.w, p.h);
    let at: BTreeMap<&str, &NodeInfo> = c.nodes.iter().map(|n| (n.code.as_str(), n)).collect();
    let admin: BTreeMap<&str, bool> = c
        .administrations
        .iter()
        .map(|a| (a.country.as_str(), a.participant))
        .collect();
    let has_operation = c.operation.is_some();
    let mut s = format!(
        "<svg viewBox=\"0 0 {w:.0} {h:.0}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" font-family=\"DejaVu Sans, sans-serif\"><rect width=\"{w:.0}\" height=\"{h:.0}\" fill=\"#dcebf5\"/>"
    );
    // countries
    let (mx, my) = (3.0, 3.0);
    for (iso, rings) in outlines() {
        let fill = match admin.get(iso.as_str()) {
            Some(true) => "#cfe3c6",
            Some(false) if has_operation => "#efe6cf",
            Some(false) => "#cfe3c6",
            None => "#f4f4f1",
        };
        let mut path = String::new();
        for ring in rings {
            let inside = ring.iter().any(|&(lon, lat)| {
                lon >= p.lon0 - mx && lon <= p.lon1 + mx && lat >= p.lat0 - my && lat <= p.lat1 + my
            });
            if !inside || ring.len() < 3 {
                continue;
            }
            for (i, &(lon, lat)) in ring.iter().enumerate() {
                let (x, y) = p.xy(lon, lat);
                let _ = write!(path, "{}{x:.1} {y:.1}", if i == 0 { "M" } else { "L" });
            }
            path.push('Z');
        }
        if !path.is_empty() {
            let _ = write!(
                s,
                "<path d=\"{path}\" fill=\"{fill}\" stroke=\"#9aa5a0\" stroke-width=\"0.6\"/>"
            );
        }
    }
    // carrier services
    let mut sea = 0;
    let mut air = 0;
    for v in &c.services {
        let pts: Vec<(f64, f64)> = v
            .calls
            .iter()
            .filter_map(|code| at.get(code.as_str()).map(|n| (n.lon, n.lat)))
            .collect();
        if pts.len() < 2 {
            continue;
        }
        let dash = if v.mode == "air" {
            air += 1;
            " stroke-dasharray=\"5 4\""
        } else {
            sea += 1;
            ""
        };
        for i in 0..pts.len() {
            let (a, b) = (pts[i], pts[(i + 1) % pts.len()]);
            if pts.len() == 2 && i == 1 {
                break; // a two-call rotation is one line
            }
            for (a, b) in segments(a, b) {
                let (x0, y0) = p.xy(a.0, a.1);
                let (x1, y1) = p.xy(b.0, b.1);
                let _ = write!(
                    s,
                    "<line x1=\"{x0:.1}\" y1=\"{y0:.1}\" x2=\"{x1:.1}\" y2=\"{y1:.1}\" stroke=\"#6f8796\" stroke-width=\"0.9\" opacity=\"0.55\"{dash}/>"
                );
            }
        }
    }
    // illicit flows: before (wide, underneath) and during (narrow, on top)
    let max_flow = d
        .flows
        .iter()
        .map(|f| f.before.max(f.during))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    // before to the left of the direction of travel, during to the right, so both show
    for (pick, colour, scale, opacity) in [(0, BEFORE, 7.0, 0.75), (1, DURING, 7.0, 0.75)] {
        for f in &d.flows {
            let n = if pick == 0 { f.before } else { f.during };
            if n == 0 {
                continue;
            }
            let width = 1.2 + scale * (n as f64 / max_flow).sqrt();
            let pts: Vec<(f64, f64)> = f
                .route
                .iter()
                .filter_map(|code| at.get(code.as_str()).map(|n| (n.lon, n.lat)))
                .collect();
            for pair in pts.windows(2) {
                for (a, b) in segments(pair[0], pair[1]) {
                    let (x0, y0) = p.xy(a.0, a.1);
                    let (x1, y1) = p.xy(b.0, b.1);
                    let len = ((x1 - x0).powi(2) + (y1 - y0).powi(2)).sqrt().max(1e-9);
                    let side = if pick == 0 { -1.0 } else { 1.0 } * (width / 2.0 + 0.6);
                    let (ox, oy) = (-(y1 - y0) / len * side, (x1 - x0) / len * side);
                    let _ = write!(
                        s,
                        "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{colour}\" stroke-width=\"{width:.1}\" stroke-linecap=\"butt\" opacity=\"{opacity}\"/>",
                        x0 + ox,
                        y0 + oy,
                        x1 + ox,
                        y1 + oy
                    );
                }
            }
        }
    }
    // nodes and offices
    let max_seized = d
        .seizures
        .as_ref()
        .and_then(|m| m.values().copied().reduce(f64::max))
        .unwrap_or(0.0)
        .max(1e-9);
    let mut roles_seen: Vec<(&str, &str)> = Vec::new();
    let mut order: Vec<&NodeInfo> = c.nodes.iter().collect();
    // big circles first so small ones stay visible on top
    let seized = |n: &NodeInfo| d.seizures.as_ref().and_then(|m| m.get(&n.code).copied());
    order.sort_by(|a, b| {
        seized(b)
            .unwrap_or(0.0)
            .total_cmp(&seized(a).unwrap_or(0.0))
    });
    for n in &order {
        let (x, y) = p.xy(n.lon, n.lat);
        let (colour, label) = role_style(&n.office_roles);
        if !roles_seen.iter().any(|r| r.1 == label) {
            roles_seen.push((colour, label));
        }
        let k = seized(n);
        let r = if n.office_roles.is_empty() {
            2.5
        } else {
            match k {
                Some(k) => 4.0 + 14.0 * (k / max_seized).sqrt(),
                None => 6.0,
            }
        };
        let shape = if n.kind == "airport" {
            format!(
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{colour}\" fill-opacity=\"0.8\" stroke=\"white\" stroke-width=\"1\" transform=\"rotate(45 {x:.1} {y:.1})\"/>",
                x - r * 0.85,
                y - r * 0.85,
                r * 1.7,
                r * 1.7
            )
        } else {
            format!(
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\" fill=\"{colour}\" fill-opacity=\"0.8\" stroke=\"white\" stroke-width=\"1\"/>"
            )
        };
        let _ = write!(
            s,
            "<g><title>{} ({}, {}){}</title>{shape}",
            esc(&n.name),
            esc(&n.code),
            esc(&n.country),
            k.map(|k| format!(": {} seizures", count(k)))
                .unwrap_or_default()
        );
        if k.unwrap_or(0.0) > 0.0 {
            // a seizure mark: a red cross on the office
            let a = 3.5;
            let _ = write!(
                s,
                "<path d=\"M{:.1} {:.1}L{:.1} {:.1}M{:.1} {:.1}L{:.1} {:.1}\" stroke=\"#c1121f\" stroke-width=\"2\"/>",
                x - a,
                y - a,
                x + a,
                y + a,
                x - a,
                y + a,
                x + a,
                y - a
            );
        }
        if n.transshipment_hub {
            let _ = write!(
                s,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{:.1}\" fill=\"none\" stroke=\"#111\" stroke-width=\"1.3\"/>",
                r + 2.5
            );
        }
        s.push_str("</g>");
    }
    // labels: hubs, and the offices with the most seizures
    // (a cropped map has room to name every office in it)
    let mut labelled: Vec<&NodeInfo> = c
        .nodes
        .iter()
        .filter(|n| n.transshipment_hub || (!frame.is_empty() && !n.office_roles.is_empty()))
        .collect();
    labelled.sort_by(|a, b| {
        (!a.transshipment_hub).cmp(&!b.transshipment_hub).then(
            seized(b)
                .unwrap_or(0.0)
                .total_cmp(&seized(a).unwrap_or(0.0)),
        )
    });
    let mut top: Vec<&NodeInfo> = c
        .nodes
        .iter()
        .filter(|n| seized(n).unwrap_or(0.0) > 0.0 && !n.transshipment_hub)
        .collect();
    top.sort_by(|a, b| {
        seized(b)
            .unwrap_or(0.0)
            .total_cmp(&seized(a).unwrap_or(0.0))
    });
    labelled.extend(top.into_iter().take(5));
    let mut placed: Vec<(f64, f64, f64)> = Vec::new();
    for n in labelled {
        let (x, y) = p.xy(n.lon, n.lat);
        if !visible(x, y) {
            continue;
        }
        let text = match seized(n) {
            Some(k) if k > 0.0 => format!("{} ({})", n.name, count(k)),
            _ => n.name.clone(),
        };
        let tw = 6.6 * text.chars().count() as f64;
        // right of the mark, or left if it would leave the map; skip if it collides
        let (tx, anchor) = if x + 12.0 + tw < w {
            (x + 12.0, "start")
        } else {
            (x - 12.0, "end")
        };
        let x0 = if anchor == "start" { tx } else { tx - tw };
        if placed
            .iter()
            .any(|&(px, py, pw)| (y - py).abs() < 13.0 && x0 < px + pw && px < x0 + tw)
        {
            continue;
        }
        placed.push((x0, y, tw));
        let _ = write!(
            s,
            "<text x=\"{tx:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"{anchor}\" fill=\"#111\" stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\">{}</text>",
            y + 4.0,
            esc(&text)
        );
    }
    let _ = write!(
        s,
        "<rect width=\"{w:.0}\" height=\"{h:.0}\" fill=\"none\" stroke=\"#7a8791\"/></svg>"
    );

    // legend
    let mut l = String::from("<div class=\"legend\"><h3>Offices (colour: role)</h3><ul>");
    roles_seen.sort_by_key(|r| r.1 == "no customs office");
    for (colour, label) in &roles_seen {
        let _ = write!(
            l,
            "<li><svg width=\"16\" height=\"16\"><circle cx=\"8\" cy=\"8\" r=\"6\" fill=\"{colour}\" fill-opacity=\"0.8\"/></svg>{}</li>",
            esc(label)
        );
    }
    l.push_str("<li><svg width=\"16\" height=\"16\"><rect x=\"3\" y=\"3\" width=\"10\" height=\"10\" fill=\"#9aa3ab\" transform=\"rotate(45 8 8)\"/></svg>airport (diamond); seaport (circle)</li>");
    l.push_str("<li><svg width=\"18\" height=\"18\"><circle cx=\"9\" cy=\"9\" r=\"5\" fill=\"#9aa3ab\"/><circle cx=\"9\" cy=\"9\" r=\"7.5\" fill=\"none\" stroke=\"#111\" stroke-width=\"1.3\"/></svg>transshipment hub (ring, labelled)</li></ul>");
    if d.seizures.is_some() {
        let _ = write!(
            l,
            "<h3>Seizures</h3><ul><li><svg width=\"40\" height=\"36\"><circle cx=\"10\" cy=\"26\" r=\"4\" fill=\"#9aa3ab\"/><circle cx=\"26\" cy=\"18\" r=\"14\" fill=\"#9aa3ab\"/></svg>area ∝ seizures (largest: {})</li><li><svg width=\"16\" height=\"16\"><path d=\"M4 4L12 12M4 12L12 4\" stroke=\"#c1121f\" stroke-width=\"2\"/></svg>office with seizures</li></ul>",
            count(max_seized)
        );
    } else {
        l.push_str("<p class=\"note\">Offices drawn at one size: this folder has no per-office seizure counts.</p>");
    }
    l.push_str("<h3>Lines</h3><ul>");
    if sea > 0 {
        let _ = write!(
            l,
            "<li><svg width=\"30\" height=\"10\"><line x1=\"0\" y1=\"5\" x2=\"30\" y2=\"5\" stroke=\"#6f8796\" stroke-width=\"1.5\"/></svg>sea service ({sea})</li>"
        );
    }
    if air > 0 {
        let _ = write!(
            l,
            "<li><svg width=\"30\" height=\"10\"><line x1=\"0\" y1=\"5\" x2=\"30\" y2=\"5\" stroke=\"#6f8796\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\"/></svg>air service ({air})</li>"
        );
    }
    if !d.flows.is_empty() {
        let _ = write!(
            l,
            "<li><svg width=\"30\" height=\"12\"><line x1=\"2\" y1=\"6\" x2=\"28\" y2=\"6\" stroke=\"{BEFORE}\" stroke-width=\"6\" opacity=\"0.75\"/></svg>illicit flow before the interdiction phase</li><li><svg width=\"30\" height=\"12\"><line x1=\"2\" y1=\"6\" x2=\"28\" y2=\"6\" stroke=\"{DURING}\" stroke-width=\"6\" opacity=\"0.75\"/></svg>illicit flow from the interdiction phase to the operation's end</li><li class=\"note\">drawn side by side on each leg; width ∝ √shipments (largest route: {})</li>",
            thousands(max_flow as u64)
        );
    }
    l.push_str("</ul><h3>Countries</h3><ul>");
    if has_operation {
        l.push_str("<li><svg width=\"16\" height=\"12\"><rect width=\"16\" height=\"12\" fill=\"#cfe3c6\" stroke=\"#9aa5a0\"/></svg>takes part in the operation</li><li><svg width=\"16\" height=\"12\"><rect width=\"16\" height=\"12\" fill=\"#efe6cf\" stroke=\"#9aa5a0\"/></svg>in the scenario, not taking part</li>");
    } else {
        l.push_str("<li><svg width=\"16\" height=\"12\"><rect width=\"16\" height=\"12\" fill=\"#cfe3c6\" stroke=\"#9aa5a0\"/></svg>administration in the scenario</li>");
    }
    l.push_str("<li><svg width=\"16\" height=\"12\"><rect width=\"16\" height=\"12\" fill=\"#f4f4f1\" stroke=\"#9aa5a0\"/></svg>other</li></ul></div>");
    (s, l, p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outlines_are_embedded() {
        let o = outlines();
        assert!(o.len() > 170, "{}", o.len());
        assert!(o.iter().any(|(iso, r)| iso == "KEN" && !r.is_empty()));
    }

    #[test]
    fn antimeridian_crossings_are_split() {
        assert_eq!(segments((170.0, 0.0), (-170.0, 0.0)).len(), 2);
        assert_eq!(segments((10.0, 0.0), (20.0, 0.0)).len(), 1);
    }
}
