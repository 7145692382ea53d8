//! 预警: the finance bureau's red flags with their evidence; the regulator triages them
//! (confirm, dismiss with a note) or acts through a credit entry that names the alert.

use super::extract::Json;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;
use crate::views;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use emall_app::model::AlertView;
use emall_app::model::{TriageBody, Verdict};
use emall_store::alerts;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/alerts", get(list_alerts))
        .route("/alerts/scan", post(scan_alerts))
        .route("/alerts/{id}", get(get_alert))
        .route("/alerts/{id}/triage", post(triage_alert))
}

use views::credit::BUREAU;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct AlertQuery {
    /// `open` (default), `confirmed`, `dismissed`, `acted`, or `all`
    pub status: Option<String>,
    /// One rule, e.g. `split_purchase`; every rule without it.
    pub kind: Option<String>,
}

/// Red flags, newest first: the operator and the regulator.
#[utoipa::path(get, path = "/api/v1/alerts", tag = "monitoring", params(AlertQuery),
    responses((status = 200, description = "Alerts", body = [AlertView]), (status = 403, description = "Not the bureau", body = ErrorBody)))]
async fn list_alerts(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<AlertQuery>,
) -> ApiResult<Json<Vec<AlertView>>> {
    viewer.require(&BUREAU)?;
    let status = match q.status.as_deref() {
        Some("all") => "",
        Some(s) => s,
        None => "open",
    };
    Ok(Json(
        alerts::list(&state.db, status, q.kind.as_deref().unwrap_or(""), 500).await?,
    ))
}

/// One red flag with its evidence.
#[utoipa::path(get, path = "/api/v1/alerts/{id}", tag = "monitoring",
    params(("id" = i64, Path, description = "Alert id")),
    responses((status = 200, description = "The alert", body = AlertView), (status = 404, description = "No such alert", body = ErrorBody)))]
async fn get_alert(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> ApiResult<Json<AlertView>> {
    viewer.require(&BUREAU)?;
    Ok(Json(
        alerts::get(&state.db, id)
            .await?
            .ok_or(ApiError::NotFound)?,
    ))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ScanReport {
    /// Findings of every rule now.
    pub findings: usize,
    /// Of those, the ones not seen before.
    pub new: usize,
}

/// Runs every rule now (they also run on the timer).
#[utoipa::path(post, path = "/api/v1/alerts/scan", tag = "monitoring",
    responses((status = 200, description = "Scanned", body = ScanReport)))]
async fn scan_alerts(State(state): State<AppState>, viewer: Viewer) -> ApiResult<Json<ScanReport>> {
    let (findings, new) = views::credit::scan(&state, &viewer).await?;
    Ok(Json(ScanReport { findings, new }))
}

/// The regulator confirms a red flag or dismisses it with a note. Acting on it is a credit
/// entry that names the alert (`POST /api/v1/suppliers/{id}/credit-entries`).
#[utoipa::path(post, path = "/api/v1/alerts/{id}/triage", tag = "monitoring",
    params(("id" = i64, Path, description = "Alert id")), request_body = TriageBody,
    responses(
        (status = 204, description = "Triaged"),
        (status = 403, description = "Not the regulator", body = ErrorBody),
        (status = 404, description = "No such alert", body = ErrorBody),
        (status = 422, description = "A dismissal without a note", body = ErrorBody),
    ))]
async fn triage_alert(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Json(body): Json<TriageBody>,
) -> ApiResult<StatusCode> {
    let verdict = Verdict::Alert(body.decision);
    views::decisions::decide(&state, &viewer, id, verdict, &body.note).await?;
    Ok(StatusCode::NO_CONTENT)
}
