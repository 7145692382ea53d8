//! 下单: the checkout the API and the cart's plain form both place through — the lines
//! and terms read from the request, the store's checkout run, its refusal as the one
//! `ApiError` with the field it concerns, and the split-purchase warnings in the reader's
//! language.

use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, Problem};
use crate::state::AppState;
use emall_app::model::{CartProblem, CheckoutRequest};
use emall_app::{Locale, Msg};
use emall_domain::purchase::line_quantity_ok;
use emall_domain::{PurchaseError, PurchaseRules};
use emall_store::checkout::{self, Outcome, Preview, Receipt, Refusal};

/// A checkout placed: its receipt, and whether it is the first answer to a key used before.
pub struct Placed {
    pub receipt: Receipt,
    pub replayed: bool,
}

/// Places the request's lines (the cart when it names none) for the signed-in buyer.
/// `key`: the Idempotency-Key; a retry with it gets the first answer and orders nothing.
pub async fn place(
    state: &AppState,
    viewer: &Viewer,
    body: &CheckoutRequest,
    key: Option<&str>,
    locale: Locale,
) -> ApiResult<Placed> {
    let request = request(state, viewer, body, key).await?;
    let rules = state.settings.rules.purchase();
    let (mut receipt, replayed) =
        match checkout::checkout(&state.db, &rules, &state.timing(), request).await? {
            Outcome::Placed(receipt) => (receipt, false),
            Outcome::Replayed(receipt) => (receipt, true),
            Outcome::Refused(refusal) => return Err(refused(refusal, &rules)),
            Outcome::InProgress => return Err(ApiError::Conflict),
        };
    receipt.warnings = localise_warnings(state, receipt.warnings, Msg::SplitWarning, locale);
    Ok(Placed { receipt, replayed })
}

/// What placing would do now, without doing it; refused as placing would be.
pub async fn preview(
    state: &AppState,
    viewer: &Viewer,
    body: &CheckoutRequest,
    locale: Locale,
) -> ApiResult<Preview> {
    let request = request(state, viewer, body, None).await?;
    let rules = state.settings.rules.purchase();
    match checkout::preview(&state.db, &rules, &request).await? {
        Ok(mut preview) => {
            preview.warnings =
                localise_warnings(state, preview.warnings, Msg::SplitWarningPreview, locale);
            Ok(preview)
        }
        Err(refusal) => Err(refused(refusal, &rules)),
    }
}

/// The store's checkout request for the signed-in buyer's request.
async fn request<'a>(
    state: &AppState,
    viewer: &'a Viewer,
    body: &CheckoutRequest,
    key: Option<&'a str>,
) -> ApiResult<checkout::Request<'a>> {
    let (items, from_cart, payment_terms_days) = lines_and_terms(state, viewer, body).await?;
    Ok(checkout::Request {
        user_id: viewer.user_id,
        username: &viewer.username,
        unit_id: viewer.unit_id()?,
        budget_line_id: body.budget_line_id,
        payment_terms_days,
        items,
        from_cart,
        idempotency_key: key,
    })
}

/// The lines a checkout covers (given items, else the cart) and its payment terms.
async fn lines_and_terms(
    state: &AppState,
    viewer: &Viewer,
    body: &CheckoutRequest,
) -> ApiResult<(Vec<(i64, i64)>, bool, i64)> {
    let terms = body
        .payment_terms_days
        .unwrap_or(state.settings.rules.payment_terms_days);
    if !(1..=60).contains(&terms) {
        return Err(ApiError::field("payment_terms_days", Msg::ErrPaymentTerms));
    }
    match &body.items {
        Some(items) => {
            if items.iter().any(|i| !line_quantity_ok(i.quantity)) {
                return Err(ApiError::field("quantity", Msg::ErrQuantity));
            }
            Ok((
                items.iter().map(|i| (i.offer_id, i.quantity)).collect(),
                false,
                terms,
            ))
        }
        None => {
            let lines = emall_store::cart::lines(&state.db, viewer.user_id).await?;
            Ok((
                lines
                    .into_iter()
                    .map(|l| (l.offer_id, l.quantity))
                    .collect(),
                true,
                terms,
            ))
        }
    }
}

/// Warnings are stored as category codes; people read the rule and the category's name.
fn localise_warnings(
    state: &AppState,
    categories: Vec<String>,
    rule: Msg,
    locale: Locale,
) -> Vec<String> {
    let days = state.settings.rules.split_window_days;
    categories
        .into_iter()
        .map(|code| {
            let name = state
                .categories
                .get(&code)
                .map(|c| c.name(locale).to_string())
                .unwrap_or(code);
            locale.fill(rule, &[("days", &days), ("category", &name)])
        })
        .collect()
}

fn refused(refusal: Refusal, rules: &PurchaseRules) -> ApiError {
    let (field, msg) = match refusal {
        Refusal::Empty => ("items", Msg::ErrEmptyCart),
        Refusal::Line { offer_id, reason } => {
            let msg = CartProblem::from(reason).message();
            return ApiError::field(&format!("items.{offer_id}"), msg);
        }
        Refusal::Rule(PurchaseError::OverCap { total, .. }) => {
            return ApiError::field(
                "items",
                Problem::OverCap {
                    cap: rules.order_cap,
                    total,
                },
            )
        }
        Refusal::Rule(PurchaseError::Empty) => ("items", Msg::ErrEmptyCart),
        Refusal::Rule(_) => ("items", Msg::ErrQuantity),
        Refusal::NoSuchBudgetLine => ("budget_line_id", Msg::ErrBudgetLine),
        Refusal::InsufficientBudget { available, needed } => {
            return ApiError::field("budget_line_id", Problem::ShortBudget { available, needed })
        }
    };
    ApiError::field(field, msg)
}
