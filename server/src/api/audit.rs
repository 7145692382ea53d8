//! 审计日志: the finance bureau reads the hash-chained log of any object, with whether the
//! chain verifies up to each entry. Buyers and suppliers may not.

use super::extract::Json;
use crate::auth::Viewer;
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;
use crate::views::audit::{load, AuditQuery};
use axum::extract::{Query, State};
use axum::routing::get;
use axum::Router;
use emall_app::model::AuditLog;

pub fn router() -> Router<AppState> {
    Router::new().route("/audit", get(audit_log))
}

/// An object's audit log: every change of it, and of what names it (an order's contract,
/// the money moved on a budget line), oldest first, with the people's names and what the
/// objects are called; or, without an object, the newest entries. Each entry says whether
/// the hash chain verifies from the first entry up to it. The finance bureau only.
#[utoipa::path(get, path = "/api/v1/audit", tag = "monitoring", params(AuditQuery),
    responses(
        (status = 200, description = "The entries and how far the chain verifies", body = AuditLog),
        (status = 403, description = "Not the finance bureau", body = ErrorBody),
        (status = 422, description = "An unknown kind of object, or a kind without an id", body = ErrorBody),
    ))]
async fn audit_log(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<AuditLog>> {
    let object = q.object()?;
    Ok(Json(load(&state, &viewer, object).await?))
}
