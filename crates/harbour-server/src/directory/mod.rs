//! The directory: the signed-in user, organisations, teams and school holidays.

pub mod api;
pub mod web;
