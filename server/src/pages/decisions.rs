//! The decision forms of the console's pages without script: a held listing, a
//! qualification, an application, a red flag, an appeal. Each posts `verdict` (the button
//! pressed) and `note` to `/decisions/{id}`; the person returns to the page the form was on,
//! which says whether the decision is recorded.

use super::homes::signed_in;
use super::{notice, page_error, safe_next, PageUrl};
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::state::AppState;
use crate::views;
use axum::extract::{Form, Path, State};
use axum::response::Response;
use emall_app::model::Verdict;
use emall_app::Msg;
use emall_domain::Role;
use http::HeaderMap;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    verdict: String,
    #[serde(default)]
    note: String,
}

pub async fn decide(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<DecisionForm>,
) -> Response {
    let viewer = match signed_in(viewer, &[Role::Operator, Role::Regulator]) {
        Ok(viewer) => viewer,
        Err(e) => return page_error(&state, &url, e),
    };
    let Some(verdict) = Verdict::from_form(&form.verdict) else {
        return page_error(&state, &url, ApiError::BadRequest);
    };
    let decided = views::decisions::decide(&state, &viewer, id, verdict, &form.note).await;
    let back = came_from(&headers).unwrap_or_else(|| url.locale.href(&verdict.page(id)));
    let said = decided.map(|()| Msg::NoticeDecided);
    notice::outcome(&state, &url, &viewer, &back, said, Msg::NoLongerOpen)
}

/// The path and query of the page the form was on: its `Referer`, which browsers send for
/// a form on the same site, followed only when it names this host.
fn came_from(headers: &HeaderMap) -> Option<String> {
    let referer = headers.get(http::header::REFERER)?.to_str().ok()?;
    let host = headers.get(http::header::HOST)?.to_str().ok()?;
    let page = url::Url::parse(referer).ok()?;
    let authority = match page.port() {
        Some(port) => format!("{}:{port}", page.host_str()?),
        None => page.host_str()?.to_string(),
    };
    if !authority.eq_ignore_ascii_case(host) {
        return None;
    }
    let mut path = page.path().to_string();
    if let Some(query) = page.query() {
        path.push('?');
        path.push_str(query);
    }
    safe_next(Some(&path))
}
