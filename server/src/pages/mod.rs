//! HTML pages: each handler loads its view model through `store`, then renders it with
//! the app crate. Every page exists in zh-CN (`/…`) and English (`/en/…`).

mod account;
mod alerts;
mod audit;
mod calendar;
mod cart;
mod catalogue;
mod credit;
mod decisions;
mod disclosure;
mod homes;
mod intentions;
mod lenient;
mod listings;
mod login;
mod notice;
mod onboarding;
mod order_centre;
mod orders;
mod pools;
mod staff;
mod storefront;

pub use lenient::Lenient;

use crate::cache::{SurrogateKeys, Tagged};
use crate::error::ApiError;
use crate::render::PageMeta;
use crate::state::AppState;
use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, MethodRouter};
use axum::Router;
use emall_app::{Locale, Msg};
use http::request::Parts;

/// The public pages: the same HTML for every visitor, kept by the page cache.
pub fn public_router() -> Router<AppState> {
    in_both_locales([
        ("/", get(storefront::home)),
        ("/search", get(catalogue::search)),
        ("/product/{id}", get(catalogue::product)),
        ("/supplier/{id}", get(catalogue::supplier)),
        ("/supplier/{id}/performance", get(orders::performance)),
        ("/supplier/register", get(onboarding::register)),
        ("/disclosure", get(disclosure::disclosure)),
        ("/pools", get(pools::list)),
        ("/pools/{id}", get(pools::detail)),
    ])
}

/// The personal pages: never stored.
pub fn router() -> Router<AppState> {
    in_both_locales([
        ("/login", get(login::form).post(login::submit)),
        ("/logout", axum::routing::post(account::logout)),
        ("/account/sessions", get(account::sessions)),
        (
            "/account/sessions/end-others",
            axum::routing::post(account::end_others),
        ),
        (
            "/account/sessions/{id}/end",
            axum::routing::post(account::end_one),
        ),
        ("/buyer", get(homes::buyer)),
        ("/buyer/cart", get(cart::page)),
        ("/buyer/checkout", axum::routing::post(cart::place)),
        ("/buyer/cart/add", get(cart::add_page).post(cart::add)),
        ("/buyer/cart/{offer_id}", axum::routing::post(cart::update)),
        (
            "/buyer/cart/{offer_id}/remove",
            axum::routing::post(cart::remove),
        ),
        (
            "/buyer/intentions",
            axum::routing::post(intentions::publish),
        ),
        (
            "/buyer/intentions/{id}/withdraw",
            axum::routing::post(intentions::withdraw),
        ),
        ("/workbench", get(homes::supplier)),
        ("/console", get(homes::console)),
        (
            "/supplier/{id}/performance/events",
            get(orders::performance_events),
        ),
        ("/workbench/application", get(onboarding::resubmit)),
        ("/workbench/staff", axum::routing::post(staff::invite)),
        (
            "/workbench/staff/{id}/deactivate",
            axum::routing::post(staff::deactivate),
        ),
        ("/workbench/listings", get(listings::listings)),
        (
            "/workbench/listings/{id}",
            axum::routing::post(listings::update),
        ),
        (
            "/workbench/offers",
            axum::routing::post(listings::create_offer),
        ),
        (
            "/workbench/proposals",
            axum::routing::post(listings::propose),
        ),
        (
            "/workbench/api-tokens",
            axum::routing::post(listings::create_token),
        ),
        (
            "/workbench/api-tokens/{id}/revoke",
            axum::routing::post(listings::revoke_token),
        ),
        ("/console/listings", get(listings::queue)),
        (
            "/console/proposals/{id}",
            axum::routing::post(listings::decide_proposal),
        ),
        ("/console/pools", get(pools::console)),
        ("/pools/{id}/part", get(pools::part).post(pools::take_part)),
        ("/console/alerts", get(alerts::list)),
        ("/console/alerts/{id}", get(alerts::detail)),
        ("/console/audit", get(audit::page)),
        (
            "/console/calendar",
            get(calendar::page).post(calendar::submit),
        ),
        (
            "/invite/{token}",
            get(onboarding::invitation).post(onboarding::accept_invitation),
        ),
        ("/console/suppliers/{id}", get(onboarding::review)),
        ("/orders", get(order_centre::page)),
        ("/orders/{id}", get(orders::order)),
        ("/orders/{id}/step", axum::routing::post(orders::step)),
        (
            "/orders/{id}/complaints",
            axum::routing::post(orders::complain),
        ),
        (
            "/orders/{id}/complaints/{complaint}/answer",
            axum::routing::post(orders::answer),
        ),
        ("/decisions/{id}", axum::routing::post(decisions::decide)),
        (
            "/suppliers/{id}/credit-entries",
            axum::routing::post(credit::record),
        ),
        (
            "/credit-entries/{id}/appeal",
            axum::routing::post(credit::appeal),
        ),
        ("/console/alerts/scan", axum::routing::post(credit::scan)),
        ("/orders/{id}/contract", get(orders::contract)),
    ])
}

