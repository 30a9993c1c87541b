//! Sea distances: shortest paths over the real maritime network (searoute's "marnet"),
//! so that a Rotterdam–Singapore voyage goes through Suez and not over land.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::sync::OnceLock;

use serde::Deserialize;

use super::geo::great_circle_km;

const MARNET: &str =
    include_str!("../../scenarios/reference/maritime_network/marnet_searoute.geojson");

/// The network as compressed adjacency (CSR).
pub struct MaritimeNetwork {
    coords: Vec<(f64, f64)>,
    offsets: Vec<u32>,
    targets: Vec<u32>,
    weights: Vec<f32>,
}

#[derive(Deserialize)]
struct Collection {
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    #[serde(default)]
    properties: Properties,
    geometry: Geometry,
}

#[derive(Deserialize, Default)]
struct Properties {
    #[serde(default)]
    passage: Option<String>,
}

#[derive(Deserialize)]
#[serde(tag = "type", content = "coordinates")]
enum Geometry {
    LineString(Vec<Vec<f64>>),
    MultiLineString(Vec<Vec<Vec<f64>>>),
}

impl MaritimeNetwork {
    pub fn embedded() -> &'static MaritimeNetwork {
        static N: OnceLock<MaritimeNetwork> = OnceLock::new();
        N.get_or_init(|| MaritimeNetwork::parse(MARNET))
    }

    fn parse(text: &str) -> MaritimeNetwork {
        let fc: Collection =
            serde_json::from_str(text).expect("embedded maritime network is valid GeoJSON");
        // Node ids in first-seen order keep the build deterministic; the map is only a
        // lookup and its order never reaches an output.
        let mut ids: HashMap<(i64, i64), u32> = HashMap::new();
        let mut coords = Vec::new();
        let mut edges: Vec<(u32, u32, f32)> = Vec::new();
        let mut node = |lon: f64, lat: f64, coords: &mut Vec<(f64, f64)>| -> u32 {
            // Longitudes beyond ±180 (lines crossing the antimeridian) fold back so
            // 180 and −180 are the same vertex.
            let lon = (lon + 180.0).rem_euclid(360.0) - 180.0;
            let key = ((lat * 1e6).round() as i64, (lon * 1e6).round() as i64);
            *ids.entry(key).or_insert_with(|| {
                coords.push((lat, lon));
                (coords.len() - 1) as u32
            })
        };
        let lines: Vec<Vec<Vec<f64>>> = fc
            .features
            .into_iter()
            // The Arctic passages (tagged "northwest": the Northwest Passage and the
            // Bering entries to the Northern Sea Route) are closed, as in searoute's
            // defaults: container services do not use them.
            .filter(|f| f.properties.passage.as_deref() != Some("northwest"))
            .flat_map(|f| match f.geometry {
                Geometry::LineString(l) => vec![l],
                Geometry::MultiLineString(m) => m,
            })
            .collect();
        for line in lines {
            let mut prev: Option<u32> = None;
            for p in line {
                if p.len() < 2 {
                    continue;
                }
                let id = node(p[0], p[1], &mut coords);
                if let Some(a) = prev
                    && a != id
                {
                    let (x, y) = (coords[a as usize], coords[id as usize]);
                    let w = great_circle_km(x.0, x.1, y.0, y.1) as f32;
                    edges.push((a, id, w));
                    edges.push((id, a, w));
                }
                prev = Some(id);
            }
        }
        edges.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(a.2.total_cmp(&b.2)));
        edges.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
        let n = coords.len();
        let mut offsets = vec![0u32; n + 1];
        for e in &edges {
            offsets[e.0 as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        MaritimeNetwork {
            coords,
            offsets,
            targets: edges.iter().map(|e| e.1).collect(),
            weights: edges.iter().map(|e| e.2).collect(),
        }
    }

    pub fn node_count(&self) -> usize {
        self.coords.len()
    }

    /// Undirected edges.
    pub fn edge_count(&self) -> usize {
        self.targets.len() / 2
    }

    /// Nearest network vertex and the distance to it.
    fn snap(&self, (lat, lon): (f64, f64)) -> (u32, f64) {
        let mut best = (0u32, f64::INFINITY);
        for (i, c) in self.coords.iter().enumerate() {
            // A cheap bound first: a degree of latitude is ~111 km.
            if (c.0 - lat).abs() * 111.0 > best.1 {
                continue;
            }
            let d = great_circle_km(lat, lon, c.0, c.1);
            if d < best.1 {
                best = (i as u32, d);
            }
        }
        best
    }

    /// Shortest sea distances (km) from one point to each target, snapping each point to
    /// its nearest network vertex (the snap distance counts). None if unreachable.
    pub fn sea_distances_km(&self, from: (f64, f64), to: &[(f64, f64)]) -> Vec<Option<f64>> {
        let (src, src_snap) = self.snap(from);
        let mut dist = vec![f64::INFINITY; self.coords.len()];
        let mut heap = BinaryHeap::new();
        dist[src as usize] = 0.0;
        heap.push(Item(0.0, src));
        while let Some(Item(d, u)) = heap.pop() {
            if d > dist[u as usize] {
                continue;
            }
            let (a, b) = (
                self.offsets[u as usize] as usize,
                self.offsets[u as usize + 1] as usize,
            );
            for k in a..b {
                let v = self.targets[k];
                let nd = d + self.weights[k] as f64;
                if nd < dist[v as usize] {
                    dist[v as usize] = nd;
                    heap.push(Item(nd, v));
                }
            }
        }
        to.iter()
            .map(|&t| {
                let (v, snap) = self.snap(t);
                let d = dist[v as usize];
                d.is_finite().then_some(d + src_snap + snap)
            })
            .collect()
    }

    pub fn sea_distance_km(&self, from: (f64, f64), to: (f64, f64)) -> Option<f64> {
        self.sea_distances_km(from, &[to])[0]
    }
}

