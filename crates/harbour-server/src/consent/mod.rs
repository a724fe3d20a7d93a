//! Consent given and withdrawn.

pub mod api;
pub mod web;
