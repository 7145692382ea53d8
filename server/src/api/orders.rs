use super::Paging;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;
use crate::store::orders::{self, OrderScope};
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use emall_app::model::OrderRow;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orders", get(list_orders))
        .route("/orders/{id}", get(get_order))
}

/// Orders the viewer may see: a unit's own, a supplier's own, or all for the bureau.
#[utoipa::path(get, path = "/api/v1/orders", tag = "orders", params(Paging),
    responses(
        (status = 200, description = "Orders, newest first", body = [OrderRow]),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn list_orders(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(paging): Query<Paging>,
) -> ApiResult<Json<Vec<OrderRow>>> {
    let scope = OrderScope::from(viewer.tenant);
    Ok(Json(
        orders::list(&state.db, scope, false, paging.limit(), paging.offset()).await?,
    ))
}

/// One order; refused unless it is the viewer's unit's, the viewer's supplier's, or the
/// viewer is the bureau.
#[utoipa::path(get, path = "/api/v1/orders/{id}", tag = "orders",
    params(("id" = i64, Path, description = "Order id")),
    responses(
        (status = 200, description = "The order", body = OrderRow),
        (status = 403, description = "Someone else's order", body = ErrorBody),
        (status = 404, description = "No such order", body = ErrorBody),
    ))]
async fn get_order(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(order_id): Path<i64>,
) -> ApiResult<Json<OrderRow>> {
    let (order, unit_id, supplier_id) = orders::get(&state.db, order_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if viewer.check_unit(unit_id).is_err() && viewer.check_supplier(supplier_id).is_err() {
        return Err(ApiError::Forbidden);
    }
    Ok(Json(order))
}
