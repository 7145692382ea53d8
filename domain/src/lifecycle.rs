//! The order lifecycle: who may move an order from which status to which, and what happens
//! to the money frozen on its budget line.

use crate::money::Fen;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    PendingApproval,
    Placed,
    Confirmed,
    Shipped,
    Delivered,
    Accepted,
    Rejected,
    Invoiced,
    Paid,
    Cancelled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The unit's approver lets an order above the threshold go to the supplier.
    Approve,
    /// The approver refuses it.
    Decline,
    Cancel,
    Confirm,
    Ship,
    Deliver,
    /// 验收 passed.
    Accept,
    /// 验收 failed.
    RejectDelivery,
    Invoice,
    Pay,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Buyer,
    Approver,
    Supplier,
    /// Timers (an order not confirmed in time).
    System,
}

/// What the budget line feels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Money {
    Unchanged,
    /// The frozen amount goes back to available.
    Release,
    /// The frozen amount becomes spent.
    Spend,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    #[error("this action is not yours to take")]
    NotYours,
    #[error("the order's status does not allow this action")]
    WrongStatus,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::PendingApproval => "pending_approval",
            Status::Placed => "placed",
            Status::Confirmed => "confirmed",
            Status::Shipped => "shipped",
            Status::Delivered => "delivered",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
            Status::Invoiced => "invoiced",
            Status::Paid => "paid",
            Status::Cancelled => "cancelled",
        }
    }

    /// Every status, in the order an order passes them.
    pub const ALL: [Status; 10] = [
        Status::PendingApproval,
        Status::Placed,
        Status::Confirmed,
        Status::Shipped,
        Status::Delivered,
        Status::Accepted,
        Status::Rejected,
        Status::Invoiced,
        Status::Paid,
        Status::Cancelled,
    ];

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// The step an order in `status` waits for on its way to payment, and who owes it; `None`
/// once paid or closed.
pub fn next_step(status: Status) -> Option<(Action, Actor)> {
    Some(match status {
        Status::PendingApproval => (Action::Approve, Actor::Approver),
        Status::Placed => (Action::Confirm, Actor::Supplier),
        Status::Confirmed => (Action::Ship, Actor::Supplier),
        Status::Shipped => (Action::Deliver, Actor::Supplier),
        Status::Delivered => (Action::Accept, Actor::Buyer),
        Status::Accepted => (Action::Invoice, Actor::Supplier),
        Status::Invoiced => (Action::Pay, Actor::Buyer),
        Status::Paid | Status::Cancelled | Status::Rejected => return None,
    })
}

/// The statuses an order passes on its way to payment, in order (the order page's stepper):
/// every status but the two that close it early.
pub fn path() -> impl Iterator<Item = Status> {
    Status::ALL
        .into_iter()
        .filter(|s| !matches!(s, Status::Rejected | Status::Cancelled))
}

/// The next status and the money effect, or why not.
pub fn transition(
    from: Status,
    action: Action,
    actor: Actor,
) -> Result<(Status, Money), LifecycleError> {
    use Action::*;
    use Actor::*;
    use Status::*;
    let owner = match action {
        Approve | Decline => Approver,
        Confirm | Ship | Invoice => Supplier,
        // The supplier marks the goods delivered, or the buyer confirms they arrived
        // (确认收货), whichever comes first.
        Deliver if actor == Buyer => Buyer,
        Deliver => Supplier,
        Accept | RejectDelivery | Pay => Buyer,
        Cancel => actor,
    };
    if owner != actor {
        return Err(LifecycleError::NotYours);
    }
    let next = match (from, action, actor) {
        (PendingApproval, Approve, _) => (Placed, Money::Unchanged),
        (PendingApproval, Decline, _) => (Cancelled, Money::Release),
        (PendingApproval | Placed, Cancel, Buyer) => (Cancelled, Money::Release),
        (Placed, Cancel, Supplier | System) => (Cancelled, Money::Release),
        (Placed, Confirm, _) => (Confirmed, Money::Unchanged),
        (Confirmed, Ship, _) => (Shipped, Money::Unchanged),
        (Shipped, Deliver, _) => (Delivered, Money::Unchanged),
        (Delivered, Accept, _) => (Accepted, Money::Unchanged),
        (Delivered, RejectDelivery, _) => (Rejected, Money::Release),
        (Accepted, Invoice, _) => (Invoiced, Money::Unchanged),
        (Invoiced, Pay, _) => (Paid, Money::Spend),
        _ => return Err(LifecycleError::WrongStatus),
    };
    Ok(next)
}

