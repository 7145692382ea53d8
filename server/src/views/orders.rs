//! An order as its parties and the bureau see it, and who a person is to an order.

use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use emall_app::model::OrderDetail;
use emall_domain::lifecycle::Actor;
use emall_domain::Role;
use emall_store::orders;

/// The person's role as a lifecycle actor.
pub fn actor_of(role: Role) -> Option<Actor> {
    match role {
        Role::Buyer => Some(Actor::Buyer),
        Role::Approver => Some(Actor::Approver),
        Role::Supplier => Some(Actor::Supplier),
        _ => None,
    }
}

/// An order the viewer may see (its unit's, its supplier's, or any for the bureau).
pub async fn visible_order(
    state: &AppState,
    viewer: &Viewer,
    order_id: i64,
) -> ApiResult<OrderDetail> {
    let detail = orders::detail(&state.db, order_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    viewer.find_own(Some(detail.unit_id), Some(detail.supplier_id))?;
    Ok(detail)
}
