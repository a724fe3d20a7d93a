//! Staff accounts: created by an administrator, approved by the data protection officer.

pub mod api;
pub mod web;
