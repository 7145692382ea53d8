use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use emall_app::model::BudgetLineView;

pub fn router() -> Router<AppState> {
    Router::new().route("/units/{id}/budget-lines", get(budget_lines))
}

/// A purchasing unit's budget lines: amount, frozen, spent and available, in fen.
/// Its own buyers and approvers, and the finance bureau, may see them.
#[utoipa::path(get, path = "/api/v1/units/{id}/budget-lines", tag = "units",
    params(("id" = i64, Path, description = "Purchasing unit id")),
    responses(
        (status = 200, description = "Budget lines", body = [BudgetLineView]),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Another unit's budget", body = ErrorBody),
        (status = 404, description = "No such unit", body = ErrorBody),
    ))]
async fn budget_lines(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(unit_id): Path<i64>,
) -> ApiResult<Json<Vec<BudgetLineView>>> {
    viewer.check_unit(unit_id)?;
    if !crate::store::units::exists(&state.db, unit_id).await? {
        return Err(ApiError::NotFound);
    }
    Ok(Json(
        crate::store::units::budget_lines(&state.db, unit_id).await?,
    ))
}