/// What a step carries besides the action: the inspection's rating and notes, the invoice,
/// the shipment's carrier and tracking number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Details {
    pub note: String,
    pub rating: Option<i64>,
    pub invoice_no: Option<String>,
    pub invoice_amount: Option<Fen>,
    pub carrier: Option<String>,
    pub tracking_no: Option<String>,
}

/// Details that passed [`check_details`]: only what the action uses is kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checked {
    pub note: String,
    /// 1–5, on acceptance.
    pub rating: Option<u8>,
    /// Number and amount, on invoicing.
    pub invoice: Option<(String, Fen)>,
    /// On shipping: the carrier (快递公司, or the supplier's own delivery) and the tracking
    /// number, each when given.
    pub shipment: Option<Shipment>,
}

/// How an order travels.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shipment {
    pub carrier: String,
    /// Upper-case letters, digits and dashes; empty for the supplier's own delivery.
    pub tracking_no: String,
}

/// Longest carrier name.
pub const CARRIER_MAX_CHARS: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DetailError {
    #[error("a rating from 1 to 5 is required")]
    Rating,
    #[error("say why the delivery is rejected")]
    NoteRequired,
    #[error("the invoice number is 8 to 40 letters, digits or dashes")]
    InvoiceNo,
    #[error("the invoice amount must equal the order total {0}")]
    InvoiceAmount(Fen),
    #[error("the carrier's name is at most 40 characters")]
    Carrier,
    #[error("a tracking number is 4 to 40 letters, digits or dashes, with its carrier")]
    TrackingNo,
}

/// Longest note kept with a step.
pub const NOTE_MAX_CHARS: usize = 500;

/// Checks what an action needs: acceptance a 1–5 rating, rejection a reason, an invoice its
/// number and an amount equal to the order's total (one invoice per order).
pub fn check_details(
    action: Action,
    d: &Details,
    order_total: Fen,
) -> Result<Checked, DetailError> {
    let note: String = d.note.trim().chars().take(NOTE_MAX_CHARS).collect();
    let mut checked = Checked {
        note,
        ..Checked::default()
    };
    match action {
        Action::Accept => {
            let r = d
                .rating
                .filter(|r| (1..=5).contains(r))
                .ok_or(DetailError::Rating)?;
            checked.rating = Some(r as u8);
        }
        Action::RejectDelivery if checked.note.is_empty() => return Err(DetailError::NoteRequired),
        Action::Invoice => {
            let no = compact(d.invoice_no.as_deref());
            if !is_reference(&no, 8..=40) {
                return Err(DetailError::InvoiceNo);
            }
            let amount = d.invoice_amount.unwrap_or(order_total);
            if amount != order_total {
                return Err(DetailError::InvoiceAmount(order_total));
            }
            checked.invoice = Some((no, amount));
        }
        Action::Ship => checked.shipment = shipment(d)?,
        _ => {}
    }
    Ok(checked)
}

/// A number as typed on paper (an invoice's, a waybill's): spaces dropped, upper case.
fn compact(typed: Option<&str>) -> String {
    typed
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase()
}

