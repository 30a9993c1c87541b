//! Illicit networks: what they ship, which route they take and how they disguise it.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::scenario::Concealment;
use crate::world::{Alias, HsId, World};

/// What each network currently does, and what it has learnt: per replication, since it
/// changes with the seizures it hears of.
pub struct Plans {
    pub network_alias: Alias,
    networks: Vec<NetworkState>,
    /// Seizures the networks will hear of: (tick they learn it, network, node, concealment).
    news: Vec<(u32, usize, u16, usize)>,
    /// Expected shipments per (network, route) [before, during] the operation: the
    /// route probabilities times the shipments sent while they held. Free of the
    /// sampling noise of counting routes, so displacement shows what the network chose.
    expected: std::collections::BTreeMap<(u16, u32), [f64; 2]>,
    /// A red team's orders per network (exercise), overriding its own choices.
    pub orders: Vec<Orders>,
}

/// What a red team imposes on its network's next shipments; `None` leaves the network's
/// own choice. The network's random draws are made all the same, so the rest of the run
/// does not shift when orders change.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Orders {
    /// A route id among the network's current candidates (ignored if it is not one).
    pub route: Option<u32>,
    pub concealment: Option<Concealment>,
    /// A trader id among the network's exporters.
    pub exporter: Option<u32>,
}

struct NetworkState {
    /// Weights over `Concealment::ALL`, before and after a scripted shift.
    concealment: Vec<f64>,
    concealment_alias: Alias,
    shift: Option<(u32, Vec<f64>, Alias)>,
    /// The world's route epoch its candidates come from.
    epoch: usize,
    route_alias: Alias,
    /// The probabilities `route_alias` samples, and the shipments sent with them not yet
    /// added to the expected volumes, [before, during].
    route_probs: Vec<f64>,
    pending: [u64; 2],
    /// Seizures heard of, per node.
    losses: Vec<u32>,
    avoided: Vec<bool>,
    paused_until_day: u32,
}

/// One illicit shipment's plan.
pub struct Choice {
    pub network: usize,
    pub commodity: usize,
    pub concealment: Concealment,
    pub route: u32,
}

/// What an illicit shipment declares.
pub struct Declared {
    pub hs: HsId,
    pub value: f64,
    pub kg: f64,
    pub vague: bool,
    pub licence: bool,
}

impl Plans {
    pub fn new(world: &World) -> Plans {
        let shares: Vec<f64> = world.networks.iter().map(|n| n.share).collect();
        Plans {
            network_alias: Alias::new(&shares),
            networks: world
                .networks
                .iter()
                .map(|n| {
                    let concealment: Vec<f64> = Concealment::ALL
                        .iter()
                        .map(|c| {
                            n.concealment
                                .iter()
                                .find(|x| x.0 == *c)
                                .map_or(0.0, |x| x.1)
                        })
                        .collect();
                    NetworkState {
                        concealment_alias: Alias::new(&concealment),
                        concealment,
                        shift: n
                            .shift
                            .as_ref()
                            .map(|(day, w)| (*day, w.clone(), Alias::new(w))),
                        epoch: 0,
                        route_alias: Alias::new(&n.candidates[0].weights),
                        route_probs: normalised(&n.candidates[0].weights),
                        pending: [0; 2],
                        losses: vec![0; world.nodes.len()],
                        avoided: vec![false; world.nodes.len()],
                        paused_until_day: 0,
                    }
                })
                .collect(),
            news: Vec::new(),
            expected: Default::default(),
            orders: vec![Orders::default(); world.networks.len()],
        }
    }

    /// Count a shipment of `network` in a displacement period (0 before, 1 during).
    pub fn count(&mut self, network: usize, period: usize) {
        self.networks[network].pending[period] += 1;
    }

    /// Expected shipments per (network, route as its node codes), [before, during], up
    /// to now. Keyed by the ports called, not the route id: the same ports on another
    /// carrier is not a move to another route.
    pub fn expected_routes(
        &mut self,
        world: &World,
    ) -> std::collections::BTreeMap<(u16, String), [f64; 2]> {
        for n in 0..self.networks.len() {
            self.flush(world, n);
        }
        let mut out: std::collections::BTreeMap<(u16, String), [f64; 2]> = Default::default();
        for (&(n, r), v) in &self.expected {
            let path: Vec<&str> = (0..world.routes.stops(r))
                .map(|k| world.nodes[world.routes.stop(r, k) as usize].code.as_str())
                .collect();
            let e = out.entry((n, path.join(">"))).or_default();
            e[0] += v[0];
            e[1] += v[1];
        }
        out
    }

