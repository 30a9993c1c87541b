//! Great-circle geometry.

pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Haversine distance in km between two (lat, lon) points in degrees.
pub fn great_circle_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn london_new_york() {
        let d = great_circle_km(51.5074, -0.1278, 40.7128, -74.0060);
        assert!((d - 5570.0).abs() < 0.01 * 5570.0, "{d}");
    }
}
