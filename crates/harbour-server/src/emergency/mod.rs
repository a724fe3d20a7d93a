//! Opening a record in an emergency, and the data protection officer's review of each opening.

pub mod api;
pub mod web;
