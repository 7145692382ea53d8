use super::extract::Json;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorBody, Fields, Problem};
use crate::state::AppState;
use crate::views;
use crate::views::offers::Updated;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::patch;
use axum::Router;
use emall_app::model::{OfferCreate, OfferUpdate, ReviewDecision, Verdict};
use emall_app::Msg;
use emall_domain::Role;

use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/offers", axum::routing::post(create_offer))
        .route("/offers/{id}", patch(update_offer))
        .route("/offer-reviews", axum::routing::get(offer_reviews_queue))
        .route(
            "/offer-reviews/{id}/decision",
            axum::routing::post(decide_offer_review),
        )
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
pub fn offer_refusal(r: emall_store::offer_reviews::Refusal) -> ApiError {
    use emall_store::offer_reviews::Refusal;
    match r {
        Refusal::NotAdmitted => ApiError::Forbidden,
        Refusal::NoProduct => ApiError::field("product_id", Msg::ErrNoProduct),
        Refusal::Duplicate(_) => ApiError::field("product_id", Msg::ErrDuplicateOffer),
        Refusal::CityNotServed(city) => ApiError::field("cities", Problem::CityNotServed { city }),
    }
}

/// Lists a standard product. The listing checks run first: a price above the reference
/// market price, or a unit of sale that does not fit, holds it for the operator
/// (`in_review`); otherwise it is on sale at once. A second live offer of the same product
/// is refused; only admitted suppliers list.
#[utoipa::path(post, path = "/api/v1/offers", tag = "suppliers", request_body = OfferCreate,
    responses(
        (status = 201, description = "Listed (on sale, or held for review with the reasons)", body = emall_store::offer_reviews::Created),
        (status = 403, description = "Not an admitted supplier", body = ErrorBody),
        (status = 422, description = "Bad numbers, unknown product, a duplicate, or a city not served", body = ErrorBody),
    ))]
async fn create_offer(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<OfferCreate>,
) -> ApiResult<(StatusCode, Json<emall_store::offer_reviews::Created>)> {
    let supplier_id = viewer.supplier_id()?;
    let fields = offer_numbers_errors(
        body.price_fen,
        body.stock,
        body.delivery_days,
        body.cities.len(),
    );
    ApiError::check(fields)?;
    let offer = emall_store::offer_reviews::NewOffer {
        product_id: body.product_id,
        price: emall_domain::Fen(body.price_fen),
        stock: body.stock,
        delivery_days: body.delivery_days,
        cities: body.cities,
        unit: body.unit,
    };
    let created = emall_store::offer_reviews::create(&state.db, supplier_id, &offer)
        .await?
        .map_err(offer_refusal)?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ReviewQuery {
    /// `open` (default), `approved`, `rejected`, `withdrawn`
    pub state: Option<String>,
}

/// The listing review queue with the evidence for each decision: the operator and the
/// regulator see all, a supplier its own.
#[utoipa::path(get, path = "/api/v1/offer-reviews", tag = "suppliers", params(ReviewQuery),
    responses((status = 200, description = "Reviews, oldest first", body = [emall_store::offer_reviews::Review])))]
async fn offer_reviews_queue(
    State(state): State<AppState>,
    viewer: Viewer,
    axum::extract::Query(q): axum::extract::Query<ReviewQuery>,
) -> ApiResult<Json<Vec<emall_store::offer_reviews::Review>>> {
    let supplier = match viewer.role {
        Role::Operator | Role::Regulator => None,
        Role::Supplier => Some(viewer.supplier_id()?),
        _ => return Err(ApiError::Forbidden),
    };
    let state_filter = q.state.as_deref().unwrap_or("open");
    Ok(Json(
        emall_store::offer_reviews::list(&state.db, state_filter, supplier, 200).await?,
    ))
}

/// The operator approves (the offer goes on sale, or the new price takes effect) or rejects
/// a held-back listing.
#[utoipa::path(post, path = "/api/v1/offer-reviews/{id}/decision", tag = "suppliers",
    params(("id" = i64, Path, description = "Review id")),
    request_body = ReviewDecision,
    responses(
        (status = 204, description = "Decided"),
        (status = 403, description = "Not the operator", body = ErrorBody),
        (status = 409, description = "Already decided", body = ErrorBody),
    ))]
async fn decide_offer_review(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Json(body): Json<ReviewDecision>,
) -> ApiResult<StatusCode> {
    let verdict = Verdict::Listing(body.decision);
    views::decisions::decide(&state, &viewer, id, verdict, &body.note).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Change the price, stock, delivery days or sale status of one of the supplier's own
/// offers. Search and the comparison page show the change within a second.
#[utoipa::path(patch, path = "/api/v1/offers/{id}", tag = "suppliers",
    params(("id" = i64, Path, description = "Offer id"), ("X-CSRF-Token" = Option<String>, Header, description = "Required with a session cookie")),
    request_body = OfferUpdate,
    responses(
        (status = 204, description = "Changed"),
        (status = 202, description = "Changed, but the new price failed a listing check (above the reference price, or implausible) and waits for the operator; the old price stays live"),
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
    match views::offers::update(&state, &viewer, id, body).await? {
        Updated::Live => Ok(StatusCode::NO_CONTENT),
        Updated::Held => Ok(StatusCode::ACCEPTED),
    }
}
