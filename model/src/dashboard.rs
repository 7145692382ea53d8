//! 一屏管交易: the finance bureau's and the operator's dashboard, as the console page and
//! `GET /api/v1/dashboard` show it.

use super::{CityOption, Me, MonthAmount, SupplierQueueRow};
use emall_domain::concentration::{share_bp, Concentration};
use emall_domain::Fen;
use serde::{Deserialize, Serialize};

/// What the dashboard is narrowed to. Empty strings mean "all".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct DashboardFilter {
    /// First month, `YYYY-MM` (default: eleven months before `to`)
    #[serde(default)]
    pub from: String,
    /// Last month, `YYYY-MM` (default: this month)
    #[serde(default)]
    pub to: String,
    /// City code (GB/T 2260) of the purchasing units
    #[serde(default)]
    pub city: String,
    /// District code of the purchasing units
    #[serde(default)]
    pub district: String,
    /// Category code; its subcategories are included
    #[serde(default)]
    pub category: String,
    /// One purchasing unit
    #[serde(default)]
    pub unit: Option<i64>,
}

/// Contract figures over a slice of the mall: orders placed and not cancelled, rejected or
/// waiting for approval.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Figures {
    pub orders: i64,
    pub amount: Fen,
    /// The same quantities at the products' reference market prices.
    pub reference: Fen,
    /// Won by small and medium-sized enterprises (and micro).
    pub sme_amount: Fen,
    /// Bought at joint-purchase (pool) prices, and their reference value.
    pub pool_amount: Fen,
    pub pool_reference: Fen,
    /// Policy products: energy-saving, environmental, from poverty-alleviation areas.
    pub energy: Fen,
    pub environmental: Fen,
    pub poverty: Fen,
    pub delivered: i64,
    pub delivered_on_time: i64,
    pub inspected: i64,
    pub inspection_passed: i64,
    pub confirmed: i64,
    /// Sum over confirmed orders of the time from placement to confirmation.
    pub confirm_secs: i64,
    pub paid: i64,
    /// Paid more than the payment term after acceptance.
    pub paid_late: i64,
    /// Past the payment term and still unpaid.
    pub overdue: i64,
    pub overdue_amount: Fen,
}

impl Figures {
    /// Money saved against the reference prices.
    pub fn savings(&self) -> Fen {
        Fen(self.reference.get() - self.amount.get())
    }
    pub fn pool_savings(&self) -> Fen {
        Fen(self.pool_reference.get() - self.pool_amount.get())
    }
    pub fn savings_bp(&self) -> i64 {
        share_bp(self.savings().get(), self.reference.get())
    }
    pub fn sme_bp(&self) -> i64 {
        share_bp(self.sme_amount.get(), self.amount.get())
    }
    pub fn on_time_bp(&self) -> Option<i64> {
        (self.delivered > 0).then(|| share_bp(self.delivered_on_time, self.delivered))
    }
    pub fn pass_bp(&self) -> Option<i64> {
        (self.inspected > 0).then(|| share_bp(self.inspection_passed, self.inspected))
    }
    /// Average hours from placement to the supplier's confirmation, one decimal.
    pub fn confirm_hours(&self) -> Option<f64> {
        (self.confirmed > 0)
            .then(|| (self.confirm_secs as f64 / self.confirmed as f64 / 360.0).round() / 10.0)
    }

    /// Adds another slice's figures to these.
    pub fn add(&mut self, o: &Figures) {
        let fen = |a: &mut Fen, b: Fen| *a = Fen(a.get() + b.get());
        self.orders += o.orders;
        fen(&mut self.amount, o.amount);
        fen(&mut self.reference, o.reference);
        fen(&mut self.sme_amount, o.sme_amount);
        fen(&mut self.pool_amount, o.pool_amount);
        fen(&mut self.pool_reference, o.pool_reference);
        fen(&mut self.energy, o.energy);
        fen(&mut self.environmental, o.environmental);
        fen(&mut self.poverty, o.poverty);
        self.delivered += o.delivered;
        self.delivered_on_time += o.delivered_on_time;
        self.inspected += o.inspected;
        self.inspection_passed += o.inspection_passed;
        self.confirmed += o.confirmed;
        self.confirm_secs += o.confirm_secs;
        self.paid += o.paid;
        self.paid_late += o.paid_late;
        self.overdue += o.overdue;
        fen(&mut self.overdue_amount, o.overdue_amount);
    }
}

/// One line of a breakdown (a category, a unit or a supplier) with its figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Slice {
    /// Category code, unit id or supplier id.
    pub key: String,
    pub name: String,
    /// May be empty: then the Chinese name serves.
    pub name_en: String,
    /// Share of the filtered contract value, basis points.
    pub share_bp: i64,
    /// Suppliers: an SME.
    pub sme: bool,
    pub figures: Figures,
}

impl Slice {
    /// The name in `locale`: the English one when there is one.
    pub fn name_in(&self, locale: crate::i18n::Locale) -> &str {
        if locale == crate::i18n::Locale::En && !self.name_en.is_empty() {
            &self.name_en
        } else {
            &self.name
        }
    }
}

/// A select list's choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dashboard {
    /// The filter as applied (defaults filled in).
    pub filter: DashboardFilter,
    pub totals: Figures,
    pub monthly: Vec<MonthAmount>,
    pub by_category: Vec<Slice>,
    pub by_unit: Vec<Slice>,
    pub by_supplier: Vec<Slice>,
    /// Over every supplier in the filter, not only the listed ones.
    pub concentration: Concentration,
    /// Units with payments late or overdue, the most overdue first.
    pub late_payments: Vec<Slice>,
    /// RFC 3339: the figures include every change up to this moment.
    pub as_of: String,
    pub cities: Vec<CityOption>,
    pub districts: Vec<CityOption>,
    pub categories: Vec<Choice>,
    pub units: Vec<Choice>,
}

/// The tables of the dashboard, each exportable as CSV or XLSX.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DashboardTable {
    Monthly,
    Categories,
    Units,
    Suppliers,
    LatePayments,
    Indicators,
}

impl DashboardTable {
    pub const ALL: [DashboardTable; 6] = [
        DashboardTable::Indicators,
        DashboardTable::Monthly,
        DashboardTable::Categories,
        DashboardTable::Units,
        DashboardTable::Suppliers,
        DashboardTable::LatePayments,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            DashboardTable::Monthly => "monthly",
            DashboardTable::Categories => "categories",
            DashboardTable::Units => "units",
            DashboardTable::Suppliers => "suppliers",
            DashboardTable::LatePayments => "late_payments",
            DashboardTable::Indicators => "indicators",
        }
    }
    pub fn parse(s: &str) -> Option<DashboardTable> {
        DashboardTable::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// The operator's and regulator's console.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsolePage {
    pub me: Me,
    pub dashboard: Dashboard,
    pub supplier_queue: Vec<SupplierQueueRow>,
    /// Years without a working-day calendar, if any.
    pub calendar: super::CalendarNotice,
    /// What of the asked filter could not be used (the dashboard shows the rest).
    pub filter_notes: Vec<FilterNote>,
}

/// A part of the console's filter left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FilterNote {
    /// A month not written `YYYY-MM`: the last twelve months are shown.
    Month,
    /// The first month after the last: the last twelve months are shown.
    MonthOrder,
    /// More months than one query covers: the last twelve months are shown.
    MonthSpan { max: i64 },
    /// A code or choice that names nothing of its kind (`city`, `district`, `category`,
    /// `unit`): every one is shown.
    Ignored { field: String },
}
