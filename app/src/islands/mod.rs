//! Islands: the only parts of a page that hydrate in the browser.
//!
//! Public pages are the same for every visitor; anything personal (who is signed in) is
//! fetched by an island after load, so the HTML around it stays cacheable.

mod account_menu;
#[cfg(feature = "hydrate")]
pub mod api;
mod buy_box;
mod checkout_form;
mod credit_tools;
mod decision;
mod intention_tools;
mod listing_tools;
mod order_actions;
mod pool_tools;
mod proposal_tools;
mod qualification_upload;
mod registration_form;
mod review_form;

use leptos::prelude::*;

pub use account_menu::AccountMenu;
pub use buy_box::BuyBox;
pub use checkout_form::CheckoutForm;
pub use credit_tools::{AppealForm, CreditForm, ScanButton};
pub use decision::{Choice, NoteDecision};
pub use intention_tools::{IntentionForm, WithdrawIntention};
pub use listing_tools::{AddOffer, ImportPanel, PriceEditor, StaffPanel, TokenPanel};
pub use order_actions::OrderActions;
pub use pool_tools::{OpenPoolForm, PoolActions};
pub use proposal_tools::{ProposalDecision, ProposalForm};
pub use qualification_upload::{QualificationUpload, KINDS as QUALIFICATION_KINDS};
pub use registration_form::RegistrationForm;
pub use review_form::ReviewForm;

/// Looks up standard products in the whole catalogue into `into`; `answered` turns true
/// once the mall has answered (to tell "nothing found" from "not asked yet").
fn find_products(
    query: String,
    into: RwSignal<Vec<serde_json::Value>>,
    answered: Option<RwSignal<bool>>,
) {
    let url = format!(
        "/api/v1/catalogue/products?q={}",
        crate::format::urlencode(&query)
    );
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        if let Ok((200, r)) = api::get_json(&url).await {
            into.set(r.as_array().cloned().unwrap_or_default());
            if let Some(a) = answered {
                a.set(true);
            }
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (url, into, answered);
}
