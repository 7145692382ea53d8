//! Building and running the application: `Application::build` binds the listener (port 0
//! in tests) and `run_until_stopped` serves until Ctrl-C or SIGTERM.

use crate::auth::csrf;
use crate::auth::throttle::Throttle;
use crate::error::REQUEST_LOCALE;
use crate::metrics::Metrics;
use crate::render::Renderer;
use crate::settings::Settings;
use crate::state::AppState;
use crate::{api, metrics, ops, pages};
use anyhow::Context;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::Response;
use axum::Router;
use emall_app::Locale;
use emall_store::db::Db;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl Application {
    /// Connects and migrates the database, then binds `settings.addr`.
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let db = Db::connect(&settings.database_url(), settings.max_db_connections).await?;
        db.migrate().await?;
        Self::build_with_db(settings, db).await
    }

    pub async fn build_with_db(settings: Settings, db: Db) -> anyhow::Result<Application> {
        let state = state(settings, db).await?;
        let listener = TcpListener::bind(&state.settings.addr)
            .await
            .with_context(|| format!("cannot listen on {}", state.settings.addr))?;
        Ok(Application {
            listener,
            router: router(state.clone()),
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        crate::timers::spawn(self.state.clone());
        emall_store::audit::spawn_sealer(self.state.db.clone());
        self.state
            .changes
            .recover(self.state.db.clone(), self.state.search.clone());
        // A kept page is answered by the listener itself, before routing and every layer.
        crate::listener::serve(
            self.listener,
            self.state.cache.clone(),
            self.router,
            crate::listener::ConnectionLimits {
                idle: Duration::from_secs(self.state.settings.idle_timeout_secs),
                per_address: self.state.settings.max_connections_per_address,
                trusted: self.state.settings.trusted_networks(),
            },
            shutdown_signal(),
        )
        .await;
        Ok(())
    }
}

pub async fn state(settings: Settings, db: Db) -> anyhow::Result<AppState> {
    let cities = emall_store::regions::mall_cities(&db).await?;
    let renderer = Renderer::new(&settings.site_root, cities);
    let search = crate::search::SearchService::start(db.clone(), &settings.index_dir()).await?;
    let cache = Arc::new(crate::cache::PageCache::new(
        settings.cache.max_mb * 1024 * 1024,
        Duration::from_secs(crate::cache::PUBLIC_TTL_SECS),
    ));
    let changes =
        crate::changes::ChangeFeed::start(db.clone(), &settings, search.clone(), cache.clone())
            .await?;
    let categories = emall_store::catalogue::Categories::load(&db).await?;
    let calendar = crate::calendar::SharedCalendar::load(&db).await?;
    let missing = calendar.missing_years();
    if !missing.is_empty() {
        tracing::warn!(
            ?missing,
            "no working-day calendar for these years: only weekends and the fixed-date holidays are skipped; the operator loads them at /console/calendar"
        );
    }
    Ok(AppState {
        search,
        cache,
        changes,
        categories: Arc::new(categories),
        calendar,
        throttle: Throttle::new(db.clone()),
        scarce: crate::scarce::Scarce::new(),
        db,
        renderer: Arc::new(renderer),
        metrics: Arc::new(Metrics::default()),
        settings: Arc::new(settings),
    })
}

/// A panic in a handler: logged, and answered as the API's 500 (its body tells nothing).
fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    use axum::response::IntoResponse;
    crate::error::ApiError::Internal(anyhow::anyhow!("a handler panicked")).into_response()
}

pub fn router(state: AppState) -> Router {
    let settings = &state.settings;
    let pace = Arc::new(crate::pacing::Pace {
        grace: Duration::from_secs(settings.idle_timeout_secs),
        min_rate: settings.min_body_bytes_per_sec,
        handler: Duration::from_secs(settings.request_timeout_secs),
    });
    let trusted = Arc::new(settings.trusted_networks());
    let pkg = Router::new()
        .fallback_service(
            // The build writes brotli and gzip forms beside each fingerprinted asset.
            ServeDir::new(state.settings.site_root.join("pkg"))
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ));
    Router::new()
        .merge(pages::public_router().layer(from_fn_with_state(
            state.cache.clone(),
            crate::cache::pages::fill,
        )))
        .merge(pages::router())
        .merge(api::router())
        .merge(ops::router())
        .nest("/pkg", pkg)
        .fallback(pages::not_found)
        // Innermost first: a write answers once its changes show here; CSRF needs the
        // viewer that `load_viewer` found.
        .layer(from_fn_with_state(
            state.changes.clone(),
            crate::changes::settle_changes,
        ))
        .layer(from_fn(csrf::protect))
        .layer(from_fn_with_state(state.clone(), csrf::load_viewer))
        .layer(from_fn_with_state(pace, crate::pacing::pace))
        .layer(from_fn(crate::error::json_errors))
        .layer(from_fn(locale_scope))
        .layer(from_fn_with_state(trusted, crate::auth::client::resolve))
        .layer(from_fn_with_state(state.metrics.clone(), metrics::track))
        .layer(from_fn(secure))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .layer(CatchPanicLayer::custom(panicked))
        .with_state(state)
}

/// The headers every response carries (cached pages keep them with their bytes).
pub fn security_headers(headers: &mut HeaderMap) {
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
    ] {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    }
}

async fn secure(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    security_headers(response.headers_mut());
    response
}

/// Error messages follow `Accept-Language`; pages follow their URL.
async fn locale_scope(req: Request, next: Next) -> Response {
    let locale = match Locale::from_path(req.uri().path()) {
        (Locale::En, _) => Locale::En,
        _ => req
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(Locale::from_accept_language)
            .unwrap_or_default(),
    };
    REQUEST_LOCALE.scope(locale, next.run(req)).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    tracing::info!("shutting down");
}
