use super::extract::Json;
use crate::auth::Browser;
use crate::auth::{session, Viewer, SESSION_COOKIE};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse};
use axum::routing::{get, post};
use axum::Router;
use emall_app::model::LoginRequest;
use emall_app::model::{Me, SessionView};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/auth/me", get(me))
        .route("/auth/sessions", get(list_sessions))
        .route("/auth/sessions/end-others", post(end_other_sessions))
        .route("/auth/sessions/{id}", axum::routing::delete(end_session))
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

/// The session of a browser request; API tokens have none.
fn session_of(viewer: &Viewer, headers: &HeaderMap) -> ApiResult<String> {
    if viewer.api_token {
        return Err(ApiError::Forbidden);
    }
    session::current_hash(headers).ok_or(ApiError::Unauthorized)
}

/// The signed-in person's sessions that have not expired, newest first, with the one this
/// request came with marked `current`.
#[utoipa::path(get, path = "/api/v1/auth/sessions", tag = "auth",
    responses(
        (status = 200, description = "The sessions", body = [SessionView]),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn list_sessions(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
) -> ApiResult<Json<Vec<SessionView>>> {
    let current = session_of(&viewer, &headers)?;
    Ok(Json(
        emall_store::sessions::of_user(&state.db, viewer.user_id, &current).await?,
    ))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct SessionsEnded {
    pub ended: u64,
}

/// Ends every other session of the signed-in person (a lost laptop, a shared computer).
#[utoipa::path(post, path = "/api/v1/auth/sessions/end-others", tag = "auth",
    params(("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    responses(
        (status = 200, description = "How many ended", body = SessionsEnded),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn end_other_sessions(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
) -> ApiResult<Json<SessionsEnded>> {
    let current = session_of(&viewer, &headers)?;
    let ended = emall_store::sessions::end_others(&state.db, viewer.user_id, &current).await?;
    Ok(Json(SessionsEnded { ended }))
}

/// Ends one other session of the signed-in person, named by its `id` from the list.
#[utoipa::path(delete, path = "/api/v1/auth/sessions/{id}", tag = "auth",
    params(("id" = String, Path, description = "The session's id from the list"),
        ("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    responses(
        (status = 204, description = "Ended"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such session of this person, or this very session (sign out instead)", body = ErrorBody),
    ))]
async fn end_session(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> ApiResult<StatusCode> {
    let current = session_of(&viewer, &headers)?;
    match emall_store::sessions::end(&state.db, viewer.user_id, &id, &current).await? {
        0 => Err(ApiError::NotFound),
        _ => Ok(StatusCode::NO_CONTENT),
    }
}
