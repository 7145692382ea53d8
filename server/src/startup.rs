//! Building and running the application: `Application::build` binds the listener (port 0
//! in tests) and `run_until_stopped` serves until Ctrl-C or SIGTERM.

use crate::auth::csrf;
use crate::auth::throttle::LoginThrottle;
use crate::db::Db;
use crate::error::REQUEST_LOCALE;
use crate::metrics::Metrics;
use crate::render::Renderer;
use crate::settings::Settings;
use crate::state::AppState;
use crate::{api, metrics, ops, pages};
use anyhow::Context;
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::Response;
use axum::Router;
use emall_app::Locale;
use std::net::SocketAddr;
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
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown_signal())
            .await
    }
}

pub async fn state(settings: Settings, db: Db) -> anyhow::Result<AppState> {
    let cities = crate::store::regions::mall_cities(&db).await?;
    let renderer = Renderer::new(&settings.site_root, cities);
    let search = crate::search::SearchService::start(db.clone(), &settings.index_dir()).await?;
    let categories = crate::store::catalogue::Categories::load(&db).await?;
    Ok(AppState {
        search,
        categories: Arc::new(categories),
        calendar: Arc::new(emall_domain::calendar::WorkCalendar::china()),
        throttle: LoginThrottle::new(
            settings.login_max_failures,
            Duration::from_secs(settings.login_window_secs),
        ),
        db,
        renderer: Arc::new(renderer),
        metrics: Arc::new(Metrics::default()),
        settings: Arc::new(settings),
    })
}

pub fn router(state: AppState) -> Router {
    let pkg = Router::new()
        .fallback_service(ServeDir::new(state.settings.site_root.join("pkg")))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ));
    Router::new()
        .merge(pages::router())
        .merge(api::router())
        .merge(ops::router())
        .nest("/pkg", pkg)
        .fallback(pages::not_found)
        // Innermost first: CSRF needs the viewer that `load_viewer` found.
        .layer(from_fn(csrf::protect))
        .layer(from_fn_with_state(state.clone(), csrf::load_viewer))
        .layer(from_fn(locale_scope))
        .layer(from_fn_with_state(state.metrics.clone(), metrics::track))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .layer(CatchPanicLayer::new())
        .with_state(state)
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
