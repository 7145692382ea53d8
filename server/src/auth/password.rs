//! Passwords are stored as argon2id PHC strings. Hashing is CPU- and memory-heavy, so a
//! request hashes only through the node's hashing gate ([`crate::scarce`]), and only after
//! everything cheaper (throttles, tokens, field checks) has let it through.

use crate::error::ApiResult;
use crate::scarce::Gate;
use std::sync::OnceLock;

pub use emall_store::password::{hash, verify};

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
