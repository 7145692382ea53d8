//! Where an order stands, as the order centre's tabs group it: by the step it waits for
//! (待审批 … 待付款), or done (已完成), or closed without delivery (已取消).

use crate::lifecycle::Status;

crate::stored::stored_text! {
    /// An order centre tab.
    pub enum Stage {
        /// 待审批: the unit's approver decides.
        AwaitingApproval = "awaiting_approval",
        /// 待确认: the supplier confirms.
        AwaitingConfirmation = "awaiting_confirmation",
        /// 待发货: the supplier ships.
        AwaitingShipment = "awaiting_shipment",
        /// 待收货: on its way.
        AwaitingDelivery = "awaiting_delivery",
        /// 待验收: the unit inspects.
        AwaitingInspection = "awaiting_inspection",
        /// 待开票: the supplier invoices.
        AwaitingInvoice = "awaiting_invoice",
        /// 待付款: the unit pays.
        AwaitingPayment = "awaiting_payment",
        /// 已完成: paid.
        Completed = "completed",
        /// 已取消: declined, cancelled or its delivery refused.
        Closed = "closed",
    }
}

impl Stage {
    /// The tab an order of `status` is under.
    pub fn of(status: Status) -> Stage {
        match status {
            Status::PendingApproval => Stage::AwaitingApproval,
            Status::Placed => Stage::AwaitingConfirmation,
            Status::Confirmed => Stage::AwaitingShipment,
            Status::Shipped => Stage::AwaitingDelivery,
            Status::Delivered => Stage::AwaitingInspection,
            Status::Accepted => Stage::AwaitingInvoice,
            Status::Invoiced => Stage::AwaitingPayment,
            Status::Paid => Stage::Completed,
            Status::Cancelled | Status::Rejected => Stage::Closed,
        }
    }

    /// The statuses under this tab.
    pub fn statuses(self) -> Vec<Status> {
        Status::ALL
            .into_iter()
            .filter(|s| Stage::of(*s) == self)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_is_under_exactly_one_tab() {
        for status in Status::ALL {
            let under: Vec<Stage> = Stage::ALL
                .iter()
                .copied()
                .filter(|t| t.statuses().contains(&status))
                .collect();
            assert_eq!(under, [Stage::of(status)], "{status:?}");
        }
        assert_eq!(
            Stage::Closed.statuses(),
            [Status::Rejected, Status::Cancelled]
        );
    }
}
