//! An order as its parties and the bureau see it, and who a person is to an order.

use crate::auth::Viewer;
use crate::error::Problem;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use emall_app::model::{OrderAction, OrderDetail};
use emall_app::Msg;
use emall_domain::lifecycle::{Actor, DetailError, Details, Status, CARRIER_MAX_CHARS};
use emall_domain::{Fen, Role};
use emall_store::lifecycle::{act, By, Moved};
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

/// Moves an order one step for the viewer (the API's `POST /orders/{id}/actions` and the
/// order page's plain form alike), and rescores its supplier; the order's new status.
pub async fn step(
    state: &AppState,
    viewer: &Viewer,
    order_id: i64,
    body: OrderAction,
) -> ApiResult<Status> {
    let actor = actor_of(viewer.role).ok_or(ApiError::Forbidden)?;
    let by = By::Person {
        actor,
        tenant: viewer.tenant,
        user_id: viewer.user_id,
        username: &viewer.username,
    };
    let details = Details {
        note: body.note,
        rating: body.rating,
        invoice_no: body.invoice_no,
        invoice_amount: body.invoice_amount.map(Fen),
        carrier: body.carrier,
        tracking_no: body.tracking_no,
    };
    match act(
        &state.db,
        &state.timing(),
        order_id,
        by,
        body.action,
        &details,
    )
    .await?
    {
        Moved::Done {
            status,
            supplier_id,
        } => {
            emall_store::performance::rescore(&state.db, supplier_id, emall_store::clock::now())
                .await?;
            Ok(status)
        }
        Moved::NotFound => Err(ApiError::NotFound),
        Moved::NotYours => Err(ApiError::Forbidden),
        Moved::WrongStatus => Err(ApiError::Conflict),
        Moved::Invalid(e) => Err(detail_error(e)),
    }
}

fn detail_error(e: DetailError) -> ApiError {
    let (field, problem) = match e {
        DetailError::Rating => ("rating", Msg::ErrRating.into()),
        DetailError::NoteRequired => ("note", Msg::ErrRejectNote.into()),
        DetailError::InvoiceNo => ("invoice_no", Msg::ErrInvoiceNo.into()),
        DetailError::InvoiceAmount(total) => ("invoice_amount", Problem::InvoiceAmount { total }),
        DetailError::Carrier => (
            "carrier",
            Problem::Length {
                min: 0,
                max: CARRIER_MAX_CHARS,
            },
        ),
        DetailError::TrackingNo => ("tracking_no", Msg::ErrTrackingNo.into()),
    };
    ApiError::field(field, problem)
}