    fn flush(&mut self, world: &World, n: usize) {
        let st = &mut self.networks[n];
        let routes = &world.networks[n].candidates[st.epoch].routes;
        for period in 0..2 {
            let k = std::mem::take(&mut st.pending[period]);
            if k == 0 {
                continue;
            }
            for (&r, &p) in routes.iter().zip(&st.route_probs) {
                if p > 0.0 {
                    self.expected.entry((n as u16, r)).or_default()[period] += k as f64 * p;
                }
            }
        }
    }

    /// Share of all declarations that are illicit.
    pub fn illicit_share(world: &World) -> f64 {
        world.networks.iter().map(|n| n.share).sum()
    }

    /// The next illicit shipment's plan; `None` if its network is lying low.
    pub fn choose(&self, world: &World, day: u32, rng: &mut ChaCha8Rng) -> Option<Choice> {
        let network = self.network_alias.sample(rng)?;
        let net = &world.networks[network];
        let st = &self.networks[network];
        let commodity = net.seeks[rng.random_range(0..net.seeks.len())];
        let concealment = match &st.shift {
            Some((from, _, alias)) if day >= *from => Concealment::ALL[alias.sample(rng)?],
            _ => Concealment::ALL[st.concealment_alias.sample(rng)?],
        };
        let route = net.candidates[st.epoch].routes[st.route_alias.sample(rng)?];
        if day < st.paused_until_day {
            return None;
        }
        let orders = &self.orders[network];
        let concealment = orders.concealment.unwrap_or(concealment);
        let route = orders
            .route
            .filter(|r| net.candidates[st.epoch].routes.contains(r))
            .unwrap_or(route);
        Some(Choice {
            network,
            commodity,
            concealment,
            route,
        })
    }

    /// The front company a red team ordered for the network's shipments, if any.
    pub fn front_company(&self, network: usize) -> Option<u32> {
        self.orders[network].exporter
    }

    /// The route ids the network may take now (its current epoch's candidates).
    pub fn feasible_routes<'w>(&self, world: &'w World, network: usize) -> &'w [u32] {
        &world.networks[network].candidates[self.networks[network].epoch].routes
    }

    pub fn pause(&mut self, network: usize, until_day: u32) {
        let st = &mut self.networks[network];
        st.paused_until_day = st.paused_until_day.max(until_day);
    }

    /// A seizure of the network's shipment that it will hear of at tick `learn_at`.
    pub fn report_seizure(&mut self, learn_at: u32, network: usize, node: u16, concealment: usize) {
        self.news.push((learn_at, network, node, concealment));
    }

    /// Apply the news due by `tick`: route round nodes where too many shipments were
    /// lost, and lean away from concealment methods that got caught. Then take up the
    /// routes of services starting next tick. Returns what changed, for the timeline.
    pub fn learn(&mut self, world: &World, tick: u32) -> Vec<String> {
        let mut changes = Vec::new();
        let (due, later): (Vec<_>, Vec<_>) = self.news.drain(..).partition(|n| n.0 <= tick);
        self.news = later;
        for (_, n, node, conc) in due {
            let net = &world.networks[n];
            let st = &mut self.networks[n];
            st.losses[node as usize] += 1;
            st.concealment[conc] *= net.adaptation.concealment_penalty;
            // Renormalise: relative weights are what matter, and repeated penalties must
            // not underflow into weights the sampler cannot handle.
            let total: f64 = st.concealment.iter().sum();
            if total > 0.0 {
                st.concealment.iter_mut().for_each(|x| *x /= total);
                st.concealment_alias = Alias::new(&st.concealment);
            }
            if st.losses[node as usize] >= net.adaptation.avoid_after && !st.avoided[node as usize]
            {
                self.flush(world, n);
                let st = &mut self.networks[n];
                st.avoided[node as usize] = true;
                if st.reroute(world, net) {
                    changes.push(format!(
                        "\"{}\" routes round {} after {} seizures there",
                        net.name, world.nodes[node as usize].code, st.losses[node as usize]
                    ));
                } else {
                    // A network that has no other way keeps using the node.
                    st.avoided[node as usize] = false;
                }
            }
        }
        let next = world.epoch((tick + 1) / world.ticks_per_day());
        for (n, net) in world.networks.iter().enumerate() {
            if self.networks[n].epoch != next {
                self.flush(world, n);
                let st = &mut self.networks[n];
                st.epoch = next;
                if !st.reroute(world, net) {
                    // Every new route passes a node it avoids: it goes back to them.
                    st.avoided.iter_mut().for_each(|a| *a = false);
                    st.reroute(world, net);
                }
            }
        }
        changes
    }
}

