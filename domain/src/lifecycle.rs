//! The order lifecycle: who may move an order from which status to which, and what happens
//! to the money frozen on its budget line.

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

    pub fn parse(s: &str) -> Option<Status> {
        use Status::*;
        [
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
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }
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
        Confirm | Ship | Deliver | Invoice => Supplier,
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

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;
    use Actor::*;

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
}
