//! CPU-heavy work that any request can ask for — hashing a password (argon2id takes about
//! 19 MiB and tens of milliseconds each), reading an uploaded spreadsheet — runs on the
//! blocking pool behind a gate sized to the cores. However many requests ask at once, at
//! most that many run; a bounded number wait their turn, and the rest are told at once that
//! the server is busy (503 with `Retry-After`) instead of queueing memory without end.

use crate::error::{ApiError, ApiResult};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// Requests that may wait for a gate beyond those running.
const MAX_WAITING: usize = 64;
/// The longest a request waits for its turn.
const MAX_WAIT: Duration = Duration::from_secs(10);

/// One kind of scarce work.
pub struct Gate {
    permits: Semaphore,
    waiting: AtomicUsize,
    /// Work run to its end through this gate.
    done: AtomicU64,
}

impl Gate {
    fn new(permits: usize) -> Gate {
        Gate {
            permits: Semaphore::new(permits.max(1)),
            waiting: AtomicUsize::new(0),
            done: AtomicU64::new(0),
        }
    }

    /// How much work this gate has let run to its end.
    pub fn done(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }

    /// Runs `work` on the blocking pool once a permit is free.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> ApiResult<T> {
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= MAX_WAITING {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(ApiError::Busy);
        }
        let permit = tokio::time::timeout(MAX_WAIT, self.permits.acquire()).await;
        self.waiting.fetch_sub(1, Ordering::AcqRel);
        let _permit = match permit {
            Ok(Ok(permit)) => permit,
            _ => return Err(ApiError::Busy),
        };
        let out = tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("scarce work failed: {e}")));
        self.done.fetch_add(1, Ordering::Relaxed);
        out
    }
}

/// The gates every node has.
pub struct Scarce {
    /// Password hashing and verification.
    pub hashing: Gate,
    /// Reading uploaded spreadsheets.
    pub parsing: Gate,
}

impl Scarce {
    /// The gates' counters in Prometheus text: the argon2 work (hashes and verifications)
    /// a flood of requests made this node do.
    pub fn metrics(&self) -> String {
        format!(
            "# HELP emall_password_hashes_total Argon2 hashes computed or verified.\n\
             # TYPE emall_password_hashes_total counter\n\
             emall_password_hashes_total {}\n",
            self.hashing.done()
        )
    }

    pub fn new() -> Arc<Scarce> {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Arc::new(Scarce {
            hashing: Gate::new(cores),
            parsing: Gate::new(cores),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn runs_at_most_its_permits_and_refuses_beyond_the_queue() {
        let gate = Arc::new(Gate::new(2));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..200)
            .map(|_| {
                let (gate, running, most) = (gate.clone(), running.clone(), most.clone());
                tokio::spawn(async move {
                    gate.run(move || {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(20));
                        running.fetch_sub(1, Ordering::SeqCst);
                    })
                    .await
                })
            })
            .collect();
        let mut busy = 0;
        for task in tasks {
            if matches!(task.await.unwrap(), Err(ApiError::Busy)) {
                busy += 1;
            }
        }
        assert!(
            most.load(Ordering::SeqCst) <= 2,
            "never more than the permits at once"
        );
        assert!(busy > 0, "requests beyond the queue are refused");
        assert!(
            busy <= 200 - MAX_WAITING,
            "the queue's requests are served: {busy} refused"
        );
    }
}
