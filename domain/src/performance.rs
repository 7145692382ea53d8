//! 履约评价: the contract-performance record of a supplier and its score.
//!
//! Every lifecycle fact becomes an [`EventKind`]; a supplier's score is a pure function of
//! the counts of its events over the last 12 months ([`Record`]).
//!
//! # The score (0–100)
//!
//! Five parts, each a rate between 0 and 1, weighted:
//!
//! | part          | weight | good / all                                                   |
//! |---------------|-------:|--------------------------------------------------------------|
//! | confirmation  | 20     | confirmed in time / (in time + late + not confirmed + cancelled by the supplier) |
//! | delivery      | 25     | delivered on time / delivered                                 |
//! | inspection    | 25     | inspections passed / inspections                              |
//! | rating        | 15     | (average rating − 1) / 4                                      |
//! | complaints    | 15     | orders without a complaint / orders                           |
//!
//! Each rate is smoothed towards a neutral 0.8 as if [`PRIOR_WEIGHT`] more observations at
//! 0.8 had been made: `(good + 4 × 0.8) / (all + 4)`. A new supplier therefore starts at 80,
//! one late delivery does not sink a small supplier, and a long clean record approaches 100.
//! The score is the weighted sum, rounded to the nearest whole number.

use serde::{Deserialize, Serialize};

/// Observations of the neutral rate added to every part.
pub const PRIOR_WEIGHT: f64 = 4.0;
/// The neutral rate: where a supplier without a record stands.
pub const PRIOR_RATE: f64 = 0.8;
/// The window of the rolling score.
pub const WINDOW_DAYS: i64 = 365;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Confirmed within the deadline (value: seconds from placement).
    ConfirmedInTime,
    /// Confirmed after the deadline (value: seconds from placement).
    ConfirmedLate,
    /// Not confirmed within the deadline: cancelled by the mall.
    NotConfirmed,
    /// Cancelled by the supplier after placement.
    SupplierCancelled,
    /// Delivered within the promised days (value: 0).
    DeliveredOnTime,
    /// Delivered after the promised days (value: days late).
    DeliveredLate,
    InspectionPassed,
    InspectionFailed,
    /// The buyer's rating at inspection (value: 1–5).
    Rated,
    /// A buyer filed a complaint on an order.
    Complaint,
    /// Buyer side: the unit paid within the terms (value: 0).
    PaidOnTime,
    /// Buyer side: the unit paid after the due date (value: days late).
    PaidLate,
    /// Buyer side: the due date passed without payment.
    PaymentOverdue,
}

impl EventKind {
    pub const ALL: [EventKind; 13] = [
        EventKind::ConfirmedInTime,
        EventKind::ConfirmedLate,
        EventKind::NotConfirmed,
        EventKind::SupplierCancelled,
        EventKind::DeliveredOnTime,
        EventKind::DeliveredLate,
        EventKind::InspectionPassed,
        EventKind::InspectionFailed,
        EventKind::Rated,
        EventKind::Complaint,
        EventKind::PaidOnTime,
        EventKind::PaidLate,
        EventKind::PaymentOverdue,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::ConfirmedInTime => "confirmed_in_time",
            EventKind::ConfirmedLate => "confirmed_late",
            EventKind::NotConfirmed => "not_confirmed",
            EventKind::SupplierCancelled => "supplier_cancelled",
            EventKind::DeliveredOnTime => "delivered_on_time",
            EventKind::DeliveredLate => "delivered_late",
            EventKind::InspectionPassed => "inspection_passed",
            EventKind::InspectionFailed => "inspection_failed",
            EventKind::Rated => "rated",
            EventKind::Complaint => "complaint",
            EventKind::PaidOnTime => "paid_on_time",
            EventKind::PaidLate => "paid_late",
            EventKind::PaymentOverdue => "payment_overdue",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the event describes the buyer's unit rather than the supplier.
    pub fn is_buyer_side(self) -> bool {
        matches!(
            self,
            EventKind::PaidOnTime | EventKind::PaidLate | EventKind::PaymentOverdue
        )
    }
}

/// Counts of a supplier's events in the window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Orders that reached the supplier (placed) in the window.
    pub orders: i64,
    pub confirmed_in_time: i64,
    pub confirmed_late: i64,
    pub not_confirmed: i64,
    pub supplier_cancelled: i64,
    pub delivered_on_time: i64,
    pub delivered_late: i64,
    pub inspections_passed: i64,
    pub inspections_failed: i64,
    pub ratings: i64,
    pub rating_sum: i64,
    pub complaints: i64,
    /// Sum of seconds from placement to confirmation (for the average).
    pub confirm_secs: i64,
}

