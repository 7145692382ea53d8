use super::extract::Json;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::Router;
use emall_app::model::BudgetLineView;
use emall_app::Msg;
use emall_domain::{RegionCode, RegionLevel};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/units", get(list_units))
        .route("/units/{id}/budget-lines", get(budget_lines))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct UnitQuery {
    /// City code (GB/T 2260); every city without it.
    pub city: Option<String>,
}

pub use emall_store::units::UnitEntry;

/// 采购单位名录: the purchasing units buying in the mall, by city. Public.
#[utoipa::path(get, path = "/api/v1/units", tag = "units", params(UnitQuery),
    responses((status = 200, description = "Purchasing units, by id", body = [UnitEntry]),
        (status = 422, description = "Not a city code", body = ErrorBody)))]
async fn list_units(
    State(state): State<AppState>,
    axum::extract::Query(q): axum::extract::Query<UnitQuery>,
) -> ApiResult<Json<Vec<UnitEntry>>> {
    let city = match q.city.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => Some(
            RegionCode::parse_at(c, RegionLevel::City)
                .map_err(|_| ApiError::field("city", Msg::ErrCity))?,
        ),
    };
    Ok(Json(emall_store::units::directory(&state.db, city).await?))
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
    if !emall_store::units::exists(&state.db, unit_id).await? {
        return Err(ApiError::NotFound);
    }
    Ok(Json(
        emall_store::units::budget_lines(&state.db, unit_id).await?,
    ))
}
