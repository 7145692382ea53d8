//! A person's own account: the sessions signed in as them, to tell apart and end.

use super::Me;
use serde::{Deserialize, Serialize};

/// One signed-in session of the person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SessionView {
    /// Names the session to end it (not its token, nor enough to use it).
    pub id: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub expires_at: String,
    /// The browser's own description of itself, as sent when signing in.
    pub user_agent: String,
    /// The client's address when signing in.
    pub client_addr: String,
    /// The session this request came with.
    pub current: bool,
}

/// `/account/sessions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionsPage {
    pub me: Me,
    pub sessions: Vec<SessionView>,
    /// For the plain forms (no script needed).
    pub csrf_token: String,
    /// Sessions just ended (after the redirect).
    pub ended: Option<u64>,
}
