//! The transport network: legs that carrier services offer between scenario nodes, and
//! the fastest routes over them (Dijkstra on expected door-to-door hours, where every
//! change of carrier costs a wait for the next departure and handling at the hub).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::geo::great_circle_km;
use super::maritime::MaritimeNetwork;
use crate::scenario::{Mode, Scenario};

/// Handling hours added when a shipment changes carrier.
pub const TRANSFER_HOURS: f64 = 12.0;

/// One hop a service offers: board at `from`, ride the rotation, alight at `to`.
#[derive(Debug, Clone, Copy)]
pub struct Edge {
    pub from: u16,
    pub to: u16,
    pub service: u16,
    /// Sailing or flying time plus the intermediate calls.
    pub travel_hours: f32,
    /// Hours between departures of the service.
    pub headway_hours: f32,
}

/// One leg of a route: a ride on one service to the next stop.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Leg {
    pub to: u16,
    pub service: u16,
    pub travel_hours: f32,
    pub headway_hours: f32,
}

/// A route: the origin node and the legs after it. Stop 0 is the origin, stop k is the
/// destination of leg k-1.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub origin: u16,
    pub first_leg: u32,
    pub legs: u8,
}

/// All routes of a world, flattened.
#[derive(Debug, Default)]
pub struct RouteTable {
    pub routes: Vec<Route>,
    pub legs: Vec<Leg>,
}

impl RouteTable {
    pub fn legs_of(&self, route: u32) -> &[Leg] {
        let r = self.routes[route as usize];
        &self.legs[r.first_leg as usize..r.first_leg as usize + r.legs as usize]
    }

    /// Node of stop `k` (0 = origin).
    pub fn stop(&self, route: u32, k: usize) -> u16 {
        if k == 0 {
            self.routes[route as usize].origin
        } else {
            self.legs_of(route)[k - 1].to
        }
    }

    pub fn stops(&self, route: u32) -> usize {
        self.routes[route as usize].legs as usize + 1
    }

    /// Door-to-door days of a route at worst (each leg's travel plus a full headway of
    /// waiting), without the dwell inspections add.
    pub fn longest_days(&self, route: u32) -> f64 {
        self.legs_of(route)
            .iter()
            .map(|l| (l.travel_hours + l.headway_hours) as f64)
            .sum::<f64>()
            / 24.0
    }

    pub fn push(&mut self, origin: u16, legs: &[Leg]) -> u32 {
        let id = self.routes.len() as u32;
        self.routes.push(Route {
            origin,
            first_leg: self.legs.len() as u32,
            legs: legs.len() as u8,
        });
        self.legs.extend_from_slice(legs);
        id
    }
}

/// Legs offered by every service of the scenario. `node_index` maps a call code to the
/// node index; `coords` are node (lat, lon).
pub fn service_edges(
    s: &Scenario,
    node_index: &dyn Fn(&str) -> u16,
    coords: &[(f64, f64)],
) -> Vec<Edge> {
    let sea = MaritimeNetwork::embedded();
    let mut edges = Vec::new();
    for (si, sv) in s.services.iter().enumerate() {
        let calls: Vec<u16> = sv.calls.iter().map(|c| node_index(c)).collect();
        let m = calls.len();
        if m < 2 {
            continue;
        }
        let speed = sv.speed_kmh.unwrap_or(match sv.mode {
            Mode::Sea => 33.3,
            Mode::Air => 800.0,
        });
        // Distance of each hop of the rotation, the last one back to the first call.
        let hop_km: Vec<f64> = (0..m)
            .map(|k| {
                let (a, b) = (
                    coords[calls[k] as usize],
                    coords[calls[(k + 1) % m] as usize],
                );
                match sv.mode {
                    Mode::Sea => sea
                        .sea_distance_km(a, b)
                        .unwrap_or_else(|| 1.3 * great_circle_km(a.0, a.1, b.0, b.1)),
                    Mode::Air => 1.05 * great_circle_km(a.0, a.1, b.0, b.1) + 50.0,
                }
            })
            .collect();
        for a in 0..m {
            let mut km = 0.0;
            for k in 1..m {
                km += hop_km[(a + k - 1) % m];
                let b = (a + k) % m;
                if calls[b] == calls[a] {
                    continue;
                }
                edges.push(Edge {
                    from: calls[a],
                    to: calls[b],
                    service: si as u16,
                    travel_hours: (km / speed + (k - 1) as f64 * sv.call_hours) as f32,
                    headway_hours: (sv.frequency_days * 24.0) as f32,
                });
            }
        }
    }
    edges
}

/// Adjacency over nodes, for shortest-path search.
pub struct Graph {
    offsets: Vec<u32>,
    edges: Vec<Edge>,
}

impl Graph {
    pub fn new(n_nodes: usize, mut edges: Vec<Edge>) -> Self {
        edges.sort_by_key(|e| (e.from, e.to, e.service));
        let mut offsets = vec![0u32; n_nodes + 1];
        for e in &edges {
            offsets[e.from as usize + 1] += 1;
        }
        for i in 0..n_nodes {
            offsets[i + 1] += offsets[i];
        }
        Graph { offsets, edges }
    }

    fn out(&self, n: u16) -> &[Edge] {
        &self.edges[self.offsets[n as usize] as usize..self.offsets[n as usize + 1] as usize]
    }

    /// Expected cost of riding an edge: half a headway of waiting, handling, travel.
    fn cost(e: &Edge) -> f64 {
        e.headway_hours as f64 / 2.0 + TRANSFER_HOURS + e.travel_hours as f64
    }

    /// Fastest routes from `source` to every node: for each node, the legs (empty if
    /// unreachable or the source itself). `avoid` nodes are never passed through.
    pub fn routes_from(&self, source: u16, avoid: &[u16]) -> Vec<Option<Vec<Leg>>> {
        let n = self.offsets.len() - 1;
        let mut dist = vec![f64::INFINITY; n];
        let mut pred: Vec<Option<Edge>> = vec![None; n];
        let mut heap = BinaryHeap::new();
        dist[source as usize] = 0.0;
        heap.push(State {
            cost: 0.0,
            node: source,
        });
        while let Some(State { cost, node }) = heap.pop() {
            if cost > dist[node as usize] {
                continue;
            }
            if node != source && avoid.contains(&node) {
                continue;
            }
            for e in self.out(node) {
                let c = cost + Self::cost(e);
                if c < dist[e.to as usize] {
                    dist[e.to as usize] = c;
                    pred[e.to as usize] = Some(*e);
                    heap.push(State {
                        cost: c,
                        node: e.to,
                    });
                }
            }
        }
        (0..n)
            .map(|t| {
                if t == source as usize || !dist[t].is_finite() {
                    return None;
                }
                let mut legs = Vec::new();
                let mut at = t as u16;
                while at != source {
                    let e = pred[at as usize]?;
                    legs.push(Leg {
                        to: e.to,
                        service: e.service,
                        travel_hours: e.travel_hours,
                        headway_hours: e.headway_hours,
                    });
                    at = e.from;
                }
                legs.reverse();
                Some(legs)
            })
            .collect()
    }
}

#[derive(Clone, Copy, PartialEq)]
struct State {
    cost: f64,
    node: u16,
}

impl Eq for State {}

impl Ord for State {
    fn cmp(&self, other: &Self) -> Ordering {
        // Min-heap on cost; node index breaks ties so the order never depends on chance.
        other
            .cost
            .total_cmp(&self.cost)
            .then_with(|| other.node.cmp(&self.node))
    }
}

impl PartialOrd for State {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
