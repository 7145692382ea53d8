use super::extract::Json;
use super::Paging;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;
use crate::views;
use crate::views::orders::{step, visible_order};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use emall_app::model::{AnswerRequest, ComplaintRequest, OrderAction};
use emall_app::model::{ContractDoc, OrderDetail, OrderRow};
use emall_store::orders::{self, OrderScope};

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct OrderStatusView {
    pub status: String,
}

/// Moves an order one step: the approver approves or declines; the supplier confirms (which
/// signs the contract), ships, delivers and invoices; the buyer accepts (with a 1–5 rating)
/// or rejects the delivery and pays. Money frozen on the budget line is released on every
/// exit without payment and becomes spent on payment, in the same transaction; each step
/// records the performance facts it establishes.
#[utoipa::path(post, path = "/api/v1/orders/{id}/actions", tag = "orders",
    params(("id" = i64, Path, description = "Order id")),
    request_body = OrderAction,
    responses(
        (status = 200, description = "The new status", body = OrderStatusView),
        (status = 403, description = "Not this person's step or order", body = ErrorBody),
        (status = 404, description = "No such order", body = ErrorBody),
        (status = 409, description = "The order's status does not allow it", body = ErrorBody),
        (status = 422, description = "Missing rating, reason or invoice details", body = ErrorBody),
    ))]
async fn order_action(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(order_id): Path<i64>,
    Json(body): Json<OrderAction>,
) -> ApiResult<Json<OrderStatusView>> {
    let status = step(&state, &viewer, order_id, body).await?;
    Ok(Json(OrderStatusView {
        status: status.as_str().to_string(),
    }))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orders", get(list_orders))
        .route("/orders/{id}", get(get_order))
        .route("/orders/{id}/actions", post(order_action))
        .route("/orders/{id}/contract", get(get_contract))
        .route("/orders/{id}/complaints", post(file_complaint))
        .route("/complaints/{id}/answer", post(answer_complaint))
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
        orders::list(
            &state.db,
            scope,
            orders::OrderFilter::All,
            paging.limit(),
            paging.offset(),
        )
        .await?,
    ))
}

/// One order with its lines, deadlines, inspection, invoice, history and complaints;
/// refused unless it is the viewer's unit's, the viewer's supplier's, or the viewer is the
/// bureau.
#[utoipa::path(get, path = "/api/v1/orders/{id}", tag = "orders",
    params(("id" = i64, Path, description = "Order id")),
    responses(
        (status = 200, description = "The order", body = OrderDetail),
        (status = 404, description = "No such order, or someone else's", body = ErrorBody),
    ))]
async fn get_order(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(order_id): Path<i64>,
) -> ApiResult<Json<OrderDetail>> {
    Ok(Json(visible_order(&state, &viewer, order_id).await?))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ContractView {
    pub contract: ContractDoc,
    /// SHA-256 (hex) of the contract's canonical JSON, stored at signing.
    pub sha256: String,
    /// The stored text still hashes to `sha256`.
    pub intact: bool,
}

/// The electronic contract of an order, signed when the supplier confirmed it.
#[utoipa::path(get, path = "/api/v1/orders/{id}/contract", tag = "orders",
    params(("id" = i64, Path, description = "Order id")),
    responses(
        (status = 200, description = "The contract and its hash", body = ContractView),
        (status = 404, description = "No such order, someone else's, or not signed yet", body = ErrorBody),
    ))]
async fn get_contract(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(order_id): Path<i64>,
) -> ApiResult<Json<ContractView>> {
    visible_order(&state, &viewer, order_id).await?;
    let stored = emall_store::contracts::get(&state.db, order_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(ContractView {
        contract: stored.doc,
        sha256: stored.sha256,
        intact: stored.intact,
    }))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
#[schema(as = ComplaintCreated)]
pub struct Created {
    pub id: i64,
}

/// A buyer or approver of the ordering unit files a complaint about the supplier's
/// performance on this order; it counts against the supplier's score.
#[utoipa::path(post, path = "/api/v1/orders/{id}/complaints", tag = "orders",
    params(("id" = i64, Path, description = "Order id")),
    request_body = ComplaintRequest,
    responses(
        (status = 201, description = "Filed", body = Created),
        (status = 403, description = "Not the ordering unit", body = ErrorBody),
        (status = 409, description = "The order has not reached the supplier", body = ErrorBody),
        (status = 422, description = "Empty or too long", body = ErrorBody),
    ))]
async fn file_complaint(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(order_id): Path<i64>,
    Json(body): Json<ComplaintRequest>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let id = views::orders::file_complaint(&state, &viewer, order_id, &body.body).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// The supplier answers a complaint on one of its orders (once).
#[utoipa::path(post, path = "/api/v1/complaints/{id}/answer", tag = "orders",
    params(("id" = i64, Path, description = "Complaint id")),
    request_body = AnswerRequest,
    responses(
        (status = 204, description = "Answered"),
        (status = 403, description = "Not this supplier's complaint", body = ErrorBody),
        (status = 404, description = "No such complaint", body = ErrorBody),
        (status = 409, description = "Already answered", body = ErrorBody),
    ))]
async fn answer_complaint(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(complaint_id): Path<i64>,
    Json(body): Json<AnswerRequest>,
) -> ApiResult<StatusCode> {
    views::orders::answer_complaint(&state, &viewer, complaint_id, &body.answer).await?;
    Ok(StatusCode::NO_CONTENT)
}
