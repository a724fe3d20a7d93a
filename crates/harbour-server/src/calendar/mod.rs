//! The school-day calendar and the deadline it gives a domestic abuse notification.

pub mod api;
