//! View models: what the server loads for a page and the browser may receive.
//!
//! They are plain serde types over domain newtypes, with no behaviour that needs IO.

use emall_domain::{Fen, Role};
use serde::{Deserialize, Serialize};

mod account;
mod audit;
mod calendar;
mod credit;
mod dashboard;
mod disclosure;
mod errors;
mod listings;
mod ordering;
mod pools;
mod proposals;
pub use account::*;
pub use audit::*;
pub use calendar::*;
pub use credit::*;
pub use dashboard::*;
pub use disclosure::*;
pub use errors::*;
pub use listings::*;
pub use ordering::*;
pub use pools::*;
pub use proposals::*;

/// The signed-in person, as the shell and `GET /api/v1/auth/me` show them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Me {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The purchasing unit's or supplier's name; empty for the bureau (operator, regulator),
    /// which [`Me::org_label`] names in the page's language.
    pub org_name: String,
    /// The locale-free path of this person's home page.
    pub home: String,
}

impl Me {
    /// The organisation as a page shows it.
    pub fn org_label(&self, locale: crate::i18n::Locale) -> String {
        if self.org_name.is_empty() {
            locale.t(crate::i18n::Msg::Bureau).to_string()
        } else {
            self.org_name.clone()
        }
    }
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

/// A standard product as found in the whole catalogue, sold anywhere or not yet at all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProductPick {
    pub id: i64,
    pub title: String,
    pub brand: String,
    pub model: String,
    pub unit: String,
    pub category_code: String,
    pub reference_price: Fen,
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
    pub supplier_id: i64,
    pub score: Option<i64>,
    /// The admission review: `submitted`, `changes_requested`, `rejected`, `admitted`.
    pub review_state: String,
    pub review_reason: String,
    pub notices: Vec<NoticeView>,
    /// The supplier's own credit record (it may appeal entries in force).
    pub credit: Vec<CreditEntryView>,
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
pub struct SupplierQueueRow {
    pub id: i64,
    pub name: String,
    pub uscc: String,
    pub size: String,
    pub city_name: String,
}

/// The operator's and regulator's console (一屏管交易 grows from here).

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

/// The search form's state, as it is in the URL (`/search?q=…&city=…&brand=…`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SearchQuery {
    pub q: String,
    pub city: String,
    pub category: Option<String>,
    pub brands: Vec<String>,
    pub sizes: Vec<String>,
    pub tags: Vec<String>,
    /// Yuan, as typed (`12.50`).
    pub min: String,
    pub max: String,
    pub in_stock: bool,
    /// `relevance`, `price_asc`, `price_desc`, `delivery`, `score`
    pub sort: String,
    /// 1-based
    pub page: u32,
}

