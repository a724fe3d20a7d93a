//! The time a use case is asked. The clock is read once, where a request or a command comes
//! in, and passed down: nothing below reads it again, so one operation sees one moment.

use jiff::civil::{Date, DateTime};
use jiff::Timestamp;

/// A moment, and what it is on the clocks in the UK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now {
    pub instant: Timestamp,
    /// UK local date and time.
    pub local: DateTime,
}

impl Now {
    /// Reads the system clock.
    pub fn read() -> Self {
        Self::at(Timestamp::now())
    }

    pub fn at(instant: Timestamp) -> Self {
        Self { instant, local: harbour_domain::uk_local(instant) }
    }

    /// The UK date.
    pub fn today(&self) -> Date {
        self.local.date()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_is_the_uk_date_not_utc() {
        // 23:30 UTC on 1 July is 00:30 on 2 July in London (BST); in January they agree.
        let summer: Timestamp = "2026-07-01T23:30:00Z".parse().unwrap();
        assert_eq!(Now::at(summer).today(), jiff::civil::date(2026, 7, 2));
        let winter: Timestamp = "2026-01-01T23:30:00Z".parse().unwrap();
        assert_eq!(Now::at(winter).today(), jiff::civil::date(2026, 1, 1));
    }
}
