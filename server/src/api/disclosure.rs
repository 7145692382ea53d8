//! 信息公开, public without signing in: transaction results at or above the disclosure
//! amount and the units' procurement intentions; units publish and withdraw their own
//! intentions.

use super::extract::Json;
use super::Paging;
use crate::auth::Viewer;
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;
use crate::views;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use emall_app::model::{DisclosedOrder, IntentionView};
use emall_domain::intention::IntentionInput;
use emall_domain::Role;
use emall_store::disclosure;
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/disclosure/results", get(disclosed_results))
        .route("/intentions", get(list_intentions).post(publish_intention))
        .route("/intentions/{id}/withdraw", post(withdraw_intention))
        .route("/ocds/orders", get(ocds_orders))
        .route("/ocds/pools", get(ocds_pools))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct OcdsQuery {
    /// At most 5,000 releases, newest first (default 1,000)
    pub limit: Option<i64>,
}

impl OcdsQuery {
    fn limit(&self) -> i64 {
        self.limit.unwrap_or(1_000).clamp(1, 5_000)
    }
}

/// Orders as an OCDS 1.1 release package: to the public those at or above the disclosure
/// amount, to the finance bureau every contracted order.
#[utoipa::path(get, path = "/api/v1/ocds/orders", tag = "disclosure", params(OcdsQuery),
    responses((status = 200, description = "An OCDS release package", body = Object)))]
async fn ocds_orders(
    State(state): State<AppState>,
    viewer: Option<Viewer>,
    headers: HeaderMap,
    Query(q): Query<OcdsQuery>,
) -> ApiResult<Json<serde_json::Value>> {
    let bureau = viewer.is_some_and(|v| matches!(v.role, Role::Operator | Role::Regulator));
    let threshold = if bureau {
        emall_domain::Fen(0)
    } else {
        state.settings.rules.disclosure()
    };
    let releases = emall_store::ocds::order_releases(&state.db, threshold, q.limit()).await?;
    Ok(Json(emall_store::ocds::package(
        &base_url(&state, &headers),
        "/api/v1/ocds/orders",
        releases,
        emall_store::clock::now(),
    )))
}

/// Joint purchases as an OCDS 1.1 release package: each pool's tender, and its award.
#[utoipa::path(get, path = "/api/v1/ocds/pools", tag = "disclosure", params(OcdsQuery),
    responses((status = 200, description = "An OCDS release package", body = Object)))]
async fn ocds_pools(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<OcdsQuery>,
) -> ApiResult<Json<serde_json::Value>> {
    let releases = emall_store::ocds::pool_releases(&state.db, q.limit()).await?;
    Ok(Json(emall_store::ocds::package(
        &base_url(&state, &headers),
        "/api/v1/ocds/pools",
        releases,
        emall_store::clock::now(),
    )))
}

/// The mall's absolute URL as the client reached it (HTTPS when cookies are `Secure`).
fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    let scheme = if state.settings.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

/// 成交结果公告: contracted orders at or above the disclosure amount, newest first.
#[utoipa::path(get, path = "/api/v1/disclosure/results", tag = "disclosure", params(Paging),
    responses((status = 200, description = "Disclosed results", body = [DisclosedOrder])))]
async fn disclosed_results(
    State(state): State<AppState>,
    Query(paging): Query<Paging>,
) -> ApiResult<Json<Vec<DisclosedOrder>>> {
    Ok(Json(
        disclosure::results(
            &state.db,
            state.settings.rules.disclosure(),
            paging.limit(),
            paging.offset(),
        )
        .await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct IntentionQuery {
    /// Default: this year
    pub year: Option<i64>,
    /// One purchasing unit
    pub unit: Option<i64>,
}

/// 采购意向公开: a year's published intentions, by expected month.
#[utoipa::path(get, path = "/api/v1/intentions", tag = "disclosure", params(IntentionQuery),
    responses((status = 200, description = "Intentions", body = [IntentionView])))]
async fn list_intentions(
    State(state): State<AppState>,
    Query(q): Query<IntentionQuery>,
) -> ApiResult<Json<Vec<IntentionView>>> {
    let year = q
        .year
        .unwrap_or_else(|| i64::from(emall_store::clock::year_of(emall_store::clock::now())));
    Ok(Json(
        disclosure::intentions(&state.db, year, q.unit, false).await?,
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Published {
    pub id: i64,
}

/// A purchasing unit publishes what it means to buy (its buyers and approvers).
#[utoipa::path(post, path = "/api/v1/intentions", tag = "disclosure", request_body = IntentionInput,
    responses((status = 201, description = "Published", body = Published),
        (status = 403, description = "Not a purchasing unit", body = ErrorBody),
        (status = 422, description = "Field errors", body = ErrorBody)))]
async fn publish_intention(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<IntentionInput>,
) -> ApiResult<(StatusCode, Json<Published>)> {
    let id = views::intentions::publish(&state, &viewer, &body).await?;
    Ok((StatusCode::CREATED, Json(Published { id })))
}

/// Withdraws one of the unit's intentions; it stays on record as withdrawn.
#[utoipa::path(post, path = "/api/v1/intentions/{id}/withdraw", tag = "disclosure",
    params(("id" = i64, Path, description = "Intention id")),
    responses((status = 204, description = "Withdrawn"),
        (status = 404, description = "Not the unit's intention", body = ErrorBody),
        (status = 409, description = "Already withdrawn", body = ErrorBody)))]
async fn withdraw_intention(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    views::intentions::withdraw(&state, &viewer, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
