//! View models: what the server loads for a page and the browser may receive.
//!
//! They are plain serde types over domain newtypes, with no behaviour that needs IO.

use emall_domain::{Fen, Role};
use serde::{Deserialize, Serialize};

/// The signed-in person, as the shell and `GET /api/v1/auth/me` show them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Me {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The purchasing unit's or supplier's name; the bureau for operator and regulator.
    pub org_name: String,
    /// The locale-free path of this person's home page.
    pub home: String,
}

/// The home page of each role.
pub fn home_path(role: Role) -> &'static str {
    match role {
        Role::Buyer | Role::Approver => "/buyer",
        Role::Supplier => "/workbench",
        Role::Operator | Role::Regulator => "/console",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CityOption {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CategoryNode {
    pub code: String,
    pub name: String,
    pub product_count: i64,
    pub children: Vec<CategoryNode>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProductCard {
    pub id: i64,
    pub title: String,
    pub brand: String,
    pub model: String,
    pub category_name: String,
    pub unit: String,
    pub reference_price: Fen,
    /// Lowest live price in the page's city, if any supplier there sells it.
    pub lowest_price: Option<Fen>,
    pub offer_count: i64,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MallStats {
    pub products: i64,
    pub suppliers: i64,
    pub units: i64,
    pub live_offers: i64,
}

/// The public storefront home of one city.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StorefrontPage {
    pub city: CityOption,
    pub stats: MallStats,
    pub categories: Vec<CategoryNode>,
    pub featured: Vec<ProductCard>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BudgetLineView {
    pub id: i64,
    pub code: String,
    pub fiscal_year: i32,
    pub funding_source: String,
    pub purpose: String,
    pub amount: Fen,
    pub frozen: Fen,
    pub spent: Fen,
    pub available: Fen,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BuyerHomePage {
    pub me: Me,
    pub budget_lines: Vec<BudgetLineView>,
    pub recent_orders: Vec<OrderRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SupplierHomePage {
    pub me: Me,
    pub supplier_status: String,
    pub size: String,
    pub offer_total: i64,
    pub offers: Vec<OfferRow>,
    pub open_orders: Vec<OrderRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MonthAmount {
    /// `YYYY-MM`
    pub month: String,
    pub amount: Fen,
    pub orders: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NamedAmount {
    pub name: String,
    pub amount: Fen,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SupplierQueueRow {
    pub id: i64,
    pub name: String,
    pub uscc: String,
    pub size: String,
    pub city_name: String,
}

/// The operator's and regulator's console (一屏管交易 grows from here).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConsolePage {
    pub me: Me,
    pub spend_12m: Fen,
    pub orders_12m: i64,
    /// Share of contract value won by SMEs, in basis points (1/100 of a percent).
    pub sme_share_bp: i64,
    pub monthly: Vec<MonthAmount>,
    pub top_suppliers: Vec<NamedAmount>,
    pub supplier_queue: Vec<SupplierQueueRow>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LoginPage {
    /// Where to go after signing in (a locale-free local path), if not the role's home.
    pub next: Option<String>,
    pub username: String,
    pub error: Option<String>,
    /// Show the demo accounts (only when the demo city is seeded).
    pub demo: bool,
}
