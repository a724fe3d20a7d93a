//! Police domestic abuse notifications and partners' information requests.

pub mod api;
