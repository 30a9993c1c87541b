//! The memory a run will need, estimated from the scenario before anything is
//! allocated, and the refusal (with the figure and what to lower) when it would not fit
//! in the memory the machine has available or in a limit the user sets.
//!
//! The model counts what grows with the inputs: the trader population (built once per
//! world), and per run in memory at once the shipments in flight and the platform's
//! alerts. Its constants were measured on `cosmo2-global.ron` (see `BYTES_PER_SHIPMENT`);
//! the estimate is meant to be within a factor of about 1.5 of the peak resident size.

use crate::scenario::Scenario;

/// Resident bytes per shipment in flight in one run: the shipment itself, its slot in the
/// arrival calendar's chunks and its copy in an office's inbox. Measured: 2M and 8M
/// declarations of cosmo2-global (two runs at once) peaked at 169 and 559 MiB with 645k
/// and 2.58M shipments in flight per run: (559 − 169) MiB / (2 × 1.94M) ≈ 105 bytes.
pub const BYTES_PER_SHIPMENT: u64 = 110;
/// Bytes per trader of the population (the record and its share of lookup tables).
pub const BYTES_PER_TRADER: u64 = 24;
/// The world without its population (routes, reference data, tables), and the program.
pub const BASE_BYTES: u64 = 64 << 20;
/// Days a shipment stays in flight besides waiting for its service: cosmo2-global's
/// shipments spend about 12 days in all between declaration and delivery (645k in flight
/// of 2M declared over 38 days); with the waits added the estimate is about 1.3 times
/// the measured peak, on the safe side.
const RESIDENCE_DAYS: f64 = 12.0;
/// Alert entries per illicit shipment (a seizure alerts the offices along its route) and
/// bytes per entry in the platform's maps.
const ALERTS_PER_ILLICIT: f64 = 8.0;
const BYTES_PER_ALERT: f64 = 48.0;

/// What a run will hold in memory, part by part.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    pub declarations: u64,
    pub runs_at_once: u64,
    pub traders: u64,
    pub in_flight_per_run: u64,
    pub bytes: u64,
}

impl Estimate {
    /// A one-line account of the figure.
    pub fn explain(&self) -> String {
        format!(
            "{} declarations: about {} shipments in flight × {BYTES_PER_SHIPMENT} bytes × {} run(s) at once, {} traders",
            self.declarations, self.in_flight_per_run, self.runs_at_once, self.traders
        )
    }
}

/// Estimate the peak memory of `runs_at_once` runs of `s` side by side (replications in
/// parallel, or an operation beside its business-as-usual baseline).
pub fn estimate(s: &Scenario, runs_at_once: u64) -> Estimate {
    let runs_at_once = runs_at_once.max(1);
    let traders = s.administrations.len() as u64 * u64::from(s.traders.per_country)
        + s.illicit
            .iter()
            .map(|n| 2 * u64::from(n.front_companies))
            .sum::<u64>();
    // Waits for a departure average half a service's frequency.
    let frequencies: Vec<f64> = s
        .services
        .iter()
        .map(|x| x.frequency_days)
        .filter(|f| f.is_finite() && *f > 0.0)
        .collect();
    let waits = frequencies.iter().sum::<f64>() / frequencies.len().max(1) as f64 / 2.0;
    let days = f64::from(s.days.max(1));
    let share_in_flight = ((RESIDENCE_DAYS + waits) / days).min(1.0);
    let in_flight = (s.declarations as f64 * share_in_flight).ceil() as u64;
    let illicit_share: f64 = s.illicit.iter().map(|n| n.share.clamp(0.0, 1.0)).sum();
    let alerts = s.declarations as f64 * illicit_share.min(1.0) * ALERTS_PER_ILLICIT;
    let per_run = in_flight.saturating_mul(BYTES_PER_SHIPMENT) + (alerts * BYTES_PER_ALERT) as u64;
    let bytes = BASE_BYTES
        .saturating_add(traders.saturating_mul(BYTES_PER_TRADER))
        .saturating_add(per_run.saturating_mul(runs_at_once));
    Estimate {
        declarations: s.declarations,
        runs_at_once,
        traders,
        in_flight_per_run: in_flight,
        bytes,
    }
}