/// Each page at its zh-CN path and under `/en`.
fn in_both_locales<const N: usize>(pages: [(&str, MethodRouter<AppState>); N]) -> Router<AppState> {
    let mut router = Router::new();
    for (path, handler) in pages {
        let en = if path == "/" {
            "/en".to_string()
        } else {
            format!("/en{path}")
        };
        router = router.route(path, handler.clone()).route(&en, handler);
    }
    router
}

/// The page's locale and its locale-free path and query, from the URL.
pub struct PageUrl {
    pub locale: Locale,
    pub path_and_query: String,
    /// Who is signed in, for a personal page's header.
    pub me: Option<emall_app::model::Me>,
    /// What became of the plain form this person sent last (its one-time cookie).
    pub notice: Option<emall_app::model::Notice>,
}

impl<S: Send + Sync> FromRequestParts<S> for PageUrl {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let uri = OriginalUri::from_request_parts(parts, state).await?.0;
        let (locale, path) = Locale::from_path(uri.path());
        let path_and_query = match uri.query() {
            Some(q) => format!("{path}?{q}"),
            None => path.to_string(),
        };
        let viewer = parts.extensions.get::<crate::auth::Viewer>();
        Ok(PageUrl {
            locale,
            path_and_query,
            me: viewer.map(crate::auth::Viewer::me),
            notice: viewer.and_then(|v| notice::read(&parts.headers, v)),
        })
    }
}

impl PageUrl {
    pub fn meta(&self, title: impl Into<String>) -> PageMeta {
        PageMeta {
            locale: self.locale,
            title: title.into(),
            path: self.path_and_query.clone(),
            city: None,
            query: String::new(),
            me: None,
            notice: None,
        }
    }
}

/// Cache policy of a page response.
#[derive(Clone, Copy)]
pub enum Caching<'a> {
    /// The same for every visitor: kept by the page cache and the CDN until a purge of any
    /// of its keys.
    Public(&'a SurrogateKeys),
    /// Personal: never stored.
    Private,
}

pub fn html(status: StatusCode, caching: Caching, body: String) -> Response {
    let mut response = (status, Html(body)).into_response();
    let headers = response.headers_mut();
    match caching {
        Caching::Public(keys) => {
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static(crate::cache::PUBLIC_CACHE_CONTROL),
            );
            keys.write(headers);
        }
        Caching::Private => {
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
            headers.insert(header::VARY, HeaderValue::from_static("Cookie"));
        }
    }
    response
}

/// Renders a loaded view model as a personal page (`meta` names it for the shell), or the
/// error page.
pub fn respond<T>(
    state: &AppState,
    url: &PageUrl,
    loaded: Result<T, ApiError>,
    meta: impl FnOnce(&T, &mut PageMeta),
    page: impl FnOnce(emall_app::Locale, T) -> leptos::prelude::AnyView,
) -> Response {
    render(state, url, loaded, meta, Caching::Private, page)
}

/// Renders a public page, naming what it shows in its surrogate keys.
pub fn public<T: Tagged>(
    state: &AppState,
    url: &PageUrl,
    loaded: Result<T, ApiError>,
    meta: impl FnOnce(&T, &mut PageMeta),
    page: impl FnOnce(emall_app::Locale, T) -> leptos::prelude::AnyView,
) -> Response {
    let mut keys = SurrogateKeys::default();
    if let Ok(data) = &loaded {
        data.surrogate_keys(&mut keys);
    }
    render(state, url, loaded, meta, Caching::Public(&keys), page)
}

