//! The decision forms of the console's pages without script: a held listing, a
//! qualification, an application, a red flag, an appeal. Each posts `verdict` (the button
//! pressed) and `note` to `/decisions/{id}`; the person returns to the page the form was on,
//! which says whether the decision is recorded.

use super::homes::signed_in;
use super::{notice, page_error, PageUrl};
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
    let back = notice::back(&headers, url.locale.href(&verdict.page(id)));
    let said = decided.map(|()| Msg::NoticeDecided);
    notice::outcome(&state, &url, &viewer, &back, said, Msg::NoLongerOpen)
}
