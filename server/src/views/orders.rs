//! An order as its parties and the bureau see it, and who a person is to an order.

use crate::auth::Viewer;
use crate::error::Problem;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use emall_app::model::{OrderAction, OrderDetail};
use emall_app::Msg;
use emall_domain::lifecycle::{Actor, DetailError, Details, Status, CARRIER_MAX_CHARS};
use emall_domain::{Fen, Role};
use emall_store::complaints::{self, Answered};
use emall_store::lifecycle::{act, By, Moved};
use emall_store::orders;
use emall_store::performance::Parties;

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

/// A complaint's or an answer's text, trimmed: 1–2000 characters.
fn complaint_text(text: &str, field: &str) -> ApiResult<String> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > complaints::BODY_MAX_CHARS {
        return Err(ApiError::field(field, Msg::ErrComplaintText));
    }
    Ok(text.to_string())
}

/// A buyer or approver of the ordering unit files a complaint about the supplier's
/// performance on an order that reached it (the API and the order page's form alike); the
/// supplier is rescored. The complaint's id.
pub async fn file_complaint(
    state: &AppState,
    viewer: &Viewer,
    order_id: i64,
    body: &str,
) -> ApiResult<i64> {
    viewer.require(&[Role::Buyer, Role::Approver])?;
    let order = visible_order(state, viewer, order_id).await?;
    if order.order.status == "pending_approval" {
        return Err(ApiError::Conflict);
    }
    let text = complaint_text(body, "body")?;
    let parties = Parties {
        order_id,
        supplier_id: order.supplier_id,
        unit_id: order.unit_id,
    };
    let id = complaints::file(&state.db, parties, viewer.user_id, &text).await?;
    emall_store::performance::rescore(&state.db, order.supplier_id, emall_store::clock::now())
        .await?;
    Ok(id)
}

/// The supplier answers a complaint on one of its orders, once (the API and the order
/// page's form alike).
pub async fn answer_complaint(
    state: &AppState,
    viewer: &Viewer,
    complaint_id: i64,
    answer: &str,
) -> ApiResult<()> {
    let supplier_id = viewer.supplier_id()?;
    let text = complaint_text(answer, "answer")?;
    match complaints::answer(&state.db, complaint_id, supplier_id, viewer.user_id, &text).await? {
        Answered::Done => Ok(()),
        Answered::NotFound => Err(ApiError::NotFound),
        // Another supplier's complaint is one that does not exist for this one.
        Answered::NotYours => Err(ApiError::NotFound),
        Answered::AlreadyAnswered => Err(ApiError::Conflict),
    }
}
