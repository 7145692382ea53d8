//! 新增标准商品: a supplier proposes a standard product; the same brand and model is the
//! same product, so a match is answered at once; the operator approves, merges or refuses
//! the rest.

use super::extract::Json;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;
use crate::views;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use emall_app::model::ProposalView;
use emall_app::model::{ProposalDecision, ProposalOutcome};
use emall_domain::proposal::ProposalInput;
use emall_domain::Role;
use emall_store::proposals;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/product-proposals",
            get(list_proposals).post(propose_product),
        )
        .route("/product-proposals/{id}/decision", post(decide_proposal))
}

/// Proposes a standard product. One with the same brand and model (ignoring case, width
/// and spaces) already in the catalogue is answered with its id (200); otherwise the
/// proposal waits for the operator (201).
#[utoipa::path(post, path = "/api/v1/product-proposals", tag = "suppliers", request_body = ProposalInput,
    responses(
        (status = 200, description = "Already in the catalogue", body = ProposalOutcome),
        (status = 201, description = "Waiting for the operator", body = ProposalOutcome),
        (status = 422, description = "Field errors", body = ErrorBody),
    ))]
async fn propose_product(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<ProposalInput>,
) -> ApiResult<(StatusCode, Json<ProposalOutcome>)> {
    use views::proposals::Proposing;
    match views::proposals::propose(&state, &viewer, &body).await? {
        Proposing::Exists(id) => Ok((
            StatusCode::OK,
            Json(ProposalOutcome {
                state: "exists".into(),
                product_id: Some(id),
                proposal_id: None,
            }),
        )),
        Proposing::Pending(id) => Ok((
            StatusCode::CREATED,
            Json(ProposalOutcome {
                state: "pending".into(),
                product_id: None,
                proposal_id: Some(id),
            }),
        )),
    }
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct ProposalQuery {
    /// `pending` (default), `approved`, `merged`, `rejected`
    pub state: Option<String>,
}

/// Proposals in a state: the operator and the regulator see all, a supplier its own.
#[utoipa::path(get, path = "/api/v1/product-proposals", tag = "suppliers", params(ProposalQuery),
    responses((status = 200, description = "Proposals, oldest first", body = [ProposalView])))]
async fn list_proposals(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ProposalQuery>,
) -> ApiResult<Json<Vec<ProposalView>>> {
    let supplier = match viewer.role {
        Role::Operator | Role::Regulator => None,
        Role::Supplier => Some(viewer.supplier_id()?),
        _ => return Err(ApiError::Forbidden),
    };
    Ok(Json(
        proposals::list(
            &state.db,
            Some(q.state.as_deref().unwrap_or("pending")),
            supplier,
        )
        .await?,
    ))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct DecisionOutcome {
    /// The standard product the proposal became or was merged into.
    pub product_id: Option<i64>,
}

/// The operator approves (a new standard product), merges into an existing product, or
/// rejects with a reason.
#[utoipa::path(post, path = "/api/v1/product-proposals/{id}/decision", tag = "suppliers",
    params(("id" = i64, Path, description = "Proposal id")),
    request_body = ProposalDecision,
    responses(
        (status = 200, description = "Decided", body = DecisionOutcome),
        (status = 403, description = "Not the operator", body = ErrorBody),
        (status = 409, description = "Already decided", body = ErrorBody),
        (status = 422, description = "No merge target, or no reason", body = ErrorBody),
    ))]
async fn decide_proposal(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Json(body): Json<ProposalDecision>,
) -> ApiResult<Json<DecisionOutcome>> {
    let product_id = views::proposals::decide(&state, &viewer, id, body).await?;
    Ok(Json(DecisionOutcome { product_id }))
}
