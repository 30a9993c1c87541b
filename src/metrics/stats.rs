//! Statistics over replications: means with Student-t confidence intervals, paired
//! differences under common random numbers, and Wilson intervals for single-run proportions.
//!
//! All intervals are two-sided 95%.

use std::sync::OnceLock;

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// A mean over replications with its 95% confidence interval.
///
/// `n` counts only the finite samples that went into the estimate. In JSON an estimate
/// of no samples (`n = 0`) has `null` mean, interval and sd.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub mean: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// Sample standard deviation (denominator `n - 1`); 0 when `n < 2`.
    pub sd: f64,
    pub n: usize,
}

impl Estimate {
    /// Half the width of the confidence interval.
    pub fn half_width(&self) -> f64 {
        (self.ci_high - self.ci_low) / 2.0
    }

    /// The estimate of no samples: everything zero, `n = 0`.
    pub const EMPTY: Estimate = Estimate {
        mean: 0.0,
        ci_low: 0.0,
        ci_high: 0.0,
        sd: 0.0,
        n: 0,
    };
}

impl Serialize for Estimate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let v = |x: f64| (self.n > 0 && x.is_finite()).then_some(x);
        let mut st = s.serialize_struct("Estimate", 5)?;
        st.serialize_field("mean", &v(self.mean))?;
        st.serialize_field("ci_low", &v(self.ci_low))?;
        st.serialize_field("ci_high", &v(self.ci_high))?;
        st.serialize_field("sd", &v(self.sd))?;
        st.serialize_field("n", &self.n)?;
        st.end()
    }
}

/// Degrees of freedom below this are served from a table computed once.
const T_TABLE_LEN: usize = 1024;

/// The 0.975 quantile of Student's t with `dof` degrees of freedom (the multiplier for a
/// two-sided 95% interval). Values for `dof < 1024` are computed once and cached; larger
/// `dof` are computed on demand (they tend to 1.95996, the normal quantile).
/// `dof = 0` has no t distribution; it returns infinity.
pub fn t_quantile_975(dof: usize) -> f64 {
    static TABLE: OnceLock<Vec<f64>> = OnceLock::new();
    if dof == 0 {
        return f64::INFINITY;
    }
    if dof < T_TABLE_LEN {
        let table = TABLE.get_or_init(|| (0..T_TABLE_LEN).map(compute_t_975).collect());
        return table[dof];
    }
    compute_t_975(dof)
}

fn compute_t_975(dof: usize) -> f64 {
    if dof == 0 {
        return f64::INFINITY;
    }
    match StudentsT::new(0.0, 1.0, dof as f64) {
        Ok(t) => {
            let q = t.inverse_cdf(0.975);
            if q.is_finite() { q } else { normal_975() }
        }
        Err(_) => normal_975(),
    }
}

fn normal_975() -> f64 {
    Normal::standard().inverse_cdf(0.975)
}

/// Mean and 95% confidence interval from Student's t with `n - 1` degrees of freedom.
///
/// Non-finite samples (NaN: a rate with an empty denominator; infinities) are skipped and
/// `n` counts only the finite ones. With `n = 1` the interval collapses to the mean and
/// `sd = 0`; with `n = 0` every field is 0 ([`Estimate::EMPTY`]).
pub fn estimate(samples: &[f64]) -> Estimate {
    let finite = || samples.iter().copied().filter(|x| x.is_finite());
    let n = finite().count();
    if n == 0 {
        return Estimate::EMPTY;
    }
    let mean = finite().sum::<f64>() / n as f64;
    if n == 1 {
        return Estimate {
            mean,
            ci_low: mean,
            ci_high: mean,
            sd: 0.0,
            n,
        };
    }
    let ss: f64 = finite().map(|x| (x - mean) * (x - mean)).sum();
    let sd = (ss / (n - 1) as f64).sqrt();
    let half = t_quantile_975(n - 1) * sd / (n as f64).sqrt();
    Estimate {
        mean,
        ci_low: mean - half,
        ci_high: mean + half,
        sd,
        n,
    }
}

/// Paired difference `b - a` per replication (common random numbers: replication `i` of
/// `a` and of `b` share a seed), then [`estimate`] of the differences.
///
/// `a` and `b` must have the same length (checked by `debug_assert!`); in release builds
/// the extra tail of the longer slice is ignored. Pairs where either side is not finite
/// are skipped.
pub fn paired_difference(a: &[f64], b: &[f64]) -> Estimate {
    debug_assert_eq!(
        a.len(),
        b.len(),
        "paired_difference: replication counts differ"
    );
    let diffs: Vec<f64> = a
        .iter()
        .zip(b)
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .map(|(x, y)| y - x)
        .collect();
    estimate(&diffs)
}