#[derive(PartialEq)]
struct Item(f64, u32);
impl Eq for Item {}
impl Ord for Item {
    fn cmp(&self, o: &Self) -> Ordering {
        o.0.total_cmp(&self.0).then_with(|| o.1.cmp(&self.1))
    }
}
impl PartialOrd for Item {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::reference::Reference;

    fn port(code: &str) -> (f64, f64) {
        let p = Reference::embedded().port(code).unwrap();
        (p.lat, p.lon)
    }

    #[test]
    fn network_size() {
        let n = MaritimeNetwork::embedded();
        assert!(
            n.node_count() > 9000 && n.node_count() < 10000,
            "{}",
            n.node_count()
        );
        assert!(n.edge_count() > 15000, "{}", n.edge_count());
    }

    #[test]
    fn real_voyages() {
        let n = MaritimeNetwork::embedded();
        let (rtm, sin, sha, pkg, lax) = (
            port("NLRTM"),
            port("SGSIN"),
            port("CNSHA"),
            port("MYPKG"),
            port("USLAX"),
        );
        let rtm_sin = n.sea_distance_km(rtm, sin).unwrap();
        assert!(
            (14_500.0..16_500.0).contains(&rtm_sin),
            "Rotterdam-Singapore via Suez: {rtm_sin}"
        );
        assert!(rtm_sin > great_circle_km(rtm.0, rtm.1, sin.0, sin.1) * 1.2);
        let sha_rtm = n.sea_distance_km(sha, rtm).unwrap();
        assert!(
            (18_000.0..21_500.0).contains(&sha_rtm),
            "Shanghai-Rotterdam: {sha_rtm}"
        );
        assert!(n.sea_distance_km(sin, pkg).unwrap() < 600.0);
        assert!(n.sea_distance_km(sin, sin).unwrap() < 50.0);
        let back = n.sea_distance_km(sin, rtm).unwrap();
        assert!((back - rtm_sin).abs() < 1.0);
        let pacific = n.sea_distance_km(sha, lax).unwrap();
        assert!(
            (10_500.0 * 0.85..10_500.0 * 1.15).contains(&pacific),
            "Shanghai-LA across the Pacific: {pacific}"
        );
    }
}
