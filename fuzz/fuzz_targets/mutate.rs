//! The inputs both fuzz targets read: anything but a first byte 0xFF is a scenario
//! file's bytes as a user could write them; 0xFF, k, then (token, value) pairs is
//! shipped scenario k with the numbers at the given positions replaced by boundary
//! values (0, -1, 2^32-1, 1e308, NaN, ...). Raw byte mutation rarely produces those,
//! and they are where ranges and arithmetic break.

const SEEDS: [&str; 3] = [
    include_str!("../../scenarios/tutorial.ron"),
    include_str!("../../scenarios/asean-cosmo.ron"),
    include_str!("../../scenarios/cosmo2-global.ron"),
];

const BOUNDARY: [&str; 24] = [
    "0", "1", "-1", "0.0", "-0.0", "1.0", "2.0", "-1.0", "0.5", "1e-300", "1e308", "-1e308",
    "NaN", "inf", "-inf", "255", "65535", "65536", "2147483648", "4294967295", "4294967296",
    "18446744073709551615", "3660", "3661",
];

/// Byte ranges of the numeric literals of `text` (outside strings and comments is not
/// checked: a number inside a string is harmless to replace).
fn numbers(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts = b[i].is_ascii_digit()
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'));
        if starts {
            let s = if i > 0 && b[i - 1] == b'-' { i - 1 } else { i };
            let mut e = i;
            while e < b.len() && (b[e].is_ascii_digit() || b"._eE".contains(&b[e])) {
                e += 1;
            }
            out.push((s, e));
            i = e;
        } else {
            i += 1;
        }
    }
    out
}

fn structured(data: &[u8]) -> Vec<u8> {
    let Some((&k, pairs)) = data.split_first() else {
        return Vec::new();
    };
    let text = SEEDS[k as usize % SEEDS.len()];
    let spans = numbers(text);
    let mut replace: Vec<(usize, &str)> = pairs
        .chunks_exact(3)
        .map(|c| {
            let t = u16::from_le_bytes([c[0], c[1]]) as usize % spans.len();
            (t, BOUNDARY[c[2] as usize % BOUNDARY.len()])
        })
        .collect();
    replace.sort_by_key(|r| r.0);
    replace.dedup_by_key(|r| r.0);
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for (t, v) in replace {
        let (s, e) = spans[t];
        out.push_str(&text[pos..s]);
        out.push_str(v);
        pos = e;
    }
    out.push_str(&text[pos..]);
    out.into_bytes()
}


/// The scenario bytes an input stands for.
pub fn scenario_bytes(data: &[u8]) -> Vec<u8> {
    match data.split_first() {
        Some((0xFF, rest)) => structured(rest),
        _ => data.to_vec(),
    }
}
