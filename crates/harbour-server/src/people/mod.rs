//! People and their records: search, relationships, episodes, entries, death and NHS number.

pub mod api;
pub mod web;
