//! Throughput benches. Run with `cargo bench --bench engine`.
//!
//! - `end_to_end/*`: declarations simulated per second on the shipped scenarios, including
//!   a 300,000-declaration sample of the Cosmo 2 global scenario.
//! - `stage/*`: the time one stage takes over a whole run of that global sample, so a
//!   regression shows where it is. Each iteration is a full run timed with
//!   [`run_profiled`]; only the named stage's time is reported.

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use stce::sim::{RunOptions, run, run_profiled};
use stce::world::World;
use stce::{Overrides, load_world};

const GLOBAL_SAMPLE: u64 = 300_000;

fn world(file: &str, declarations: u64) -> Arc<World> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(file);
    load_world(
        &path,
        &Overrides {
            declarations: Some(declarations),
            ..Default::default()
        },
    )
    .expect("scenario")
}

fn opts() -> RunOptions {
    RunOptions {
        seed: 1,
        strategy: None,
        ..Default::default()
    }
}

fn end_to_end(c: &mut Criterion) {
    let mut g = c.benchmark_group("end_to_end");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(8));
    for (file, n) in [
        ("tutorial.ron", 20_000u64),
        ("asean-cosmo.ron", 200_000),
        ("cosmo2-global.ron", GLOBAL_SAMPLE),
    ] {
        let w = world(file, n);
        g.throughput(Throughput::Elements(n));
        g.bench_function(file, |b| b.iter(|| black_box(run(&w, &opts()).metrics)));
    }
    g.finish();
}

fn stages(c: &mut Criterion) {
    let w = world("cosmo2-global.ron", GLOBAL_SAMPLE);
    // One run to learn each stage's share: a stage that takes 1% of a run needs 100 runs
    // per second of measurement, so each stage gets a budget of about 60 of its own runs.
    let (_, first) = run_profiled(&w, &opts());
    let mut g = c.benchmark_group("stage");
    g.sample_size(10);
    g.sampling_mode(SamplingMode::Flat);
    g.throughput(Throughput::Elements(GLOBAL_SAMPLE));
    for name in [
        "generate", "declare", "movement", "assess", "inspect", "act",
    ] {
        let secs = first.stage(name).max(1e-6);
        g.warm_up_time(Duration::from_secs_f64(secs * 2.0));
        g.measurement_time(Duration::from_secs_f64(secs * 60.0));
        g.bench_function(name, |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| Duration::from_secs_f64(run_profiled(&w, &opts()).1.stage(name)))
                    .sum()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, end_to_end, stages);
criterion_main!(benches);
