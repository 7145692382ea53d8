//! Islands: the only parts of a page that hydrate in the browser.
//!
//! Public pages are the same for every visitor; anything personal (who is signed in) is
//! fetched by an island after load, so the HTML around it stays cacheable.

mod account_menu;
#[cfg(feature = "hydrate")]
pub mod api;
mod buy_box;
mod checkout_form;
mod listing_tools;
mod order_actions;
mod pool_tools;
mod proposal_tools;
mod qualification_upload;
mod registration_form;
mod review_form;

pub use account_menu::AccountMenu;
pub use buy_box::BuyBox;
pub use checkout_form::CheckoutForm;
pub use listing_tools::{
    AddOffer, ImportPanel, ListingDecision, PriceEditor, StaffPanel, TokenPanel,
};
pub use order_actions::OrderActions;
pub use pool_tools::{OpenPoolForm, PoolActions};
pub use proposal_tools::{ProposalDecision, ProposalForm};
pub use qualification_upload::{
    QualificationCheck, QualificationUpload, KINDS as QUALIFICATION_KINDS,
};
pub use registration_form::RegistrationForm;
pub use review_form::ReviewForm;
