//! Retention and disposal: schedules, holds, the review queue, destruction and certificates.

pub mod api;
pub mod web;
