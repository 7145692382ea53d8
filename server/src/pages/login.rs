use super::{html, safe_next, Caching, Lenient, PageUrl};
use crate::auth::Browser;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Form, State};
use axum::http::{header, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use emall_app::model::{home_path, LoginPage};
use emall_app::Msg;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

pub async fn form(
    State(state): State<AppState>,
    url: PageUrl,
    Lenient { value: q, .. }: Lenient<NextQuery>,
) -> Response {
    let page = LoginPage {
        next: safe_next(q.next.as_deref()),
        ..LoginPage::default()
    };
    render(&state, &url, StatusCode::OK, page).await
}

/// The form post: on success a 303 to `next` or the role's home, else the form again with
/// the reason.
pub async fn submit(
    State(state): State<AppState>,
    url: PageUrl,
    browser: Browser,
    Form(form): Form<LoginForm>,
) -> Response {
    let locale = url.locale;
    match crate::auth::sign_in(&state, &form.username, &form.password, &browser).await {
        Ok(signed_in) => {
            let target = match safe_next(form.next.as_deref()) {
                Some(next) => locale.href(&next),
                None => locale.href(home_path(signed_in.viewer.role)),
            };
            let cookies = signed_in.cookies(state.settings.secure_cookies);
            (
                AppendHeaders(cookies.into_iter().map(|c| (header::SET_COOKIE, c))),
                Redirect::to(&target),
            )
                .into_response()
        }
        Err(e) => {
            let message = match &e {
                ApiError::Invalid { .. } | ApiError::BadCredentials => locale.t(Msg::LoginFailed),
                ApiError::Throttled { .. } => locale.t(Msg::LoginThrottled),
                other => locale.t(other.message()),
            };
            let page = LoginPage {
                next: safe_next(form.next.as_deref()),
                username: form.username,
                error: Some(message.to_string()),
                demo: false,
            };
            render(&state, &url, e.status(), page).await
        }
    }
}

async fn render(
    state: &AppState,
    url: &PageUrl,
    status: StatusCode,
    mut page: LoginPage,
) -> Response {
    // Demo accounts are listed only where the demo seed made them.
    page.demo = emall_store::users::credentials(&state.db, "demo-buyer")
        .await
        .ok()
        .flatten()
        .is_some();
    let locale = url.locale;
    let body = state
        .renderer
        .render(url.meta(locale.t(Msg::LoginTitle)), || {
            emall_app::pages::login(locale, page)
        });
    html(status, Caching::Private, body)
}
