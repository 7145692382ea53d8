//! A supplier's staff without script, on its application page: the owner invites a
//! colleague (the one-time link shown in the answer itself, never carried in a redirect)
//! and deactivates one.

use super::homes::signed_in;
use super::onboarding::{application, application_page};
use super::{notice, page_error, refusal, PageUrl};
use crate::auth::Viewer;
use crate::state::AppState;
use crate::views;
use axum::extract::{Form, Path, State};
use axum::response::Response;
use emall_app::Msg;
use emall_domain::Role;
use http::HeaderMap;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    display_name: String,
}

pub async fn invite(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    headers: HeaderMap,
    Form(form): Form<InviteForm>,
) -> Response {
    let viewer = match signed_in(viewer, &[Role::Supplier]) {
        Ok(viewer) => viewer,
        Err(e) => return page_error(&state, &url, e),
    };
    let locale = url.locale;
    let invited = views::staff::invite(&state, &viewer, &form.display_name).await;
    let (link, refused) = match invited.map_err(|e| refusal(e, locale, Msg::ErrConflict)) {
        Ok(invited) => (Some(whole(&state, &headers, &invited.link)), None),
        Err(Ok(said)) => (None, Some(said)),
        Err(Err(e)) => return page_error(&state, &url, e),
    };
    let loaded = async {
        let mut page = application(&state, &viewer).await?;
        if let Some(staff) = page.staff.as_mut() {
            staff.invited = link;
            staff.refused = refused;
        }
        Ok(page)
    }
    .await;
    application_page(&state, &url, loaded)
}

pub async fn deactivate(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    headers: HeaderMap,
    Path(user_id): Path<i64>,
) -> Response {
    let viewer = match signed_in(viewer, &[Role::Supplier]) {
        Ok(viewer) => viewer,
        Err(e) => return page_error(&state, &url, e),
    };
    let back = notice::back(
        &headers,
        url.locale.href("/workbench/application#staff-heading"),
    );
    let done = views::staff::deactivate(&state, &viewer, user_id).await;
    let said = done.map(|()| Msg::NoticeStaffDeactivated);
    notice::outcome(&state, &url, &viewer, &back, said, Msg::ErrConflict)
}

/// The link as the colleague will open it: this site's address, as the owner reached it.
fn whole(state: &AppState, headers: &HeaderMap, path: &str) -> String {
    let host = headers
        .get(http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let scheme = if state.settings.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}{path}")
}