impl SearchQuery {
    /// The query string of this state (stable order, percent-encoded, defaults left out).
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        pairs.push(("city", self.city.clone()));
        if let Some(c) = &self.category {
            pairs.push(("category", c.clone()));
        }
        pairs.extend(self.brands.iter().map(|b| ("brand", b.clone())));
        pairs.extend(self.sizes.iter().map(|s| ("size", s.clone())));
        pairs.extend(self.tags.iter().map(|t| ("tag", t.clone())));
        if !self.min.is_empty() {
            pairs.push(("min", self.min.clone()));
        }
        if !self.max.is_empty() {
            pairs.push(("max", self.max.clone()));
        }
        if self.in_stock {
            pairs.push(("stock", "1".into()));
        }
        if !self.sort.is_empty() && self.sort != "relevance" {
            pairs.push(("sort", self.sort.clone()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", crate::format::urlencode(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// This state with one change, as a locale-free `/search?…` path (page reset to 1).
    pub fn with(&self, change: impl FnOnce(&mut SearchQuery)) -> String {
        let mut next = self.clone();
        next.page = 1;
        change(&mut next);
        format!("/search?{}", next.to_query_string())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SearchHit {
    pub product_id: i64,
    pub title: String,
    pub brand: String,
    pub model: String,
    pub unit: String,
    pub category_code: String,
    pub category_name: String,
    pub reference_price: Fen,
    /// Lowest live price in the city.
    pub lowest_price: Fen,
    pub highest_price: Fen,
    pub offer_count: i64,
    pub min_delivery_days: i64,
    pub best_offer_id: i64,
    pub best_supplier: String,
    pub tags: Vec<String>,
    /// 同城限价 set by a joint purchase, when one holds.
    pub price_cap: Option<Fen>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FacetValue {
    pub value: String,
    pub label: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SearchFacets {
    pub categories: Vec<FacetValue>,
    pub brands: Vec<FacetValue>,
    pub sizes: Vec<FacetValue>,
    pub tags: Vec<FacetValue>,
    pub in_stock: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SearchResponse {
    pub total: i64,
    /// Server-side query time in microseconds.
    pub took_micros: i64,
    pub hits: Vec<SearchHit>,
    pub facets: SearchFacets,
}

/// The search and category browsing page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchPage {
    pub query: SearchQuery,
    pub city: CityOption,
    /// The chosen category's path as (code, name).
    pub breadcrumb: Vec<(String, String)>,
    pub results: SearchResponse,
    pub page_size: u32,
    /// Why the price filter was ignored, if it was.
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProductDetail {
    pub id: i64,
    pub title: String,
    pub brand: String,
    pub model: String,
    pub category_code: String,
    pub category_name: String,
    pub unit: String,
    pub specs: Vec<(String, String)>,
    pub barcode: Option<String>,
    pub reference_price: Fen,
    pub reference_source: String,
    /// `YYYY-MM-DD`
    pub reference_date: String,
    pub tags: Vec<String>,
    /// `/images/products/…`, when the product has an image.
    pub image: Option<String>,
}

/// One supplier's live offer in a city, as the comparison page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CityOffer {
    pub offer_id: i64,
    pub supplier_id: i64,
    pub supplier_name: String,
    pub supplier_size: String,
    /// Performance score 0–100, when the supplier has a record.
    pub supplier_score: Option<i64>,
    pub price: Fen,
    pub stock: i64,
    pub delivery_days: i64,
    /// Price against the reference price, in basis points (−1234 = 12.34 % below).
    pub vs_reference_bp: i64,
    /// Volume tiers: lower unit prices from a minimum quantity on.
    pub tiers: Vec<emall_domain::Tier>,
    /// Above the city price cap a joint purchase set: not for sale at this price.
    #[serde(default)]
    pub above_cap: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PricePoint {
    /// `YYYY-MM-DD`
    pub date: String,
    pub lowest: Fen,
}

/// 全网比价: one standard product, every live offer in the city.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductPage {
    pub product: ProductDetail,
    pub city: CityOption,
    pub offers: Vec<CityOffer>,
    /// 同城限价 from a joint purchase, when one holds.
    pub price_cap: Option<PriceCapView>,
    pub history: Vec<PricePoint>,
    pub breadcrumb: Vec<(String, String)>,
}

/// A supplier's public storefront in a city.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupplierPage {
    pub id: i64,
    pub name: String,
    pub size: String,
    pub status: String,
    pub score: Option<i64>,
    pub home_city: String,
    pub cities: Vec<String>,
    /// `YYYY-MM-DD`
    pub admitted_on: Option<String>,
    pub city: CityOption,
    pub offers: Vec<SupplierOffer>,
    pub offer_total: i64,
    /// 信用记录: the entries still on the public record.
    pub credit: Vec<CreditEntryView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupplierOffer {
    pub product_id: i64,
    pub title: String,
    pub unit: String,
    pub price: Fen,
    pub reference_price: Fen,
    pub stock: i64,
    pub delivery_days: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartLineView {
    pub offer_id: i64,
    pub product_id: i64,
    pub title: String,
    pub unit: String,
    pub supplier_name: String,
    pub price: Fen,
    pub quantity: i64,
    pub line_total: Fen,
}

/// The buyer's cart with the unit's budget lines to pay from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartPage {
    pub me: Me,
    pub city: String,
    pub lines: Vec<CartLineView>,
    pub total: Fen,
    pub budget_lines: Vec<BudgetLineView>,
}

/// One line of an order (price and title as they were at checkout).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderItemView {
    pub product_id: i64,
    pub title: String,
    pub unit: String,
    pub quantity: i64,
    pub unit_price: Fen,
    pub line_total: Fen,
}

/// One step of an order's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderEventView {
    /// `placed`, or a lifecycle action (`confirm`, `accept`, …).
    pub action: String,
    /// The status after the step.
    pub status: String,
    /// Who took it; empty for the mall's timers.
    pub by: String,
    pub note: String,
    /// RFC 3339
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ComplaintView {
    pub id: i64,
    pub body: String,
    pub filed_by: String,
    /// RFC 3339
    pub filed_at: String,
    pub answer: Option<String>,
    pub answered_at: Option<String>,
}

/// Everything about one order: parties, lines, deadlines, inspection, invoice, history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderDetail {
    #[serde(flatten)]
    pub order: OrderRow,
    pub unit_id: i64,
    pub supplier_id: i64,
    pub buyer_name: String,
    pub budget_line: String,
    pub city_name: String,
    pub items: Vec<OrderItemView>,
    /// Promised delivery, in days after confirmation.
    pub delivery_days: i64,
    /// Days after acceptance within which the unit pays.
    pub payment_terms_days: i64,
    /// RFC 3339 deadlines and milestones (absent until they apply).
    pub confirm_by: Option<String>,
    pub delivery_due: Option<String>,
    pub payment_due: Option<String>,
    /// The due date passed without payment.
    pub payment_overdue: bool,
    pub rating: Option<i64>,
    pub inspection_notes: String,
    pub invoice_no: Option<String>,
    pub invoice_amount: Option<Fen>,
    /// SHA-256 of the signed contract, once the supplier has confirmed.
    pub contract_sha256: Option<String>,
    pub events: Vec<OrderEventView>,
    pub complaints: Vec<ComplaintView>,
}

/// The order page: the order and what this viewer may do with it now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderPage {
    pub me: Me,
    pub detail: OrderDetail,
    /// Lifecycle actions open to the viewer.
    pub actions: Vec<emall_domain::lifecycle::Action>,
    pub can_complain: bool,
    pub can_answer: bool,
}

/// A party to an electronic contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ContractParty {
    pub name: String,
    pub uscc: String,
    pub address: String,
    pub contact: String,
}

/// The electronic contract of an order. Its canonical JSON is what is hashed at signing,
/// so the fields and their order are part of the record: add, never reorder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ContractDoc {
    /// The version of the standard terms the text refers to.
    pub terms_version: String,
    pub contract_no: String,
    pub order_no: String,
    /// RFC 3339
    pub placed_at: String,
    pub signed_at: String,
    pub buyer: ContractParty,
    pub supplier: ContractParty,
    /// 中小企业 (the payment-terms law applies).
    pub supplier_is_sme: bool,
    pub items: Vec<OrderItemView>,
    pub total: Fen,
    pub delivery_place: String,
    pub delivery_days: i64,
    pub payment_terms_days: i64,
    pub budget_line: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContractPage {
    pub order_id: i64,
    pub contract: ContractDoc,
    pub sha256: String,
    /// The stored text still hashes to the stored SHA-256.
    pub intact: bool,
}

/// One part of a supplier's score, for display.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PaymentTimeliness {
    pub paid_on_time: i64,
    pub paid_late: i64,
    pub overdue_now: i64,
}

/// The supplier registration page (or the resubmission of an application).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegisterPage {
    /// Provinces, for the registered address.
    pub provinces: Vec<CityOption>,
    /// Cities the mall trades in, to serve.
    pub mall_cities: Vec<CityOption>,
    /// The application to correct (resubmission), with the operator's reason.
    pub resubmit: Option<ApplicationView>,
    /// The supplier's accounts, for its owner.
    pub staff: Option<Vec<StaffMemberView>>,
}

/// A supplier's application as pages show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub supplier_id: i64,
    pub status: String,
    pub review_state: String,
    pub review_reason: String,
    pub company: emall_domain::registration::CompanyInput,
    /// Province of the registered city, to preselect.
    pub province: String,
    pub city_name: String,
    pub district_name: String,
    pub served_city_names: Vec<String>,
    pub submitted_at: Option<String>,
    /// (decision, reason, by, at RFC 3339), oldest first.
    pub history: Vec<(String, String, String, String)>,
    pub qualifications: Vec<QualificationView>,
}

