//! Login throttling: too many failures for one username, or from one address, within a
//! window answer 429 until the window passes. In memory: each node counts its own.

use moka::sync::Cache;
use std::net::IpAddr;
use std::time::Duration;

#[derive(Clone)]
pub struct LoginThrottle {
    failures: Cache<String, u32>,
    max_per_user: u32,
    window: Duration,
}

impl LoginThrottle {
    pub fn new(max_per_user: u32, window: Duration) -> Self {
        LoginThrottle {
            failures: Cache::builder()
                .max_capacity(100_000)
                .time_to_live(window)
                .build(),
            max_per_user,
            window,
        }
    }

    fn keys(username: &str, ip: Option<IpAddr>) -> (String, Option<String>) {
        (
            format!("u:{}", username.trim().to_lowercase()),
            ip.map(|ip| format!("ip:{ip}")),
        )
    }

    /// Seconds to wait if this attempt must be refused before checking the password.
    pub fn check(&self, username: &str, ip: Option<IpAddr>) -> Option<u64> {
        let (user, addr) = Self::keys(username, ip);
        let over_user = self.failures.get(&user).unwrap_or(0) >= self.max_per_user;
        // An address may try several accounts (a shared office), but not endlessly.
        let over_addr = addr
            .and_then(|a| self.failures.get(&a))
            .is_some_and(|n| n >= self.max_per_user * 4);
        (over_user || over_addr).then_some(self.window.as_secs())
    }

    pub fn failed(&self, username: &str, ip: Option<IpAddr>) {
        let (user, addr) = Self::keys(username, ip);
        for key in std::iter::once(user).chain(addr) {
            let n = self.failures.get(&key).unwrap_or(0);
            self.failures.insert(key, n + 1);
        }
    }

    pub fn succeeded(&self, username: &str) {
        self.failures.invalidate(&Self::keys(username, None).0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_max_failures_and_resets_on_success() {
        let t = LoginThrottle::new(3, Duration::from_secs(60));
        let ip = Some("127.0.0.1".parse().unwrap());
        for _ in 0..3 {
            assert_eq!(t.check("Alice", ip), None);
            t.failed("Alice", ip);
        }
        assert_eq!(
            t.check("alice ", ip),
            Some(60),
            "usernames are case-insensitive"
        );
        assert_eq!(t.check("bob", ip), None, "other accounts are not blocked");
        t.succeeded("alice");
        assert_eq!(t.check("alice", ip), None);
    }
}
