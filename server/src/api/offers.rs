use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;
use crate::store::offers::{Changed, OfferChange};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::patch;
use axum::{Json, Router};
use emall_app::Msg;
use emall_domain::Role;
use serde::Deserialize;
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new().route("/offers/{id}", patch(update_offer))
}

/// A supplier's change to its own listing. Omitted fields stay as they are.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferUpdate {
    /// New unit price in fen (integer); the same for every buyer in the offer's cities.
    pub price_fen: Option<i64>,
    pub stock: Option<i64>,
    pub delivery_days: Option<i64>,
    /// `on_sale` or `off_sale`
    pub status: Option<String>,
    /// Replaces the volume tiers (an empty list removes them): quantities from 2 up,
    /// prices below `price_fen` and falling.
    pub tiers: Option<Vec<emall_domain::Tier>>,
    /// Why the price changed (required with `price_fen`; kept in the price history).
    pub reason: Option<String>,
}

impl OfferUpdate {
    /// Parses into a change, or the field errors in the request's language.
    fn parse(self) -> Result<OfferChange, ApiError> {
        let locale = crate::error::request_locale();
        let mut fields = BTreeMap::new();
        let mut err = |k: &str, m: Msg| {
            fields.insert(k.to_string(), locale.t(m).to_string());
        };
        if self.price_fen.is_some_and(|p| p <= 0) {
            err("price_fen", Msg::ErrPositive);
        }
        if self.stock.is_some_and(|s| s < 0) {
            err("stock", Msg::ErrPositive);
        }
        if self.delivery_days.is_some_and(|d| !(1..=90).contains(&d)) {
            err("delivery_days", Msg::ErrDeliveryDays);
        }
        let status = match self.status.as_deref() {
            None => None,
            Some("on_sale") => Some("on_sale"),
            Some("off_sale") => Some("off_sale"),
            Some(_) => {
                err("status", Msg::ErrOfferStatus);
                None
            }
        };
        let reason = self.reason.unwrap_or_default().trim().to_string();
        if self.price_fen.is_some() && reason.is_empty() {
            err("reason", Msg::ErrPriceReason);
        }
        if !fields.is_empty() {
            return Err(ApiError::Invalid { fields });
        }
        Ok(OfferChange {
            price_fen: self.price_fen,
            stock: self.stock,
            delivery_days: self.delivery_days,
            status,
            tiers: self.tiers,
            reason,
        })
    }
}

/// Change the price, stock, delivery days or sale status of one of the supplier's own
/// offers. Search and the comparison page show the change within a second.
#[utoipa::path(patch, path = "/api/v1/offers/{id}", tag = "suppliers",
    params(("id" = i64, Path, description = "Offer id"), ("X-CSRF-Token" = Option<String>, Header, description = "Required with a session cookie")),
    request_body = OfferUpdate,
    responses(
        (status = 204, description = "Changed"),
        (status = 403, description = "Not the supplier's offer", body = ErrorBody),
        (status = 404, description = "No such offer", body = ErrorBody),
        (status = 422, description = "Invalid change", body = ErrorBody),
    ))]
async fn update_offer(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Json(body): Json<OfferUpdate>,
) -> ApiResult<StatusCode> {
    viewer.require(&[Role::Supplier])?;
    let supplier_id = viewer.supplier_id()?;
    let change = body.parse()?;
    match crate::store::offers::change(&state.db, supplier_id, id, &change).await? {
        Changed::Product(product) => {
            state.search.refresh(vec![product]);
            Ok(StatusCode::NO_CONTENT)
        }
        Changed::NotFound => Err(ApiError::NotFound),
        Changed::NotOwner => Err(ApiError::Forbidden),
        Changed::BadTiers => Err(ApiError::field(
            "tiers",
            crate::error::request_locale().t(Msg::ErrTiers),
        )),
    }
}
