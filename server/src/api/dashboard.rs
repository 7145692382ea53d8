//! 一屏管交易: the dashboard's figures as JSON, every table as CSV or XLSX, and a refresh of
//! the pre-aggregated figures on demand. The operator and the regulator.

use super::extract::Json;
use crate::auth::Viewer;
use crate::error::{request_locale, ApiError, ApiResult, ErrorBody};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use emall_app::model::{Dashboard, DashboardFilter, DashboardTable, Figures, Slice};
use emall_app::{Locale, Msg};
use emall_domain::Role;
use emall_store::dashboard::{self, Breakdowns, Scope};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboard", get(get_dashboard))
        .route("/dashboard/export", get(export_dashboard))
        .route("/dashboard/refresh", post(refresh_dashboard))
}

const BUREAU: [Role; 2] = [Role::Operator, Role::Regulator];

fn scope(filter: &DashboardFilter) -> ApiResult<Scope> {
    Ok(Scope::parse(filter, emall_store::clock::now())?)
}

/// The dashboard: totals, monthly trend, breakdowns (first 15 of each), concentration,
/// late payments, as of the last refresh.
#[utoipa::path(get, path = "/api/v1/dashboard", tag = "monitoring", params(DashboardFilter),
    responses((status = 200, description = "The figures", body = Dashboard),
        (status = 403, description = "Not the bureau", body = ErrorBody),
        (status = 422, description = "A bad month or code", body = ErrorBody)))]
async fn get_dashboard(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(filter): Query<DashboardFilter>,
) -> ApiResult<Json<Dashboard>> {
    viewer.require(&BUREAU)?;
    let scope = scope(&filter)?;
    let en = request_locale() == Locale::En;
    Ok(Json(dashboard::load(&state.db, &scope, en).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ExportQuery {
    /// `indicators`, `monthly`, `categories`, `units`, `suppliers` or `late_payments`
    pub table: String,
    /// `csv` (default) or `xlsx`
    pub format: Option<String>,
    /// `en` for English column names (default: the request's language)
    pub lang: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub city: Option<String>,
    pub district: Option<String>,
    pub category: Option<String>,
    pub unit: Option<i64>,
}

/// One of the dashboard's tables in full, as CSV (UTF-8 with BOM) or XLSX.
#[utoipa::path(get, path = "/api/v1/dashboard/export", tag = "monitoring", params(ExportQuery),
    responses((status = 200, description = "The file", content_type = "text/csv", body = Vec<u8>),
        (status = 403, description = "Not the bureau", body = ErrorBody),
        (status = 422, description = "Unknown table, bad month or code", body = ErrorBody)))]
async fn export_dashboard(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ExportQuery>,
) -> ApiResult<Response> {
    viewer.require(&BUREAU)?;
    let locale = match q.lang.as_deref() {
        Some("en") => Locale::En,
        Some(_) => Locale::ZhCn,
        None => request_locale(),
    };
    let table =
        DashboardTable::parse(&q.table).ok_or_else(|| ApiError::field("table", Msg::ErrInvalid))?;
    let filter = DashboardFilter {
        from: q.from.unwrap_or_default(),
        to: q.to.unwrap_or_default(),
        city: q.city.unwrap_or_default(),
        district: q.district.unwrap_or_default(),
        category: q.category.unwrap_or_default(),
        unit: q.unit,
    };
    let scope = scope(&filter)?;
    let b = dashboard::breakdowns(&state.db, &scope).await?;
    let rows = rows(&b, &scope, table, locale);
    let name = format!("dashboard-{}-{}-{}", table.as_str(), scope.from, scope.to);
    crate::tabular::download(&rows, q.format.as_deref(), &name)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Refreshed {
    /// Months rebuilt from changed orders.
    pub months: usize,
    /// RFC 3339
    pub as_of: String,
}

/// Folds every order changed since the last refresh into the figures now (the timer does
/// it every minute).
#[utoipa::path(post, path = "/api/v1/dashboard/refresh", tag = "monitoring",
    responses((status = 200, description = "Refreshed", body = Refreshed),
        (status = 403, description = "Not the bureau", body = ErrorBody)))]
async fn refresh_dashboard(
    State(state): State<AppState>,
    viewer: Viewer,
) -> ApiResult<Json<Refreshed>> {
    viewer.require(&BUREAU)?;
    let now = emall_store::clock::now();
    let months = dashboard::refresh(&state.db, now).await?;
    Ok(Json(Refreshed {
        months,
        as_of: emall_store::clock::rfc3339(now),
    }))
}

fn rate(part: i64, whole: i64) -> String {
    if whole == 0 {
        return String::new();
    }
    let bp = emall_domain::concentration::share_bp(part, whole);
    format!("{}.{:02}", bp / 100, bp % 100)
}

