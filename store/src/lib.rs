//! emall's store: every SQL statement of the product, one module per aggregate, and the
//! use cases that sequence them in one transaction (checkout, lifecycle steps, a pool's
//! close, imports, admissions …). Each function takes the [`Db`](crate::db::Db) or an open
//! transaction and returns plain values, view models of `emall-model`, or a typed outcome.
//!
//! Architecture invariants:
//! - Depends on `emall-domain`, `emall-model`, sqlx and tokio; never on axum, Leptos or the
//!   server (a test reads the crate graph for it). No HTTP here: callers map outcomes to
//!   responses.
//! - A write that changes what a public page or the search index shows records a
//!   [`outbox::Change`] in its own transaction: the change and the news of it commit
//!   together.
//! - SQL is written once for both backends ([`db`]); times come from [`clock`].

pub mod alerts;
pub mod api_tokens;
pub mod audit;
pub mod bench;
pub mod budgets;
pub mod calendar;
pub mod cart;
pub mod catalogue;
pub mod checkout;
pub mod clock;
pub mod complaints;
pub mod contracts;
pub mod credit;
pub mod dashboard;
pub mod db;
pub mod disclosure;
pub mod imports;
pub mod keys;
pub mod lifecycle;
pub mod listings;
pub mod ocds;
pub mod offer_reviews;
pub mod offers;
pub mod onboarding;
pub mod order_centre;
pub mod orders;
pub mod outbox;
pub mod password;
pub mod performance;
pub mod pools;
pub mod proposals;
pub mod qualifications;
pub mod regions;
pub mod seed;
pub mod sessions;
pub mod staff;
pub mod stats;
pub mod suppliers;
pub mod throttles;
pub mod units;
pub mod users;

/// Ids written into an `IN (…)` list: integers need no binding, and a statement with
/// thousands of parameters is slower than one with the numbers inline.
pub(crate) fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Statuses whose money counts as contracted spend (frozen or paid).
pub const CONTRACTED_STATUSES: &str =
    "('placed', 'confirmed', 'shipped', 'delivered', 'accepted', 'invoiced', 'paid')";
