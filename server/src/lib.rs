//! The emall server as a library: `main.rs` only calls [`cli::main`], and tests start the
//! whole application on port 0 through [`startup::Application`].
//!
//! Architecture invariants:
//! - Requests enter through `startup::router`; every API route and page handler receives a
//!   checked [`auth::Viewer`] (or none) and asks it for the tenant before touching data.
//! - SQL lives in `store`, one module per aggregate; handlers never write SQL.
//! - Errors cross the HTTP boundary only as [`error::ApiError`].
//! - A write that changes what a public page shows records it in the outbox
//!   (`store::outbox::record`) in its own transaction; the drainer of
//!   [`changes::ChangeFeed`] applies it, and nothing else purges pages or updates the
//!   search index.

pub mod api;
pub mod auth;
pub mod bench;
pub mod cache;
pub mod calendar;
pub mod changes;
pub mod cli;
pub mod error;
pub mod files;
pub mod listener;
pub mod metrics;
pub mod ops;
pub mod pacing;
pub mod pages;
pub mod render;
pub mod scarce;
pub mod search;
pub mod settings;
pub mod startup;
pub mod state;
pub mod tabular;
pub mod timers;
pub mod views;
