//! The credit record and the red flags: what the finance bureau records and decides, and
//! what a supplier appeals with.

use super::*;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreditEntryBody {
    pub kind: emall_domain::credit::CreditKind,
    pub reason: String,
    /// A suspension's length in days (1–365).
    pub days: Option<i64>,
    /// The red flag this acts on.
    pub alert_id: Option<i64>,
    /// Orders it rests on.
    #[serde(default)]
    pub orders: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppealBody {
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppealDecisionBody {
    pub decision: emall_domain::credit::AppealDecision,
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Triage {
    Confirm,
    Dismiss,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TriageBody {
    pub decision: Triage,
    /// Required to dismiss.
    #[serde(default)]
    pub note: String,
}

/// 信用记录: one credit entry against a supplier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// The category's name, in Chinese and in English.
    pub category_name: Option<String>,
    pub category_name_en: Option<String>,
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// 1-based, of `pages`.
    pub page: i64,
    pub pages: i64,
    /// Alerts in the status and kind.
    pub matching: i64,
    /// For the scan form that works without script.
    pub csrf_token: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertPage {
    pub me: Me,
    pub alert: AlertView,
    pub orders: Vec<EvidenceOrder>,
    /// The suppliers the alert names, by name.
    pub suppliers: Vec<(i64, String)>,
    /// The offers the alert names: the offer, its product, the product's title and the
    /// supplier's name.
    pub offers: Vec<EvidenceOffer>,
    /// The regulator triages and records credit entries.
    pub can_triage: bool,
    /// For the triage form that works without script.
    pub csrf_token: String,
}

/// An offer named as evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvidenceOffer {
    pub offer_id: i64,
    pub product_id: i64,
    pub title: String,
    pub supplier_name: String,
}
