//! A throwaway PostgreSQL cluster for the tests, unless `DATABASE_URL` names a server.
//!
//! The cluster is started once per test binary with the machine's `initdb` and `postgres`
//! (as the `postgres` user when running as root, since initdb refuses root), on a free port,
//! with its socket and data in a temp directory. It is told to stop when this process
//! ends (parent-death signal), and directories of dead runs are removed at the next start.

use sqlx::Connection;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use tokio::sync::OnceCell;

static SERVER: OnceCell<String> = OnceCell::const_new();

/// `postgres://user@host:port` without a database name.
pub async fn server_url() -> String {
    SERVER
        .get_or_init(|| async {
            match std::env::var("DATABASE_URL") {
                Ok(url) if url.starts_with("postgres") => strip_database(&url),
                _ => start_cluster().await,
            }
        })
        .await
        .clone()
}

fn strip_database(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("postgres URL");
    let authority = rest.split('/').next().unwrap_or(rest);
    format!("{scheme}://{authority}")
}

pub async fn create_database(server: &str, name: &str, template: Option<&str>) {
    let mut conn = sqlx::PgConnection::connect(&format!("{server}/postgres"))
        .await
        .expect("connect to postgres");
    let sql = match template {
        Some(t) => format!("CREATE DATABASE {name} TEMPLATE {t}"),
        None => format!("CREATE DATABASE {name}"),
    };
    sqlx::Executor::execute(&mut conn, sql.as_str())
        .await
        .expect("create database");
}

fn postgres_ids() -> Option<(u32, u32)> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return None;
    }
    let id = |flag: &str| -> u32 {
        let out = Command::new("id")
            .args([flag, "postgres"])
            .output()
            .expect("id postgres");
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("postgres user must exist to run tests as root")
    };
    Some((id("-u"), id("-g")))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

fn remove_stale_clusters(base: &Path) {
    let Ok(entries) = std::fs::read_dir(base) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if let Some(pid) = name
            .strip_prefix("emall-pg-")
            .and_then(|p| p.parse::<u32>().ok())
        {
            if !Path::new(&format!("/proc/{pid}")).exists() {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}

fn as_postgres(cmd: &mut Command, ids: Option<(u32, u32)>) -> &mut Command {
    if let Some((uid, gid)) = ids {
        cmd.uid(uid).gid(gid);
    }
    cmd
}

async fn start_cluster() -> String {
    let base = std::env::temp_dir();
    remove_stale_clusters(&base);
    let dir: PathBuf = base.join(format!("emall-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("cluster dir");
    let ids = postgres_ids();
    if let Some((uid, gid)) = ids {
        std::os::unix::fs::chown(&dir, Some(uid), Some(gid)).expect("chown cluster dir");
    }
    let data = dir.join("data");
    let mut initdb = Command::new("initdb");
    let status = as_postgres(&mut initdb, ids)
        .args(["-D"])
        .arg(&data)
        .args([
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        ])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("initdb (PostgreSQL binaries must be on PATH)");
    assert!(status.success(), "initdb failed");
    let port = free_port();
    let log = std::fs::File::create(dir.join("postgres.log")).expect("log file");
    let data_arg = data.clone();
    let dir_arg = dir.clone();
    // The thread that spawns the server must live as long as the process: the parent-death
    // signal fires when the spawning thread ends.
    std::thread::spawn(move || {
        let mut cmd = Command::new("postgres");
        as_postgres(&mut cmd, ids)
            .arg("-D")
            .arg(&data_arg)
            .args(["-p", &port.to_string(), "-c", "listen_addresses=127.0.0.1"])
            .arg("-k")
            .arg(&dir_arg)
            .args([
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
            ])
            .args(["-c", "max_connections=300"])
            .stdout(log.try_clone().expect("log"))
            .stderr(log);
        // SAFETY: prctl is async-signal-safe; runs in the child before exec.
        unsafe {
            cmd.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGQUIT);
                Ok(())
            });
        }
        let mut child = cmd.spawn().expect("start postgres");
        let _ = child.wait();
    });
    let url = format!("postgres://postgres@127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match sqlx::PgConnection::connect(&format!("{url}/postgres")).await {
            Ok(conn) => {
                let _ = conn.close().await;
                return url;
            }
            Err(e) if Instant::now() > deadline => {
                panic!("postgres did not start: {e}; see {}", dir.display())
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}