/// Whether `no` is `len` letters, digits or dashes long.
fn is_reference(no: &str, len: std::ops::RangeInclusive<usize>) -> bool {
    len.contains(&no.len()) && no.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// A shipment's details: none, a carrier alone (the supplier's own van), or a carrier and
/// its tracking number; a tracking number needs its carrier.
fn shipment(d: &Details) -> Result<Option<Shipment>, DetailError> {
    let carrier = d.carrier.as_deref().unwrap_or("").trim().to_string();
    let tracking_no = compact(d.tracking_no.as_deref());
    if carrier.chars().count() > CARRIER_MAX_CHARS {
        return Err(DetailError::Carrier);
    }
    let tracking_ok =
        tracking_no.is_empty() || (!carrier.is_empty() && is_reference(&tracking_no, 4..=40));
    if !tracking_ok {
        return Err(DetailError::TrackingNo);
    }
    Ok((!carrier.is_empty()).then_some(Shipment {
        carrier,
        tracking_no,
    }))
}

/// The actions `actor` may take on an order in `status`, in lifecycle order (for the buttons
/// a page offers).
pub fn available(status: Status, actor: Actor) -> Vec<Action> {
    use Action::*;
    [
        Approve,
        Decline,
        Confirm,
        Ship,
        Deliver,
        Accept,
        RejectDelivery,
        Invoice,
        Pay,
        Cancel,
    ]
    .into_iter()
    .filter(|&a| transition(status, a, actor).is_ok())
    .collect()
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Approve => "approve",
            Action::Decline => "decline",
            Action::Cancel => "cancel",
            Action::Confirm => "confirm",
            Action::Ship => "ship",
            Action::Deliver => "deliver",
            Action::Accept => "accept",
            Action::RejectDelivery => "reject_delivery",
            Action::Invoice => "invoice",
            Action::Pay => "pay",
        }
    }

    pub const ALL: [Action; 10] = [
        Action::Approve,
        Action::Decline,
        Action::Cancel,
        Action::Confirm,
        Action::Ship,
        Action::Deliver,
        Action::Accept,
        Action::RejectDelivery,
        Action::Invoice,
        Action::Pay,
    ];

    pub fn parse(text: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == text)
    }

    /// A step that cannot be taken back (cancelling, declining, refusing a delivery,
    /// paying): asked once more before it is taken.
    pub fn irreversible(self) -> bool {
        matches!(
            self,
            Action::Cancel | Action::Decline | Action::RejectDelivery | Action::Pay
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;
    use Actor::*;

    #[test]
    fn the_buyer_may_confirm_receipt_in_place_of_the_supplier() {
        assert_eq!(
            transition(Status::Shipped, Deliver, Buyer),
            Ok((Status::Delivered, Money::Unchanged))
        );
        assert_eq!(
            transition(Status::Shipped, Deliver, Approver),
            Err(LifecycleError::NotYours)
        );
        assert!(available(Status::Shipped, Buyer).contains(&Deliver));
        assert_eq!(
            transition(Status::Confirmed, Deliver, Buyer),
            Err(LifecycleError::WrongStatus),
            "not before it is shipped"
        );
    }

    #[test]
    fn actions_read_back_from_their_text() {
        for a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Some(a));
        }
        assert_eq!(Action::parse("refund"), None);
    }

    #[test]
    fn the_happy_path_spends_exactly_once() {
        let steps = [
            (Confirm, Supplier),
            (Ship, Supplier),
            (Deliver, Supplier),
            (Accept, Buyer),
            (Invoice, Supplier),
            (Pay, Buyer),
        ];
        let mut status = Status::Placed;
        let mut spends = 0;
        for (action, actor) in steps {
            let (next, money) = transition(status, action, actor).unwrap();
            spends += usize::from(money == Money::Spend);
            assert_ne!(money, Money::Release);
            status = next;
        }
        assert_eq!(status, Status::Paid);
        assert_eq!(spends, 1);
    }

    #[test]
    fn every_exit_without_payment_releases() {
        let exits = [
            (Status::PendingApproval, Decline, Approver),
            (Status::PendingApproval, Cancel, Buyer),
            (Status::Placed, Cancel, Buyer),
            (Status::Placed, Cancel, Supplier),
            (Status::Placed, Cancel, System),
            (Status::Delivered, RejectDelivery, Buyer),
        ];
        for (from, action, actor) in exits {
            assert_eq!(
                transition(from, action, actor).unwrap().1,
                Money::Release,
                "{from:?} {action:?}"
            );
        }
    }

    #[test]
    fn refuses_the_wrong_actor_and_the_wrong_status() {
        use LifecycleError::*;
        let cases = [
            (Status::Placed, Confirm, Buyer, NotYours),
            (Status::PendingApproval, Approve, Buyer, NotYours),
            (Status::Paid, Pay, Buyer, WrongStatus),
            (Status::Shipped, Cancel, Buyer, WrongStatus),
            (Status::PendingApproval, Confirm, Supplier, WrongStatus),
        ];
        for (from, action, actor, expected) in cases {
            assert_eq!(
                transition(from, action, actor),
                Err(expected),
                "{from:?} {action:?} by {actor:?}"
            );
        }
        for s in ["placed", "paid", "pending_approval"] {
            assert_eq!(Status::parse(s).unwrap().as_str(), s);
        }
    }

    #[test]
    fn details_each_action_needs() {
        let total = Fen(12_345);
        let none = Details::default();
        assert_eq!(
            check_details(Accept, &none, total),
            Err(DetailError::Rating)
        );
        let rated = Details {
            rating: Some(5),
            note: "  ok ".into(),
            ..none.clone()
        };
        let c = check_details(Accept, &rated, total).unwrap();
        assert_eq!((c.rating, c.note.as_str()), (Some(5), "ok"));
        let six = Details {
            rating: Some(6),
            ..none.clone()
        };
        assert_eq!(check_details(Accept, &six, total), Err(DetailError::Rating));
        assert_eq!(
            check_details(RejectDelivery, &none, total),
            Err(DetailError::NoteRequired)
        );
        assert_eq!(
            check_details(Invoice, &none, total),
            Err(DetailError::InvoiceNo)
        );
        let inv = Details {
            invoice_no: Some(" 2631 0000 0000 1234 5678 ".into()),
            ..none.clone()
        };
        assert_eq!(
            check_details(Invoice, &inv, total).unwrap().invoice,
            Some(("26310000000012345678".into(), total))
        );
        let wrong = Details {
            invoice_amount: Some(Fen(1)),
            ..inv
        };
        assert_eq!(
            check_details(Invoice, &wrong, total),
            Err(DetailError::InvoiceAmount(total))
        );
        assert!(check_details(Ship, &none, total).is_ok());
        let shipped = |carrier: &str, tracking: &str| Details {
            carrier: Some(carrier.into()),
            tracking_no: Some(tracking.into()),
            ..none.clone()
        };
        assert_eq!(
            check_details(Ship, &shipped(" 顺丰速运 ", "sf 1234 5678 9012"), total)
                .unwrap()
                .shipment,
            Some(Shipment {
                carrier: "顺丰速运".into(),
                tracking_no: "SF123456789012".into()
            })
        );
        assert_eq!(
            check_details(Ship, &shipped("供应商自送", ""), total)
                .unwrap()
                .shipment
                .map(|s| s.tracking_no),
            Some(String::new())
        );
        for (carrier, tracking) in [
            ("", "SF1234"),
            ("顺丰", "SF1"),
            ("顺丰", "SF 12#4"),
            ("顺丰", &"1".repeat(41)),
        ] {
            assert_eq!(
                check_details(Ship, &shipped(carrier, tracking), total),
                Err(DetailError::TrackingNo),
                "{carrier} {tracking}"
            );
        }
        assert_eq!(
            check_details(Ship, &shipped(&"快".repeat(41), "SF1234"), total),
            Err(DetailError::Carrier)
        );
    }

    #[test]
    fn available_actions_follow_the_table() {
        assert_eq!(available(Status::Placed, Supplier), vec![Confirm, Cancel]);
        assert_eq!(
            available(Status::Delivered, Buyer),
            vec![Accept, RejectDelivery]
        );
        assert_eq!(
            available(Status::PendingApproval, Approver),
            vec![Approve, Decline]
        );
        assert!(available(Status::Paid, Buyer).is_empty());
    }

    #[test]
    fn the_next_step_is_one_its_owner_may_take() {
        for status in Status::ALL {
            match next_step(status) {
                Some((action, actor)) => {
                    assert!(transition(status, action, actor).is_ok(), "{status:?}");
                    assert!(available(status, actor).contains(&action), "{status:?}");
                }
                None => assert!(matches!(
                    status,
                    Status::Paid | Status::Cancelled | Status::Rejected
                )),
            }
        }
    }
}
