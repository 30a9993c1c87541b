//! Random streams. Each purpose has its own ChaCha stream derived from the run seed, so
//! that changing a strategy never changes the trade flows (common random numbers).
//! Per-shipment chances that depend on what happened earlier (a wait for a departure,
//! an inspection's outcome) are drawn from a counter-based hash of the shipment and the
//! stop instead of a sequential stream: the same shipment inspected at the same stop
//! gets the same draw whichever strategy selected it.

/// What a stream is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Stream {
    WorldBuild = 1,
    Flows = 2,
    Adversary = 3,
    Declare = 4,
    Inspection = 5,
    Waits = 6,
    /// The order new shipments reach their first office in.
    Order = 7,
    /// Which networks pause on publicity.
    Publicity = 8,
    /// The population's records (see `world::population`).
    Population = 9,
    /// Daily volume factors (over-dispersed arrivals).
    Volume = 10,
    /// Strategy streams: one per office, offset by the office index.
    Strategy = 1 << 20,
}

/// The seed of one stream of one run.
pub fn derive_seed(seed: u64, stream: Stream) -> u64 {
    mix(seed ^ mix(stream as u64))
}

/// The stream of the strategy of the office with stable key `office_key` (see
/// [`name_key`]): keyed by its node code, not its position in the file.
pub fn strategy_seed(seed: u64, office_key: u64) -> u64 {
    mix(seed ^ mix(Stream::Strategy as u64 ^ office_key))
}

/// A stable 64-bit key of a name (FNV-1a, then mixed): streams keyed by names such as a
/// country's ISO code, a node code or a network's name do not move when unrelated
/// entries are added to, removed from or reordered in the scenario file.
pub fn name_key(name: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    mix(h)
}

/// SplitMix64 finaliser: a bijective, well-mixed hash of a 64-bit word.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A uniform draw in [0, 1) keyed by (stream seed, shipment, stop).
pub fn unit(stream_seed: u64, shipment: u64, stop: u64) -> f64 {
    let h = mix(stream_seed ^ mix(shipment.wrapping_mul(0x100_0000_01B3) ^ stop));
    (h >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_is_uniform_enough() {
        let n = 100_000;
        let mean: f64 = (0..n).map(|i| unit(7, i, 0)).sum::<f64>() / n as f64;
        assert!((mean - 0.5).abs() < 0.005, "{mean}");
        let below: usize = (0..n).filter(|&i| unit(7, i, 3) < 0.1).count();
        assert!((below as f64 / n as f64 - 0.1).abs() < 0.005);
    }

    #[test]
    fn streams_differ() {
        assert_ne!(
            derive_seed(1, Stream::Flows),
            derive_seed(1, Stream::Adversary)
        );
        assert_ne!(
            strategy_seed(1, name_key("SGSIN")),
            strategy_seed(1, name_key("MYPKG"))
        );
    }
}
