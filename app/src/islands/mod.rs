//! Islands: the only parts of a page that hydrate in the browser.
//!
//! Public pages are the same for every visitor; anything personal (who is signed in) is
//! fetched by an island after load, so the HTML around it stays cacheable.
//!
//! The browser gets one of two wasm modules. The **storefront** module (`hydrate` alone)
//! carries only the islands of the catalogue's pages: the account corner, the buy box and
//! each offer's buy form.
//! The **workspace** module (`hydrate` + `workspace`) carries every island. The server
//! picks, per page, the smallest module that has all the islands the page holds, so a
//! visitor browsing the catalogue never downloads the consoles' forms.

mod account_menu;
#[cfg(feature = "hydrate")]
pub mod api;
mod buy_box;

pub use account_menu::AccountMenu;
pub use buy_box::{BuyBox, OfferBuy};

/// The methods the islands write to the API with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Post,
    Put,
    Patch,
    Delete,
}

/// Compiles its items for the server and the workspace module only.
macro_rules! workspace_only {
    ($($item:item)*) => { $( #[cfg(any(not(feature = "hydrate"), feature = "workspace"))] $item )* };
}

// The islands only the signed-in workspaces use.
workspace_only! {
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

    pub use checkout_form::CheckoutForm;
    pub use credit_tools::{AppealForm, CreditForm, ScanButton};
    pub use decision::{Choice, NoteDecision};
    pub use intention_tools::{IntentionForm, WithdrawIntention};
    pub use listing_tools::{AddOffer, ImportPanel, PriceEditor, StaffPanel, TokenPanel};
    pub use order_actions::{confirm_question, OrderActions};
    pub use pool_tools::{commitment_note, OpenPoolForm, PoolActions};
    pub use proposal_tools::{ProposalDecision, ProposalForm};
    pub use qualification_upload::{QualificationUpload, KINDS as QUALIFICATION_KINDS};
    pub use registration_form::RegistrationForm;
    pub use review_form::ReviewForm;
}

workspace_only! {
    /// Sends `body` (nothing when `None`) to `url` and reloads the page once the API took
    /// it; otherwise `failed` gets the answer's error message, or the catalogue's
    /// "internal error" when no answer came. `busy`, when given, is true while the request
    /// runs. Every island that writes and then shows the new state sends through this; on
    /// the server it does nothing.
    fn submit<B: serde::Serialize + 'static>(
        locale: crate::i18n::Locale,
        method: Method,
        url: String,
        body: Option<B>,
        busy: Option<leptos::prelude::RwSignal<bool>>,
        failed: impl Fn(String) + 'static,
    ) {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            use leptos::prelude::Set;
            if let Some(busy) = busy {
                busy.set(true);
            }
            let answer = match &body {
                Some(body) => api::send(method, &url, body, &[]).await,
                None => api::send_empty(method, &url).await,
            };
            match answer {
                Ok(answer) if answer.is_ok() => api::reload(),
                Ok(answer) => failed(answer.error_message()),
                Err(_) => failed(locale.t(crate::i18n::Msg::ErrInternal).to_string()),
            }
            if let Some(busy) = busy {
                busy.set(false);
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (locale, method, url, body, busy, failed);
    }
}

workspace_only! {
    /// Looks up standard products in the whole catalogue into `into`; `answered` turns true
    /// once the mall has answered (to tell "nothing found" from "not asked yet").
    fn find_products(
        query: String,
        into: leptos::prelude::RwSignal<Vec<crate::model::ProductPick>>,
        answered: Option<leptos::prelude::RwSignal<bool>>,
    ) {
        let url = format!(
            "/api/v1/catalogue/products?q={}",
            crate::format::urlencode(&query)
        );
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            use leptos::prelude::Set;
            if let Some(picks) = api::get(&url).await.ok().and_then(|a| a.json()) {
                into.set(picks);
                if let Some(a) = answered {
                    a.set(true);
                }
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (url, into, answered);
    }
}
