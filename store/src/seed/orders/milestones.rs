//! A synthetic order's milestones, drawn so that each follows the one before and none lies
//! in the future, and the supplier's performance events they leave.

use super::{DAY, HISTORY_DAYS};
use crate::seed::insert::V;
use crate::seed::rng::Rng;

/// An order's milestones: each follows the one before and none lies in the future.
#[derive(Clone, Copy)]
pub(super) struct Milestones {
    pub(super) created: i64,
    pub(super) cancelled: bool,
    pub(super) delivery_days: i64,
    pub(super) late: bool,
    pub(super) paid_late: bool,
    pub(super) confirmed: Option<i64>,
    pub(super) delivered: Option<i64>,
    pub(super) accepted: Option<i64>,
    pub(super) paid: Option<i64>,
}

impl Milestones {
    /// Draws an order's milestones: most orders complete and are paid, a few are cancelled,
    /// delivered late or paid late.
    pub(super) fn draw(rng: &mut Rng, now: i64) -> Milestones {
        let created = now - rng.range(0, HISTORY_DAYS * DAY);
        let cancelled = rng.chance(3);
        let past = |t: i64| (t <= now).then_some(t);
        let delivery_days = rng.range(2, 7);
        let late = rng.chance(6);
        let paid_late = rng.chance(8);
        let unpaid = rng.chance(4);
        let confirmed = (!cancelled)
            .then(|| created + rng.range(600, 40 * 3600))
            .and_then(past);
        let delivered = confirmed
            .map(|_| created + (delivery_days + if late { rng.range(1, 5) } else { 0 }) * DAY)
            .and_then(past);
        let accepted = delivered
            .map(|d| d + rng.range(3600, 3 * DAY))
            .and_then(past);
        let paid = accepted
            .filter(|_| !unpaid)
            .map(|a| {
                a + if paid_late {
                    rng.range(31, 60)
                } else {
                    rng.range(1, 25)
                } * DAY
            })
            .and_then(past);
        Milestones {
            created,
            cancelled,
            delivery_days,
            late,
            paid_late,
            confirmed,
            delivered,
            accepted,
            paid,
        }
    }

    /// The status: the last milestone reached.
    pub(super) fn status(&self) -> &'static str {
        match (
            self.cancelled,
            self.confirmed,
            self.delivered,
            self.accepted,
            self.paid,
        ) {
            (true, ..) => "cancelled",
            (_, _, _, _, Some(_)) => "paid",
            (_, _, _, Some(_), None) => "accepted",
            (_, _, Some(_), None, None) => "delivered",
            (_, Some(_), None, None, None) => "confirmed",
            _ => "placed",
        }
    }

    /// The supplier's performance events of the milestones reached, for order, supplier and
    /// unit `[order, supplier, unit]`.
    pub(super) fn events(
        &self,
        rng: &mut Rng,
        [id, supplier, unit]: [i64; 3],
        rows: &mut Vec<Vec<V>>,
    ) {
        let late = self.late;
        let paid_late = self.paid_late;
        let mut event = |kind: &str, at: i64| {
            rows.push(vec![
                V::I(id),
                V::I(supplier),
                V::I(unit),
                V::from(kind),
                V::I(at),
            ]);
        };
        if let Some(at) = self.confirmed {
            event("confirmed_in_time", at);
        }
        if let Some(at) = self.delivered {
            event(
                if late {
                    "delivered_late"
                } else {
                    "delivered_on_time"
                },
                at,
            );
        }
        if let Some(at) = self.accepted {
            event(
                if rng.chance(2) {
                    "inspection_failed"
                } else {
                    "inspection_passed"
                },
                at,
            );
        }
        if let Some(at) = self.paid {
            event(
                if paid_late {
                    "paid_late"
                } else {
                    "paid_on_time"
                },
                at,
            );
        }
    }
}
