//! Throttles for attempts a stranger can repeat: signing in, registering, accepting an
//! invitation. Each key (an account, a trusted browser, a client address, named with the
//! kind of attempt) gets a few attempts free; after them each attempt must wait longer than
//! the last (backoff), up to a ceiling, and the key is forgotten after a quiet spell. Nothing
//! is ever locked for good.
//!
//! An attempt is counted *before* the work it asks for (a password check), by a
//! compare-and-swap on the key's row in the database: concurrent attempts cannot all read
//! "under the limit", and every node shares the count.

use crate::error::{ApiError, ApiResult};
use emall_store::clock;
use emall_store::db::Db;

/// How many attempts a key has free and how the wait grows after them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Attempts before any wait.
    pub free: i64,
    /// The wait after the first attempt beyond the free ones; it doubles with each.
    pub first_wait_secs: i64,
    /// The longest wait.
    pub max_wait_secs: i64,
    /// A key without attempts for this long starts afresh.
    pub forget_after_secs: i64,
}

impl Policy {
    /// Wrong passwords for one account from browsers it was never signed in from.
    pub fn account(free: u32, max_wait_secs: u64) -> Policy {
        Policy {
            free: i64::from(free),
            first_wait_secs: 15,
            max_wait_secs: max_wait_secs as i64,
            forget_after_secs: 3_600,
        }
    }

    /// Wrong passwords for an account from a browser its owner has signed in from.
    pub const DEVICE: Policy = Policy {
        free: 10,
        first_wait_secs: 15,
        max_wait_secs: 900,
        forget_after_secs: 3_600,
    };

    /// Wrong passwords from one client address, whatever the account (an office behind one
    /// address signs in many people; only failures count).
    pub const ADDRESS: Policy = Policy {
        free: 30,
        first_wait_secs: 15,
        max_wait_secs: 900,
        forget_after_secs: 3_600,
    };

    /// Supplier registrations and invitation acceptances from one client address.
    pub const SIGN_UP: Policy = Policy {
        free: 10,
        first_wait_secs: 60,
        max_wait_secs: 3_600,
        forget_after_secs: 3_600,
    };

    /// The moment a key that has had `attempts`, the last at `last_at`, may try again.
    pub fn next_at(&self, attempts: i64, last_at: i64) -> i64 {
        if attempts < self.free {
            return i64::MIN;
        }
        let doublings = (attempts - self.free).min(32) as u32;
        let wait = self
            .first_wait_secs
            .saturating_mul(1i64 << doublings)
            .min(self.max_wait_secs);
        last_at.saturating_add(wait)
    }

    /// Whether an attempt may be made at `now` given the key's count; if so, the count after
    /// it, else the seconds to wait.
    pub fn attempt(&self, count: Option<Count>, now: i64) -> Result<Count, i64> {
        let count = count
            .filter(|c| now.saturating_sub(c.last_at) < self.forget_after_secs)
            .unwrap_or(Count {
                attempts: 0,
                last_at: now,
            });
        let next = self.next_at(count.attempts, count.last_at);
        if now < next {
            return Err(next - now);
        }
        Ok(Count {
            attempts: count.attempts + 1,
            last_at: now,
        })
    }
}

pub use emall_store::throttles::Count;

/// Attempts counted in the database.
#[derive(Clone)]
pub struct Throttle {
    db: Db,
}

impl Throttle {
    pub fn new(db: Db) -> Throttle {
        Throttle { db }
    }

    /// Counts an attempt on `key`, or refuses it with the seconds to wait.
    pub async fn take(&self, key: &str, policy: Policy) -> ApiResult<()> {
        // Every lost swap means another attempt was counted meanwhile; a handful is plenty.
        for _ in 0..32 {
            let now = clock::now();
            let current = emall_store::throttles::read(&self.db, key).await?;
            match policy.attempt(current, now) {
                Err(wait) => {
                    return Err(ApiError::Throttled {
                        retry_after_secs: wait.max(1) as u64,
                    })
                }
                Ok(next) => {
                    if emall_store::throttles::swap(&self.db, key, current, next).await? {
                        return Ok(());
                    }
                }
            }
        }
        Err(ApiError::Throttled {
            retry_after_secs: 1,
        })
    }

    /// Takes back one attempt on `key` (it turned out not to count, e.g. a right password
    /// from a shared address).
    pub async fn give_back(&self, key: &str) -> ApiResult<()> {
        Ok(emall_store::throttles::decrement(&self.db, key).await?)
    }

    /// Forgets `key` (its owner proved who they are).
    pub async fn forget(&self, key: &str) -> ApiResult<()> {
        Ok(emall_store::throttles::delete(&self.db, key).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: Policy = Policy {
        free: 3,
        first_wait_secs: 10,
        max_wait_secs: 60,
        forget_after_secs: 600,
    };

    #[test]
    fn free_attempts_then_a_doubling_wait_up_to_the_ceiling() {
        let mut count = None;
        for _ in 0..3 {
            count = Some(P.attempt(count, 1_000).expect("free"));
        }
        assert_eq!(P.attempt(count, 1_000), Err(10), "the fourth waits 10 s");
        count = Some(P.attempt(count, 1_010).expect("after the wait"));
        assert_eq!(P.attempt(count, 1_015), Err(15), "then 20 s from the last");
        count = Some(P.attempt(count, 1_030).unwrap());
        assert_eq!(P.attempt(count, 1_030), Err(40));
        count = Some(P.attempt(count, 1_070).unwrap());
        assert_eq!(
            P.attempt(count, 1_070),
            Err(60),
            "never more than the ceiling"
        );
        assert_eq!(
            P.attempt(
                Some(Count {
                    attempts: 1_000,
                    last_at: 0
                }),
                30
            ),
            Err(30)
        );
    }

    #[test]
    fn a_quiet_key_starts_afresh() {
        let busy = Count {
            attempts: 50,
            last_at: 1_000,
        };
        assert!(P.attempt(Some(busy), 1_001).is_err());
        assert_eq!(
            P.attempt(Some(busy), 1_600),
            Ok(Count {
                attempts: 1,
                last_at: 1_600
            })
        );
    }
}
