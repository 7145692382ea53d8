//! emall's contract between browser and server: the view models the server loads for a
//! page, the request and answer bodies of the JSON API, the locale and its message
//! catalogue.
//!
//! Architecture invariant: plain serde types over domain newtypes, with no behaviour that
//! needs IO; this crate depends on `emall-domain` and serde alone (utoipa with the
//! `openapi` feature), never on Leptos, axum or sqlx. The islands (wasm), the handlers and
//! the store compile against the same types, so renaming a field fails to compile in all
//! of them.

use emall_domain::{Fen, Role};
use serde::{Deserialize, Serialize};

pub mod format;
pub mod i18n;
pub use i18n::{Locale, Msg};

mod account;
mod audit;
mod calendar;
mod catalogue;
mod credit;
mod dashboard;
mod decisions;
mod disclosure;
mod errors;
mod homes;
mod listings;
mod notice;
mod onboarding;
mod orders;
mod performance;
mod pools;
mod proposals;
pub use account::*;
pub use audit::*;
pub use calendar::*;
pub use catalogue::*;
pub use credit::*;
pub use dashboard::*;
pub use decisions::*;
pub use disclosure::*;
pub use errors::*;
pub use homes::*;
pub use listings::*;
pub use notice::*;
pub use onboarding::*;
pub use orders::*;
pub use performance::*;
pub use pools::*;
pub use proposals::*;

/// The signed-in person, as the shell and `GET /api/v1/auth/me` show them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The purchasing unit's or supplier's name; empty for the bureau (operator, regulator),
    /// which [`Me::org_label`] names in the page's language.
    pub org_name: String,
    /// The locale-free path of this person's home page.
    pub home: String,
}

impl Me {
    /// The organisation as a page shows it.
    pub fn org_label(&self, locale: crate::i18n::Locale) -> String {
        if self.org_name.is_empty() {
            locale.t(crate::i18n::Msg::Bureau).to_string()
        } else {
            self.org_name.clone()
        }
    }
}

/// The home page of each role.
pub fn home_path(role: Role) -> &'static str {
    match role {
        Role::Buyer | Role::Approver => "/buyer",
        Role::Supplier => "/workbench",
        Role::Operator | Role::Regulator => "/console",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CityOption {
    pub code: String,
    pub name: String,
}
