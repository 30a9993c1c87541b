//! Tests of the charts: files written, texts present, degenerate input.

use super::*;
use crate::metrics::stats::estimate;

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

/// The text content of every `<text>` element.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|chunk| {
            let start = chunk.find('>')? + 1;
            let end = chunk.find("</text>")?;
            Some(chunk[start..end].trim().to_owned())
        })
        .collect()
}

/// Both files exist, the PNG is a PNG, the SVG has every `expected` string as a text
/// element, and no temp files were left.
fn check(dir: &Path, stem: &Path, expected: &[&str]) {
    let png = fs::read(with_suffix(stem, "png")).unwrap();
    assert!(png.len() > 1000, "PNG too small: {}", png.len());
    assert_eq!(png[..8], PNG_SIGNATURE);
    let svg = fs::read_to_string(with_suffix(stem, "svg")).unwrap();
    assert!(svg.starts_with("<svg"), "{}", &svg[..40.min(svg.len())]);
    let texts = svg_texts(&svg);
    for e in expected {
        assert!(
            texts.iter().any(|t| t == e),
            "missing text {e:?} in {texts:?}"
        );
    }
    let leftovers: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
}

fn band(name: &str, f: impl Fn(f64) -> f64) -> Band {
    Band {
        name: name.to_owned(),
        points: (0..=10)
            .map(|i| {
                let x = i as f64 * 0.02;
                let m = f(x);
                BandPoint {
                    x,
                    mean: m,
                    ci_low: m - 0.03 - x * 0.1,
                    ci_high: m + 0.03 + x * 0.1,
                }
            })
            .collect(),
        labels: (0..=10).map(|i| format!("x={i}")).collect(),
    }
}

fn sample_bands() -> Vec<Band> {
    vec![
        band("Random", |x| x),
        band("Risk profile", |x| (x * 4.0).min(0.7)),
        band("Intelligence-led", |x| (0.1 + x * 5.0).min(0.9)),
    ]
}

fn sample_bars() -> Vec<(String, Estimate)> {
    vec![
        (
            "Random".to_owned(),
            estimate(&[0.05, 0.07, 0.06, 0.08, 0.04]),
        ),
        (
            "Risk profile".to_owned(),
            estimate(&[0.31, 0.35, 0.29, 0.4, 0.33]),
        ),
        (
            "Intelligence-led".to_owned(),
            estimate(&[0.52, 0.61, 0.55, 0.58, 0.49]),
        ),
        (
            "Intelligence-led with transit checks".to_owned(),
            estimate(&[0.6, 0.7, 0.65, 0.62, 0.71]),
        ),
    ]
}

fn sample_days() -> Vec<(String, Vec<(f64, f64)>)> {
    let mk = |name: &str, k: f64| {
        let pts = (0..90)
            .map(|d| {
                let d = d as f64;
                (d, (k * (1.0 + (d / 7.0).sin()) + d * 0.02).max(0.0))
            })
            .collect();
        (name.to_owned(), pts)
    };
    vec![
        mk("Random", 1.0),
        mk("Risk profile", 2.5),
        mk("Intelligence-led", 4.0),
    ]
}

fn sample_rows() -> Vec<(String, Vec<f64>)> {
    vec![
        ("Random".to_owned(), vec![0.2, 0.3, 0.5]),
        ("Risk profile".to_owned(), vec![0.5, 0.2, 0.3]),
        ("Intelligence-led".to_owned(), vec![12.0, 3.0, 1.0]),
        ("No seizures".to_owned(), vec![0.0, 0.0, 0.0]),
    ]
}

#[test]
fn line_with_bands_writes_png_and_svg_with_text() {
    let dir = tempfile::tempdir().unwrap();
    let stem = dir.path().join("detection_vs_inspection");
    line_with_bands(
        &stem,
        "Detection vs inspection rate",
        "Inspection rate",
        "Detection rate",
        &sample_bands(),
    )
    .unwrap();
    check(
        dir.path(),
        &stem,
        &[
            "Detection vs inspection rate",
            "Inspection rate",
            "Detection rate",
            "Random",
            "Risk profile",
            "Intelligence-led",
        ],
    );
}

