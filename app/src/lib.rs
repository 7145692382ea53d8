#![recursion_limit = "256"]
//! emall's user interface: server-rendered Leptos pages with small islands that hydrate.
//!
//! Architecture invariants:
//! - Pages are pure functions of their view model ([`model`]) and the [`Locale`]: no IO, no
//!   clock, no randomness, so a public page renders the same bytes for every visitor.
//! - This crate compiles to wasm: tokio and sqlx never appear here; browser-only code sits
//!   behind `feature = "hydrate"`.
//! - Every user-visible string comes from [`i18n::Msg`].
//! - Pages are server-side only: the wasm modules carry islands, never pages (see
//!   [`islands`] for the storefront and workspace modules).

pub mod islands;
#[cfg(any(not(feature = "hydrate"), feature = "workspace"))]
pub mod pages;
pub mod shell;

/// The view models and API bodies ([`emall_model`]), under the name the pages use.
pub use emall_model as model;
pub use emall_model::{format, i18n};
pub use i18n::{Locale, Msg};
