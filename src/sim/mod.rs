//! The simulation: one bevy_ecs World per replication, one schedule that reads in the
//! order a shipment lives (generate, declare, move, assess, inspect, act, measure).
//! Offices are entities; shipments are plain values carried by the arrival calendar and
//! the offices' inboxes (see `components`); the immutable [`crate::world::World`] is a
//! shared resource.
//!
//! A run has three parts: the warm-up (shipments declared at the window's daily rate so
//! that the window starts with the pipeline full, not counted; offices work from three
//! days before the window, see `World::full_load_hour`), the measurement window (its
//! shipments are counted wherever their fate is decided) and the drain (no new
//! declarations; the run stops once every window shipment is delivered or seized, or
//! at the drain's cap, when those left count as in transit).

pub mod checkpoint;
pub mod components;
pub mod generate;
pub mod movement;
pub mod random;

use std::sync::Arc;

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::SingleThreadedExecutor;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::adversary::Plans;
use crate::metrics::{RunMetrics, Tally};
use crate::world::World as Sim;
use components::*;
use random::{Stream, derive_seed, strategy_seed};

/// What varies between runs of one world.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub seed: u64,
    /// Use this strategy (index into the world's strategies) at every office.
    pub strategy: Option<usize>,
    /// Run the scenario without its operation (business as usual).
    pub baseline: bool,
    /// Multiply every office's officer-hours (None: as the scenario says); `compare
    /// --equal-effort` uses it to hold effort equal across strategies.
    pub capacity_scale: Option<f64>,
}

/// The result of one replication.
pub struct RunOutput {
    pub seed: u64,
    pub tally: Tally,
    pub metrics: RunMetrics,
}

/// The stages of a tick, in the order a shipment lives: the day's injects, generate,
/// declare, move, the platform delivers alerts, assess, inspect, act, traffickers adapt,
/// measure.
pub const STAGES: [&str; 10] = [
    "injects", "generate", "declare", "movement", "platform", "assess", "inspect", "act", "adapt",
    "measure",
];

/// One single-threaded schedule per stage, in [`STAGES`] order. Running them one after
/// the other is exactly the chained schedule, and lets a caller time each stage.
pub fn stages() -> Vec<Schedule> {
    fn one<M>(system: impl IntoScheduleConfigs<bevy_ecs::system::ScheduleSystem, M>) -> Schedule {
        let mut s = Schedule::default();
        s.set_executor(SingleThreadedExecutor::new());
        s.add_systems(system);
        s
    }
    vec![
        one(crate::operation::injects::injects),
        one(generate::generate),
        one(generate::declare),
        one(movement::movement),
        one(crate::operation::platform::receive),
        one(checkpoint::assess),
        one(checkpoint::inspect),
        one(checkpoint::act),
        one(crate::adversary::adapt),
        one(measure),
    ]
}

/// Stage 7: shipments that were delivered, seized or left beyond the horizon have been
/// counted and dropped; count those still in flight.
pub fn measure(calendar: Res<Calendar>, mut in_flight: ResMut<InFlight>) {
    let now = calendar.len();
    in_flight.now = now;
    in_flight.peak = in_flight.peak.max(now);
}

