//! 信息公开: what the public may see without signing in — transaction results at or
//! above the disclosure amount, joint-purchase results, suppliers' credit records and the
//! units' procurement intentions.

use super::{CategoryOption, CreditEntryView, PoolSummary};
use emall_domain::Fen;
use serde::{Deserialize, Serialize};

/// 成交结果公告: one order at or above the disclosure amount.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisclosedOrder {
    pub id: i64,
    pub order_no: String,
    /// RFC 3339, when it was placed
    pub placed_at: String,
    pub unit_name: String,
    pub supplier_id: i64,
    pub supplier_name: String,
    pub city_name: String,
    /// The first item's title
    pub first_item: String,
    pub items: i64,
    pub total: Fen,
    /// Bought at a joint-purchase price.
    pub pooled: bool,
}

/// A credit entry on the public record, with its supplier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicCreditEntry {
    pub supplier_id: i64,
    pub supplier_name: String,
    pub entry: CreditEntryView,
}

/// 采购意向: a unit's published intention to buy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntentionView {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub year: i64,
    pub month: i64,
    pub title: String,
    pub category_code: String,
    pub category_name: String,
    pub budget: Fen,
    pub description: String,
    /// RFC 3339
    pub published_at: String,
    /// RFC 3339, when withdrawn
    pub withdrawn_at: Option<String>,
}

/// The public disclosure page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DisclosurePage {
    /// Orders at or above this amount are disclosed.
    pub threshold: Fen,
    pub results: Vec<DisclosedOrder>,
    /// Closed joint purchases, awarded or failed.
    pub pools: Vec<PoolSummary>,
    pub credit: Vec<PublicCreditEntry>,
    /// The year's intentions, by expected month.
    pub year: i64,
    pub intentions: Vec<IntentionView>,
}

/// A unit's own intentions, the categories to choose from, and the publishing form (a
/// plain form; refused, it comes back as typed with every reason).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitIntentions {
    pub intentions: Vec<IntentionView>,
    pub categories: Vec<CategoryOption>,
    pub this_year: i64,
    pub csrf_token: String,
    /// The form as sent, when it was refused.
    pub sent: Option<emall_domain::intention::IntentionInput>,
    /// Why, one line per fault.
    pub refused: Vec<String>,
}