impl Record {
    /// Adds `count` events of a kind whose values sum to `value_sum`.
    pub fn add(&mut self, kind: EventKind, count: i64, value_sum: i64) {
        match kind {
            EventKind::ConfirmedInTime => {
                self.confirmed_in_time += count;
                self.confirm_secs += value_sum;
            }
            EventKind::ConfirmedLate => {
                self.confirmed_late += count;
                self.confirm_secs += value_sum;
            }
            EventKind::NotConfirmed => self.not_confirmed += count,
            EventKind::SupplierCancelled => self.supplier_cancelled += count,
            EventKind::DeliveredOnTime => self.delivered_on_time += count,
            EventKind::DeliveredLate => self.delivered_late += count,
            EventKind::InspectionPassed => self.inspections_passed += count,
            EventKind::InspectionFailed => self.inspections_failed += count,
            EventKind::Rated => {
                self.ratings += count;
                self.rating_sum += value_sum;
            }
            EventKind::Complaint => self.complaints += count,
            EventKind::PaidOnTime | EventKind::PaidLate | EventKind::PaymentOverdue => {}
        }
    }

    /// Average hours from placement to confirmation, if anything was confirmed.
    pub fn average_confirm_hours(&self) -> Option<f64> {
        let n = self.confirmed_in_time + self.confirmed_late;
        (n > 0).then(|| self.confirm_secs as f64 / n as f64 / 3600.0)
    }
}

/// One weighted part of the score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Part {
    pub name: PartName,
    pub weight: u8,
    /// Observations behind the rate (0: the rate is the neutral prior).
    pub observations: i64,
    /// Smoothed rate, 0–1.
    pub rate: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartName {
    Confirmation,
    Delivery,
    Inspection,
    Rating,
    Complaints,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// 0–100.
    pub total: u8,
    pub parts: Vec<Part>,
}

fn smoothed(good: f64, all: f64) -> f64 {
    ((good + PRIOR_WEIGHT * PRIOR_RATE) / (all + PRIOR_WEIGHT)).clamp(0.0, 1.0)
}

/// The score of a record (see the module documentation for the formula).
pub fn score(r: &Record) -> Score {
    let confirmations =
        r.confirmed_in_time + r.confirmed_late + r.not_confirmed + r.supplier_cancelled;
    let deliveries = r.delivered_on_time + r.delivered_late;
    let inspections = r.inspections_passed + r.inspections_failed;
    let rating_points = (r.rating_sum - r.ratings).max(0) as f64 / 4.0;
    let clean_orders = (r.orders - r.complaints).max(0);
    let parts = vec![
        Part {
            name: PartName::Confirmation,
            weight: 20,
            observations: confirmations,
            rate: smoothed(r.confirmed_in_time as f64, confirmations as f64),
        },
        Part {
            name: PartName::Delivery,
            weight: 25,
            observations: deliveries,
            rate: smoothed(r.delivered_on_time as f64, deliveries as f64),
        },
        Part {
            name: PartName::Inspection,
            weight: 25,
            observations: inspections,
            rate: smoothed(r.inspections_passed as f64, inspections as f64),
        },
        Part {
            name: PartName::Rating,
            weight: 15,
            observations: r.ratings,
            rate: smoothed(rating_points, r.ratings as f64),
        },
        Part {
            name: PartName::Complaints,
            weight: 15,
            observations: r.orders.max(r.complaints),
            rate: smoothed(clean_orders as f64, r.orders.max(r.complaints) as f64),
        },
    ];
    let total: f64 = parts.iter().map(|p| f64::from(p.weight) * p.rate).sum();
    Score {
        total: total.round().clamp(0.0, 100.0) as u8,
        parts,
    }
}

