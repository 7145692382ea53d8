//! Hostile spreadsheets sent to a real server, many at once: every one is refused by the
//! limit it breaks, the server keeps answering, and its peak memory stays bounded.

use crate::node::{sign_in, Mall};
use bytes::Bytes;
use emall_server::tabular::hostile;
use emall_store::db::Backend;
use reqwest::StatusCode;
use serde_json::Value;
use std::time::{Duration, Instant};

/// The peak resident memory the server may reach, uploads included.
const PEAK_LIMIT_KB: u64 = 300 * 1024;
/// Uploads sent at once, in each round.
const AT_ONCE: usize = 8;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_uploads_keep_the_servers_memory_bounded() {
    let mall = Mall::demo(Backend::Sqlite).await;
    let server = mall.serve().await;
    let (supplier, token) = sign_in(&server, "demo-supplier").await;
    let far_corner = Bytes::from(hostile::far_corner());
    let small_bomb = Bytes::from(hostile::bomb(200));
    let big_bomb = Bytes::from(hostile::bomb(1_900));
    assert!(
        big_bomb.len() > 4_500_000 && big_bomb.len() < 5 * 1024 * 1024,
        "the big bomb is just under the 5 MB upload limit: {} bytes",
        big_bomb.len()
    );
    let rounds: [Vec<(&str, Bytes, &str)>; 2] = [
        // The heaviest file, all at once.
        (0..AT_ONCE)
            .map(|_| {
                (
                    "1,900 MiB bomb",
                    big_bomb.clone(),
                    "unpacks to more than 32 MB",
                )
            })
            .collect(),
        // Every kind, mixed.
        (0..AT_ONCE)
            .map(|i| match i % 3 {
                0 => ("XFD1048576", far_corner.clone(), "more than 10001 rows"),
                1 => (
                    "200 MiB bomb",
                    small_bomb.clone(),
                    "unpacks to more than 32 MB",
                ),
                _ => (
                    "1,900 MiB bomb",
                    big_bomb.clone(),
                    "unpacks to more than 32 MB",
                ),
            })
            .collect(),
    ];
    let at_start = server.status_kb("VmHWM");
    let mut busy = 0;
    for (round, uploads) in rounds.into_iter().enumerate() {
        let sent = uploads.into_iter().map(|(name, file, says)| {
            let (supplier, token, url) = (
                supplier.clone(),
                token.clone(),
                server.url("/api/v1/offers/import?dry_run=true"),
            );
            async move {
                // A full gate answers 503 at once: that upload is sent again, as a client
                // told to retry would.
                let deadline = Instant::now() + Duration::from_secs(60);
                let mut retries = 0;
                loop {
                    let r = supplier
                        .post(&url)
                        .header("x-csrf-token", &token)
                        .header("accept-language", "en")
                        .body(file.clone())
                        .send()
                        .await
                        .unwrap_or_else(|e| panic!("round {round}, {name}: no answer: {e:?}"));
                    let status = r.status();
                    let body: Value = r.json().await.expect("a JSON answer");
                    if status == StatusCode::SERVICE_UNAVAILABLE && Instant::now() < deadline {
                        retries += 1;
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                    return (name, says, status, body, retries);
                }
            }
        });
        for (name, says, status, body, retries) in futures::future::join_all(sent).await {
            busy += retries;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "round {round}, {name}: {body}"
            );
            let message = body["error"]["fields"]["file"].as_str().unwrap_or_default();
            assert!(
                message.contains(says),
                "round {round}, {name}: says {says:?}? {body}"
            );
        }
        let health = reqwest::get(server.url("/healthz")).await.expect("healthz");
        assert_eq!(health.status(), 200, "alive after round {round}");
    }
    let peak = server.status_kb("VmHWM");
    println!(
        "hostile uploads: peak resident memory {:.1} MB (at start {:.1} MB, limit {} MB); {busy} uploads sent again after a 503",
        peak as f64 / 1024.0,
        at_start as f64 / 1024.0,
        PEAK_LIMIT_KB / 1024
    );
    assert!(
        peak < PEAK_LIMIT_KB,
        "peak resident memory {peak} kB, above {PEAK_LIMIT_KB} kB"
    );
}
