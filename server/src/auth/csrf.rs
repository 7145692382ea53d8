//! CSRF protection for every state-changing request, in two layers:
//!
//! 1. Origin: a browser's cross-site request is refused by `Sec-Fetch-Site`, or, from
//!    browsers that do not send it, by comparing `Origin` with `Host`.
//! 2. Token (double submit): a request authenticated by the session cookie must echo the
//!    session's CSRF token (readable by the page's script from the `emall_csrf` cookie) in
//!    `X-CSRF-Token`. A plain HTML form (a page that works without script) cannot set a
//!    header, so an `application/x-www-form-urlencoded` body may carry the token in a
//!    `csrf_token` field instead. Sign-in itself has no session yet and relies on layer 1.

use super::{session, Viewer, CSRF_HEADER, SESSION_COOKIE};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, Method};

/// Resolves the session cookie (or a supplier's API token in `Authorization: Bearer`) into
/// a [`Viewer`] in the request's extensions. A token reaches only the listing endpoints.
pub async fn load_viewer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if let Some(token) = super::tokens::bearer(req.headers()) {
        let user = emall_store::api_tokens::by_token(&state.db, &session::token_hash(token)).await;
        match user.map(|u| u.and_then(|u| Viewer::signed_in(u, true))) {
            Ok(Some(viewer)) if super::tokens::allowed(req.method(), req.uri().path()) => {
                req.extensions_mut().insert(viewer);
            }
            Ok(Some(_)) => return ApiError::Forbidden.into_response(),
            Ok(None) => return ApiError::Unauthorized.into_response(),
            Err(e) => return ApiError::from(e).into_response(),
        }
        return next.run(req).await;
    }
    if let Some(token) = session::cookie_value(req.headers(), SESSION_COOKIE) {
        match Viewer::of_session(&state.db, &session::token_hash(token)).await {
            Ok(Some(viewer)) => {
                req.extensions_mut().insert(viewer);
            }
            Ok(None) => {}
            Err(e) => return ApiError::from(e).into_response(),
        }
    }
    next.run(req).await
}

pub async fn protect(req: Request, next: Next) -> Response {
    if is_safe(req.method()) {
        return next.run(req).await;
    }
    if !same_origin(req.headers()) {
        tracing::warn!(path = %req.uri().path(), "cross-origin state-changing request refused");
        return ApiError::Csrf.into_response();
    }
    if let Some(viewer) = req.extensions().get::<Viewer>() {
        // A bearer token is never sent by a browser on its own: no cross-site forgery.
        if !is_sign_in(req.uri().path()) && !viewer.api_token {
            let expected = viewer.csrf_token.clone();
            let sent = req
                .headers()
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !constant_time_eq(sent.as_bytes(), expected.as_bytes()) {
                if !is_form(req.headers()) {
                    return ApiError::Csrf.into_response();
                }
                let (parts, body) = req.into_parts();
                let Ok(bytes) = axum::body::to_bytes(body, FORM_MAX_BYTES).await else {
                    return ApiError::TooLarge.into_response();
                };
                let field = form_urlencoded::parse(&bytes)
                    .find(|(k, _)| k == FORM_FIELD)
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default();
                if !constant_time_eq(field.as_bytes(), expected.as_bytes()) {
                    return ApiError::Csrf.into_response();
                }
                return next
                    .run(Request::from_parts(parts, axum::body::Body::from(bytes)))
                    .await;
            }
        }
    }
    next.run(req).await
}

/// The field of a plain form that carries the CSRF token.
pub const FORM_FIELD: &str = "csrf_token";
/// The largest form body read to find the token (a form is a few fields of text).
const FORM_MAX_BYTES: usize = 256 * 1024;

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

fn is_safe(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

fn is_sign_in(path: &str) -> bool {
    matches!(path, "/login" | "/en/login" | "/api/v1/auth/login")
}

/// True unless a browser says the request comes from another site.
pub fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    match headers
        .get(http::header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    {
        None => true, // not a browser, or a browser that sends neither header
        Some(origin) => {
            let host = headers
                .get(http::header::HOST)
                .and_then(|v| v.to_str().ok());
            let origin_host = origin.split_once("://").map(|(_, h)| h);
            matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
        }
    }
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn origin_cases() {
        let cases: &[(&[(&str, &str)], bool, &str)] = &[
            (&[], true, "no browser headers"),
            (
                &[("sec-fetch-site", "same-origin")],
                true,
                "same origin fetch",
            ),
            (&[("sec-fetch-site", "none")], true, "typed address"),
            (
                &[("sec-fetch-site", "cross-site")],
                false,
                "cross-site fetch",
            ),
            (
                &[("sec-fetch-site", "same-site")],
                false,
                "sibling subdomain",
            ),
            (
                &[
                    ("origin", "http://127.0.0.1:3000"),
                    ("host", "127.0.0.1:3000"),
                ],
                true,
                "same host",
            ),
            (
                &[
                    ("origin", "https://evil.example"),
                    ("host", "127.0.0.1:3000"),
                ],
                false,
                "other host",
            ),
            (
                &[("origin", "null"), ("host", "127.0.0.1:3000")],
                false,
                "opaque origin",
            ),
        ];
        for (pairs, expected, why) in cases {
            assert_eq!(same_origin(&headers(pairs)), *expected, "{why}");
        }
    }

    #[test]
    fn only_url_encoded_forms_may_carry_the_token_in_a_field() {
        let cases: &[(&[(&str, &str)], bool)] = &[
            (
                &[("content-type", "application/x-www-form-urlencoded")],
                true,
            ),
            (
                &[(
                    "content-type",
                    "Application/X-WWW-Form-Urlencoded; charset=UTF-8",
                )],
                true,
            ),
            (&[("content-type", "application/json")], false),
            (
                &[("content-type", "multipart/form-data; boundary=x")],
                false,
            ),
            (&[], false),
        ];
        for (pairs, expected) in cases {
            assert_eq!(is_form(&headers(pairs)), *expected, "{pairs:?}");
        }
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(!constant_time_eq(b"", b"x"));
    }
}