#[test]
fn bars_with_whiskers_writes_png_and_svg_with_text() {
    let dir = tempfile::tempdir().unwrap();
    let stem = dir.path().join("bars");
    bars_with_whiskers(
        &stem,
        "Detection rate by strategy",
        "Detection rate",
        &sample_bars(),
    )
    .unwrap();
    check(
        dir.path(),
        &stem,
        &[
            "Detection rate by strategy",
            "Detection rate",
            "Random",
            "Risk profile",
        ],
    );
}

#[test]
fn time_series_writes_png_and_svg_with_text() {
    let dir = tempfile::tempdir().unwrap();
    let stem = dir.path().join("seizures");
    time_series(&stem, "Seizures per day", "Day", "Seizures", &sample_days()).unwrap();
    check(
        dir.path(),
        &stem,
        &[
            "Seizures per day",
            "Day",
            "Seizures",
            "Random",
            "Intelligence-led",
        ],
    );
}

#[test]
fn stacked_shares_writes_png_and_svg_with_text() {
    let dir = tempfile::tempdir().unwrap();
    let stem = dir.path().join("interdiction");
    stacked_shares(
        &stem,
        "Where shipments were stopped",
        &["Export", "Transit", "Import"],
        &sample_rows(),
    )
    .unwrap();
    check(
        dir.path(),
        &stem,
        &[
            "Where shipments were stopped",
            "Export",
            "Transit",
            "Import",
            "Random",
            "No seizures",
            "no data",
            "75%",
        ],
    );
}

#[test]
fn empty_and_degenerate_input_does_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    line_with_bands(&d.join("a"), "Empty", "x", "y", &[]).unwrap();
    check(d, &d.join("a"), &["Empty", "No data"]);
    line_with_bands(
        &d.join("b"),
        "No points",
        "x",
        "y",
        &[Band {
            name: "s".into(),
            points: vec![],
            labels: vec![],
        }],
    )
    .unwrap();
    let nan = BandPoint {
        x: f64::NAN,
        mean: f64::NAN,
        ci_low: f64::NAN,
        ci_high: f64::NAN,
    };
    line_with_bands(
        &d.join("c"),
        "NaN",
        "x",
        "y",
        &[Band {
            name: "s".into(),
            points: vec![nan; 3],
            labels: vec![],
        }],
    )
    .unwrap();
    let flat = BandPoint {
        x: 1.0,
        mean: 0.5,
        ci_low: f64::NAN,
        ci_high: f64::NAN,
    };
    line_with_bands(
        &d.join("d"),
        "One point",
        "x",
        "y",
        &[Band {
            name: "s".into(),
            points: vec![flat],
            labels: vec![],
        }],
    )
    .unwrap();
    bars_with_whiskers(&d.join("e"), "Empty", "y", &[]).unwrap();
    let nan_est = Estimate {
        mean: f64::NAN,
        ci_low: f64::NAN,
        ci_high: f64::NAN,
        sd: 0.0,
        n: 0,
    };
    bars_with_whiskers(
        &d.join("f"),
        "NaN",
        "y",
        &[("a".into(), nan_est), ("b".into(), Estimate::EMPTY)],
    )
    .unwrap();
    bars_with_whiskers(
        &d.join("g"),
        "Negative",
        "y",
        &[("a".into(), estimate(&[-1.0, -2.0, -1.5]))],
    )
    .unwrap();
    time_series(&d.join("h"), "Empty", "x", "y", &[]).unwrap();
    time_series(
        &d.join("i"),
        "Flat",
        "x",
        "y",
        &[("z".into(), vec![(0.0, 0.0), (1.0, 0.0), (2.0, f64::NAN)])],
    )
    .unwrap();
    time_series(
        &d.join("j"),
        "Inf",
        "x",
        "y",
        &[("z".into(), vec![(f64::INFINITY, 1.0)])],
    )
    .unwrap();
    stacked_shares(&d.join("k"), "Empty", &[], &[]).unwrap();
    stacked_shares(
        &d.join("l"),
        "Ragged",
        &["a"],
        &[
            ("r".into(), vec![f64::NAN, -1.0, 2.0]),
            ("s".into(), vec![]),
        ],
    )
    .unwrap();
    let texts = svg_texts(&fs::read_to_string(d.join("l.svg")).unwrap());
    assert!(texts.iter().any(|t| t == "part 3"), "{texts:?}");
    for s in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"] {
        check(d, &d.join(s), &[]);
    }
}

