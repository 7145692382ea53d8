//! Joint-purchase pools (联合采购) as the pages and the API show them.

use super::{CityOption, Me};
use emall_domain::Fen;
use serde::{Deserialize, Serialize};

/// A pool in a list: where it stands and what the price is now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoolSummary {
    pub id: i64,
    pub title: String,
    pub product_id: i64,
    pub product_title: String,
    /// Unit of sale.
    pub unit: String,
    pub city: String,
    pub city_name: String,
    /// `open`, `awarded` or `failed`
    pub state: String,
    /// RFC 3339
    pub opens_at: String,
    /// RFC 3339
    pub closes_at: String,
    pub min_total_quantity: i64,
    /// Committed by every unit so far (or at the close).
    pub total_quantity: i64,
    pub units: i64,
    pub bidders: i64,
    /// 最高限价: no bid asks more; commitments freeze quantity × ceiling.
    pub ceiling: Fen,
    pub reference_price: Fen,
    /// The lowest bid at the committed total (open pools), or the award price.
    pub current_price: Option<Fen>,
    /// The nearest tier that would lower the price (open pools).
    pub next_tier: Option<NextTierView>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NextTierView {
    pub min_quantity: i64,
    pub price: Fen,
    /// Units still to commit to reach it.
    pub missing: i64,
}

/// One step of a bid as the public sees it: the bidder is named only after the close.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BidView {
    /// 供应商 A, B, … while open; the supplier's name once closed.
    pub bidder: String,
    pub supplier_id: Option<i64>,
    pub tiers: Vec<emall_domain::Tier>,
    /// The price at the committed total; absent when the bid does not serve that volume.
    pub price_at_total: Option<Fen>,
    pub winner: bool,
}

/// Money saved by a pool price against a baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavingsView {
    pub baseline: Fen,
    pub per_unit: Fen,
    pub total: Fen,
    /// Hundredths of a percent of the baseline.
    pub basis_points: i64,
}

/// What the close decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoolResultView {
    /// RFC 3339
    pub closed_at: String,
    /// Closed by the operator before the deadline (else by the clock).
    pub closed_early: bool,
    pub unit_price: Option<Fen>,
    pub winner_name: Option<String>,
    pub winner_supplier_id: Option<i64>,
    /// RFC 3339: the city price cap holds until then.
    pub cap_until: Option<String>,
    /// Against the average the city paid over the previous 12 months.
    pub vs_history: Option<SavingsView>,
    /// Against the reference market price.
    pub vs_reference: Option<SavingsView>,
    pub units_served: i64,
    /// `below_minimum` or `no_qualifying_bid` for a failed pool.
    pub fail_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoolDetail {
    pub summary: PoolSummary,
    pub description: String,
    pub delivery_terms: String,
    pub validity_days: i64,
    pub bids: Vec<BidView>,
    pub result: Option<PoolResultView>,
}

/// 同城限价: the price cap a pool set for a product in a city.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriceCapView {
    pub price: Fen,
    pub pool_id: i64,
    pub supplier_id: i64,
    pub supplier_name: String,
    /// RFC 3339
    pub until: String,
}

/// A unit's or supplier's own part in a pool (fetched by the pool page's island, so the
/// page itself stays the same for everyone).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyPoolPart {
    pub commitment: Option<MyCommitment>,
    /// The supplier's current bid.
    pub bid: Option<Vec<emall_domain::Tier>>,
    /// While the pool is open, the letter its bid is listed under (供应商 B): only the
    /// supplier itself learns which anonymous bid is its own.
    pub bid_label: Option<String>,
    /// May the viewer commit (a buyer of a unit in the pool's city), bid (a supplier
    /// serving the city) or close it early (the operator)?
    pub can_commit: bool,
    pub can_bid: bool,
    pub can_close: bool,
    /// The buyer's budget lines, to commit against.
    pub budget_lines: Vec<super::BudgetLineView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyCommitment {
    pub quantity: i64,
    pub budget_line_id: i64,
    pub frozen: Fen,
    /// `active`, `withdrawn`, `settled`, `released`
    pub state: String,
    pub amount: Option<Fen>,
    pub order_id: Option<i64>,
}

/// 联合采购: the pools of a city.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolsPage {
    pub city: CityOption,
    pub open: Vec<PoolSummary>,
    pub closed: Vec<PoolSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolPage {
    pub pool: PoolDetail,
}

/// The operator's pools: open one, close one early.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolConsolePage {
    pub me: Me,
    pub pools: Vec<PoolSummary>,
    pub cities: Vec<CityOption>,
    pub can_manage: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoolCreate {
    pub product_id: i64,
    /// The operator names the city; a purchasing unit leads a pool in its own city.
    pub city: Option<String>,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub delivery_terms: String,
    pub min_total_quantity: i64,
    /// 最高限价 in yuan, e.g. `3299.00`: no bid may ask more.
    pub ceiling_price: String,
    /// RFC 3339, or `YYYY-MM-DDTHH:MM` in Beijing time; now without it.
    pub opens_at: Option<String>,
    pub closes_at: String,
    /// How long the resulting city price cap holds (1–730 days).
    pub validity_days: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BidBody {
    /// Volume tiers: from `min_quantity` units in the pool's total on, `price` fen each.
    /// Quantities increase; prices never rise; none above the ceiling.
    pub tiers: Vec<emall_domain::Tier>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommitBody {
    pub budget_line_id: i64,
    pub quantity: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoolOpened {
    pub id: i64,
}

/// One step of a pool's audit trail.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoolEvent {
    pub kind: String,
    pub user: Option<String>,
    /// The step's facts as recorded (JSON).
    pub details: serde_json::Value,
    /// RFC 3339
    pub at: String,
}
