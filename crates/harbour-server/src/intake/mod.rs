//! Police domestic abuse notifications and partners' information requests.

pub mod api;
pub mod web;
