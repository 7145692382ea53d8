//! Liveness, readiness and metrics endpoints for the load balancer and Prometheus.

use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
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

async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let pool = state.db.pool();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(pool.size(), pool.num_idle()) + &state.cache.metrics(),
    )
}
