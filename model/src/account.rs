//! A person's own account: the sessions signed in as them, to tell apart and end.

use super::Me;
use serde::{Deserialize, Serialize};

/// One signed-in session of the person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationRequest {
    pub company: emall_domain::registration::CompanyInput,
    /// The owner's sign-in name: 3–32 lower-case letters, digits, `-` or `_`.
    pub username: String,
    /// At least 10 characters with letters and digits.
    pub password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewRequest {
    pub decision: AdmissionDecision,
    /// Required to reject or to ask for changes; shown to the supplier.
    #[serde(default)]
    pub reason: String,
}

/// The operator's decision on a supplier's application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AdmissionDecision {
    /// 准入: the supplier may sell in every city it serves.
    Admit,
    Reject,
    RequestChanges,
}

impl AdmissionDecision {
    /// As the application's history records it.
    pub fn as_str(self) -> &'static str {
        match self {
            AdmissionDecision::Admit => "admit",
            AdmissionDecision::Reject => "reject",
            AdmissionDecision::RequestChanges => "request_changes",
        }
    }
}

/// A purchasing unit as the public directory shows it (a public body: no budgets here).
#[derive(Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitEntry {
    pub id: i64,
    pub name: String,
    pub city: String,
    pub district: String,
    /// `agency`, `school`, `hospital`, `institution`
    pub kind: String,
}
