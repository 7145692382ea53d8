//! A plain form's outcome, said once: the form's handler answers with a redirect to the
//! page the form was on and a short-lived cookie holding the outcome's words; the next
//! personal page shows them above its content and clears the cookie. (With script the
//! islands say the outcome in place instead.)
//!
//! The cookie is signed with the session's own CSRF token (HMAC-SHA256), so only this
//! server, for this session, can put words on a page; a cookie from anywhere else, or from
//! an earlier session, is ignored.

use super::{page_error, refusal, safe_next, PageUrl};
use crate::auth::session::cookie_value;
use crate::auth::Viewer;
use crate::error::ApiResult;
use crate::state::AppState;
use axum::response::{IntoResponse, Redirect, Response};
use emall_app::model::Notice;
use emall_app::Msg;
use hmac::{Hmac, Mac};
use http::header::SET_COOKIE;
use http::{HeaderMap, HeaderValue};
use sha2::Sha256;

const COOKIE: &str = "emall_notice";
/// The most characters of words carried (a sentence or two; a cookie holds 4 KB).
const MAX_CHARS: usize = 300;

/// Where a plain form's request ends: back at `to`, saying `done` in the page's language,
/// or what refused it (`conflict`: what a conflict means here). Errors that are not the
/// person's to mend (signed out, forbidden, not found, a failure) get their error page.
pub fn outcome(
    state: &AppState,
    url: &PageUrl,
    viewer: &Viewer,
    to: &str,
    result: ApiResult<Msg>,
    conflict: Msg,
) -> Response {
    let locale = url.locale;
    let notice = match result {
        Ok(done) => Notice::done(locale.t(done)),
        Err(e) => match refusal(e, locale, conflict) {
            Ok(why) => Notice::refused(locale.fill(Msg::NoticeRefused, &[("why", &why)])),
            Err(e) => return page_error(state, url, e),
        },
    };
    redirect(state, viewer, to, &notice)
}

/// A redirect (303) to `to` that says `notice` there.
pub fn redirect(state: &AppState, viewer: &Viewer, to: &str, notice: &Notice) -> Response {
    let text: String = notice.text.chars().take(MAX_CHARS).collect();
    let kind = if notice.refusal { "refused" } else { "done" };
    let signed = form_urlencoded::Serializer::new(String::new())
        .append_pair("kind", kind)
        .append_pair("text", &text)
        .append_pair("mac", &mac(&viewer.csrf_token, kind, &text))
        .finish();
    let mut response = Redirect::to(to).into_response();
    set(state, &mut response, &signed, 60);
    response
}

/// The outcome waiting to be said to `viewer`, if the request carries one it signed.
pub fn read(headers: &HeaderMap, viewer: &Viewer) -> Option<Notice> {
    let value = cookie_value(headers, COOKIE)?;
    let field = |name: &str| {
        form_urlencoded::parse(value.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    let (kind, text, given) = (field("kind")?, field("text")?, field("mac")?);
    let expected = mac(&viewer.csrf_token, &kind, &text);
    if !crate::auth::csrf::constant_time_eq(given.as_bytes(), expected.as_bytes()) {
        return None;
    }
    match kind.as_str() {
        "done" => Some(Notice::done(text)),
        "refused" => Some(Notice::refused(text)),
        _ => None,
    }
}

/// Where a plain form sent from a list page returns: the page it was on, else `fallback`.
pub fn back(headers: &HeaderMap, fallback: String) -> String {
    came_from(headers).unwrap_or(fallback)
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

/// Clears the cookie on a page that has said it.
pub fn said(state: &AppState, response: &mut Response) {
    set(state, response, "", 0);
}

fn mac(key: &str, kind: &str, text: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(kind.as_bytes());
    mac.update(b"\n");
    mac.update(text.as_bytes());
    hex::encode(mac.finalize().into_bytes())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_signed_for_one_session() {
        let a = mac("token-a", "done", "已记录您的决定。");
        assert_eq!(a, mac("token-a", "done", "已记录您的决定。"));
        assert_ne!(a, mac("token-b", "done", "已记录您的决定。"));
        assert_ne!(a, mac("token-a", "refused", "已记录您的决定。"));
        assert_ne!(a, mac("token-a", "done", "已记录您的决定"));
    }
}
