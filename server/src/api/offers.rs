use super::extract::Json;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;
use crate::views;
use crate::views::offers::Updated;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::patch;
use axum::Router;
use emall_app::model::{OfferCreate, OfferUpdate, ReviewDecision, Verdict};
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
    let created = views::offers::create(&state, &viewer, body).await?;
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
