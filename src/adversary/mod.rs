//! Illicit networks: what they ship, which route they take and how they disguise it.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::scenario::Concealment;
use crate::world::{Alias, HsId, World};

/// Sampling tables of every network, built once per replication.
pub struct Plans {
    pub network_alias: Alias,
    concealment: Vec<Alias>,
    /// After a network's shift day, if it has one: (day, weights over `Concealment::ALL`).
    shifted: Vec<Option<(u32, Alias)>>,
    routes: Vec<Alias>,
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
            concealment: world
                .networks
                .iter()
                .map(|n| Alias::new(&n.concealment.iter().map(|c| c.1).collect::<Vec<_>>()))
                .collect(),
            shifted: world
                .networks
                .iter()
                .map(|n| n.shift.as_ref().map(|(day, c)| (*day, Alias::new(c))))
                .collect(),
            routes: world
                .networks
                .iter()
                .map(|n| Alias::new(&n.route_weights))
                .collect(),
        }
    }

    /// Share of all declarations that are illicit.
    pub fn illicit_share(world: &World) -> f64 {
        world.networks.iter().map(|n| n.share).sum()
    }

    pub fn choose(&self, world: &World, day: u32, rng: &mut ChaCha8Rng) -> Option<Choice> {
        let network = self.network_alias.sample(rng)?;
        let net = &world.networks[network];
        let commodity = net.seeks[rng.random_range(0..net.seeks.len())];
        let concealment = match &self.shifted[network] {
            Some((from, alias)) if day >= *from => Concealment::ALL[alias.sample(rng)?],
            _ => net.concealment[self.concealment[network].sample(rng)?].0,
        };
        let route = net.routes[self.routes[network].sample(rng)?];
        Some(Choice {
            network,
            commodity,
            concealment,
            route,
        })
    }
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
