//! 新增标准商品: the operator's decision on a supplier's product proposal (a new standard
//! product, the same as one already in the catalogue, or refused with a reason). The API's
//! decision endpoint and the review queue's plain forms alike.

use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use emall_app::model::ProposalDecision;
use emall_app::Msg;
use emall_domain::Role;
use emall_store::proposals::{self, Decided, Decision};

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
