//! `spawn_app`: a fresh database (copied from a demo-seeded template), the app on port 0,
//! and a cookie-keeping client.

// The throwaway PostgreSQL cluster, shared with the process tests.
#[path = "../common/postgres.rs"]
mod postgres;

use emall_server::settings::Settings;
use emall_server::startup::Application;
use emall_store::db::{Backend, Db};
use reqwest::header::HeaderValue;
use std::sync::atomic::{AtomicU32, Ordering};
use tokio::sync::OnceCell;

pub const DEMO_PASSWORD: &str = "Demo@2026";

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: Db,
    pub backend: Backend,
    pub database_url: String,
    /// The running app's state (to run its timers at a chosen moment).
    pub state: emall_server::state::AppState,
    _dir: tempfile::TempDir,
}

/// Runs a test body once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::helpers::spawn_app(emall_store::db::Backend::Sqlite).await).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::helpers::spawn_app(emall_store::db::Backend::Postgres).await).await
            }
        }
    )*};
}

static SQLITE_TEMPLATE: OnceCell<(tempfile::TempDir, std::path::PathBuf)> = OnceCell::const_new();
static POSTGRES_TEMPLATE: OnceCell<String> = OnceCell::const_new();
static NEXT_DB: AtomicU32 = AtomicU32::new(0);

async fn seed_template(url: &str) {
    let db = Db::connect(url, 4).await.expect("template database");
    db.migrate().await.expect("migrations");
    emall_store::seed::demo::seed(&db)
        .await
        .expect("demo seed")
        .expect("empty template");
    if db.backend() == Backend::Sqlite {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(db.pool())
            .await
            .expect("checkpoint");
    }
    db.pool().close().await;
}

