//! A mall run by the `emall` binary: a fresh database and data directory prepared with the
//! binary's own commands, and `emall serve` as a child process on a free port.

use crate::postgres;
use emall_store::db::Backend;
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

pub const DEMO_PASSWORD: &str = "Demo@2026";
const EMALL: &str = env!("CARGO_BIN_EXE_emall");
static NEXT_DB: AtomicU32 = AtomicU32::new(0);

/// A database and a data directory (search index, files, the server's log) that outlive
/// the server processes run on them.
pub struct Mall {
    pub database_url: String,
    dir: tempfile::TempDir,
}

/// What `emall <args>` printed and how it ended.
pub struct Run {
    pub status: ExitStatus,
    pub output: String,
}

impl Mall {
    /// A new mall holding the demo city, its search index built: `emall migrate`,
    /// `emall seed --demo`, `emall reindex`.
    pub async fn demo(backend: Backend) -> Mall {
        let dir = tempfile::tempdir().expect("tempdir");
        let database_url = match backend {
            Backend::Sqlite => format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("emall.db").display()
            ),
            Backend::Postgres => {
                let server = postgres::server_url().await;
                let name = format!(
                    "emall_process_{}_{}",
                    std::process::id(),
                    NEXT_DB.fetch_add(1, Ordering::SeqCst)
                );
                postgres::create_database(&server, &name, None).await;
                format!("{server}/{name}")
            }
        };
        let mall = Mall { database_url, dir };
        for args in [&["migrate"][..], &["seed", "--demo"], &["reindex"]] {
            mall.run_ok(args).await;
        }
        mall
    }

    /// `emall` with this mall's settings and nothing else from the test's environment.
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(EMALL);
        cmd.args(args)
            .env_clear()
            // No `emall.toml` of the working directory is read.
            .current_dir(self.dir.path())
            .env("EMALL_DATA_DIR", self.dir.path())
            .env("EMALL_SITE_ROOT", self.dir.path().join("site"))
            .env("DATABASE_URL", &self.database_url)
            .env("EMALL_SECURE_COOKIES", "false")
            .env("EMALL_TIMER_INTERVAL_SECS", "0")
            .env("EMALL_LOG", "warn")
            // A log of plain text, for the tests that read it.
            .env("NO_COLOR", "1");
        cmd
    }

    /// Runs `emall <args>` to its end.
    pub async fn run(&self, args: &[&str]) -> Run {
        let out = self
            .command(args)
            .stdin(Stdio::null())
            .output()
            .await
            .expect("run emall");
        Run {
            status: out.status,
            output: format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        }
    }

    pub async fn run_ok(&self, args: &[&str]) -> String {
        let run = self.run(args).await;
        assert!(
            run.status.success(),
            "emall {} failed ({}): {}",
            args.join(" "),
            run.status,
            run.output
        );
        run.output
    }

    /// `emall serve` on a free port, once it answers `/healthz`.
    pub async fn serve(&self) -> Server {
        let log_path = self.dir.path().join("server.log");
        // Another process may take the free port before the server binds it: try another.
        for _ in 0..3 {
            let port = free_port();
            let log = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&log_path)
                .expect("server log");
            let mut cmd = self.command(&["serve"]);
            cmd.env("EMALL_ADDR", format!("127.0.0.1:{port}"))
                .stdin(Stdio::null())
                .stdout(log.try_clone().expect("log"))
                .stderr(log)
                .kill_on_drop(true);
            // SAFETY: prctl is async-signal-safe; it runs in the child before exec. The
            // server dies with the test process, whatever ends it.
            unsafe {
                cmd.pre_exec(|| {
                    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                    Ok(())
                });
            }
            let child = cmd.spawn().expect("start emall serve");
            let mut server = Server {
                pid: child.id().expect("a running child") as i32,
                child,
                address: format!("http://127.0.0.1:{port}"),
                log: log_path.clone(),
            };
            let probe = reqwest::Client::new();
            let deadline = Instant::now() + Duration::from_secs(60);
            loop {
                if let Ok(Some(status)) = server.child.try_wait() {
                    let log = server.log_tail();
                    if log.contains("cannot listen") {
                        break;
                    }
                    panic!("emall serve ended at start ({status}): {log}");
                }
                let answer = probe
                    .get(server.url("/healthz"))
                    .timeout(Duration::from_secs(2))
                    .send()
                    .await;
                if answer.is_ok_and(|r| r.status() == 200) {
                    return server;
                }
                assert!(
                    Instant::now() < deadline,
                    "emall serve did not answer /healthz within a minute: {}",
                    server.log_tail()
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        panic!("no free port could be bound")
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// `emall serve`, running; killed when dropped.
pub struct Server {
    child: Child,
    pub pid: i32,
    pub address: String,
    log: PathBuf,
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// A line of `/proc/<pid>/status` in kB, e.g. `VmHWM` (the peak resident set).
    pub fn status_kb(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid))
            .expect("the server's /proc status");
        status
            .lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or_else(|| panic!("no {field} in {status}"))
    }

    /// SIGKILL: no shutdown, no flush, nothing the process could still do.
    pub async fn kill(mut self) {
        // SAFETY: kill has no memory-safety preconditions; the pid is our unreaped child.
        let sent = unsafe { libc::kill(self.pid, libc::SIGKILL) };
        assert_eq!(sent, 0, "SIGKILL sent");
        let status = self.child.wait().await.expect("wait for the server");
        assert_eq!(status.signal(), Some(libc::SIGKILL), "killed, not ended");
    }

    /// The end of the server's log, for failure messages.
    pub fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let start = log.len().saturating_sub(4000);
        let start = (start..log.len())
            .find(|&i| log.is_char_boundary(i))
            .unwrap_or(log.len());
        log[start..].to_string()
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

/// A client keeping its own cookies, signed in as `username`; returns it with the CSRF
/// token its writes send.
pub async fn sign_in(server: &Server, username: &str) -> (reqwest::Client, String) {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        // The server closes a connection quiet for a minute (`EMALL_IDLE_TIMEOUT_SECS`): a
        // client must not send on one it kept longer.
        .pool_idle_timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let response = client
        .post(server.url("/api/v1/auth/login"))
        .json(&serde_json::json!({"username": username, "password": DEMO_PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(response.status(), 200, "{username} should sign in");
    let token = response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("emall_csrf="))
        .map(|rest| rest.split(';').next().unwrap_or("").to_string())
        .expect("an emall_csrf cookie");
    (client, token)
}
