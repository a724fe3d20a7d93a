//! The ledger: signed tree heads, proofs, entries, recent events and a person's access log.

pub mod api;
pub mod web;