/// A database of its own for one test, holding the demo city.
async fn fresh_database(backend: Backend, dir: &std::path::Path) -> String {
    match backend {
        Backend::Sqlite => {
            let (_, template) = SQLITE_TEMPLATE
                .get_or_init(|| async {
                    let dir = tempfile::tempdir().expect("tempdir");
                    let path = dir.path().join("template.db");
                    seed_template(&format!("sqlite://{}?mode=rwc", path.display())).await;
                    (dir, path)
                })
                .await;
            let path = dir.join("emall.db");
            std::fs::copy(template, &path).expect("copy template");
            format!("sqlite://{}?mode=rwc", path.display())
        }
        Backend::Postgres => {
            let server = postgres::server_url().await;
            let template = POSTGRES_TEMPLATE
                .get_or_init(|| async {
                    let name = format!("emall_template_{}", std::process::id());
                    postgres::create_database(&server, &name, None).await;
                    seed_template(&format!("{server}/{name}")).await;
                    name
                })
                .await;
            let name = format!(
                "emall_test_{}_{}",
                std::process::id(),
                NEXT_DB.fetch_add(1, Ordering::SeqCst)
            );
            postgres::create_database(&server, &name, Some(template)).await;
            format!("{server}/{name}")
        }
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// `spawn_app` with settings of the test's choosing.
pub async fn spawn_app_with(backend: Backend, configure: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = fresh_database(backend, dir.path()).await;
    start_node(backend, url, dir, configure).await
}

/// Runs the app on `url` with its own data directory (search index, files).
async fn start_node(
    backend: Backend,
    url: String,
    dir: tempfile::TempDir,
    configure: impl FnOnce(&mut Settings),
) -> TestApp {
    let _ = tracing_subscriber::fmt()
        .with_env_filter("warn")
        .with_test_writer()
        .try_init();
    let mut settings = Settings {
        addr: "127.0.0.1:0".into(),
        database_url: url.clone(),
        data_dir: dir.path().to_path_buf(),
        site_root: dir.path().join("site"),
        max_db_connections: 8,
        // Tests run the timers themselves, at the moment they choose.
        timer_interval_secs: 0,
        // Plain http on loopback.
        secure_cookies: false,
        ..Settings::default()
    };
    configure(&mut settings);
    let db = Db::connect(&url, 8).await.expect("connect");
    let app = Application::build_with_db(settings, db.clone())
        .await
        .expect("build app");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: client(),
        db,
        backend,
        database_url: url,
        state,
        _dir: dir,
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

impl TestApp {
    /// A second server node on the same database, with its own search index and page cache
    /// (PostgreSQL: the multi-node set-up).
    pub async fn another_node(&self) -> TestApp {
        self.another_node_with(|_| {}).await
    }

    /// `another_node` with settings of the test's choosing.
    pub async fn another_node_with(&self, configure: impl FnOnce(&mut Settings)) -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        start_node(self.backend, self.database_url.clone(), dir, configure).await
    }

    /// The port the node listens on.
    pub fn port(&self) -> u16 {
        self.address
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("a port")
    }

    /// The app's data directory (its search index is in `index/`).
    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    /// A page's HTML as `client` sees it.
    pub async fn get_text(&self, client: &reqwest::Client, path: &str) -> String {
        let r = client.get(self.url(path)).send().await.expect("GET");
        r.text().await.expect("a body")
    }

    /// A JSON answer as `client` sees it.
    pub async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        client: &reqwest::Client,
        path: &str,
    ) -> T {
        let r = client.get(self.url(path)).send().await.expect("GET");
        r.json().await.expect("JSON")
    }

    /// Signs in through the JSON API; returns the CSRF token for later writes.
    pub async fn sign_in(&self, username: &str) -> String {
        let response = self
            .client
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"username": username, "password": DEMO_PASSWORD}))
            .send()
            .await
            .expect("login");
        assert_eq!(response.status(), 200, "{username} should sign in");
        csrf_cookie(&response).expect("csrf cookie")
    }

    /// A second client (its own cookies) signed in as `username`.
    pub async fn as_user(&self, username: &str) -> (reqwest::Client, String) {
        let other = TestApp {
            client: client(),
            ..self.shallow()
        };
        let token = other.sign_in(username).await;
        (other.client, token)
    }

    fn shallow(&self) -> TestApp {
        TestApp {
            address: self.address.clone(),
            client: self.client.clone(),
            db: self.db.clone(),
            backend: self.backend,
            database_url: self.database_url.clone(),
            state: self.state.clone(),
            _dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// The id of a seeded row, by a query returning one BIGINT.
    pub async fn id(&self, sql: &str) -> i64 {
        let (id,): (i64,) = sqlx::query_as(sql)
            .fetch_one(self.db.pool())
            .await
            .expect(sql);
        id
    }

    /// Announces what a test changed behind the application's back (plain SQL), as a
    /// write's transaction would: recorded in the outbox, and applied on this node when
    /// this returns.
    pub async fn announce(&self, change: emall_server::changes::Change) {
        let mut tx = self.db.begin_write().await.unwrap();
        emall_store::outbox::record(&mut *tx, &change)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        self.state.changes.settle().await;
    }
}

pub fn csrf_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v: &HeaderValue| v.to_str().ok())
        .find_map(|c| {
            c.strip_prefix("emall_csrf=")
                .map(|rest| rest.split(';').next().unwrap_or("").to_string())
        })
}

/// POSTs JSON as a signed-in client (its CSRF token in the header).
pub async fn post_json(
    app: &TestApp,
    client: &reqwest::Client,
    token: &str,
    path: &str,
    body: serde_json::Value,
) -> reqwest::Response {
    client
        .post(app.url(path))
        .header("x-csrf-token", token)
        .json(&body)
        .send()
        .await
        .expect("POST")
}

/// The CSRF token of the newest session (the one the last `sign_in` opened).
pub async fn csrf_cookie_of(app: &TestApp) -> String {
    let (token,): (String,) =
        sqlx::query_as("SELECT csrf_token FROM sessions ORDER BY created_at DESC LIMIT 1")
            .fetch_one(app.db.pool())
            .await
            .expect("a session");
    token
}
