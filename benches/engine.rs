//! End-to-end throughput: declarations simulated per second on the shipped scenarios.
//! Run with `cargo bench --bench engine`.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use stce::sim::{RunOptions, run};
use stce::{Overrides, load_world};

fn end_to_end(c: &mut Criterion) {
    let mut g = c.benchmark_group("end_to_end");
    g.sample_size(10);
    for (file, n) in [("tutorial.ron", 20_000u64), ("asean-cosmo.ron", 200_000)] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join(file);
        let w = load_world(
            &path,
            &Overrides {
                declarations: Some(n),
            },
        )
        .expect("scenario");
        g.throughput(Throughput::Elements(n));
        g.bench_function(file, |b| {
            b.iter(|| {
                black_box(
                    run(
                        &w,
                        &RunOptions {
                            seed: 1,
                            strategy: None,
                            ..Default::default()
                        },
                    )
                    .metrics,
                )
            })
        });
    }
    g.finish();
}

criterion_group!(benches, end_to_end);
criterion_main!(benches);
