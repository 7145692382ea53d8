//! The cart, checkout and an order's steps: the bodies a buyer's, approver's or supplier's
//! browser sends, as the handlers read them, and what a checkout answers.

use emall_domain::Fen;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Quantity {
    pub quantity: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CheckoutItem {
    pub offer_id: i64,
    pub quantity: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ComplaintRequest {
    /// What went wrong (1–2000 characters).
    pub body: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AnswerRequest {
    pub answer: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PlacedOrder {
    pub id: i64,
    pub order_no: String,
    pub supplier_id: i64,
    /// `placed`, or `pending_approval` at or above the unit's approval threshold.
    pub status: String,
    pub total: Fen,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Receipt {
    pub orders: Vec<PlacedOrder>,
    /// Money frozen on the budget line by this checkout.
    pub frozen: Fen,
    /// Split-purchase warnings (the orders are placed; the regulator is alerted).
    pub warnings: Vec<String>,
}

/// A draft order as the buyer sees it before placing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PreviewOrder {
    pub supplier_id: i64,
    pub total: Fen,
    /// At or above the unit's approval threshold: waits for the approver.
    pub needs_approval: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Preview {
    pub orders: Vec<PreviewOrder>,
    pub total: Fen,
    /// What the budget line has left now.
    pub available: Fen,
    /// Split-purchase warnings (category codes until localised).
    pub warnings: Vec<String>,
}
