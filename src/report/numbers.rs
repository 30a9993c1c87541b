//! Numbers as people read them, the same on screen and in the briefing: thousands
//! separators, fixed decimals, shares that add up to 100%, and "n/a" for a rate with
//! nothing to divide by.

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A quantity with `decimals` fixed decimals and thousands separators; "n/a" if not finite.
pub fn fixed(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "n/a".to_string();
    }
    let text = format!("{:.*}", decimals, v.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let int: u64 = int.parse().unwrap_or(0);
    let sign = if v < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{}", thousands(int))
    } else {
        format!("{sign}{}.{frac}", thousands(int))
    }
}

/// A share as a percentage with `decimals` decimals; "n/a" for none.
pub fn percent(share: Option<f64>, decimals: usize) -> String {
    match share {
        Some(v) if v.is_finite() => format!("{}%", fixed(100.0 * v, decimals)),
        _ => "n/a".to_string(),
    }
}

/// Whole percentages of `shares` that add up to exactly 100 (largest remainder), so a
/// table of where seizures happened never reads 33% + 33% + 33%. `None` if the shares
/// are empty or sum to nothing.
pub fn percents_summing_to_100(shares: &[f64]) -> Option<Vec<u32>> {
    let total: f64 = shares.iter().filter(|v| v.is_finite()).sum();
    if total <= 0.0 {
        return None;
    }
    let exact: Vec<f64> = shares
        .iter()
        .map(|v| {
            if v.is_finite() {
                100.0 * v / total
            } else {
                0.0
            }
        })
        .collect();
    let mut whole: Vec<u32> = exact.iter().map(|v| v.floor() as u32).collect();
    let missing = 100 - whole.iter().sum::<u32>().min(100);
    let mut order: Vec<usize> = (0..exact.len()).collect();
    order.sort_by(|&a, &b| {
        let ra = exact[a] - exact[a].floor();
        let rb = exact[b] - exact[b].floor();
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &i in order.iter().take(missing as usize) {
        whole[i] += 1;
    }
    Some(whole)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_and_decimals() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(50_000_000), "50,000,000");
        assert_eq!(fixed(22947.4, 0), "22,947");
        assert_eq!(fixed(0.37012, 3), "0.370");
        assert_eq!(fixed(-1234.5, 1), "-1,234.5");
        assert_eq!(fixed(-0.0001, 2), "0.00");
        assert_eq!(fixed(f64::NAN, 2), "n/a");
        assert_eq!(percent(None, 1), "n/a");
        assert_eq!(percent(Some(0.3704), 1), "37.0%");
    }

    #[test]
    fn shares_add_to_100() {
        assert_eq!(
            percents_summing_to_100(&[1.0, 1.0, 1.0]),
            Some(vec![34, 33, 33])
        );
        assert_eq!(
            percents_summing_to_100(&[0.125, 0.5, 0.375]),
            Some(vec![13, 50, 37])
        );
        assert_eq!(percents_summing_to_100(&[0.0, 0.0]), None);
        let p = percents_summing_to_100(&[0.2917, 0.1406, 0.5677]).unwrap();
        assert_eq!(p.iter().sum::<u32>(), 100);
    }
}
