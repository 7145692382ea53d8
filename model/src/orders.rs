//! The cart, checkout and an order: the bodies a buyer's, approver's or supplier's browser
//! sends and what a checkout answers; an order with its lines, history and complaints; its
//! electronic contract.

use super::*;

/// 加入购物车 without script: the offer to add and the quantity asked, to confirm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartAddPage {
    pub me: Me,
    pub offer_id: i64,
    pub product_id: i64,
    pub title: String,
    pub unit: String,
    pub supplier_name: String,
    pub price: Fen,
    pub stock: i64,
    pub quantity: i64,
    pub csrf_token: String,
    /// The quantity just sent could not be taken.
    pub refused: bool,
}

/// One line of the cart as the buyer edits it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartLineView {
    pub offer_id: i64,
    pub product_id: i64,
    pub title: String,
    pub unit: String,
    /// The offer's list price.
    pub list_price: Fen,
    /// The unit price at this quantity as the order will have it (volume tiers, the city's
    /// cap); the list price when the line cannot be bought now.
    pub price: Fen,
    pub quantity: i64,
    pub line_total: Fen,
    /// Why the line cannot be ordered now, if it cannot.
    pub problem: Option<CartProblem>,
}

/// Why a cart line cannot be ordered as it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CartProblem {
    NotOnSale,
    NotInCity,
    Stock,
    AboveCap,
}

impl CartProblem {
    /// What the buyer is told, on the cart's line or in a refused checkout.
    pub fn message(self) -> crate::Msg {
        match self {
            CartProblem::NotOnSale => crate::Msg::ErrNotOnSale,
            CartProblem::NotInCity => crate::Msg::ErrNotInCity,
            CartProblem::Stock => crate::Msg::ErrStock,
            CartProblem::AboveCap => crate::Msg::ErrAboveCap,
        }
    }
}

/// One supplier's lines: one order at checkout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartGroup {
    pub supplier_id: i64,
    pub supplier_name: String,
    pub lines: Vec<CartLineView>,
    pub total: Fen,
    /// The order waits for the unit's approver (at or above its threshold).
    pub needs_approval: bool,
}

/// The buyer's cart with the unit's budget lines to pay from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartPage {
    pub me: Me,
    pub city: String,
    pub groups: Vec<CartGroup>,
    /// What the orders will cost, priced as the checkout prices them.
    pub total: Fen,
    /// Some line cannot be ordered as it stands (it says why), or the cart breaks a
    /// purchase rule: checkout waits until the cart is changed.
    pub blocked: bool,
    pub budget_lines: Vec<BudgetLineView>,
    /// 支出经济分类 of what the cart buys: lines for it are proposed first.
    pub proposed: Option<emall_domain::budget::EconClass>,
    pub csrf_token: String,
    /// The checkout's Idempotency-Key: placing twice from this page orders once.
    pub checkout_key: String,
    /// A quantity just refused (the offer's line says so).
    pub refused_quantity: Option<i64>,
    /// The checkout just sent was refused: why, and the line it was sent with.
    pub checkout_error: Option<String>,
    pub chosen_line: Option<i64>,
}

/// One line of an order (price and title as they were at checkout).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderDetail {
    #[serde(flatten)]
    pub order: OrderRow,
    pub unit_id: i64,
    pub supplier_id: i64,
    pub buyer_name: String,
    pub budget_line: String,
    /// 支出经济分类 the budget line is for, and the one the goods fall under: the approver
    /// is warned when they differ.
    pub budget_class: emall_domain::budget::EconClass,
    pub goods_class: Option<emall_domain::budget::EconClass>,
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
    /// The carrier and tracking number given at shipping.
    pub carrier: Option<String>,
    pub tracking_no: Option<String>,
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
    pub csrf_token: String,
    /// An irreversible step sent from the plain form, asked once more before it is taken.
    pub confirming: Option<PendingStep>,
    /// The step, complaint or answer just sent from a plain form was refused: why.
    pub step_error: Option<String>,
}

/// A step as the order page's form sent it, carried through its confirmation.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct StepForm {
    pub action: String,
    pub note: String,
    pub rating: String,
    pub invoice_no: String,
    pub carrier: String,
    pub tracking_no: String,
    /// `1` once the person has confirmed an irreversible step.
    pub confirmed: String,
}

/// An irreversible step waiting for its confirmation: what it is and the form as sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingStep {
    pub action: emall_domain::lifecycle::Action,
    pub form: StepForm,
}

/// A party to an electronic contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContractParty {
    pub name: String,
    pub uscc: String,
    pub address: String,
    pub contact: String,
}

/// The electronic contract of an order. Its canonical JSON is what is hashed at signing,
/// so the fields and their order are part of the record: add, never reorder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quantity {
    pub quantity: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckoutItem {
    pub offer_id: i64,
    pub quantity: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckoutRequest {
    /// The unit's budget line to pay from; the total is frozen on it.
    pub budget_line_id: i64,
    /// Buy these now (一键下单) instead of the cart.
    pub items: Option<Vec<CheckoutItem>>,
    /// Days after acceptance within which the unit will pay: 1–60, default the mall's
    /// rule (30). Above 30 only when the contract is meant to say so.
    pub payment_terms_days: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderAction {
    pub action: emall_domain::lifecycle::Action,
    /// Why (shown in the order's history); required to reject a delivery.
    #[serde(default)]
    pub note: String,
    /// 1–5, required to accept a delivery (验收).
    pub rating: Option<i64>,
    /// Required to invoice: 8–40 letters, digits or dashes.
    pub invoice_no: Option<String>,
    /// In fen; must equal the order total (default: the total).
    pub invoice_amount: Option<i64>,
    /// On shipping: the carrier (快递公司, or the supplier's own delivery), at most 40
    /// characters.
    #[serde(default)]
    pub carrier: Option<String>,
    /// On shipping: the tracking number, 4–40 letters, digits or dashes (needs a carrier).
    #[serde(default)]
    pub tracking_no: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComplaintRequest {
    /// What went wrong (1–2000 characters).
    pub body: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnswerRequest {
    pub answer: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlacedOrder {
    pub id: i64,
    pub order_no: String,
    pub supplier_id: i64,
    /// `placed`, or `pending_approval` at or above the unit's approval threshold.
    pub status: String,
    pub total: Fen,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Receipt {
    pub orders: Vec<PlacedOrder>,
    /// Money frozen on the budget line by this checkout.
    pub frozen: Fen,
    /// Split-purchase warnings (the orders are placed; the regulator is alerted).
    pub warnings: Vec<String>,
}

/// A draft order as the buyer sees it before placing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreviewOrder {
    pub supplier_id: i64,
    pub total: Fen,
    /// At or above the unit's approval threshold: waits for the approver.
    pub needs_approval: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Preview {
    pub orders: Vec<PreviewOrder>,
    pub total: Fen,
    /// What the budget line has left now.
    pub available: Fen,
    /// Split-purchase warnings (category codes until localised).
    pub warnings: Vec<String>,
    /// 支出经济分类 of what is bought, and the one the budget line is for: the buyer is
    /// warned (and the approver told) when they differ.
    pub goods_class: Option<emall_domain::budget::EconClass>,
    pub line_class: emall_domain::budget::EconClass,
}

/// One offer in a buyer's cart, at the offer's current base price (tiers apply at checkout).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CartLine {
    pub offer_id: i64,
    pub product_id: i64,
    pub title: String,
    pub unit: String,
    pub supplier_id: i64,
    pub supplier_name: String,
    pub price: Fen,
    pub quantity: i64,
}
