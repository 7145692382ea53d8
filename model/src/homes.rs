//! Each role's home: the buyer's budget lines and orders, the supplier's offers and
//! queue, the sign-in page.

use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BudgetLineView {
    pub id: i64,
    pub code: String,
    pub fiscal_year: i32,
    pub funding_source: String,
    pub purpose: String,
    /// 支出经济分类: what the line may be spent on.
    pub econ_class: emall_domain::budget::EconClass,
    pub amount: Fen,
    pub frozen: Fen,
    pub spent: Fen,
    pub available: Fen,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderRow {
    pub id: i64,
    pub order_no: String,
    /// RFC 3339 date-time (UTC).
    pub created_at: String,
    pub unit_name: String,
    pub supplier_name: String,
    pub status: String,
    pub total: Fen,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BuyerHomePage {
    pub me: Me,
    pub budget_lines: Vec<BudgetLineView>,
    /// Orders waiting for the unit's approver.
    pub awaiting_approval: Vec<OrderRow>,
    pub recent_orders: Vec<OrderRow>,
    pub payments: PaymentTimeliness,
    /// The unit's city, and the joint purchases open there.
    pub city: CityOption,
    pub open_pools: Vec<PoolSummary>,
    /// 采购意向公开: the unit's published intentions.
    pub intentions: UnitIntentions,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferRow {
    pub id: i64,
    pub product_id: i64,
    pub product_title: String,
    pub price: Fen,
    pub stock: i64,
    pub delivery_days: i64,
    pub status: String,
    pub cities: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupplierHomePage {
    pub me: Me,
    pub supplier_status: emall_domain::registration::SupplierStatus,
    pub size: String,
    pub offer_total: i64,
    pub offers: Vec<OfferRow>,
    pub open_orders: Vec<OrderRow>,
    pub supplier_id: i64,
    pub score: Option<i64>,
    /// The admission review: `submitted`, `changes_requested`, `rejected`, `admitted`.
    pub review_state: String,
    pub review_reason: String,
    pub notices: Vec<NoticeView>,
    /// The supplier's own credit record (it may appeal entries in force).
    pub credit: Vec<CreditEntryView>,
    /// For the appeal forms that work without script.
    pub csrf_token: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthAmount {
    /// `YYYY-MM`
    pub month: String,
    pub amount: Fen,
    pub orders: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupplierQueueRow {
    pub id: i64,
    pub name: String,
    pub uscc: String,
    pub size: String,
    pub city_name: String,
}

/// The operator's and regulator's console (一屏管交易 grows from here).

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginPage {
    /// Where to go after signing in (a locale-free local path), if not the role's home.
    pub next: Option<String>,
    pub username: String,
    pub error: Option<String>,
    /// Show the demo accounts (only when the demo city is seeded).
    pub demo: bool,
}

/// 订单中心: the viewer's orders by tab, searched, a page at a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderCentrePage {
    pub me: Me,
    /// The tab shown; `None` for every order.
    pub tab: Option<emall_domain::stage::Stage>,
    /// Every tab with its count, in the order an order passes them.
    pub counts: Vec<(emall_domain::stage::Stage, i64)>,
    pub orders: Vec<OrderRow>,
    /// The search as typed.
    pub search: String,
    /// 1-based.
    pub page: i64,
    pub pages: i64,
    /// Orders matching the tab and search.
    pub matching: i64,
    /// How many orders the checkout just placed (said at the top).
    pub placed: Option<i64>,
}
