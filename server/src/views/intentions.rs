//! 采购意向公开: a unit publishes what it means to buy, and withdraws it. The API's
//! intention endpoints and the buyer home's plain forms alike.

use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use emall_app::Msg;
use emall_domain::intention::{Intention, IntentionInput};
use emall_domain::Role;
use emall_store::clock;
use emall_store::disclosure::{self, Withdrawn};

/// Publishes an intention of the viewer's unit (this year's or next); its id.
pub async fn publish(state: &AppState, viewer: &Viewer, input: &IntentionInput) -> ApiResult<i64> {
    viewer.require(&[Role::Buyer, Role::Approver])?;
    let unit_id = viewer.unit_id()?;
    let now = clock::now();
    let this_year = i64::from(clock::year_of(now));
    let intention = Intention::parse(input, this_year).map_err(|errors| ApiError::Invalid {
        fields: errors.into_iter().collect(),
    })?;
    disclosure::publish(&state.db, unit_id, viewer.user_id, &intention, now)
        .await?
        .ok_or_else(|| ApiError::field("category_code", Msg::ErrIntentionCategory))
}

/// Withdraws one of the unit's intentions; it stays on record as withdrawn.
pub async fn withdraw(state: &AppState, viewer: &Viewer, id: i64) -> ApiResult<()> {
    viewer.require(&[Role::Buyer, Role::Approver])?;
    let unit_id = viewer.unit_id()?;
    match disclosure::withdraw(&state.db, id, unit_id, clock::now()).await? {
        Withdrawn::Done => Ok(()),
        Withdrawn::NotFound => Err(ApiError::NotFound),
        Withdrawn::Already => Err(ApiError::Conflict),
    }
}