#[test]
fn stem_keeps_its_dots_and_errors_name_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let stem = dir.path().join("rate.v2");
    time_series(&stem, "t", "x", "y", &sample_days()).unwrap();
    assert!(dir.path().join("rate.v2.png").exists());
    assert!(dir.path().join("rate.v2.svg").exists());
    let missing = dir.path().join("no-such-dir").join("plot");
    let err = time_series(&missing, "t", "x", "y", &sample_days()).unwrap_err();
    assert!(err.to_string().contains("no-such-dir"), "{err}");
}

#[test]
fn helpers() {
    assert_eq!(pad_range((2.0, 2.0), 0.05), (1.8, 2.2));
    assert_eq!(pad_range((0.0, 0.0), 0.05), (-1.0, 1.0));
    assert_eq!(
        finite_range([f64::NAN, 3.0, -1.0, f64::INFINITY]),
        Some((-1.0, 3.0))
    );
    assert_eq!(finite_range([f64::NAN]), None);
    assert_eq!(shares::shares(&[1.0, 3.0]), Some(vec![0.25, 0.75]));
    assert_eq!(shares::shares(&[0.0, f64::NAN]), None);
    assert_eq!(fmt_tick(&0.25), "0.25");
    assert_eq!(fmt_tick(&0.30000000000000004), "0.3");
    assert_eq!(fmt_tick(&250.0), "250");
    assert_eq!(
        with_suffix(Path::new("out/a.b"), "png"),
        PathBuf::from("out/a.b.png")
    );
}

/// Writes one chart of each kind to /tmp/stce-plots for looking at by eye:
/// `cargo test --lib report::plots::tests::write_examples -- --ignored`.
#[test]
#[ignore]
fn write_examples() {
    let d = Path::new("/tmp/stce-plots");
    fs::create_dir_all(d).unwrap();
    line_with_bands(
        &d.join("bands"),
        "Detection rate vs inspection rate",
        "Inspection rate",
        "Detection rate",
        &sample_bands(),
    )
    .unwrap();
    bars_with_whiskers(
        &d.join("bars"),
        "Detection rate by strategy (95% CI)",
        "Detection rate",
        &sample_bars(),
    )
    .unwrap();
    time_series(
        &d.join("series"),
        "Seizures per day",
        "Day",
        "Seizures",
        &sample_days(),
    )
    .unwrap();
    stacked_shares(
        &d.join("stacked"),
        "Interdiction point by strategy",
        &["Export", "Transit", "Import"],
        &sample_rows(),
    )
    .unwrap();
    line_with_bands(&d.join("empty"), "Nothing to show", "x", "y", &[]).unwrap();

    // Stress: many series, long names, negative values.
    let names = [
        "Random",
        "Risk profile",
        "Intelligence-led",
        "Intelligence-led with transit-hub checks and extra scrutiny",
        "Cosmo operation",
        "Post-shipment verification",
        "End-user checks",
        "Broker registry",
        "Catch-all clause",
        "Tenth strategy",
    ];
    let many: Vec<Band> = names
        .iter()
        .enumerate()
        .map(|(i, n)| band(n, |x| x * (i as f64 + 1.0)))
        .collect();
    line_with_bands(
        &d.join("bands_many"),
        "Many strategies with a rather long title that goes on and on about detection",
        "Inspection rate",
        "Detection rate",
        &many,
    )
    .unwrap();
    let diffs: Vec<(String, Estimate)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let m = i as f64 * 0.05 - 0.2;
            (
                (*n).to_owned(),
                estimate(&[m - 0.03, m, m + 0.04, m + 0.01]),
            )
        })
        .collect();
    bars_with_whiskers(
        &d.join("bars_many"),
        "Difference from baseline (paired, 95% CI)",
        "Detection rate difference",
        &diffs,
    )
    .unwrap();
    let rows: Vec<(String, Vec<f64>)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| ((*n).to_owned(), vec![i as f64, 10.0 - i as f64, 2.0]))
        .collect();
    stacked_shares(
        &d.join("stacked_many"),
        "Interdiction point",
        &["Export", "Transit", "Import"],
        &rows,
    )
    .unwrap();
}
