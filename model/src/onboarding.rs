//! Supplier admission: the registration page, an application and its review, a
//! supplier's qualifications and the notices the mall sends it.

use super::*;

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
    pub staff: Option<StaffSection>,
}

/// A supplier's accounts as its owner manages them: invite a colleague (a one-time link),
/// deactivate one. Plain forms, which script sends in place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffSection {
    pub members: Vec<StaffMemberView>,
    pub csrf_token: String,
    /// The link the page's own form just made, whole, shown this once.
    pub invited: Option<String>,
    /// Why the invitation asked for was not made.
    pub refused: Option<String>,
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
    /// For the decision forms that work without script.
    pub csrf_token: String,
}

/// One of a supplier's qualifications (the document itself is downloaded separately).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeView {
    pub kind: String,
    pub details: String,
    /// RFC 3339
    pub at: String,
}

/// The supplier's application as the supplier and the operator see it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Application {
    pub supplier_id: i64,
    /// `pending`, `admitted`, `suspended`, `revoked`
    pub status: String,
    /// `submitted`, `changes_requested`, `rejected`, `admitted`
    pub review_state: String,
    /// The operator's reason for a rejection or a request for changes.
    pub review_reason: String,
    pub company: emall_domain::registration::CompanyInput,
    /// RFC 3339
    pub submitted_at: Option<String>,
}