/// The operator's review of one application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewPage {
    pub me: Me,
    pub application: ApplicationView,
    pub can_decide: bool,
    /// The whole credit record; the regulator records entries and decides appeals.
    pub credit: Vec<CreditEntryView>,
    pub can_record_credit: bool,
}

/// One of a supplier's qualifications (the document itself is downloaded separately).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct QualificationView {
    pub id: i64,
    pub kind: String,
    pub number: String,
    pub issuer: String,
    /// `YYYY-MM-DD`, or absent when valid without limit.
    pub valid_until: Option<String>,
    /// `valid`, `lapsed` or `superseded`
    pub state: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// RFC 3339
    pub uploaded_at: String,
    /// The operator's check: `unchecked`, `verified` or `flagged`
    pub check_state: String,
    /// Why it was flagged.
    pub check_note: String,
}

/// Something the mall tells a supplier (a lapsed qualification, offers restored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NoticeView {
    pub kind: String,
    pub details: String,
    /// RFC 3339
    pub at: String,
}

/// A supplier's API token, without its secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApiTokenView {
    pub id: i64,
    pub name: String,
    /// The token's first characters.
    pub prefix: String,
    /// RFC 3339
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked: bool,
}

/// A listing the checks held back, with the evidence for the operator's decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ListingReview {
    pub id: i64,
    pub offer_id: i64,
    pub product_id: i64,
    pub product_title: String,
    pub product_unit: String,
    pub supplier_id: i64,
    pub supplier_name: String,
    /// `new_offer` or `price_change`
    pub kind: String,
    pub current_price: Fen,
    pub proposed_price: Fen,
    pub reference_price: Fen,
    /// The supplier's reason for a price change.
    pub reason: String,
    pub flags: Vec<emall_domain::listing::Flag>,
    /// `open`, `approved`, `rejected`, `withdrawn`
    pub state: String,
    pub note: String,
    /// RFC 3339
    pub created_at: String,
}