/// The memory the kernel says can be allocated without swapping (`MemAvailable` of
/// `/proc/meminfo`), where the system reports it.
pub fn available() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Parse a size like `4G`, `512M`, `8GiB` or a number of bytes (for `--max-memory`).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| format!("{text:?}: expected a size such as 4G, 512M or 8GiB"))?;
    let k = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1u64,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        "T" | "TB" | "TIB" => 1 << 40,
        u => return Err(format!("{text:?}: unknown unit {u:?}; use K, M, G or T")),
    };
    let bytes = n * k as f64;
    if !(bytes.is_finite() && bytes >= 1.0 && bytes < u64::MAX as f64) {
        return Err(format!("{text:?}: not a usable size"));
    }
    Ok(bytes as u64)
}

/// Down to two significant digits: a suggestion, not a computation to copy.
fn round_down(v: f64) -> u64 {
    if v < 100.0 {
        return v.max(0.0) as u64;
    }
    let scale = 10f64.powi(v.log10().floor() as i32 - 1);
    ((v / scale).floor() * scale) as u64
}

/// Bytes as a person reads them: `7.5 GiB`.
pub fn human(bytes: u64) -> String {
    let b = bytes as f64;
    let (v, u) = if b >= (1u64 << 30) as f64 {
        (b / (1u64 << 30) as f64, "GiB")
    } else {
        (b / (1u64 << 20) as f64, "MiB")
    };
    format!("{v:.1} {u}")
}

/// Refuse a run whose estimate exceeds `limit` (the user's `--max-memory`) or, without
/// one, the machine's available memory. The message gives both figures, what the
/// estimate is made of and what to lower.
pub fn check(s: &Scenario, runs_at_once: u64, limit: Option<u64>) -> Result<Estimate, String> {
    let e = estimate(s, runs_at_once);
    let (cap, what) = match (limit, available()) {
        (Some(l), _) => (l, "the --max-memory limit".to_string()),
        (None, Some(a)) => (
            a,
            "the memory available on this machine (MemAvailable)".to_string(),
        ),
        (None, None) => return Ok(e),
    };
    if e.bytes <= cap {
        return Ok(e);
    }
    // The declarations that would fit, all else equal.
    let fixed = BASE_BYTES + e.traders * BYTES_PER_TRADER;
    let per_decl = (e.bytes - fixed.min(e.bytes)) as f64 / e.declarations.max(1) as f64;
    let fit = if cap > fixed && per_decl > 0.0 {
        round_down((cap - fixed) as f64 / per_decl * 0.99)
    } else {
        0
    };
    let mut help = Vec::new();
    if fit > 0 {
        help.push(format!("lower --declarations to about {fit}"));
    } else {
        help.push("lower traders.per_country or front_companies".to_string());
    }
    if e.runs_at_once > 1 {
        help.push(format!(
            "run fewer at once ({} now: RAYON_NUM_THREADS=1, or fewer --reps)",
            e.runs_at_once
        ));
    }
    help.push("or set a higher --max-memory if you know better".to_string());
    Err(format!(
        "this run would need about {} ({}), more than {} of {}; {}",
        human(e.bytes),
        e.explain(),
        what,
        human(cap),
        help.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tutorial() -> Scenario {
        let text = include_str!("../scenarios/tutorial.ron");
        crate::scenario::parse("tutorial.ron", text).unwrap()
    }

    #[test]
    fn estimate_grows_with_declarations_and_runs() {
        let mut s = tutorial();
        let small = estimate(&s, 1);
        s.declarations *= 100;
        let big = estimate(&s, 1);
        let two = estimate(&s, 2);
        assert!(big.bytes > small.bytes);
        assert!(two.bytes > big.bytes);
        assert_eq!(big.in_flight_per_run, 100 * small.in_flight_per_run);
        assert_eq!(small.traders, 4 * 300 + 2 * 8);
    }

    #[test]
    fn refusal_gives_the_figure_and_what_to_lower() {
        let mut s = tutorial();
        s.declarations = u32::MAX as u64;
        let err = check(&s, 2, Some(1 << 30)).unwrap_err();
        assert!(err.contains("GiB"), "{err}");
        assert!(err.contains("--max-memory"), "{err}");
        assert!(err.contains("lower --declarations to about"), "{err}");
        // What it suggests does fit.
        let fit: u64 = err
            .split("lower --declarations to about ")
            .nth(1)
            .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        s.declarations = fit;
        assert!(check(&s, 2, Some(1 << 30)).is_ok());
        assert!(check(&tutorial(), 1, Some(1 << 30)).is_ok());
    }

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("4G"), Ok(4 << 30));
        assert_eq!(parse_size("512MiB"), Ok(512 << 20));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("-1G").is_err());
        assert!(parse_size("4X").is_err());
        assert!(parse_size("").is_err());
    }
}
