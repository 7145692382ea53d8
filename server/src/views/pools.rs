//! A person's part in a pool (联合采购): a unit commits or withdraws its quantity, a supplier
//! bids volume tiers, the operator closes it early. The API's pool endpoints and the pool's
//! personal page (`/pools/{id}/part`, plain forms) alike.

use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use emall_app::model::{CommitBody, MyPoolPart};
use emall_app::Msg;
use emall_domain::{Fen, Role, Tier};
use emall_store::clock;
use emall_store::pools::{self, Closed, Closing};

/// The viewer's own part: a unit's commitment or a supplier's bid, and what it may do.
pub async fn part(state: &AppState, viewer: &Viewer, pool: i64) -> ApiResult<MyPoolPart> {
    let city = pools::city(&state.db, pool)
        .await?
        .ok_or(ApiError::NotFound)?;
    let unit = (viewer.role == Role::Buyer)
        .then(|| viewer.unit_id().ok())
        .flatten();
    let supplier = viewer.supplier_id().ok();
    let mut part = pools::my_part(&state.db, pool, unit, supplier, &city).await?;
    part.can_close = viewer.role == Role::Operator;
    Ok(part)
}

/// A buyer commits the unit's quantity against a budget line, or changes it; the money
/// frozen for it.
pub async fn commit(
    state: &AppState,
    viewer: &Viewer,
    pool: i64,
    body: CommitBody,
) -> ApiResult<Fen> {
    viewer.require(&[Role::Buyer])?;
    let unit = viewer.unit_id()?;
    let user = viewer.user();
    let (line, quantity) = (body.budget_line_id, body.quantity);
    let now = clock::now();
    Ok(pools::commit(&state.db, pool, unit, &user, line, quantity, now).await??)
}

/// The buyer withdraws the unit's commitment; the money released.
pub async fn withdraw(state: &AppState, viewer: &Viewer, pool: i64) -> ApiResult<Fen> {
    viewer.require(&[Role::Buyer])?;
    let unit = viewer.unit_id()?;
    Ok(pools::withdraw(&state.db, pool, unit, &viewer.user(), clock::now()).await??)
}

/// A supplier serving the city bids volume tiers, or revises its bid; the bid's id.
pub async fn bid(state: &AppState, viewer: &Viewer, pool: i64, tiers: Vec<Tier>) -> ApiResult<i64> {
    viewer.require(&[Role::Supplier])?;
    let supplier = viewer.supplier_id()?;
    let now = clock::now();
    Ok(pools::bid(&state.db, pool, supplier, &viewer.user(), tiers, now).await??)
}

/// How a pool closed early: awarded with its orders, or failed.
pub enum Outcome {
    Awarded(Vec<i64>),
    Failed,
}

/// The operator closes a pool now (the timer closes it at the deadline); it settles once.
pub async fn close(state: &AppState, viewer: &Viewer, pool: i64) -> ApiResult<Outcome> {
    viewer.require(&[Role::Operator])?;
    let timing = state.timing();
    let closing = Closing {
        by: emall_domain::audit::Actor::User(viewer.user()),
        timing: &timing,
        payment_terms_days: state.settings.rules.payment_terms_days,
    };
    match pools::close(&state.db, pool, &closing, clock::now()).await? {
        Closed::Awarded { orders, .. } => Ok(Outcome::Awarded(orders)),
        Closed::Failed { .. } => Ok(Outcome::Failed),
        Closed::AlreadyClosed => Err(ApiError::StateConflict(Msg::ErrPoolNotOpen)),
        Closed::NoSuchPool => Err(ApiError::NotFound),
    }
}
