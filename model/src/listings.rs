//! A supplier's listings and its account's tools: offers, the operator's review of them,
//! bulk imports, API tokens, staff invitations and the check of a qualification document.

use super::*;
use std::collections::BTreeMap;

/// A new listing of a standard product.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OfferCreate {
    pub product_id: i64,
    /// Unit price in fen; one price for every buyer in the offer's cities.
    pub price_fen: i64,
    pub stock: i64,
    pub delivery_days: i64,
    /// City codes, each one the supplier serves.
    pub cities: Vec<String>,
    /// The unit of sale, if the supplier states it (checked against the product's).
    pub unit: Option<String>,
}

/// A supplier's change to its own listing. Omitted fields stay as they are.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OfferUpdate {
    /// New unit price in fen (integer); the same for every buyer in the offer's cities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_fen: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_days: Option<i64>,
    /// `on_sale` or `off_sale`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Replaces the volume tiers (an empty list removes them): quantities from 2 up,
    /// prices below `price_fen` and falling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tiers: Option<Vec<emall_domain::Tier>>,
    /// Why the price changed (required with `price_fen`; kept in the price history).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewDecision {
    pub decision: OfferReviewDecision,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewToken {
    /// What it is for, e.g. "ERP price sync" (1–60 characters).
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invitation {
    /// The colleague's name as it will appear in order histories.
    pub display_name: String,
}

#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Acceptance {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QualificationCheck {
    pub decision: Check,
    /// Required to flag; shown to the supplier.
    #[serde(default)]
    pub note: String,
}

/// The operator's decision on a listing held for review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OfferReviewDecision {
    Approve,
    Reject,
}

/// The operator's check of one qualification document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Check {
    Verify,
    /// Wrong, illegible or not matching the application: the supplier is told why.
    Flag,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowErrorView {
    pub line: usize,
    pub column: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// Rows read (without the header and empty rows).
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    /// New offers or new prices held for the operator by a listing check.
    pub held: usize,
    pub outcomes: Vec<RowOutcome>,
    pub errors: Vec<RowErrorView>,
    /// Whether the rows were written (never when there are errors, never in a preview).
    pub applied: bool,
}

/// What one row did (or would do).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowOutcome {
    pub line: usize,
    pub product_id: i64,
    pub title: String,
    /// `created` or `updated`
    pub action: String,
    /// `on_sale`, `in_review` (a new offer held by a check), or `price_held` (an update
    /// whose new price waits for the operator)
    pub status: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedToken {
    pub id: i64,
    pub name: String,
    /// The secret, shown this once: send it as `Authorization: Bearer <token>`. It reaches
    /// the supplier's listings (create, change, import, export) and the catalogue.
    pub token: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationLink {
    /// Send this link to the colleague (valid 7 days, once).
    pub link: String,
    /// RFC 3339
    pub expires_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferCreated {
    pub id: i64,
    pub product_id: i64,
    /// On sale, or in review when a check held it back.
    pub status: emall_domain::listing::OfferStatus,
    pub flags: Vec<emall_domain::listing::Flag>,
}

/// A supplier's API token, without its secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    pub csrf_token: String,
    /// The offer just changed from its plain form, and what became of it.
    pub edited: Option<Edited>,
    pub q: String,
    /// `""` for all, else an offer status.
    pub status: String,
    pub offers: Vec<OfferRow>,
    pub total: i64,
    /// 1-based, of `pages` (50 offers a page).
    pub page: i64,
    pub pages: i64,
    pub reviews: Vec<ListingReview>,
    pub tokens: Vec<ApiTokenView>,
    /// A token just created by the page's plain form: its secret, shown this once.
    pub new_token: Option<String>,
    /// Why the token asked for was not created.
    pub token_error: Option<String>,
    /// 新增挂牌 as the page's plain forms left it.
    pub add: AddOfferState,
    /// A product proposal the page's plain form sent and the rules refused: its fields as
    /// typed and each field's fault.
    pub proposal_refused: Option<(
        emall_domain::proposal::ProposalInput,
        BTreeMap<String, String>,
    )>,
    /// The cities the supplier serves (for new offers).
    pub cities: Vec<CityOption>,
    /// The supplier's product proposals, newest first.
    pub proposals: Vec<ProposalView>,
    /// Leaf categories, for a proposal.
    pub categories: Vec<CategoryOption>,
}

/// 新增标准商品: a supplier's proposal and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryOption {
    pub code: String,
    pub name: String,
}

/// 新增挂牌 without script: the product search as typed (`find`) and what it found (`None`
/// before a search), the product chosen, and a refused listing's numbers as typed with why.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AddOfferState {
    pub find: String,
    pub found: Option<Vec<ProductPick>>,
    pub chosen: Option<ProductPick>,
    /// Price (yuan), stock and delivery days as typed.
    pub typed: Option<(String, String, String)>,
    /// Why the listing was refused.
    pub refused: Option<String>,
}

/// The operator's listing review queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListingQueuePage {
    pub me: Me,
    pub reviews: Vec<ListingReview>,
    /// Product proposals waiting for a decision.
    pub proposals: Vec<ProposalView>,
    /// Per proposal (by id), the catalogue's products it may be the same as (its brand and
    /// model, else its brand), each a button to merge into.
    pub merge_candidates: Vec<(i64, Vec<ProductPick>)>,
    pub can_decide: bool,
    /// For the decision forms that work without script.
    pub csrf_token: String,
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffMemberView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub is_owner: bool,
    pub active: bool,
}

/// What became of a change sent from an offer's plain form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edited {
    pub offer_id: i64,
    pub ok: bool,
    /// In the page's language.
    pub said: String,
}

/// An offer's edit form on the listings page, as typed: the numbers, or (a button of its
/// own) a new sale status.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OfferForm {
    /// Yuan (`12.50`).
    pub price: String,
    /// The price the form was shown with, in yuan: the price is sent only when it changed.
    pub was: String,
    pub stock: String,
    pub delivery_days: String,
    pub reason: String,
    /// `on_sale` or `off_sale` from the sale button; empty from the save button.
    pub status: String,
}

impl OfferForm {
    /// The change the form asks for. A box that does not read is said, never skipped
    /// while the rest is saved.
    pub fn to_update(&self) -> Result<OfferUpdate, crate::Msg> {
        use crate::Msg;
        use emall_domain::Fen;
        if !self.status.trim().is_empty() {
            return Ok(OfferUpdate {
                price_fen: None,
                stock: None,
                delivery_days: None,
                status: Some(self.status.trim().to_string()),
                tiers: None,
                reason: None,
            });
        }
        let price = Fen::parse_yuan(&self.price).map_err(|_| Msg::InvalidPrice)?;
        let stock = self
            .stock
            .trim()
            .parse::<i64>()
            .map_err(|_| Msg::ErrStockNumber)?;
        let days = self
            .delivery_days
            .trim()
            .parse::<i64>()
            .map_err(|_| Msg::ErrDeliveryDays)?;
        let repriced = Some(price).filter(|p| Fen::parse_yuan(&self.was).ok() != Some(*p));
        Ok(OfferUpdate {
            price_fen: repriced.map(Fen::get),
            stock: Some(stock),
            delivery_days: Some(days),
            status: None,
            tiers: None,
            reason: repriced.map(|_| self.reason.clone()),
        })
    }
}
