//! Liveness, readiness and metrics endpoints for the load balancer and Prometheus.

use crate::auth::client::ClientAddr;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
}

/// The process is up.
async fn healthz() -> &'static str {
    "ok"
}

/// The process can serve: the database answers. A year a deadline may reach without a
/// working-day calendar does not stop it serving, but is named on a line of its own
/// (`calendar missing: 2027`) for the operator's monitoring.
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    if !state.db.ping().await {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "database unavailable".to_string(),
        );
    }
    let missing = state.calendar.missing_years();
    if missing.is_empty() {
        return (StatusCode::OK, "ready".to_string());
    }
    let years: Vec<String> = missing.iter().map(i32::to_string).collect();
    (
        StatusCode::OK,
        format!("ready\ncalendar missing: {}", years.join(", ")),
    )
}

/// Prometheus metrics, for the operator's scraper only: with `Authorization: Bearer` and
/// the configured `metrics_token`, or, when none is configured, from this machine.
/// Anyone else is told there is nothing here.
async fn metrics(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
) -> Response {
    let token = &state.settings.metrics_token;
    let allowed = if token.is_empty() {
        client.is_loopback()
    } else {
        headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| {
                crate::auth::csrf::constant_time_eq(given.as_bytes(), token.as_bytes())
            })
    };
    if !allowed {
        return ApiError::NotFound.into_response();
    }
    let pool = state.db.pool();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(pool.size(), pool.num_idle())
            + &state.cache.metrics()
            + &state.scarce.metrics(),
    )
        .into_response()
}
