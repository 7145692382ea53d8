//! A supplier's contract-performance record (履约) and a unit's payment timeliness.

use super::*;

/// One part of a supplier's score, for display.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScorePart {
    /// `confirmation`, `delivery`, `inspection`, `rating`, `complaints`
    pub name: String,
    pub weight: i64,
    pub observations: i64,
    /// 0–100
    pub percent: i64,
}

/// A supplier's contract-performance summary over the last 12 months.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PerformanceSummary {
    pub supplier_id: i64,
    pub supplier_name: String,
    /// 0–100
    pub score: i64,
    pub parts: Vec<ScorePart>,
    pub orders: i64,
    pub delivered_on_time: i64,
    pub delivered_late: i64,
    pub inspections_passed: i64,
    pub inspections_failed: i64,
    /// Average rating × 100 (e.g. 462 for 4.62), if any.
    pub average_rating_x100: Option<i64>,
    pub average_confirm_hours: Option<i64>,
    pub complaints: i64,
    pub cancelled_by_supplier: i64,
    pub not_confirmed: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PerformanceEventView {
    pub order_id: i64,
    pub order_no: String,
    pub unit_name: String,
    pub kind: String,
    pub value: i64,
    /// RFC 3339
    pub at: String,
}

/// The performance page: the public summary, and the events for the supplier itself and
/// the regulator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PerformancePage {
    pub summary: PerformanceSummary,
    pub events: Option<Vec<PerformanceEventView>>,
}

/// A unit's payment timeliness (buyer-side performance).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentTimeliness {
    pub paid_on_time: i64,
    pub paid_late: i64,
    pub overdue_now: i64,
}
