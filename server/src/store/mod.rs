//! SQL, one module per aggregate. Each function takes the [`Db`](crate::db::Db) or an open
//! transaction and returns plain values or view models; no HTTP here.

pub mod alerts;
pub mod api_tokens;
pub mod audit;
pub mod budgets;
pub mod calendar;
pub mod cart;
pub mod catalogue;
pub mod checkout;
pub mod complaints;
pub mod contracts;
pub mod credit;
pub mod dashboard;
pub mod disclosure;
pub mod imports;
pub mod lifecycle;
pub mod listings;
pub mod offer_reviews;
pub mod offers;
pub mod onboarding;
pub mod orders;
pub mod outbox;
pub mod performance;
pub mod pools;
pub mod proposals;
pub mod qualifications;
pub mod regions;
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
