//! New standard products proposed by suppliers, and the operator's decision.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalDecision {
    pub decision: ProposalVerdict,
    /// The existing product, to merge into.
    pub product_id: Option<i64>,
    /// Required to reject; shown to the supplier.
    #[serde(default)]
    pub note: String,
}

/// The operator's decision on a proposed product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProposalVerdict {
    /// A new standard product.
    Approve,
    /// The same product under another name: `product_id` names it.
    Merge,
    Reject,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalOutcome {
    /// `exists` (list that product), or `pending` (waits for the operator)
    pub state: String,
    pub product_id: Option<i64>,
    pub proposal_id: Option<i64>,
}
