//! Statistics over replications: means with Student-t 95% confidence intervals, paired
//! differences (common random numbers), and Wilson intervals for one run's proportions.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// A mean with its 95% confidence interval over `n` replications.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    pub mean: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub sd: f64,
    pub n: usize,
}

/// The 0.975 quantile of Student's t with `dof` degrees of freedom.
pub fn t_quantile_975(dof: usize) -> f64 {
    if dof == 0 {
        return f64::NAN;
    }
    StudentsT::new(0.0, 1.0, dof as f64)
        .map(|t| t.inverse_cdf(0.975))
        .unwrap_or(1.959_963_985)
}

/// Mean and 95% CI of the finite samples (a rate with an empty denominator is NaN and
/// is left out; `n` counts what was used). With one sample the interval is the point;
/// with none everything is zero and `n` is 0.
pub fn estimate(samples: &[f64]) -> Estimate {
    let xs: Vec<f64> = samples.iter().copied().filter(|x| x.is_finite()).collect();
    let n = xs.len();
    if n == 0 {
        return Estimate {
            mean: 0.0,
            ci_low: 0.0,
            ci_high: 0.0,
            sd: 0.0,
            n: 0,
        };
    }
    let mean = xs.iter().sum::<f64>() / n as f64;
    if n == 1 {
        return Estimate {
            mean,
            ci_low: mean,
            ci_high: mean,
            sd: 0.0,
            n,
        };
    }
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let sd = var.sqrt();
    let half = t_quantile_975(n - 1) * sd / (n as f64).sqrt();
    Estimate {
        mean,
        ci_low: mean - half,
        ci_high: mean + half,
        sd,
        n,
    }
}

/// The paired difference `b − a`, replication by replication, and its CI. Pairs where
/// either side is not finite are left out. The slices must be the same replications.
pub fn paired_difference(a: &[f64], b: &[f64]) -> Estimate {
    debug_assert_eq!(
        a.len(),
        b.len(),
        "paired samples must have the same replications"
    );
    let d: Vec<f64> = a
        .iter()
        .zip(b)
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .map(|(x, y)| y - x)
        .collect();
    estimate(&d)
}

/// Wilson score 95% interval for `successes` of `trials`; (0, 1) when there are no
/// trials.
pub fn wilson_interval(successes: u64, trials: u64) -> (f64, f64) {
    if trials == 0 {
        return (0.0, 1.0);
    }
    let z = 1.959_963_985;
    let n = trials as f64;
    let p = successes as f64 / n;
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * ((p * (1.0 - p) + z * z / (4.0 * n)) / n).sqrt() / denom;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles() {
        assert!((t_quantile_975(1) - 12.706).abs() < 1e-3);
        assert!((t_quantile_975(30) - 2.042).abs() < 1e-3);
        assert!((t_quantile_975(100_000) - 1.96).abs() < 1e-3);
    }

    #[test]
    fn known_estimate() {
        let e = estimate(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(e.mean, 3.0);
        assert!((e.sd - 1.5811).abs() < 1e-4);
        let half = 2.776_445 * 1.581_139 / 5f64.sqrt();
        assert!((e.ci_high - 3.0 - half).abs() < 1e-3, "{e:?}");
        assert_eq!(estimate(&[f64::NAN, 2.0]).n, 1);
        assert_eq!(estimate(&[]).n, 0);
    }

    #[test]
    fn paired() {
        let a = [1.0, 2.0, 3.0];
        let z = paired_difference(&a, &a);
        assert_eq!((z.mean, z.ci_low, z.ci_high), (0.0, 0.0, 0.0));
        let d = paired_difference(&a, &[2.0, 3.1, 3.9]);
        assert!((d.mean - 1.0).abs() < 1e-9 && d.ci_low > 0.0);
    }

    #[test]
    fn wilson() {
        let (lo, hi) = wilson_interval(50, 100);
        assert!((lo - 0.4038).abs() < 1e-3 && (hi - 0.5962).abs() < 1e-3);
        assert_eq!(wilson_interval(0, 0), (0.0, 1.0));
    }
}
