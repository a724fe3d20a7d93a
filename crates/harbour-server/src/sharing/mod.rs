//! Sharing decisions, the Caldicott Guardian's queue, telling the family, disclosures received.

pub mod api;
pub mod web;
