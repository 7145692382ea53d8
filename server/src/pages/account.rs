//! `/account/sessions`: where a person is signed in, and plain forms (the CSRF token as a
//! field) to end a session, all the others, or this one (`/logout`).

use super::homes::{private, signed_in};
use super::Lenient;
use super::PageUrl;
use crate::auth::session;
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::error::ApiResult;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::http::HeaderMap;
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use emall_app::model::SessionsPage;
use emall_app::Msg;
use emall_domain::Role;

const EVERYONE: [Role; 5] = [
    Role::Buyer,
    Role::Approver,
    Role::Supplier,
    Role::Operator,
    Role::Regulator,
];

#[derive(serde::Deserialize, Default)]
pub struct Ended {
    pub ended: Option<u64>,
}

pub async fn sessions(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    headers: HeaderMap,
    Lenient { value: q, .. }: Lenient<Ended>,
) -> Response {
    let loaded = async {
        let viewer = signed_in(viewer, &EVERYONE)?;
        let current = session::current_hash(&headers).unwrap_or_default();
        Ok(SessionsPage {
            sessions: emall_store::sessions::of_user(&state.db, viewer.user_id, &current).await?,
            csrf_token: viewer.csrf_token.clone(),
            me: viewer.me(),
            ended: q.ended,
        })
    }
    .await;
    private(
        &state,
        &url,
        Msg::SessionsTitle,
        loaded,
        emall_app::pages::sessions,
    )
}

/// Back to the list, saying how many sessions ended.
fn back(url: &PageUrl, ended: ApiResult<u64>, state: &AppState) -> Response {
    match ended {
        Ok(n) => {
            Redirect::to(&url.locale.href(&format!("/account/sessions?ended={n}"))).into_response()
        }
        Err(e) => super::page_error(state, url, e),
    }
}

pub async fn end_others(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    headers: HeaderMap,
) -> Response {
    let ended = async {
        let viewer = signed_in(viewer, &EVERYONE)?;
        let current = session::current_hash(&headers).ok_or(ApiError::Unauthorized)?;
        Ok(emall_store::sessions::end_others(&state.db, viewer.user_id, &current).await?)
    }
    .await;
    back(&url, ended, &state)
}

pub async fn end_one(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let ended = async {
        let viewer = signed_in(viewer, &EVERYONE)?;
        let current = session::current_hash(&headers).ok_or(ApiError::Unauthorized)?;
        Ok(emall_store::sessions::end(&state.db, viewer.user_id, &id, &current).await?)
    }
    .await;
    back(&url, ended, &state)
}

/// Signs out without script: ends this session, clears its cookies, goes home.
pub async fn logout(State(state): State<AppState>, url: PageUrl, headers: HeaderMap) -> Response {
    if let Some(token) = session::cookie_value(&headers, crate::auth::SESSION_COOKIE) {
        if let Err(e) = session::delete(&state.db, token).await {
            return super::page_error(&state, &url, e.into());
        }
    }
    let cookies = session::clear_cookies(state.settings.secure_cookies);
    (
        AppendHeaders(cookies.map(|c| (header::SET_COOKIE, c))),
        Redirect::to(&url.locale.href("/")),
    )
        .into_response()
}
