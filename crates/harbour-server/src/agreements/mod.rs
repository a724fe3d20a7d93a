//! Personal Information Sharing Agreements.

pub mod api;