/// Wilson score 95% interval for a proportion `successes / trials` from one run.
///
/// With `trials = 0` nothing is known and the interval is `(0.0, 1.0)`. `successes` larger
/// than `trials` is clamped to `trials`. The bounds lie in `[0, 1]` and are exactly 0 (1)
/// when there are no successes (no failures).
pub fn wilson_interval(successes: u64, trials: u64) -> (f64, f64) {
    if trials == 0 {
        return (0.0, 1.0);
    }
    let n = trials as f64;
    let p = successes.min(trials) as f64 / n;
    let z = normal_975();
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    // The exact bounds at the edges are 0 and 1; rounding would otherwise leave ~1e-17.
    let lo = if successes == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let hi = if successes >= trials {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    (lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn t_quantiles_match_tables() {
        assert!(
            close(t_quantile_975(1), 12.706, 1e-3),
            "{}",
            t_quantile_975(1)
        );
        assert!(close(t_quantile_975(4), 2.776, 1e-3));
        assert!(close(t_quantile_975(30), 2.042, 1e-3));
        assert!(close(t_quantile_975(1_000_000), 1.960, 1e-3));
        assert!(close(t_quantile_975(5000), 1.9604, 1e-3));
        assert!(t_quantile_975(0).is_infinite());
        // Decreasing in dof.
        for d in 1..200 {
            assert!(t_quantile_975(d) > t_quantile_975(d + 1));
        }
    }

    #[test]
    fn estimate_known_values() {
        let e = estimate(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(e.n, 5);
        assert!(close(e.mean, 3.0, 1e-12));
        assert!(close(e.sd, 1.5811, 1e-4));
        assert!(close(e.half_width(), 1.9632, 1e-3), "{}", e.half_width());
        assert!(close(e.ci_low, 3.0 - 1.9632, 1e-3));
        assert!(close(e.ci_high, 3.0 + 1.9632, 1e-3));
    }

    #[test]
    fn estimate_small_and_nan() {
        assert_eq!(estimate(&[]), Estimate::EMPTY);
        assert_eq!(estimate(&[f64::NAN, f64::NAN]), Estimate::EMPTY);
        let one = estimate(&[f64::NAN, 0.25]);
        assert_eq!(one.n, 1);
        assert_eq!(one.mean, 0.25);
        assert_eq!((one.ci_low, one.ci_high, one.sd), (0.25, 0.25, 0.0));
        let with_nan = estimate(&[1.0, f64::NAN, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(with_nan, estimate(&[1.0, 2.0, 3.0, 4.0, 5.0]));
        let constant = estimate(&[0.5; 10]);
        assert_eq!((constant.ci_low, constant.ci_high), (0.5, 0.5));
    }

    #[test]
    fn paired_difference_of_identical_is_zero() {
        let a = [0.1, 0.5, 0.3, 0.9];
        let d = paired_difference(&a, &a);
        assert_eq!(d.n, 4);
        assert_eq!((d.mean, d.ci_low, d.ci_high, d.sd), (0.0, 0.0, 0.0, 0.0));
    }

    #[test]
    fn paired_difference_removes_shared_noise() {
        // b = a + 1 exactly: the difference is 1 with zero width although a varies a lot.
        let a = [10.0, -3.0, 7.5, 100.0, f64::NAN];
        let b = [11.0, -2.0, 8.5, 101.0, 5.0];
        let d = paired_difference(&a, &b);
        assert_eq!(d.n, 4);
        assert!(close(d.mean, 1.0, 1e-12));
        assert!(d.half_width() < 1e-9);
    }

    #[test]
    fn wilson_known_values() {
        let (lo, hi) = wilson_interval(50, 100);
        assert!(close(lo, 0.4038, 1e-4), "{lo}");
        assert!(close(hi, 0.5962, 1e-4), "{hi}");
        assert_eq!(wilson_interval(0, 0), (0.0, 1.0));
        let (lo, hi) = wilson_interval(0, 10);
        assert_eq!(lo, 0.0);
        assert!(hi > 0.2 && hi < 0.35, "{hi}");
        let (lo, hi) = wilson_interval(10, 10);
        assert_eq!(hi, 1.0);
        assert!(lo > 0.65 && lo < 0.8, "{lo}");
    }
}
