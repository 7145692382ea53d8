//! Passwords are stored as argon2id PHC strings. Hashing is CPU- and memory-heavy, so a
//! request hashes only through the node's hashing gate ([`crate::scarce`]), and only after
//! everything cheaper (throttles, tokens, field checks) has let it through.

use crate::error::ApiResult;
use crate::scarce::Gate;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use std::sync::OnceLock;

/// Argon2 computations since the process started (hashes and verifications), for
/// `/metrics`: what a flood of requests made the node do.
pub static COMPUTED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

pub fn hash(password: &str) -> anyhow::Result<String> {
    COMPUTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("cannot hash password: {e}"))
}

pub fn verify(phc: &str, password: &str) -> bool {
    COMPUTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    PasswordHash::new(phc)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A new hash of `password`, through the hashing gate.
pub async fn hash_gated(gate: &Gate, password: String) -> ApiResult<String> {
    Ok(gate.run(move || hash(&password)).await??)
}

/// Verifies against the stored hash, or against a dummy hash when the user does not exist,
/// so that the response time does not tell which usernames exist.
pub async fn verify_or_dummy(
    gate: &Gate,
    phc: Option<String>,
    password: String,
) -> ApiResult<bool> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    gate.run(move || match phc {
        Some(phc) => verify(&phc, &password),
        None => {
            let dummy = DUMMY.get_or_init(|| hash("not a password").unwrap_or_default());
            let _ = verify(dummy, &password);
            false
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashes_verify_and_differ() {
        let a = super::hash("Demo@2026").unwrap();
        let b = super::hash("Demo@2026").unwrap();
        assert_ne!(a, b, "salts must differ");
        assert!(a.starts_with("$argon2id$"));
        assert!(super::verify(&a, "Demo@2026"));
        assert!(!super::verify(&a, "demo@2026"));
        assert!(!super::verify("garbage", "Demo@2026"));
    }
}
