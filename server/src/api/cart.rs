//! The buyer's cart and checkout (一键下单 when items are given directly).

use super::extract::Json;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;
use crate::views::checkout as placing;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{post, put};
use axum::Router;
use emall_app::model::{CheckoutRequest, Quantity};
use emall_app::Msg;
use emall_domain::purchase::line_quantity_ok;
use emall_domain::Role;
use emall_store::cart::{Added, CartLine};
use emall_store::checkout::{Preview, Receipt};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cart", axum::routing::get(cart))
        .route(
            "/cart/items/{offer_id}",
            put(put_item).post(add_item).delete(remove_item),
        )
        .route("/checkout", post(checkout))
        .route("/checkout/preview", post(checkout_preview))
}

fn buyer(viewer: &Viewer) -> ApiResult<i64> {
    viewer.require(&[Role::Buyer])?;
    viewer.unit_id()
}

/// A buyer's quantity for one cart line.
fn line_quantity(viewer: &Viewer, body: &Quantity) -> ApiResult<i64> {
    buyer(viewer)?;
    if !line_quantity_ok(body.quantity) {
        return Err(quantity_error());
    }
    Ok(body.quantity)
}

fn quantity_error() -> ApiError {
    ApiError::field("quantity", Msg::ErrQuantity)
}

/// The signed-in buyer's cart.
#[utoipa::path(get, path = "/api/v1/cart", tag = "orders",
    responses((status = 200, description = "Cart items", body = [CartLine]), (status = 403, description = "Not a buyer", body = ErrorBody)))]
async fn cart(State(state): State<AppState>, viewer: Viewer) -> ApiResult<Json<Vec<CartLine>>> {
    buyer(&viewer)?;
    Ok(Json(
        emall_store::cart::lines(&state.db, viewer.user_id).await?,
    ))
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
    let quantity = line_quantity(&viewer, &body)?;
    if !emall_store::cart::put(&state.db, viewer.user_id, offer_id, quantity).await? {
        return Err(ApiError::field("offer_id", Msg::ErrNotOnSale));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// 加入购物车: adds a quantity of an offer to the cart, to what the cart already holds of it
/// (up to the most one line may hold).
#[utoipa::path(post, path = "/api/v1/cart/items/{offer_id}", tag = "orders", request_body = Quantity,
    params(("offer_id" = i64, Path, description = "Offer id")),
    responses((status = 204, description = "In the cart"), (status = 422, description = "Bad quantity, too many in the line, or offer not on sale", body = ErrorBody)))]
async fn add_item(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(offer_id): Path<i64>,
    Json(body): Json<Quantity>,
) -> ApiResult<StatusCode> {
    let quantity = line_quantity(&viewer, &body)?;
    match emall_store::cart::add(&state.db, viewer.user_id, offer_id, quantity).await? {
        Added::Added => Ok(StatusCode::NO_CONTENT),
        Added::TooMany => Err(quantity_error()),
        Added::NotOnSale => Err(ApiError::field("offer_id", Msg::ErrNotOnSale)),
    }
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
    emall_store::cart::remove(&state.db, viewer.user_id, offer_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What checking out would do now, without doing it: one draft order per supplier with its
/// total and whether it needs approval, and the split-purchase warnings. Refusals are the
/// same as checkout's.
#[utoipa::path(post, path = "/api/v1/checkout/preview", tag = "orders", request_body = CheckoutRequest,
    responses(
        (status = 200, description = "The draft orders", body = Preview),
        (status = 422, description = "Empty cart, line not buyable, over the e-mall cap, or budget short", body = ErrorBody),
    ))]
async fn checkout_preview(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<CheckoutRequest>,
) -> ApiResult<Json<Preview>> {
    buyer(&viewer)?;
    let locale = crate::error::request_locale();
    Ok(Json(
        placing::preview(&state, &viewer, &body, locale).await?,
    ))
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
    buyer(&viewer)?;
    let locale = crate::error::request_locale();
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty());
    if key.is_some_and(|k| k.len() > 200) {
        return Err(ApiError::field("Idempotency-Key", Msg::ErrInvalid));
    }
    let placed = placing::place(&state, &viewer, &body, key, locale).await?;
    let status = if placed.replayed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(placed.receipt)))
}