fn render<T>(
    state: &AppState,
    url: &PageUrl,
    loaded: Result<T, ApiError>,
    meta: impl FnOnce(&T, &mut PageMeta),
    caching: Caching,
    page: impl FnOnce(emall_app::Locale, T) -> leptos::prelude::AnyView,
) -> Response {
    match loaded {
        Ok(data) => {
            let mut m = url.meta(String::new());
            let private = matches!(caching, Caching::Private);
            if private {
                m.me = url.me.clone();
                m.notice = url.notice.clone();
            }
            meta(&data, &mut m);
            let locale = url.locale;
            let mut response = html(
                StatusCode::OK,
                caching,
                state.renderer.render(m, || page(locale, data)),
            );
            if private && url.notice.is_some() {
                notice::said(state, &mut response);
            }
            response
        }
        Err(e) => page_error(state, url, e),
    }
}

/// How an error looks on a page: visitors are sent to sign in, the rest see an error page.
/// Why a plain form's request was refused, to be said on the page it came from: the first
/// field's problem, or `conflict` when what it asked is no longer open (or the state's own
/// words when the refusal names it). Any other error
/// (signed out, forbidden, not found, a failure) stays an error, for its error page.
pub fn refusal(error: ApiError, locale: Locale, conflict: Msg) -> Result<String, ApiError> {
    match error {
        ApiError::Invalid { fields } => match fields.words(locale).into_values().next() {
            Some(words) => Ok(words),
            None => Err(ApiError::Invalid { fields }),
        },
        ApiError::Conflict => Ok(locale.t(conflict).to_string()),
        ApiError::StateConflict(said) => Ok(locale.t(said).to_string()),
        e => Err(e),
    }
}

pub fn page_error(state: &AppState, url: &PageUrl, error: ApiError) -> Response {
    let locale = url.locale;
    let (title, hint) = match &error {
        ApiError::Unauthorized => {
            let next = urlencode(&url.path_and_query);
            return Redirect::to(&locale.href(&format!("/login?next={next}"))).into_response();
        }
        ApiError::Forbidden => (Msg::ErrForbidden, Msg::ErrNotFoundHint),
        ApiError::NotFound => (Msg::ErrNotFound, Msg::ErrNotFoundHint),
        ApiError::Internal(e) => {
            tracing::error!(error = ?e, "page failed");
            (Msg::ErrInternal, Msg::ErrNotFoundHint)
        }
        other => (other.message(), Msg::ErrNotFoundHint),
    };
    let body = state.renderer.render(url.meta(locale.t(title)), || {
        emall_app::pages::error_page(locale, title, hint)
    });
    html(error.status(), Caching::Private, body)
}

/// The HTML 404 for any unknown path.
pub async fn not_found(
    axum::extract::State(state): axum::extract::State<AppState>,
    url: PageUrl,
) -> Response {
    page_error(&state, &url, ApiError::NotFound)
}

fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A `next` target is followed only if it is a path on this site.
/// Where to go after signing in: only a path on this site. The text is parsed as a URL
/// against this site's origin and kept only if it stays there; control characters,
/// whitespace and backslashes (which browsers treat as `/` or drop) are refused outright,
/// so `/\t/evil.example` cannot become `//evil.example` in a browser.
pub fn safe_next(next: Option<&str>) -> Option<String> {
    let next = next?;
    if !next.starts_with('/')
        || next.len() > 2_000
        || next
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return None;
    }
    let origin = url::Url::parse("https://emall.invalid/").ok()?;
    let joined = origin.join(next).ok()?;
    if joined.origin() != origin.origin() || next.starts_with("//") {
        return None;
    }
    let mut path = joined.path().to_string();
    if let Some(query) = joined.query() {
        path.push('?');
        path.push_str(query);
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_must_stay_on_site() {
        assert_eq!(safe_next(Some("/buyer")), Some("/buyer".into()));
        assert_eq!(
            safe_next(Some("/orders/7?tab=items")),
            Some("/orders/7?tab=items".into())
        );
        assert_eq!(safe_next(Some("/a/../buyer")), Some("/buyer".into()));
        for bad in [
            "//evil.example",
            "https://evil.example",
            "buyer",
            "/\\evil",
            "",
            "/\t/evil.example",
            "/\n/x",
            "/\r\n/x",
            " //evil.example",
            "/ /evil.example",
            "/\u{0}/x",
            "/\u{85}/x",
            "/\u{3000}/x",
            "https:evil.example",
            "/%09/evil.example/\t",
        ] {
            assert_eq!(safe_next(Some(bad)), None, "{bad}");
        }
        assert_eq!(urlencode("/buyer?x=1"), "/buyer%3Fx%3D1");
    }
}
