//! Generate and declare: the first two stages of a shipment's life. Shipments are
//! declared through the warm-up and the measurement window (those of the window are
//! marked: the metrics count them), none in the drain.

use bevy_ecs::prelude::*;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Binomial, Distribution, Gamma, Poisson, StandardNormal};

use super::components::*;
use super::random::{Stream, derive_seed, mix};
use crate::adversary::{self, Choice, Plans, SPLIT_FRACTION};
use crate::scenario::{Category, Concealment};
use crate::world::World as Sim;

/// How many shipments are declared in each tick: a Poisson count around the tick's mean
/// (the weekday profile, scaled so the window expects exactly `declarations`; the same
/// daily rate in the warm-up, nothing in the drain), optionally over-dispersed by a
/// Gamma factor per day (a negative binomial count).
#[derive(Resource)]
pub struct Volume {
    pub mean: Vec<f64>,
    dispersion: f64,
    /// Today's factor, and its stream.
    factor: f64,
    rng: ChaCha8Rng,
}

impl Volume {
    pub fn new(w: &Sim, seed: u64) -> Volume {
        let tpd = w.ticks_per_day();
        let weight = |t: u32| w.weekday[(w.start_weekday + (t / tpd) as usize) % 7];
        let window = w.window();
        let window_weight: f64 = (window.start * tpd..window.end * tpd).map(weight).sum();
        let scale = w.declarations as f64 / window_weight.max(1e-12);
        let mean = (0..w.ticks()).map(|t| weight(t) * scale).collect();
        Volume {
            mean,
            dispersion: w.arrival_dispersion,
            factor: 1.0,
            rng: ChaCha8Rng::seed_from_u64(derive_seed(seed, Stream::Volume)),
        }
    }

    /// The number of shipments declared in `tick`, drawn from `rng` (the flows stream).
    fn draw(&mut self, tick: u32, tpd: u32, rng: &mut ChaCha8Rng) -> u64 {
        if self.dispersion > 0.0 && tick.is_multiple_of(tpd) {
            let k = self.dispersion;
            self.factor = Gamma::new(1.0 / k, k).map_or(1.0, |g| g.sample(&mut self.rng));
        }
        let mean = self.mean.get(tick as usize).copied().unwrap_or(0.0) * self.factor;
        if mean > 0.0 {
            Poisson::new(mean).map_or(0, |p| p.sample(rng) as u64)
        } else {
            0
        }
    }
}

#[derive(Resource)]
pub struct PlansRes(pub Plans);

/// A mean-one log-normal factor with log-sd `sd`. In `f32`: what it scales is stored as
/// `f32`, and three of these per shipment made `exp` a tenth of a run (`expf` costs
/// half as much).
fn lognormal(rng: &mut ChaCha8Rng, sd: f64) -> f64 {
    let sd = sd as f32;
    let z: f32 = StandardNormal.sample(rng);
    (sd * z - sd * sd / 2.0).exp() as f64
}

/// Pick a trader from a range, big traders more often (density ∝ 1/√rank).
fn pick_trader(range: std::ops::Range<u32>, rng: &mut ChaCha8Rng) -> u32 {
    let u: f64 = rng.random();
    range.start + ((range.end - range.start) as f64 * u * u) as u32
}

