use super::extract::Json;
use crate::auth::Browser;
use crate::auth::{session, Viewer, SESSION_COOKIE};
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse};
use axum::routing::{get, post};
use axum::Router;
use emall_app::model::Me;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/auth/me", get(me))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// Sign in: sets the HttpOnly session cookie and the CSRF cookie.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = Me),
        (status = 401, description = "Wrong username or password", body = ErrorBody),
        (status = 422, description = "Missing fields", body = ErrorBody),
        (status = 429, description = "Too many failed attempts", body = ErrorBody),
    ))]
async fn login(
    State(state): State<AppState>,
    browser: Browser,
    Json(body): Json<LoginRequest>,
) -> ApiResult<impl IntoResponse> {
    let signed_in = crate::auth::sign_in(&state, &body.username, &body.password, &browser).await?;
    let cookies = signed_in.cookies(state.settings.secure_cookies);
    Ok((
        AppendHeaders(cookies.into_iter().map(|c| (header::SET_COOKIE, c))),
        Json(signed_in.viewer.me()),
    ))
}

/// Sign out: ends the session on the server and clears the cookies.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    params(("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    responses((status = 204, description = "Signed out")))]
async fn logout(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<impl IntoResponse> {
    if let Some(token) = session::cookie_value(&headers, SESSION_COOKIE) {
        session::delete(&state.db, token).await?;
    }
    let [a, b] = session::clear_cookies(state.settings.secure_cookies);
    Ok((
        StatusCode::NO_CONTENT,
        AppendHeaders([(header::SET_COOKIE, a), (header::SET_COOKIE, b)]),
    ))
}

/// The signed-in person.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth",
    responses(
        (status = 200, description = "Signed in", body = Me),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn me(viewer: Viewer) -> Json<Me> {
    Json(viewer.me())
}
