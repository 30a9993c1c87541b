//! Route epochs: which routes licit trade and illicit networks take. A carrier service
//! that starts during the run (a `NewService` inject) opens a new epoch in which the
//! fastest routes are searched again with it included.

use super::Node;
use super::network::{Edge, Graph, RouteTable};
use crate::scenario::{Event, Scenario};

/// Routes a network would take in one epoch, with their weights (how much traffic the
/// endpoints carry).
#[derive(Debug, Clone, Default)]
pub struct Candidates {
    pub routes: Vec<u32>,
    pub weights: Vec<f64>,
}

/// Day each service starts running: 0, or the day of the inject that opens it.
pub fn service_open_days(s: &Scenario) -> Vec<u32> {
    let mut opens = vec![0; s.services.len()];
    for inj in s.operation.iter().flat_map(|op| &op.injects) {
        if let Event::NewService { service } = &inj.event
            && let Some(i) = s.services.iter().position(|x| &x.name == service)
        {
            opens[i] = inj.day;
        }
    }
    opens
}

/// The first day of each epoch, ascending, starting with 0.
pub fn epoch_days(opens: &[u32]) -> Vec<u32> {
    let mut days = opens.to_vec();
    days.push(0);
    days.sort_unstable();
    days.dedup();
    days
}

/// Fastest route between every pair of nodes in different countries over the services
/// running on `day`, added to `routes`. Returns `best[o * n + d]` (u32::MAX if none).
pub fn fastest_routes(
    nodes: &[Node],
    edges: &[Edge],
    opens: &[u32],
    day: u32,
    routes: &mut RouteTable,
) -> Vec<u32> {
    let n = nodes.len();
    let running = edges
        .iter()
        .filter(|e| opens[e.service as usize] <= day)
        .copied()
        .collect();
    let graph = Graph::new(n, running);
    let mut best = vec![u32::MAX; n * n];
    for o in 0..n {
        for (d, legs) in graph.routes_from(o as u16, &[]).into_iter().enumerate() {
            if let Some(legs) = legs
                && nodes[o].country != nodes[d].country
            {
                best[o * n + d] = routes.push(o as u16, &legs);
            }
        }
    }
    best
}

/// The routes of a network from any node of its origin countries to any node of its
/// destination countries, through one of `vias` if it names any, weighted by the trade
/// the two end nodes carry (busy ports hide a shipment best).
pub fn candidates(
    nodes: &[Node],
    best: &[u32],
    origins: &[usize],
    dests: &[usize],
    vias: &[u16],
    routes: &mut RouteTable,
) -> Candidates {
    let n = nodes.len();
    let mut c = Candidates::default();
    let legs = |routes: &RouteTable, o: usize, d: usize| {
        if o == d {
            return Some(Vec::new());
        }
        let id = best[o * n + d];
        (id != u32::MAX).then(|| routes.legs_of(id).to_vec())
    };
    for (o, on) in nodes.iter().enumerate() {
        if !origins.contains(&(on.country as usize)) {
            continue;
        }
        for (d, dn) in nodes.iter().enumerate() {
            if !dests.contains(&(dn.country as usize)) || on.country == dn.country {
                continue;
            }
            let w = on.trade_weight * dn.trade_weight;
            if vias.is_empty() {
                if best[o * n + d] != u32::MAX {
                    c.routes.push(best[o * n + d]);
                    c.weights.push(w);
                }
                continue;
            }
            for &v in vias {
                let v = v as usize;
                if let (Some(mut a), Some(b)) = (legs(routes, o, v), legs(routes, v, d)) {
                    a.extend(b);
                    if !a.is_empty() {
                        c.routes.push(routes.push(o as u16, &a));
                        c.weights.push(w);
                    }
                }
            }
        }
    }
    c
}
