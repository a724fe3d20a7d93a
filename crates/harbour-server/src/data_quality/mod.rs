//! Records to put right: NHS numbers CP-IS cannot use.

pub mod api;
pub mod web;
