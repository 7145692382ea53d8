//! Passwords are stored as argon2id PHC strings. Hashing is CPU-heavy, so it runs on the
//! blocking pool.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use std::sync::OnceLock;

pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("cannot hash password: {e}"))
}

pub fn verify(phc: &str, password: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Verifies against the stored hash, or against a dummy hash when the user does not exist,
/// so that the response time does not tell which usernames exist.
pub async fn verify_or_dummy(phc: Option<String>, password: String) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    tokio::task::spawn_blocking(move || match phc {
        Some(phc) => verify(&phc, &password),
        None => {
            let dummy = DUMMY.get_or_init(|| hash("not a password").unwrap_or_default());
            let _ = verify(dummy, &password);
            false
        }
    })
    .await
    .unwrap_or(false)
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
