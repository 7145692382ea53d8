//! A supplier's change to one of its own offers: the API's `PATCH /offers/{id}` and the
//! listings page's plain form alike.

use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, Fields, Problem};
use crate::state::AppState;
use emall_app::model::{OfferCreate, OfferUpdate};
use emall_app::Msg;
use emall_domain::listing::OfferStatus;
use emall_domain::Role;
use emall_store::offers::{Changed, OfferChange};

/// What became of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Updated {
    /// In force: search and the comparison page show it within a second.
    Live,
    /// The new price failed a listing check and waits for the operator; the old price
    /// stays live.
    Held,
}

/// Changes the price, stock, delivery days or sale status of one of the viewer's offers.
pub async fn update(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    body: OfferUpdate,
) -> ApiResult<Updated> {
    viewer.require(&[Role::Supplier])?;
    let supplier_id = viewer.supplier_id()?;
    let change = parse_update(body)?;
    let repriced = change.price_fen.is_some();
    match emall_store::offers::change(&state.db, supplier_id, id, &change).await? {
        Changed::Product(_) => {
            if repriced {
                check_prices(state, vec![id]);
            }
            Ok(Updated::Live)
        }
        Changed::PriceHeld(_) => Ok(Updated::Held),
        Changed::NotFound => Err(ApiError::NotFound),
        Changed::NotOwner => Err(ApiError::Forbidden),
        Changed::StatusLocked => Err(ApiError::field("status", Msg::ErrOfferLocked)),
        Changed::BadTiers => Err(ApiError::field("tiers", Msg::ErrTiers)),
    }
}

/// Parses an update into a change, or the field errors in the request's language.
fn parse_update(update: OfferUpdate) -> Result<OfferChange, ApiError> {
    let mut fields = Fields::new();
    let mut err = |k: &str, m: Msg| fields.add(k, m);
    if update.price_fen.is_some_and(|p| p <= 0) {
        err("price_fen", Msg::ErrPositive);
    } else if update
        .price_fen
        .is_some_and(|p| !emall_domain::Fen(p).is_input())
    {
        err("price_fen", Msg::ErrMoneyMax);
    }
    if update.stock.is_some_and(|s| s < 0) {
        err("stock", Msg::ErrPositive);
    }
    if update.delivery_days.is_some_and(|d| !(1..=90).contains(&d)) {
        err("delivery_days", Msg::ErrDeliveryDays);
    }
    let status = match update.status.as_deref().map(OfferStatus::parse) {
        None => None,
        Some(Some(s)) if OfferChange::SUPPLIER_SETS.contains(&s) => Some(s),
        Some(_) => {
            err("status", Msg::ErrOfferStatus);
            None
        }
    };
    let reason = update.reason.unwrap_or_default().trim().to_string();
    if update.price_fen.is_some() && reason.is_empty() {
        err("reason", Msg::ErrPriceReason);
    }
    ApiError::check(fields)?;
    Ok(OfferChange {
        price_fen: update.price_fen,
        stock: update.stock,
        delivery_days: update.delivery_days,
        status,
        tiers: update.tiers,
        reason,
    })
}

/// Lists a standard product for the viewer's supplier: on sale at once, or held for the
/// operator when a listing check fails (a price above the reference, a unit that does not
/// fit). A second live offer of the same product is refused; only admitted suppliers list.
pub async fn create(
    state: &AppState,
    viewer: &Viewer,
    body: OfferCreate,
) -> ApiResult<emall_store::offer_reviews::Created> {
    let supplier_id = viewer.supplier_id()?;
    let (price, stock, days) = (body.price_fen, body.stock, body.delivery_days);
    ApiError::check(offer_numbers_errors(price, stock, days, body.cities.len()))?;
    let offer = emall_store::offer_reviews::NewOffer {
        product_id: body.product_id,
        price: emall_domain::Fen(body.price_fen),
        stock: body.stock,
        delivery_days: body.delivery_days,
        cities: body.cities,
        unit: body.unit,
    };
    emall_store::offer_reviews::create(&state.db, supplier_id, &offer)
        .await?
        .map_err(offer_refusal)
}

/// The field errors of a new listing's numbers, in the request's language.
fn offer_numbers_errors(price: i64, stock: i64, days: i64, cities: usize) -> Fields {
    let mut fields = Fields::new();
    let mut err = |k: &str, m: Msg| fields.add(k, m);
    if price <= 0 {
        err("price_fen", Msg::ErrPositive);
    } else if !emall_domain::Fen(price).is_input() {
        err("price_fen", Msg::ErrMoneyMax);
    }
    if stock < 0 {
        err("stock", Msg::ErrPositive);
    }
    if !(1..=90).contains(&days) {
        err("delivery_days", Msg::ErrDeliveryDays);
    }
    if cities == 0 {
        err("cities", Msg::ErrCities);
    }
    fields
}

/// The refusal of a new listing as a field error.
fn offer_refusal(r: emall_store::offer_reviews::Refusal) -> ApiError {
    use emall_store::offer_reviews::Refusal;
    match r {
        Refusal::NotAdmitted => ApiError::Forbidden,
        Refusal::NoProduct => ApiError::field("product_id", Msg::ErrNoProduct),
        Refusal::Duplicate(_) => ApiError::field("product_id", Msg::ErrDuplicateOffer),
        Refusal::CityNotServed(city) => ApiError::field("cities", Problem::CityNotServed { city }),
    }
}

/// Runs the price red flags (above reference, repeated changes, a raise after a pool) over
/// offers whose price just changed, in the background: the finding is there within a
/// second, and the supplier does not wait for it.
pub fn check_prices(state: &AppState, offers: Vec<i64>) {
    if offers.is_empty() {
        return;
    }
    let state = state.clone();
    tokio::spawn(async move {
        let t = state.thresholds();
        let now = emall_store::clock::now();
        for offer in offers {
            if let Err(e) = emall_store::alerts::scan_offer(&state.db, &t, offer, now).await {
                tracing::warn!(error = ?e, offer, "price red flags failed; the hourly scan retries");
            }
        }
    });
}
