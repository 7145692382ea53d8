use super::Paging;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;
use crate::store::orders::{self, OrderScope};
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use emall_app::model::OrderRow;

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct OrderAction {
    pub action: emall_domain::lifecycle::Action,
    /// Why (shown in the order's history), e.g. the reason for a rejection.
    #[serde(default)]
    pub note: String,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct OrderStatusView {
    pub status: String,
}

/// Moves an order one step: the approver approves or declines; the supplier confirms,
/// ships, delivers and invoices; the buyer accepts or rejects the delivery and pays. Money
/// frozen on the budget line is released on every exit without payment and becomes spent on
/// payment, in the same transaction.
#[utoipa::path(post, path = "/api/v1/orders/{id}/actions", tag = "orders",
    params(("id" = i64, Path, description = "Order id")),
    request_body = OrderAction,
    responses(
        (status = 200, description = "The new status", body = OrderStatusView),
        (status = 403, description = "Not this person's step or order", body = ErrorBody),
        (status = 404, description = "No such order", body = ErrorBody),
        (status = 409, description = "The order's status does not allow it", body = ErrorBody),
    ))]
async fn order_action(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(order_id): Path<i64>,
    axum::Json(body): axum::Json<OrderAction>,
) -> ApiResult<Json<OrderStatusView>> {
    use crate::store::lifecycle::{act, Moved};
    use emall_domain::lifecycle::Actor;
    use emall_domain::Role;
    let actor = match viewer.role {
        Role::Buyer => Actor::Buyer,
        Role::Approver => Actor::Approver,
        Role::Supplier => Actor::Supplier,
        _ => return Err(ApiError::Forbidden),
    };
    let note: String = body.note.chars().take(500).collect();
    match act(
        &state.db,
        order_id,
        viewer.tenant,
        actor,
        viewer.user_id,
        body.action,
        &note,
    )
    .await?
    {
        Moved::Done(status) => Ok(Json(OrderStatusView {
            status: status.as_str().to_string(),
        })),
        Moved::NotFound => Err(ApiError::NotFound),
        Moved::NotYours => Err(ApiError::Forbidden),
        Moved::WrongStatus => Err(ApiError::Conflict),
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orders", get(list_orders))
        .route("/orders/{id}", get(get_order))
        .route("/orders/{id}/actions", axum::routing::post(order_action))
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
