//! The JSON API under `/api/v1`, described by the OpenAPI document at `/api/openapi.json`.
//! Each module exports `router()`; every handler authorizes through [`Viewer`](crate::auth::Viewer).

mod alerts;
pub mod audit;
mod auth;
pub mod calendar;
mod cart;
mod catalogue;
mod credit;
mod dashboard;
mod disclosure;
pub mod extract;
mod images;
mod imports;
mod offers;
pub mod onboarding;
pub mod openapi;
pub mod orders;
mod pools;
mod proposals;
mod qualifications;
mod search;
pub mod staff;
mod suppliers;
mod tokens;
mod units;

use crate::state::AppState;
use axum::Router;
use serde::Deserialize;

pub use openapi::{document as openapi_document, ApiDoc};

pub fn router() -> Router<AppState> {
    Router::new()
        .nest(
            "/api/v1",
            Router::new()
                .merge(alerts::router())
                .merge(audit::router())
                .merge(auth::router())
                .merge(calendar::router())
                .merge(cart::router())
                .merge(catalogue::router())
                .merge(credit::router())
                .merge(dashboard::router())
                .merge(disclosure::router())
                .merge(imports::router())
                .merge(offers::router())
                .merge(onboarding::router())
                .merge(orders::router())
                .merge(pools::router())
                .merge(proposals::router())
                .merge(qualifications::router())
                .merge(search::router())
                .merge(suppliers::router())
                .merge(staff::router())
                .merge(tokens::router())
                .merge(units::router()),
        )
        .merge(images::router())
        .merge(openapi::router())
        // Unknown API paths answer in JSON, not with the HTML 404 page.
        .route(
            "/api/{*rest}",
            axum::routing::any(|| async { crate::error::ApiError::NotFound }),
        )
        .layer(axum::middleware::from_fn(caching))
}

/// API answers are not kept by shared caches (nothing purges them): a signed-in viewer's
/// never leave the browser's memory, anyone else's are revalidated on each use. Routes that
/// set their own policy (images, downloads) keep it.
async fn caching(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::{header, HeaderValue};
    let signed_in = request.extensions().get::<crate::auth::Viewer>().is_some();
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !headers.contains_key(header::CACHE_CONTROL) {
        if signed_in {
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
            headers.insert(
                header::VARY,
                HeaderValue::from_static("Cookie, Authorization"),
            );
        } else {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        }
    }
    response
}

/// `?limit=&offset=` paging, clamped so no request asks for an unbounded list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct Paging {
    /// At most 200; default 50.
    pub limit: Option<i64>,
    /// Default 0.
    pub offset: Option<i64>,
}

impl Paging {
    pub fn limit(&self) -> i64 {
        self.limit.unwrap_or(50).clamp(1, 200)
    }

    pub fn offset(&self) -> i64 {
        self.offset.unwrap_or(0).max(0)
    }
}
