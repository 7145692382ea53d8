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

/// A person's part in one pool on a page of its own, every step a plain form: a unit
/// commits or withdraws, a supplier bids, the operator closes. (The pool's public page is
/// the same for everyone; its island does the same steps in place.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolPartPage {
    pub me: Me,
    pub pool: PoolSummary,
    pub part: MyPoolPart,
    pub csrf_token: String,
    /// The form as sent, when it was refused, and why.
    pub refused: Option<(PoolPartForm, String)>,
}

/// What the pool's personal page asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoolStep {
    Commit,
    Withdraw,
    Bid,
    Close,
}

/// One of the pool page's forms as sent, its text as typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolPartForm {
    pub step: PoolStep,
    pub budget_line_id: String,
    pub quantity: String,
    /// (from quantity, unit price in yuan) per tier row.
    pub tiers: Vec<(String, String)>,
}

impl PoolPartForm {
    /// Reads the form's fields (`step`, `budget_line_id`, `quantity`, and `tier_from` /
    /// `tier_price` once per row, in order); `None` without a step it knows.
    pub fn from_fields(fields: &[(String, String)]) -> Option<PoolPartForm> {
        let field = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let step = match field("step").as_str() {
            "commit" => PoolStep::Commit,
            "withdraw" => PoolStep::Withdraw,
            "bid" => PoolStep::Bid,
            "close" => PoolStep::Close,
            _ => return None,
        };
        let column = |name: &'static str| {
            fields
                .iter()
                .filter(move |(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let tiers = column("tier_from").zip(column("tier_price")).collect();
        Some(PoolPartForm {
            step,
            budget_line_id: field("budget_line_id"),
            quantity: field("quantity"),
            tiers,
        })
    }

    /// The commitment asked for; what does not read as a number is 0, which the pool
    /// refuses with the field's own message.
    pub fn to_commit(&self) -> CommitBody {
        CommitBody {
            budget_line_id: self.budget_line_id.trim().parse().unwrap_or(0),
            quantity: self.quantity.trim().parse().unwrap_or(0),
        }
    }

    pub fn to_tiers(&self) -> Vec<emall_domain::Tier> {
        typed_tiers(&self.tiers)
    }
}

/// Tier rows as typed (from quantity, unit price in yuan) as tiers; what does not read as
/// a number is 0, which the bid's own checks refuse. Blank rows are left out.
pub fn typed_tiers(rows: &[(String, String)]) -> Vec<emall_domain::Tier> {
    rows.iter()
        .filter(|(q, p)| !q.trim().is_empty() || !p.trim().is_empty())
        .map(|(q, p)| emall_domain::Tier {
            min_quantity: q.trim().parse::<i64>().unwrap_or(0),
            price: Fen::parse_yuan(p).unwrap_or(Fen(0)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_bid_form_reads_its_rows_in_order_and_leaves_blank_ones_out() {
        let form = PoolPartForm::from_fields(&fields(&[
            ("step", "bid"),
            ("tier_from", "1"),
            ("tier_price", "20.50"),
            ("tier_from", ""),
            ("tier_price", " "),
            ("tier_from", "100"),
            ("tier_price", "十八元"),
        ]))
        .unwrap();
        assert_eq!(form.step, PoolStep::Bid);
        let tiers = form.to_tiers();
        assert_eq!(tiers.len(), 2);
        assert_eq!((tiers[0].min_quantity, tiers[0].price), (1, Fen(2050)));
        assert_eq!((tiers[1].min_quantity, tiers[1].price), (100, Fen(0)));
    }

    #[test]
    fn a_commitment_form_reads_numbers_or_zero() {
        let form = PoolPartForm::from_fields(&fields(&[
            ("step", "commit"),
            ("budget_line_id", "7"),
            ("quantity", " 12 "),
        ]))
        .unwrap();
        assert_eq!(
            (form.to_commit().budget_line_id, form.to_commit().quantity),
            (7, 12)
        );
        let typo = PoolPartForm::from_fields(&fields(&[("step", "commit"), ("quantity", "十二")]));
        assert_eq!(typo.unwrap().to_commit().quantity, 0);
        assert_eq!(
            PoolPartForm::from_fields(&fields(&[("step", "join")])),
            None
        );
        assert_eq!(PoolPartForm::from_fields(&[]), None);
    }
}
