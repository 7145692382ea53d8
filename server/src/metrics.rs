//! A small Prometheus registry: request counts by route and status class, latency
//! histogram, requests in flight. Rendered as text at `/metrics`.

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

const BUCKETS_MS: [f64; 10] = [
    1.0, 2.5, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 1000.0, 5000.0,
];

#[derive(Default)]
pub struct Metrics {
    /// By method (one of [`METHODS`] or `OTHER`), route template and status class: every
    /// part comes from a fixed set, so no request can add a label value of its own.
    requests: Mutex<BTreeMap<(&'static str, String, &'static str), u64>>,
    buckets: [AtomicU64; BUCKETS_MS.len()],
    latency_count: AtomicU64,
    latency_sum_us: AtomicU64,
    in_flight: AtomicI64,
    logins_failed: AtomicU64,
}

/// The methods counted by name; any other is counted as `OTHER`.
const METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const OTHER: &str = "other";

/// The label for `method`: its name if it is one of [`METHODS`], else `OTHER`.
fn method_label(method: &http::Method) -> &'static str {
    METHODS
        .into_iter()
        .find(|m| *m == method.as_str())
        .unwrap_or(OTHER)
}

impl Metrics {
    fn observe(&self, method: &'static str, route: String, status: u16, elapsed_ms: f64) {
        let class = match status {
            100..=199 => "1xx",
            200..=299 => "2xx",
            300..=399 => "3xx",
            400..=499 => "4xx",
            _ => "5xx",
        };
        *self
            .requests
            .lock()
            .expect("metrics lock")
            .entry((method, route, class))
            .or_default() += 1;
        for (i, le) in BUCKETS_MS.iter().enumerate() {
            if elapsed_ms <= *le {
                self.buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        self.latency_sum_us
            .fetch_add((elapsed_ms * 1000.0) as u64, Ordering::Relaxed);
    }

    pub fn login_failed(&self) {
        self.logins_failed.fetch_add(1, Ordering::Relaxed);
    }

    /// Prometheus text exposition format 0.0.4.
    pub fn render(&self, db_connections: u32, db_idle: usize) -> String {
        let mut out = String::new();
        out.push_str("# HELP emall_http_requests_total HTTP requests by route and status class.\n");
        out.push_str("# TYPE emall_http_requests_total counter\n");
        for ((method, route, class), n) in self.requests.lock().expect("metrics lock").iter() {
            let _ = writeln!(
                out,
                "emall_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{class}\"}} {n}",
                route.replace('"', "'")
            );
        }
        out.push_str("# HELP emall_http_request_duration_seconds Request latency.\n");
        out.push_str("# TYPE emall_http_request_duration_seconds histogram\n");
        for (i, le) in BUCKETS_MS.iter().enumerate() {
            let _ = writeln!(
                out,
                "emall_http_request_duration_seconds_bucket{{le=\"{}\"}} {}",
                le / 1000.0,
                self.buckets[i].load(Ordering::Relaxed)
            );
        }
        let count = self.latency_count.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "emall_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(
            out,
            "emall_http_request_duration_seconds_sum {}",
            self.latency_sum_us.load(Ordering::Relaxed) as f64 / 1e6
        );
        let _ = writeln!(out, "emall_http_request_duration_seconds_count {count}");
        out.push_str("# HELP emall_http_requests_in_flight Requests being served.\n");
        out.push_str("# TYPE emall_http_requests_in_flight gauge\n");
        let _ = writeln!(
            out,
            "emall_http_requests_in_flight {}",
            self.in_flight.load(Ordering::Relaxed)
        );
        out.push_str("# HELP emall_login_failures_total Failed sign-in attempts.\n");
        out.push_str("# TYPE emall_login_failures_total counter\n");
        let _ = writeln!(
            out,
            "emall_login_failures_total {}",
            self.logins_failed.load(Ordering::Relaxed)
        );
        out.push_str("# HELP emall_db_connections Open database connections.\n");
        out.push_str("# TYPE emall_db_connections gauge\n");
        let _ = writeln!(
            out,
            "emall_db_connections{{state=\"open\"}} {db_connections}"
        );
        let _ = writeln!(out, "emall_db_connections{{state=\"idle\"}} {db_idle}");
        out
    }
}

pub async fn track(State(metrics): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let method = method_label(req.method());
    // Label by route template, not raw path, so the label set stays small.
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    metrics.in_flight.fetch_add(1, Ordering::Relaxed);
    let start = Instant::now();
    let response = next.run(req).await;
    metrics.in_flight.fetch_sub(1, Ordering::Relaxed);
    let elapsed = start.elapsed().as_secs_f64() * 1000.0;
    metrics.observe(method, route, response.status().as_u16(), elapsed);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_come_from_fixed_sets() {
        let metrics = Metrics::default();
        for i in 0..1_000 {
            let method = http::Method::from_bytes(format!("X{i:0>6000}").as_bytes()).unwrap();
            metrics.observe(method_label(&method), "unmatched".into(), 405, 1.0);
        }
        metrics.observe(
            method_label(&http::Method::GET),
            "/product/{id}".into(),
            200,
            1.0,
        );
        let text = metrics.render(0, 0);
        assert!(text.len() < 4_000, "{} bytes of metrics", text.len());
        assert!(text.contains("method=\"other\",route=\"unmatched\",status=\"4xx\"} 1000"));
        assert!(text.contains("method=\"GET\",route=\"/product/{id}\""));
    }
}