/// Set up a fresh ECS world for one replication.
pub fn setup(w: &Arc<Sim>, opts: &RunOptions) -> World {
    let mut ecs = World::new();
    let seed = opts.seed;
    let stream = |s| ChaCha8Rng::seed_from_u64(derive_seed(seed, s));
    ecs.insert_resource(WorldRes(w.clone()));
    ecs.insert_resource(Clock::default());
    ecs.insert_resource(RunMode {
        baseline: opts.baseline,
        capacity_scale: opts.capacity_scale.unwrap_or(1.0),
    });
    ecs.insert_resource(crate::operation::injects::Conditions::new(
        w.offices.len(),
        w.nodes.len(),
    ));
    let participant = w
        .offices
        .iter()
        .map(|o| {
            w.operation
                .as_ref()
                .is_some_and(|p| p.participant[o.country as usize])
        })
        .collect();
    ecs.insert_resource(crate::operation::platform::Alerts::new(
        participant,
        w.ticks(),
    ));
    ecs.insert_resource(Calendar::new(w.ticks()));
    ecs.insert_resource(Fresh::default());
    ecs.insert_resource(InFlight::default());
    ecs.insert_resource(generate::Volume::new(w, seed));
    ecs.insert_resource(generate::PlansRes(Plans::new(w)));
    ecs.insert_resource(Streams {
        flows: stream(Stream::Flows),
        adversary: stream(Stream::Adversary),
        declare: stream(Stream::Declare),
        inspection_seed: derive_seed(seed, Stream::Inspection),
        waits_seed: derive_seed(seed, Stream::Waits),
        advance_info_seed: derive_seed(seed, Stream::Declare) ^ 0x5EED,
        order_seed: derive_seed(seed, Stream::Order),
        publicity_seed: derive_seed(seed, Stream::Publicity),
        population_seed: crate::world::population::seed(seed, w.seed, w.fixed_population),
        next_serial: 0,
    });
    ecs.insert_resource(Counts(Tally::new(w.offices.len(), w.days + w.drain_days)));
    let desks: Vec<Entity> = w
        .offices
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let s = opts.strategy.unwrap_or(o.strategy);
            let def = &w.strategies[s];
            // The operation's profile replaces a participant's strategy, unless the
            // command line imposed one on every office.
            let operation_strategy = w
                .operation
                .as_ref()
                .filter(|p| p.participant[o.country as usize] && opts.strategy.is_none())
                .and_then(|p| p.strategy)
                .map(|k| {
                    (
                        crate::targeting::build(&w.strategies[k].kind, w),
                        w.strategies[k].name.clone(),
                    )
                });
            ecs.spawn(Desk {
                office: i as u16,
                strategy: crate::targeting::build(&def.kind, w),
                strategy_name: def.name.clone(),
                operation_strategy,
                using_operation: false,
                flagged: Vec::new(),
                alerted: Vec::new(),
                local: Vec::new(),
                view: Default::default(),
                rng: ChaCha8Rng::seed_from_u64(strategy_seed(seed, o.key)),
                inbox: Vec::new(),
                selected: Vec::new(),
                outcomes: Vec::new(),
                day_budget: 0.0,
                used_today: 0.0,
                window_arrivals: 0,
                drain_credit: 0.0,
            })
            .id()
        })
        .collect();
    ecs.insert_resource(Desks(desks));
    ecs
}

/// Where one replication's time went: seconds per stage (in [`STAGES`] order, summed
/// over ticks) and the most shipments in flight at the end of a tick.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub stage_seconds: [f64; STAGES.len()],
    pub peak_in_flight: usize,
}

impl Profile {
    /// Seconds spent in the stage called `name` (0 if there is none).
    pub fn stage(&self, name: &str) -> f64 {
        STAGES
            .iter()
            .position(|s| *s == name)
            .map_or(0.0, |i| self.stage_seconds[i])
    }

    /// Add another run's profile (for a total over runs).
    pub fn add(&mut self, other: &Profile) {
        for (a, b) in self.stage_seconds.iter_mut().zip(other.stage_seconds) {
            *a += b;
        }
        self.peak_in_flight = self.peak_in_flight.max(other.peak_in_flight);
    }
}

/// Run one replication to the end.
pub fn run(w: &Arc<Sim>, opts: &RunOptions) -> RunOutput {
    run_profiled(w, opts).0
}

/// Run one replication to the end, timing each stage. The timing reads the clock twice
/// per stage and tick, which costs nothing measurable, and never changes the results.
pub fn run_profiled(w: &Arc<Sim>, opts: &RunOptions) -> (RunOutput, Profile) {
    let (out, profile, _) = run_recorded(w, opts, false);
    (out, profile)
}

/// [`run_profiled`], and with `events` the run's event log (every declaration and what
/// each office did with it; see [`crate::events`]).
pub fn run_recorded(
    w: &Arc<Sim>,
    opts: &RunOptions,
    events: bool,
) -> (RunOutput, Profile, Option<crate::events::EventLog>) {
    let mut ecs = setup(w, opts);
    if events {
        ecs.insert_resource(crate::events::EventLog::default());
    }
    let mut stages = stages();
    let mut profile = Profile::default();
    let drain_from = w.window().end * w.ticks_per_day();
    for tick in 0..w.ticks() {
        ecs.resource_mut::<Clock>().tick = tick;
        for (stage, secs) in stages.iter_mut().zip(profile.stage_seconds.iter_mut()) {
            let t0 = std::time::Instant::now();
            stage.run(&mut ecs);
            *secs += t0.elapsed().as_secs_f64();
        }
        // In the drain, stop once every window shipment has a fate.
        if tick + 1 >= drain_from && ecs.resource::<Counts>().0.all().open() == 0 {
            break;
        }
    }
    profile.peak_in_flight = ecs.resource::<InFlight>().peak;
    let mut tally = ecs
        .remove_resource::<Counts>()
        .map(|c| c.0)
        .unwrap_or_default();
    if let Some(mut plans) = ecs.remove_resource::<generate::PlansRes>() {
        tally.expected_routes = plans.0.expected_routes(w);
    }
    let metrics = RunMetrics::from_tally(&tally);
    let log = ecs
        .remove_resource::<crate::events::EventLog>()
        .map(|mut l| {
            l.finish();
            l
        });
    (
        RunOutput {
            seed: opts.seed,
            tally,
            metrics,
        },
        profile,
        log,
    )
}