impl NetworkState {
    /// Weight its current epoch's routes, leaving out those through avoided nodes.
    /// Returns false (and changes nothing) if that leaves no route.
    fn reroute(&mut self, world: &World, net: &crate::world::Network) -> bool {
        let c = &net.candidates[self.epoch];
        let passes_avoided = |r: u32| {
            (0..world.routes.stops(r)).any(|k| self.avoided[world.routes.stop(r, k) as usize])
        };
        let weights: Vec<f64> = c
            .routes
            .iter()
            .zip(&c.weights)
            .map(|(&r, &w)| if passes_avoided(r) { 0.0 } else { w })
            .collect();
        if weights.iter().sum::<f64>() <= 0.0 {
            return false;
        }
        self.route_alias = Alias::new(&weights);
        self.route_probs = normalised(&weights);
        true
    }
}

fn normalised(weights: &[f64]) -> Vec<f64> {
    let total: f64 = weights.iter().sum();
    weights
        .iter()
        .map(|w| if total > 0.0 { w / total } else { 0.0 })
        .collect()
}

/// Split consignments carry this share of a normal consignment.
pub const SPLIT_FRACTION: f64 = 0.2;
/// Undervalued declarations state this share of the real value.
pub const UNDERVALUE_FRACTION: f64 = 0.15;

/// The declaration an illicit shipment files, given its true contents.
pub fn declare(
    world: &World,
    c: &Choice,
    true_value: f64,
    true_kg: f64,
    rng: &mut ChaCha8Rng,
) -> Declared {
    let true_hs = world.commodities[c.commodity].hs;
    let net = &world.networks[c.network];
    let cover = || net.cover_hs[rng_index(net.cover_hs.len(), c.route)];
    let honest = Declared {
        hs: true_hs,
        value: true_value,
        kg: true_kg,
        vague: false,
        licence: false,
    };
    match c.concealment {
        Concealment::Undisguised => honest,
        Concealment::MisdeclaredHs => {
            let hs = cover();
            // Half of them also declare a value typical of the cover goods, removing the
            // value anomaly a careless misdeclaration shows.
            let value = if rng.random_bool(0.5) {
                true_kg * world.hs[hs as usize].ln_norm_value_per_kg.exp()
            } else {
                true_value
            };
            Declared {
                hs,
                value,
                ..honest
            }
        }
        Concealment::GenericDescription => Declared {
            hs: cover(),
            vague: true,
            ..honest
        },
        Concealment::Undervaluation => Declared {
            value: true_value * UNDERVALUE_FRACTION,
            licence: true,
            ..honest
        },
        Concealment::SplitConsignment | Concealment::FalseEndUser => Declared {
            licence: true,
            ..honest
        },
    }
}

fn rng_index(len: usize, salt: u32) -> usize {
    (crate::sim::random::mix(salt as u64) % len.max(1) as u64) as usize
}

/// Stage 8: networks act on the seizures they have heard of (those of the window: the
/// scenario describes the networks as they are on day 0, see `checkpoint::act`).
/// Reroutes are counted and put on the timeline by window day.
pub fn adapt(
    w: bevy_ecs::prelude::Res<crate::sim::components::WorldRes>,
    clock: bevy_ecs::prelude::Res<crate::sim::components::Clock>,
    mut plans: bevy_ecs::prelude::ResMut<crate::sim::generate::PlansRes>,
    mut counts: bevy_ecs::prelude::ResMut<crate::sim::components::Counts>,
) {
    let day = w.0.window_day(clock.tick / w.0.ticks_per_day());
    for change in plans.0.learn(&w.0, clock.tick) {
        if let Some(day) = day {
            counts.0.reroutes += 1;
            counts.0.timeline.push((day, change));
        }
    }
}