/// Stage 1: spawn this tick's shipments with their truth and route.
pub fn generate(world: &mut World) {
    let w = world.resource::<WorldRes>().0.clone();
    let tick = world.resource::<Clock>().tick;
    let day = tick / w.ticks_per_day();
    if day >= w.window().end {
        return;
    }
    let mut streams = world.remove_resource::<Streams>().expect("streams");
    let n = world
        .resource_mut::<Volume>()
        .draw(tick, w.ticks_per_day(), &mut streams.flows);
    if n == 0 {
        world.insert_resource(streams);
        return;
    }
    let window = w.window().contains(&day);
    let mut plans = world.remove_resource::<PlansRes>().expect("plans");
    let illicit_share = Plans::illicit_share(&w);
    // Drawn from the flows stream, and licit shipments first with serials that do not
    // depend on the traffickers: whatever the networks do (pause, adapt to a strategy's
    // seizures), the licit trade is the same shipments in every run of a seed.
    let n_illicit = if illicit_share > 0.0 {
        Binomial::new(n, illicit_share.min(1.0))
            .map(|b| b.sample(&mut streams.flows))
            .unwrap_or(0)
    } else {
        0
    };
    let mut n_licit = n - n_illicit;
    // In the warm-up, only the pairs whose voyage can reach the full-load hour: a
    // binomial thinning to their share of the volume, then draws among them alone.
    let warm = (!window).then(|| w.warm_pairs.reaching(w.warm_reach_days(day)));
    if let Some((_, share)) = warm
        && share < 1.0
    {
        n_licit = Binomial::new(n_licit, share.max(0.0))
            .map(|b| b.sample(&mut streams.flows))
            .unwrap_or(0);
    }
    let n = n_licit + n_illicit;
    let base = streams.next_serial;
    streams.next_serial += n;
    let th = w.tick_hours;
    let mut fresh = std::mem::take(&mut world.resource_mut::<Fresh>().0);
    fresh.reserve(n as usize);
    let mut tally = world.resource_mut::<Counts>();
    for k in 0..n {
        let serial = base + k;
        let (cargo, route, exporter, consignee, hour) = if k >= n_licit {
            let rng = &mut streams.adversary;
            let Some(c) = plans.0.choose(&w, tick / w.ticks_per_day(), rng) else {
                continue;
            };
            let net = &w.networks[c.network];
            let com = &w.commodities[c.commodity];
            let split = if c.concealment == Concealment::SplitConsignment {
                SPLIT_FRACTION
            } else {
                1.0
            };
            let kg = com.kg * split * lognormal(rng, 0.5);
            let value = kg * com.value_per_kg * lognormal(rng, 0.3);
            let cargo = Cargo {
                commodity: c.commodity as u16,
                network: c.network as u16,
                concealment: Concealment::ALL
                    .iter()
                    .position(|x| *x == c.concealment)
                    .unwrap_or(0) as u8,
                kg: kg as f32,
                value: value as f32,
            };
            let exporter = pick_trader(net.exporters.clone(), rng);
            let exporter = plans.0.front_company(c.network).unwrap_or(exporter);
            let consignee = pick_trader(net.consignees.clone(), rng);
            if let Some(period) = displacement_period(&w, tick / w.ticks_per_day()) {
                plans.0.count(c.network, period);
                count_illicit_route(&w, c.route, period, &mut tally.0);
            }
            let hour = tick * th + rng.random_range(0..th);
            (cargo, c.route, exporter, consignee, hour)
        } else {
            let rng = &mut streams.flows;
            let trade = w.trade_on(day);
            let p = match warm {
                // Epochs after the first start inside the window, so `trade` is epoch 0's.
                Some((reaching, _)) => w.warm_pairs.sample(reaching, rng),
                None => trade.pair_alias.sample(rng),
            };
            let Some(p) = p else {
                continue;
            };
            let (o, d, route) = trade.pairs[p];
            let c = trade.commodity_alias.sample(rng).unwrap_or(0);
            let com = &w.commodities[c];
            let kg = com.kg * lognormal(rng, 0.5);
            let value = kg * com.value_per_kg * lognormal(rng, 0.3);
            let traders = |node: u16| w.population.country_traders(w.nodes[node as usize].country);
            let exporter = pick_trader(traders(o), rng);
            let consignee = pick_trader(traders(d), rng);
            let cargo = Cargo {
                commodity: c as u16,
                network: LICIT,
                concealment: 0,
                kg: kg as f32,
                value: value as f32,
            };
            let hour = tick * th + rng.random_range(0..th);
            (cargo, route, exporter, consignee, hour)
        };
        if window {
            tally.0.fates(class(&w, &cargo)).generated += 1;
        }
        fresh.push(Shipment {
            cargo,
            decl: Declaration {
                exporter,
                consignee,
                ..Declaration::default()
            },
            voyage: Voyage {
                serial: u32::try_from(serial).expect("more than u32::MAX declarations"),
                route,
                stop: 0,
                flags: if window { Voyage::WINDOW } else { 0 },
                hour,
            },
        });
    }
    world.resource_mut::<Fresh>().0 = fresh;
    world.insert_resource(plans);
    world.insert_resource(streams);
}