/// The supplier's listings: search and filter, inline price edits, import and export, API
/// tokens, and what waits for review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListingsPage {
    pub me: Me,
    pub q: String,
    /// `""` for all, else an offer status.
    pub status: String,
    pub offers: Vec<OfferRow>,
    pub total: i64,
    pub reviews: Vec<ListingReview>,
    pub tokens: Vec<ApiTokenView>,
    /// The cities the supplier serves (for new offers).
    pub cities: Vec<CityOption>,
    /// The supplier's product proposals, newest first.
    pub proposals: Vec<ProposalView>,
    /// Leaf categories, for a proposal.
    pub categories: Vec<CategoryOption>,
}

/// 新增标准商品: a supplier's proposal and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProposalView {
    pub id: i64,
    pub supplier_id: i64,
    pub supplier_name: String,
    pub category_code: String,
    pub brand: String,
    pub model: String,
    pub title: String,
    pub unit: String,
    pub reference_price: Fen,
    pub reference_source: String,
    /// `pending`, `approved`, `merged`, `rejected`
    pub state: String,
    pub product_id: Option<i64>,
    pub note: String,
}

/// A leaf of the procurement catalogue, to choose from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CategoryOption {
    pub code: String,
    pub name: String,
}

/// The operator's listing review queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListingQueuePage {
    pub me: Me,
    pub reviews: Vec<ListingReview>,
    /// Product proposals waiting for a decision.
    pub proposals: Vec<ProposalView>,
    pub can_decide: bool,
}

/// The page behind an invitation link: the colleague chooses a sign-in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationPage {
    pub supplier_name: String,
    pub display_name: String,
    pub username: String,
    pub error: Option<String>,
}

/// One of a supplier's accounts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StaffMemberView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub is_owner: bool,
    pub active: bool,
}

/// 信用记录: one credit entry against a supplier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CreditEntryView {
    pub id: i64,
    /// `warning`, `suspension`, `revocation`
    pub kind: String,
    pub reason: String,
    /// The red flag it acted on.
    pub alert_id: Option<i64>,
    /// Orders it rests on.
    pub orders: Vec<i64>,
    /// RFC 3339
    pub recorded_at: String,
    /// RFC 3339: a suspension's end.
    pub ends_at: Option<String>,
    /// `in_force`, `appealed`, `upheld`, `overturned`, `ended`
    pub state: String,
    pub appeal: Option<String>,
    pub decision_note: Option<String>,
    /// Still on the public record (not yet repaired).
    pub shown: bool,
}

/// 预警: one red flag with its evidence and triage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AlertView {
    pub id: i64,
    /// The rule: `split_purchase`, `bunching`, `above_reference`, `repeated_price_changes`,
    /// `raise_after_pool`, `dominant_supplier`, `shared_contacts`, `late_confirmation`,
    /// `late_payment`
    pub kind: String,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub supplier_id: Option<i64>,
    pub supplier_name: Option<String>,
    pub category_code: Option<String>,
    pub amount: Option<Fen>,
    pub orders: Vec<i64>,
    pub offers: Vec<i64>,
    pub suppliers: Vec<i64>,
    /// The rule's measures (`share_bp`, `count`, `days`, `field`…).
    pub details: serde_json::Value,
    /// `open`, `confirmed`, `dismissed`, `acted`
    pub status: String,
    pub note: Option<String>,
    /// RFC 3339
    pub created_at: String,
    pub updated_at: String,
}

/// An order named as evidence, as the alert page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EvidenceOrder {
    pub id: i64,
    pub order_no: String,
    pub unit_name: String,
    pub supplier_name: String,
    pub total: Fen,
    pub status: String,
    /// RFC 3339
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertsPage {
    pub me: Me,
    pub alerts: Vec<AlertView>,
    pub status: String,
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertPage {
    pub me: Me,
    pub alert: AlertView,
    pub orders: Vec<EvidenceOrder>,
    /// The regulator triages and records credit entries.
    pub can_triage: bool,
}
