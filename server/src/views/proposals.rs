//! 新增标准商品: a supplier's proposal of a standard product, and the operator's decision on
//! it (a new standard product, the same as one already in the catalogue, or refused with a
//! reason). The API's proposal endpoints and the pages' plain forms alike.

use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use emall_app::model::ProposalDecision;
use emall_app::Msg;
use emall_domain::proposal::{Proposal, ProposalInput};
use emall_domain::Role;
use emall_store::proposals::{self, Decided, Decision, Proposed};

/// What became of a proposal.
pub enum Proposing {
    /// The catalogue has the same brand and model already: list that product.
    Exists(i64),
    /// It waits for the operator (the proposal's id).
    Pending(i64),
}

/// A supplier proposes a standard product; one with the same brand and model (ignoring
/// case, width and spaces) already in the catalogue is answered with that product.
pub async fn propose(
    state: &AppState,
    viewer: &Viewer,
    input: &ProposalInput,
) -> ApiResult<Proposing> {
    let supplier_id = viewer.supplier_id()?;
    let proposal = Proposal::parse(input).map_err(|errors| ApiError::Invalid {
        fields: errors.into_iter().collect(),
    })?;
    match proposals::propose(&state.db, supplier_id, viewer.user_id, &proposal).await? {
        Proposed::Exists(id) => Ok(Proposing::Exists(id)),
        Proposed::Pending(id) => Ok(Proposing::Pending(id)),
        Proposed::BadCategory => Err(ApiError::field("category_code", Msg::ErrCategory)),
    }
}

/// Decides proposal `id`; the standard product it became or was merged into.
pub async fn decide(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    body: ProposalDecision,
) -> ApiResult<Option<i64>> {
    viewer.require(&[Role::Operator])?;
    let note: String = body.note.trim().chars().take(500).collect();
    if body.decision == Decision::Reject && note.is_empty() {
        return Err(ApiError::field("note", Msg::ErrReason));
    }
    let (decision, target, by) = (body.decision, body.product_id, viewer.user_id);
    match proposals::decide(&state.db, id, decision, target, &note, by).await? {
        Decided::Product(p) => Ok(Some(p)),
        Decided::Rejected => Ok(None),
        Decided::NotFound => Err(ApiError::NotFound),
        Decided::NotPending => Err(ApiError::Conflict),
        Decided::NoSuchTarget => Err(ApiError::field("product_id", Msg::ErrNoProduct)),
    }
}
