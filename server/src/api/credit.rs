//! 信用记录: the regulator records warnings, suspensions and revocations against a
//! supplier; the supplier appeals; the regulator decides. The record is public.

use super::extract::Json;
use crate::auth::Viewer;
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;
use crate::views;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use emall_app::model::CreditEntryView;
use emall_app::model::{AppealBody, AppealDecisionBody, CreditEntryBody, Verdict};
use emall_store::clock;
use emall_store::credit;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/suppliers/{id}/credit-entries",
            get(credit_record).post(record_credit_entry),
        )
        .route("/credit-entries/{id}/appeal", post(appeal_credit_entry))
        .route("/credit-entries/{id}/decision", post(decide_appeal))
}

/// A supplier's credit record: entries still on the public record for everyone; all of
/// them for the supplier itself and the bureau.
#[utoipa::path(get, path = "/api/v1/suppliers/{id}/credit-entries", tag = "suppliers",
    params(("id" = i64, Path, description = "Supplier id")),
    responses((status = 200, description = "Credit entries, newest first", body = [CreditEntryView])))]
async fn credit_record(
    State(state): State<AppState>,
    viewer: Option<Viewer>,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<CreditEntryView>>> {
    let everything = viewer.is_some_and(|v| v.check_supplier(id).is_ok());
    Ok(Json(
        credit::list(&state.db, id, !everything, clock::now()).await?,
    ))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Recorded {
    pub id: i64,
}

/// The regulator records a warning, a suspension for N days (the supplier's offers leave
/// the storefront and search at once and return at its end) or a revocation (清退).
#[utoipa::path(post, path = "/api/v1/suppliers/{id}/credit-entries", tag = "suppliers",
    params(("id" = i64, Path, description = "Supplier id")), request_body = CreditEntryBody,
    responses(
        (status = 201, description = "Recorded", body = Recorded),
        (status = 403, description = "Not the regulator", body = ErrorBody),
        (status = 404, description = "No such supplier", body = ErrorBody),
        (status = 422, description = "No reason, or a bad length", body = ErrorBody),
    ))]
async fn record_credit_entry(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Json(body): Json<CreditEntryBody>,
) -> ApiResult<(StatusCode, Json<Recorded>)> {
    let entry_id = views::credit::record(&state, &viewer, id, body).await?;
    Ok((StatusCode::CREATED, Json(Recorded { id: entry_id })))
}

/// The supplier appeals an entry in force (once). A suspension holds meanwhile.
#[utoipa::path(post, path = "/api/v1/credit-entries/{id}/appeal", tag = "suppliers",
    params(("id" = i64, Path, description = "Credit entry id")), request_body = AppealBody,
    responses(
        (status = 204, description = "Appealed"),
        (status = 403, description = "Another supplier's entry", body = ErrorBody),
        (status = 409, description = "Appealed already, or decided", body = ErrorBody),
        (status = 422, description = "No grounds given", body = ErrorBody),
    ))]
async fn appeal_credit_entry(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Json(body): Json<AppealBody>,
) -> ApiResult<StatusCode> {
    views::credit::appeal(&state, &viewer, id, &body.text).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The regulator upholds the entry or overturns it (it ends at once).
#[utoipa::path(post, path = "/api/v1/credit-entries/{id}/decision", tag = "suppliers",
    params(("id" = i64, Path, description = "Credit entry id")), request_body = AppealDecisionBody,
    responses(
        (status = 204, description = "Decided"),
        (status = 403, description = "Not the regulator", body = ErrorBody),
        (status = 409, description = "Not under appeal", body = ErrorBody),
    ))]
async fn decide_appeal(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Json(body): Json<AppealDecisionBody>,
) -> ApiResult<StatusCode> {
    let verdict = Verdict::Appeal(body.decision);
    views::decisions::decide(&state, &viewer, id, verdict, &body.note).await?;
    Ok(StatusCode::NO_CONTENT)
}
