//! The register of requests under the rights: subject access, rectification, restriction and
//! objection.

pub mod api;
pub mod web;
