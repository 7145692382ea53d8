//! A plain form's outcome, said once: the form's handler answers with a redirect to the
//! page the form was on and a short-lived cookie naming the outcome; the next personal
//! page shows it above its content and clears the cookie. (With script the islands say
//! the outcome in place instead.)

use crate::auth::session::cookie_value;
use crate::state::AppState;
use axum::response::{IntoResponse, Redirect, Response};
use emall_app::model::Notice;
use http::header::SET_COOKIE;
use http::{HeaderMap, HeaderValue};

const COOKIE: &str = "emall_notice";

/// The outcome waiting to be said, if the request carries one.
pub fn read(headers: &HeaderMap) -> Option<Notice> {
    cookie_value(headers, COOKIE).and_then(Notice::from_code)
}

/// A redirect (303) to `to` that says `notice` there.
pub fn redirect(state: &AppState, to: &str, notice: Notice) -> Response {
    let mut response = Redirect::to(to).into_response();
    set(state, &mut response, notice.code(), 60);
    response
}

/// Clears the cookie on a page that has said it.
pub fn said(state: &AppState, response: &mut Response) {
    set(state, response, "", 0);
}

fn set(state: &AppState, response: &mut Response, value: &str, max_age: u32) {
    let secure = if state.settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie =
        format!("{COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(SET_COOKIE, v);
    }
}
