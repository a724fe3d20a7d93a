//! Personal Information Sharing Agreements.

pub mod api;
pub mod web;
