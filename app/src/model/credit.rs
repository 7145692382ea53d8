//! The credit record and the red flags: what the finance bureau records and decides, and
//! what a supplier appeals with.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CreditEntryBody {
    pub kind: emall_domain::credit::CreditKind,
    pub reason: String,
    /// A suspension's length in days (1–365).
    pub days: Option<i64>,
    /// The red flag this acts on.
    pub alert_id: Option<i64>,
    /// Orders it rests on.
    #[serde(default)]
    pub orders: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AppealBody {
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AppealDecisionBody {
    pub decision: emall_domain::credit::AppealDecision,
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Triage {
    Confirm,
    Dismiss,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TriageBody {
    pub decision: Triage,
    /// Required to dismiss.
    #[serde(default)]
    pub note: String,
}