/// A unit's payment record: on time, late, and currently overdue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRecord {
    pub paid_on_time: i64,
    pub paid_late: i64,
    /// Due date passed, still unpaid.
    pub overdue_now: i64,
}

impl PaymentRecord {
    /// Share of paid orders paid on time, in basis points (10,000 = all); `None` before any.
    pub fn on_time_bp(&self) -> Option<i64> {
        let paid = self.paid_on_time + self.paid_late;
        (paid > 0).then(|| self.paid_on_time * 10_000 / paid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(orders: i64) -> Record {
        Record {
            orders,
            confirmed_in_time: orders,
            delivered_on_time: orders,
            inspections_passed: orders,
            ratings: orders,
            rating_sum: 5 * orders,
            ..Record::default()
        }
    }

    #[test]
    fn a_new_supplier_starts_neutral() {
        assert_eq!(score(&Record::default()).total, 80);
    }

    #[test]
    fn a_long_clean_record_approaches_100() {
        assert_eq!(score(&clean(1)).total, 84);
        assert!(score(&clean(50)).total >= 98);
        assert_eq!(score(&clean(10_000)).total, 100);
    }

    #[test]
    fn every_bad_fact_lowers_the_score() {
        let base = clean(20);
        let worse: [fn(&mut Record); 6] = [
            |r| {
                r.delivered_on_time -= 5;
                r.delivered_late += 5;
            },
            |r| {
                r.inspections_passed -= 5;
                r.inspections_failed += 5;
            },
            |r| r.rating_sum -= 10,
            |r| r.complaints += 3,
            |r| r.not_confirmed += 3,
            |r| r.supplier_cancelled += 3,
        ];
        for (i, f) in worse.iter().enumerate() {
            let mut r = base;
            f(&mut r);
            assert!(score(&r).total < score(&base).total, "case {i}");
        }
    }

    #[test]
    fn the_worst_record_is_near_zero_and_bounded() {
        let r = Record {
            orders: 1000,
            not_confirmed: 500,
            supplier_cancelled: 500,
            delivered_late: 1000,
            inspections_failed: 1000,
            ratings: 1000,
            rating_sum: 1000,
            complaints: 1000,
            ..Record::default()
        };
        let s = score(&r);
        assert!(s.total <= 1, "{}", s.total);
        assert_eq!(
            s.parts.iter().map(|p| u32::from(p.weight)).sum::<u32>(),
            100
        );
        // More complaints than orders cannot push a rate below zero.
        let odd = Record {
            complaints: 50,
            ..Record::default()
        };
        assert!(score(&odd).total <= 100);
    }

    #[test]
    fn the_weights_are_as_documented() {
        // 100% on delivery and inspection, everything else neutral-free zero:
        let r = Record {
            orders: 1_000_000,
            confirmed_late: 1_000_000,
            delivered_on_time: 1_000_000,
            inspections_passed: 1_000_000,
            ratings: 1_000_000,
            rating_sum: 1_000_000,
            complaints: 1_000_000,
            ..Record::default()
        };
        assert_eq!(score(&r).total, 50);
    }

    #[test]
    fn kinds_round_trip_and_payments() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()), Some(k));
        }
        assert!(EventKind::PaidLate.is_buyer_side());
        assert!(!EventKind::Complaint.is_buyer_side());
        let p = PaymentRecord {
            paid_on_time: 3,
            paid_late: 1,
            overdue_now: 0,
        };
        assert_eq!(p.on_time_bp(), Some(7_500));
        assert_eq!(PaymentRecord::default().on_time_bp(), None);
    }
}