/// A table of the export: a header row in `locale`, then the data; money in yuan with two
/// decimals and rates in percent, as plain numbers a spreadsheet can sum.
pub fn rows(
    b: &Breakdowns,
    scope: &Scope,
    table: DashboardTable,
    locale: Locale,
) -> Vec<Vec<String>> {
    let t = |m: Msg| locale.t(m).to_string();
    let yuan = |f: emall_domain::Fen| f.to_plain_yuan();
    let name = |s: &Slice| s.name_in(locale).to_string();
    let slice_header = |first: Msg| {
        vec![
            "id".to_string(),
            t(first),
            t(Msg::DashOrders),
            t(Msg::DashSpend),
            format!("{} %", t(Msg::DashShare)),
            t(Msg::ReferencePrice),
            t(Msg::DashSavings),
            format!("{} %", t(Msg::DashOnTime)),
            format!("{} %", t(Msg::DashPassRate)),
            t(Msg::DashOverdue),
            t(Msg::DashPaidLate),
        ]
    };
    let slice_row = |s: &Slice| {
        let f = &s.figures;
        vec![
            s.key.clone(),
            name(s),
            f.orders.to_string(),
            yuan(f.amount),
            rate(s.share_bp, 10_000),
            yuan(f.reference),
            yuan(f.savings()),
            rate(f.delivered_on_time, f.delivered),
            rate(f.inspection_passed, f.inspected),
            f.overdue.to_string(),
            f.paid_late.to_string(),
        ]
    };
    let slices = |first: Msg, list: &[Slice], sme: bool| {
        let mut header = slice_header(first);
        if sme {
            header.push(t(Msg::DashSme));
        }
        let mut out = vec![header];
        out.extend(list.iter().map(|s| {
            let mut row = slice_row(s);
            if sme {
                row.push(if s.sme { "1" } else { "0" }.to_string());
            }
            row
        }));
        out
    };
    match table {
        DashboardTable::Monthly => {
            let mut out = vec![vec![
                t(Msg::DashMonth),
                t(Msg::DashOrders),
                t(Msg::DashSpend),
            ]];
            out.extend(
                dashboard::fill_months(scope, b.monthly.clone())
                    .into_iter()
                    .map(|m| vec![m.month, m.orders.to_string(), yuan(m.amount)]),
            );
            out
        }
        DashboardTable::Categories => slices(Msg::DashCategory, &b.by_category, false),
        DashboardTable::Units => slices(Msg::DashUnit, &b.by_unit, false),
        DashboardTable::Suppliers => slices(Msg::Supplier, &b.by_supplier, true),
        DashboardTable::LatePayments => {
            let mut out = vec![vec![
                "id".to_string(),
                t(Msg::DashUnit),
                t(Msg::DashOverdue),
                t(Msg::DashOverdueAmount),
                t(Msg::DashPaidLate),
                t(Msg::DashOrders),
            ]];
            out.extend(b.late_payments.iter().map(|s| {
                vec![
                    s.key.clone(),
                    name(s),
                    s.figures.overdue.to_string(),
                    yuan(s.figures.overdue_amount),
                    s.figures.paid_late.to_string(),
                    s.figures.orders.to_string(),
                ]
            }));
            out
        }
        DashboardTable::Indicators => indicator_rows(&b.totals, b, locale),
    }
}

fn indicator_rows(f: &Figures, b: &Breakdowns, locale: Locale) -> Vec<Vec<String>> {
    let t = |m: Msg| locale.t(m).to_string();
    let yuan = |f: emall_domain::Fen| f.to_plain_yuan();
    let pct = |part: i64, whole: i64| rate(part, whole);
    vec![
        vec![t(Msg::DashIndicators), t(Msg::DashValue)],
        vec![t(Msg::DashSpend), yuan(f.amount)],
        vec![t(Msg::DashOrders), f.orders.to_string()],
        vec![
            format!("{} %", t(Msg::SmeShare)),
            pct(f.sme_amount.get(), f.amount.get()),
        ],
        vec![t(Msg::ReferencePrice), yuan(f.reference)],
        vec![t(Msg::DashSavings), yuan(f.savings())],
        vec![t(Msg::DashPoolSavings), yuan(f.pool_savings())],
        vec![t(Msg::PolicyEnergy), yuan(f.energy)],
        vec![t(Msg::PolicyEnvironment), yuan(f.environmental)],
        vec![t(Msg::PolicyPoverty), yuan(f.poverty)],
        vec![
            format!("{} %", t(Msg::DashOnTime)),
            pct(f.delivered_on_time, f.delivered),
        ],
        vec![
            format!("{} %", t(Msg::DashPassRate)),
            pct(f.inspection_passed, f.inspected),
        ],
        vec![
            t(Msg::DashConfirmTime),
            f.confirm_hours()
                .map(|h| format!("{h:.1}"))
                .unwrap_or_default(),
        ],
        vec![t(Msg::DashOverdue), f.overdue.to_string()],
        vec![t(Msg::DashOverdueAmount), yuan(f.overdue_amount)],
        vec![t(Msg::DashPaidLate), f.paid_late.to_string()],
        vec![
            t(Msg::DashSuppliersActive),
            b.concentration.suppliers.to_string(),
        ],
        vec![
            format!("{} %", t(Msg::DashTop5)),
            rate(b.concentration.top5_bp, 10_000),
        ],
        vec![t(Msg::DashHhi), b.concentration.hhi.to_string()],
    ]
}
