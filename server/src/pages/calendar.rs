//! `/console/calendar`: the working-day calendar's years for the finance bureau, and the
//! operator's plain form to load one (the CSRF token travels as a form field).

use super::homes::signed_in;
use super::{html, page_error, Caching, Lenient, PageUrl};
use crate::auth::Viewer;
use crate::error::ApiResult;
use crate::state::AppState;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use emall_app::model::{CalendarNotice, CalendarPage};
use emall_app::Msg;
use emall_domain::Role;

/// The notice of missing years for the console, with the form for the operator.
pub fn notice(state: &AppState, viewer: &Viewer) -> CalendarNotice {
    CalendarNotice {
        missing: state.calendar.missing_years(),
        can_load: viewer.role == Role::Operator,
        csrf_token: viewer.csrf_token.clone(),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct Loaded {
    /// The year just loaded (after the redirect).
    pub loaded: Option<i32>,
}

pub async fn page(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Lenient { value: q, .. }: Lenient<Loaded>,
) -> Response {
    let loaded = load_page(&state, viewer, String::new(), Vec::new(), q.loaded).await;
    render(&state, &url, StatusCode::OK, loaded)
}

#[derive(serde::Deserialize)]
pub struct CalendarForm {
    #[serde(default)]
    pub text: String,
}

/// Loads the posted file; back to the page with the year loaded, or the page again with
/// the faults and the text as sent (422).
pub async fn submit(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Form(form): Form<CalendarForm>,
) -> Response {
    let locale = url.locale;
    let viewer = match signed_in(viewer, &[Role::Operator]) {
        Ok(v) => v,
        Err(e) => return page_error(&state, &url, e),
    };
    // Browsers send a textarea's lines with CRLF.
    let text = form.text.replace("\r\n", "\n");
    match crate::calendar::load_year(&state, &viewer, &text).await {
        Ok(Ok((year, _))) => {
            Redirect::to(&locale.href(&format!("/console/calendar?loaded={}", year.year())))
                .into_response()
        }
        Ok(Err(faults)) => {
            let errors = faults
                .iter()
                .map(|f| crate::calendar::fault_text(locale, f))
                .collect();
            let loaded = load_page(&state, Some(viewer), text, errors, None).await;
            render(&state, &url, StatusCode::UNPROCESSABLE_ENTITY, loaded)
        }
        Err(e) => page_error(&state, &url, e),
    }
}

async fn load_page(
    state: &AppState,
    viewer: Option<Viewer>,
    text: String,
    errors: Vec<String>,
    loaded: Option<i32>,
) -> ApiResult<CalendarPage> {
    let viewer = signed_in(viewer, &[Role::Operator, Role::Regulator])?;
    Ok(CalendarPage {
        me: viewer.me(),
        years: crate::calendar::years(&state.db).await?,
        notice: notice(state, &viewer),
        text,
        errors,
        loaded,
    })
}

fn render(
    state: &AppState,
    url: &PageUrl,
    status: StatusCode,
    loaded: ApiResult<CalendarPage>,
) -> Response {
    match loaded {
        Ok(page) => {
            let locale = url.locale;
            let body = state
                .renderer
                .render(url.meta(locale.t(Msg::CalendarTitle)), || {
                    emall_app::pages::calendar(locale, page)
                });
            html(status, Caching::Private, body)
        }
        Err(e) => page_error(state, url, e),
    }
}
