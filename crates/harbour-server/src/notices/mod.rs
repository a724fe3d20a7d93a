//! The public privacy notices, rendered from the packs in force.

pub mod web;
