use super::extract::Json;
use super::Paging;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::Router;
use emall_app::model::{OfferRow, PerformanceEventView, PerformanceSummary};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/suppliers/{id}/offers", get(supplier_offers))
        .route("/suppliers/{id}/performance", get(performance))
        .route(
            "/suppliers/{id}/performance/events",
            get(performance_events),
        )
}

/// A supplier's contract-performance summary over the last 12 months and its score (0–100;
/// formula in `docs/performance-score.md`). Public.
#[utoipa::path(get, path = "/api/v1/suppliers/{id}/performance", tag = "suppliers",
    params(("id" = i64, Path, description = "Supplier id")),
    responses(
        (status = 200, description = "The summary", body = PerformanceSummary),
        (status = 404, description = "No such supplier", body = ErrorBody),
    ))]
async fn performance(
    State(state): State<AppState>,
    Path(supplier_id): Path<i64>,
) -> ApiResult<Json<PerformanceSummary>> {
    emall_store::performance::summary(&state.db, supplier_id)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// The performance events behind the score, newest first: the supplier's own staff and the
/// bureau only.
#[utoipa::path(get, path = "/api/v1/suppliers/{id}/performance/events", tag = "suppliers",
    params(("id" = i64, Path, description = "Supplier id"), Paging),
    responses(
        (status = 200, description = "Events", body = [PerformanceEventView]),
        (status = 403, description = "Another supplier's record", body = ErrorBody),
    ))]
async fn performance_events(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(supplier_id): Path<i64>,
    Query(paging): Query<Paging>,
) -> ApiResult<Json<Vec<PerformanceEventView>>> {
    viewer.check_supplier(supplier_id)?;
    Ok(Json(
        emall_store::performance::events(&state.db, supplier_id, paging.limit()).await?,
    ))
}

/// All of a supplier's listings in every status (drafts and reviews included): the
/// supplier's own staff and the bureau only.
#[utoipa::path(get, path = "/api/v1/suppliers/{id}/offers", tag = "suppliers",
    params(("id" = i64, Path, description = "Supplier id"), Paging),
    responses(
        (status = 200, description = "Listings, last changed first", body = [OfferRow]),
        (status = 403, description = "Another supplier's listings", body = ErrorBody),
        (status = 404, description = "No such supplier", body = ErrorBody),
    ))]
async fn supplier_offers(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(supplier_id): Path<i64>,
    Query(paging): Query<Paging>,
) -> ApiResult<Json<Vec<OfferRow>>> {
    viewer.check_supplier(supplier_id)?;
    if emall_store::suppliers::summary(&state.db, supplier_id)
        .await?
        .is_none()
    {
        return Err(ApiError::NotFound);
    }
    let rows =
        emall_store::suppliers::offers(&state.db, supplier_id, paging.limit(), paging.offset())
            .await?;
    Ok(Json(rows))
}