/// Which half of the displacement comparison a day belongs to: 0 before the operation's
/// enforcement (its interdiction phase), 1 from then to its end, `None` outside (the
/// same days in a baseline run). Target building is not enforcement: nothing is seized
/// because of it, so traffickers have nothing to react to yet.
fn displacement_period(w: &Sim, day: u32) -> Option<usize> {
    let plan = w.operation.as_ref()?;
    if !w.window().contains(&day) {
        return None;
    }
    match day {
        d if d < plan.enforcement_start() => Some(0),
        d if d < plan.end => Some(1),
        _ => None,
    }
}

/// Illicit shipments by route and by hub, per displacement period.
fn count_illicit_route(w: &Sim, route: u32, period: usize, t: &mut crate::metrics::Tally) {
    let stops = w.routes.stops(route);
    let codes: Vec<&str> = (0..stops)
        .map(|k| w.nodes[w.routes.stop(route, k) as usize].code.as_str())
        .collect();
    t.illicit_routes.entry(codes.join(">")).or_default()[period] += 1;
    for (k, code) in codes.iter().enumerate() {
        t.illicit_nodes[period].insert(w.routes.stop(route, k));
        if k > 0 && k + 1 < stops {
            t.illicit_hubs.entry(code.to_string()).or_default()[period] += 1;
        }
    }
}

/// The fate class of a shipment: `None` if licit, its strategic category if illicit.
pub fn class(w: &Sim, cargo: &Cargo) -> Option<Category> {
    cargo
        .is_illicit()
        .then(|| w.commodities[cargo.commodity as usize].category)
}

/// Stage 2: every new shipment files its declaration: honest with some noise if licit,
/// disguised by its network's concealment if illicit. Then it is at its origin, due for
/// export clearance this tick.
pub fn declare(
    w: Res<WorldRes>,
    clock: Res<Clock>,
    mut fresh: ResMut<Fresh>,
    mut streams: ResMut<Streams>,
    mut calendar: ResMut<Calendar>,
    mut log: Option<ResMut<crate::events::EventLog>>,
) {
    let w = &*w.0;
    let Streams {
        declare: rng,
        adversary,
        order_seed,
        waits_seed,
        ..
    } = &mut *streams;
    let tm = &w.trader_model;
    for Shipment {
        cargo,
        voyage,
        decl,
    } in fresh.0.iter_mut()
    {
        let com = &w.commodities[cargo.commodity as usize];
        if cargo.is_illicit() {
            let choice = Choice {
                network: cargo.network as usize,
                commodity: cargo.commodity as usize,
                concealment: Concealment::ALL[cargo.concealment as usize],
                route: voyage.route,
            };
            let d = adversary::declare(w, &choice, cargo.value as f64, cargo.kg as f64, adversary);
            decl.hs = d.hs;
            decl.value = d.value as f32;
            decl.kg = d.kg as f32;
            decl.flags = if d.vague { Declaration::VAGUE } else { 0 }
                | if d.licence { Declaration::LICENCE } else { 0 };
        } else {
            decl.hs = com.hs;
            decl.value = (cargo.value as f64 * lognormal(rng, tm.value_noise)) as f32;
            decl.kg = cargo.kg;
            let vague = rng.random_bool(tm.vague_description_share);
            // Licit strategic goods travel under a licence that a check can confirm.
            let licensed = com.category != Category::None;
            decl.flags = if vague { Declaration::VAGUE } else { 0 }
                | if licensed { Declaration::LICENCE } else { 0 };
        }
    }
    if let Some(log) = log.as_deref_mut() {
        log.declared(clock.tick, &fresh.0);
    }
    // Licit shipments were made first; shuffle so that arrival order says nothing about
    // what a shipment is. A fresh generator per tick keeps the order of later ticks
    // independent of how many illicit shipments this one had.
    let mut order = ChaCha8Rng::seed_from_u64(mix(*order_seed ^ clock.tick as u64));
    for k in (1..fresh.0.len()).rev() {
        let j = order.random_range(0..=k);
        fresh.0.swap(k, j);
    }
    let until = w.full_load_hour();
    for s in fresh.0.drain(..) {
        if s.voyage.hour < until && !s.voyage.in_window() {
            super::movement::carry(w, s, until, *waits_seed, &mut calendar, log.as_deref_mut());
        } else {
            calendar.book(clock.tick, s);
        }
    }
}
