//! The buyer's cart and checkout (一键下单 when items are given directly).

use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;
use crate::store::cart::CartLine;
use crate::store::checkout::{self, Outcome, Receipt, Refusal};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{post, put};
use axum::{Json, Router};
use emall_app::Msg;
use emall_domain::{PurchaseError, PurchaseRules, Role};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cart", axum::routing::get(cart))
        .route("/cart/items/{offer_id}", put(put_item).delete(remove_item))
        .route("/checkout", post(checkout))
}

fn buyer(viewer: &Viewer) -> ApiResult<i64> {
    viewer.require(&[Role::Buyer])?;
    viewer.unit_id()
}

fn quantity_error() -> ApiError {
    ApiError::field(
        "quantity",
        crate::error::request_locale().t(Msg::ErrQuantity),
    )
}

/// The signed-in buyer's cart.
#[utoipa::path(get, path = "/api/v1/cart", tag = "orders",
    responses((status = 200, description = "Cart items", body = [CartLine]), (status = 403, description = "Not a buyer", body = ErrorBody)))]
async fn cart(State(state): State<AppState>, viewer: Viewer) -> ApiResult<Json<Vec<CartLine>>> {
    buyer(&viewer)?;
    Ok(Json(
        crate::store::cart::lines(&state.db, viewer.user_id).await?,
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Quantity {
    pub quantity: i64,
}

/// Puts an offer in the cart with this quantity (replacing an earlier quantity).
#[utoipa::path(put, path = "/api/v1/cart/items/{offer_id}", tag = "orders", request_body = Quantity,
    params(("offer_id" = i64, Path, description = "Offer id")),
    responses((status = 204, description = "In the cart"), (status = 422, description = "Bad quantity or offer not on sale", body = ErrorBody)))]
async fn put_item(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(offer_id): Path<i64>,
    Json(body): Json<Quantity>,
) -> ApiResult<StatusCode> {
    buyer(&viewer)?;
    if !(1..=100_000).contains(&body.quantity) {
        return Err(quantity_error());
    }
    if !crate::store::cart::put(&state.db, viewer.user_id, offer_id, body.quantity).await? {
        return Err(ApiError::field(
            "offer_id",
            crate::error::request_locale().t(Msg::ErrNotOnSale),
        ));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Removes an offer from the cart.
#[utoipa::path(delete, path = "/api/v1/cart/items/{offer_id}", tag = "orders",
    params(("offer_id" = i64, Path, description = "Offer id")), responses((status = 204, description = "Removed")))]
async fn remove_item(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(offer_id): Path<i64>,
) -> ApiResult<StatusCode> {
    buyer(&viewer)?;
    crate::store::cart::remove(&state.db, viewer.user_id, offer_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CheckoutItem {
    pub offer_id: i64,
    pub quantity: i64,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CheckoutRequest {
    /// The unit's budget line to pay from; the total is frozen on it.
    pub budget_line_id: i64,
    /// Buy these now (一键下单) instead of the cart.
    pub items: Option<Vec<CheckoutItem>>,
}

/// Places the cart (or the given items) as one order per supplier against a budget line.
/// Send an `Idempotency-Key` header: a retried request with the same key returns the first
/// result and never orders twice.
#[utoipa::path(post, path = "/api/v1/checkout", tag = "orders", request_body = CheckoutRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 201, description = "Orders placed, money frozen", body = Receipt),
        (status = 200, description = "A replay of an earlier request with the same key", body = Receipt),
        (status = 422, description = "Empty cart, line not buyable, over the e-mall cap, or budget short", body = ErrorBody),
    ))]
async fn checkout(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Json(body): Json<CheckoutRequest>,
) -> ApiResult<(StatusCode, Json<Receipt>)> {
    let unit_id = buyer(&viewer)?;
    let locale = crate::error::request_locale();
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty());
    if key.is_some_and(|k| k.len() > 200) {
        return Err(ApiError::field(
            "Idempotency-Key",
            locale.t(Msg::ErrInvalid),
        ));
    }
    let (items, from_cart) = match body.items {
        Some(items) => {
            if items.iter().any(|i| !(1..=100_000).contains(&i.quantity)) {
                return Err(quantity_error());
            }
            (
                items
                    .into_iter()
                    .map(|i| (i.offer_id, i.quantity))
                    .collect(),
                false,
            )
        }
        None => {
            let lines = crate::store::cart::lines(&state.db, viewer.user_id).await?;
            (
                lines
                    .into_iter()
                    .map(|l| (l.offer_id, l.quantity))
                    .collect(),
                true,
            )
        }
    };
    let rules = PurchaseRules::default();
    let request = checkout::Request {
        user_id: viewer.user_id,
        unit_id,
        budget_line_id: body.budget_line_id,
        items,
        from_cart,
        idempotency_key: key,
    };
    match checkout::checkout(&state.db, &rules, request).await? {
        Outcome::Placed(mut receipt) => {
            // Stock changed: the products' listings follow within a second.
            let products: Vec<i64> = sqlx::query_as::<_, (i64,)>(&format!(
                "SELECT DISTINCT product_id FROM order_items WHERE order_id IN ({})",
                receipt
                    .orders
                    .iter()
                    .map(|o| o.id.to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            ))
            .fetch_all(state.db.pool())
            .await?
            .into_iter()
            .map(|(p,)| p)
            .collect();
            state.search.refresh(products);
            receipt.warnings = localise_warnings(&state, receipt.warnings, locale);
            Ok((StatusCode::CREATED, Json(receipt)))
        }
        Outcome::Replayed(mut receipt) => {
            receipt.warnings = localise_warnings(&state, receipt.warnings, locale);
            Ok((StatusCode::OK, Json(receipt)))
        }
        Outcome::Refused(refusal) => Err(refused(refusal, locale)),
        Outcome::InProgress => Err(ApiError::Conflict),
    }
}

/// Warnings are stored as category codes; people read the rule and the category's name.
fn localise_warnings(
    state: &AppState,
    categories: Vec<String>,
    locale: emall_app::Locale,
) -> Vec<String> {
    categories
        .into_iter()
        .map(|code| {
            let name = state
                .categories
                .get(&code)
                .map(|c| c.name(locale).to_string())
                .unwrap_or(code);
            format!("{} ({name})", locale.t(Msg::SplitWarning))
        })
        .collect()
}

fn refused(refusal: Refusal, locale: emall_app::Locale) -> ApiError {
    let (field, msg) = match refusal {
        Refusal::Empty => ("items", Msg::ErrEmptyCart),
        Refusal::Line { offer_id, reason } => {
            let msg = match reason {
                "not_in_city" => Msg::ErrNotInCity,
                "stock" => Msg::ErrStock,
                _ => Msg::ErrNotOnSale,
            };
            return ApiError::field(&format!("items.{offer_id}"), locale.t(msg));
        }
        Refusal::Rule(PurchaseError::OverCap { .. }) => ("items", Msg::ErrOverCap),
        Refusal::Rule(PurchaseError::Empty) => ("items", Msg::ErrEmptyCart),
        Refusal::Rule(_) => ("items", Msg::ErrQuantity),
        Refusal::NoSuchBudgetLine => ("budget_line_id", Msg::ErrBudgetLine),
        Refusal::InsufficientBudget { .. } => ("budget_line_id", Msg::ErrBudget),
    };
    ApiError::field(field, locale.t(msg))
}
