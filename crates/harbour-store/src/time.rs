//! Instants are stored as RFC 3339 UTC text with exactly six fractional digits, so that text
//! order is time order on both backends.

use jiff::Timestamp;

use crate::StoreError;

pub fn format_ts(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub fn parse_ts(s: &str) -> Result<Timestamp, StoreError> {
    s.parse().map_err(|e| StoreError::Corrupt(format!("timestamp {s:?}: {e}")))
}

/// Reads a stored calendar date (ISO 8601).
pub(crate) fn parse_date(s: &str) -> Result<jiff::civil::Date, StoreError> {
    s.parse().map_err(|e| StoreError::Corrupt(format!("date {s:?}: {e}")))
}

pub(crate) fn now() -> String {
    format_ts(Timestamp::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_sort_as_text() {
        let a: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let b: Timestamp = "2026-01-01T00:00:00.5Z".parse().unwrap();
        assert_eq!(format_ts(a), "2026-01-01T00:00:00.000000Z");
        assert!(format_ts(a) < format_ts(b));
        assert_eq!(parse_ts(&format_ts(b)).unwrap(), b);
    }
}
