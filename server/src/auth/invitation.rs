//! A colleague accepts a supplier's invitation: chooses a username and password (the API
//! and the invitation page alike).

use crate::auth::session;
use crate::auth::throttle::Policy;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use emall_app::Msg;
use emall_store::staff::{self, Accepted};
use std::net::IpAddr;

pub async fn accept(
    state: &AppState,
    addr: IpAddr,
    token: &str,
    username: &str,
    password: String,
) -> ApiResult<()> {
    let errors = emall_domain::registration::check_account(username, &password);
    if let Some((field, e)) = errors.first() {
        return Err(ApiError::field(field, e.clone()));
    }
    let username = username.trim().to_lowercase();
    // The token first: nobody gets a hash computed for an invitation that does not exist,
    // and guessing at tokens from one address slows down.
    let throttle_key = format!("invitation:addr:{addr}");
    state.throttle.take(&throttle_key, Policy::SIGN_UP).await?;
    let token_hash = session::token_hash(token);
    if staff::open_invitation(&state.db, &token_hash)
        .await?
        .is_none()
    {
        return Err(ApiError::NotFound);
    }
    state.throttle.give_back(&throttle_key).await?;
    let hash = crate::auth::password::hash_gated(&state.scarce.hashing, password).await?;
    match staff::accept(&state.db, &token_hash, &username, &hash).await? {
        Accepted::Done => Ok(()),
        Accepted::Gone => Err(ApiError::NotFound),
        Accepted::UsernameTaken => Err(ApiError::field("username", Msg::ErrUsernameTaken)),
    }
}
