//! 工作日历: the operator loads a year's days off and make-up working days from the State
//! Council's notice as a small file; every node counts deadlines with it from its next
//! timer run (this node at once). A loaded year takes the place of a shipped one.

use super::extract::{Body, Json};
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorBody, Problem};
use crate::state::AppState;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use emall_app::model::CalendarYearView;
use emall_app::Msg;
use emall_domain::calendar::YearFileError;
use emall_domain::Role;
use std::collections::BTreeMap;

/// A year's file is a few kilobytes.
const MAX_BYTES: usize = 64 * 1024;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/calendar/years",
        get(list_years)
            .post(load_year)
            .layer(DefaultBodyLimit::max(MAX_BYTES)),
    )
}

/// The faults as a 422: one field per line (`"4"`, or `"file"` for the whole file), the
/// faults of a line joined.
fn refusal(errors: Vec<YearFileError>) -> ApiError {
    let mut by_line: BTreeMap<String, Vec<YearFileError>> = BTreeMap::new();
    for e in errors {
        let key = if e.line == 0 {
            "file".to_string()
        } else {
            e.line.to_string()
        };
        by_line.entry(key).or_default().push(e);
    }
    ApiError::Invalid {
        fields: by_line
            .into_iter()
            .map(|(line, faults)| (line, Problem::Calendar(faults)))
            .collect(),
    }
}

/// What a load did.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct LoadedYearView {
    pub year: i32,
    pub source: Option<String>,
    pub holidays: usize,
    pub workdays: usize,
    /// A year loaded before was replaced.
    pub replaced: bool,
}

/// Loads one year of the working-day calendar from the State Council's notice
/// (国务院办公厅关于YYYY年部分节假日安排的通知), sent as the file's text:
///
/// ```toml
/// year = 2027
/// source = "国务院办公厅关于2027年部分节假日安排的通知"
/// holidays = ["2027-01-01", "2027-10-01..2027-10-07", …]   # days off; ranges count both ends
/// workdays = ["2027-10-09", …]                             # make-up working days (Sat/Sun)
/// ```
///
/// It replaces the shipped or loaded calendar of that year. Every node uses it from its
/// next timer run. A wrong file is refused as a whole: 422 with one field per line
/// (`"file"` for faults of the whole file), in the language of `Accept-Language`.
#[utoipa::path(post, path = "/api/v1/calendar/years", tag = "calendar",
    request_body(content = String, content_type = "text/plain", description = "The year's file (UTF-8)"),
    responses(
        (status = 201, description = "Loaded", body = LoadedYearView),
        (status = 200, description = "Loaded in place of a year loaded before", body = LoadedYearView),
        (status = 403, description = "Not the operator", body = ErrorBody),
        (status = 422, description = "Faults, by line; nothing stored", body = ErrorBody),
    ))]
async fn load_year(
    State(state): State<AppState>,
    viewer: Viewer,
    Body(body): Body,
) -> ApiResult<(StatusCode, Json<LoadedYearView>)> {
    viewer.require(&[Role::Operator])?;
    let text =
        std::str::from_utf8(&body).map_err(|_| ApiError::field("file", Msg::CalendarNotText))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (year, replaced) = crate::calendar::load_year(&state, &viewer, text)
        .await?
        .map_err(refusal)?;
    let status = if replaced {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        Json(LoadedYearView {
            year: year.year(),
            source: year.source().map(str::to_string),
            holidays: year.holidays().len(),
            workdays: year.workdays().len(),
            replaced,
        }),
    ))
}

/// The years of the working-day calendar in effect, shipped or loaded. Years a deadline
/// may reach without one are named by `/readyz` and on the console.
#[utoipa::path(get, path = "/api/v1/calendar/years", tag = "calendar",
    responses(
        (status = 200, description = "The years, in order", body = [CalendarYearView]),
        (status = 403, description = "Not the finance bureau", body = ErrorBody),
    ))]
async fn list_years(
    State(state): State<AppState>,
    viewer: Viewer,
) -> ApiResult<Json<Vec<CalendarYearView>>> {
    viewer.require(&[Role::Operator, Role::Regulator])?;
    Ok(Json(crate::calendar::years(&state.db).await?))
}
