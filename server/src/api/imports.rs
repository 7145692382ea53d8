//! 批量导入导出: a supplier's listings as CSV or XLSX, out and back in. The import is
//! previewed with every row's outcome and every error (by line and column, in the reader's
//! language), then applied all or nothing.

use super::extract::Body;
use super::extract::Json;
use crate::auth::Viewer;
use crate::error::{request_locale, ApiError, ApiResult, ErrorBody};
use crate::state::AppState;
use crate::tabular::{self, Limits, TableError};
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use emall_app::model::{ImportReport, RowErrorView};
use emall_app::{Locale, Msg};
use emall_domain::import::RowError;
use emall_store::imports::{self, RowOutcome, RowRefusal};
use std::collections::BTreeMap;

const MAX_BYTES: usize = 5 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/offers/import",
            post(import_offers).layer(DefaultBodyLimit::max(MAX_BYTES)),
        )
        .route("/offers/export", get(export_offers))
}

/// Why a file was not read, naming the limit it broke.
fn file_message(locale: Locale, e: TableError) -> String {
    let (msg, max): (Msg, u64) = match e {
        TableError::Unreadable => return locale.t(Msg::ErrImportFile).to_string(),
        TableError::Rows(n) => (Msg::ErrFileRows, n as u64),
        TableError::Columns(n) => (Msg::ErrFileColumns, n as u64),
        TableError::CellChars(n) => (Msg::ErrFileCellChars, n as u64),
        TableError::TextChars(n) => (Msg::ErrFileTextChars, n as u64),
        TableError::Entries(n) => (Msg::ErrFileEntries, n as u64),
        TableError::Inflated(bytes) => (Msg::ErrFileInflated, bytes / (1024 * 1024)),
        TableError::Ratio(n) => (Msg::ErrFileRatio, n),
    };
    locale.fill(msg, &[("max", &max)])
}

fn format_message(locale: Locale, e: RowError) -> String {
    locale
        .t(match e {
            RowError::Product => Msg::ErrRowProduct,
            RowError::Price => Msg::InvalidPrice,
            RowError::Stock => Msg::ErrPositive,
            RowError::DeliveryDays => Msg::ErrDeliveryDays,
            RowError::Cities => Msg::ErrCities,
            RowError::Header => Msg::ErrImportHeader,
        })
        .to_string()
}

fn refusal_message(locale: Locale, r: &RowRefusal) -> String {
    match r {
        RowRefusal::UnknownProduct => locale.t(Msg::ErrNoProduct).to_string(),
        RowRefusal::DuplicateInFile(first) => locale
            .t(Msg::ErrRowDuplicate)
            .replace("{line}", &first.to_string()),
        RowRefusal::UnknownCity(c) => format!("{} {c}", locale.t(Msg::ErrCity)),
        RowRefusal::CityNotServed(c) => format!("{} {c}", locale.t(Msg::ErrCityNotServed)),
        RowRefusal::BadTiers => locale.t(Msg::ErrTiers).to_string(),
        RowRefusal::NotAdmitted => locale.t(Msg::ErrForbidden).to_string(),
    }
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct ImportQuery {
    /// `true`: report what would happen and write nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// Imports listings from a CSV (UTF-8 or GBK) or XLSX file sent as the body; columns as
/// the export writes them (商品编号 or 品牌+型号, 单价（元）, 库存, 送达天数, 供货城市, …).
/// Each row creates an offer or changes the existing one through the listing checks. With
/// `dry_run=true` it reports; otherwise it applies all rows or, if any row is wrong, none
/// (422 naming each line and column).
#[utoipa::path(post, path = "/api/v1/offers/import", tag = "suppliers", params(ImportQuery),
    request_body(content = Vec<u8>, content_type = "text/csv", description = "CSV or XLSX bytes"),
    responses(
        (status = 200, description = "The report (a preview, or the rows applied)", body = ImportReport),
        (status = 403, description = "Not a supplier", body = ErrorBody),
        (status = 413, description = "Larger than 5 MB", body = ErrorBody),
        (status = 422, description = "A supplier not yet admitted; an unreadable file or one beyond the limits (named in the message); or rows with errors (nothing written)", body = ErrorBody),
        (status = 503, description = "Too many files being read at once: try again", body = ErrorBody),
    ))]
async fn import_offers(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ImportQuery>,
    Body(body): Body,
) -> ApiResult<Json<ImportReport>> {
    let supplier_id = viewer.supplier_id()?;
    let locale = request_locale();
    let admitted = emall_store::suppliers::summary(&state.db, supplier_id)
        .await?
        .is_some_and(|s| s.status == "admitted");
    if !admitted {
        return Err(ApiError::field("file", locale.t(Msg::ErrImportNotAdmitted)));
    }
    // Read outside any transaction, on a blocking thread, under the import's limits.
    let table = state
        .scarce
        .parsing
        .run(move || tabular::read(&body, Limits::IMPORT))
        .await?
        .map_err(|e| ApiError::field("file", file_message(locale, e)))?;
    let (rows, format_errors) = emall_domain::import::parse(&table);
    let (outcomes, refusals) = imports::run(
        &state.db,
        supplier_id,
        &rows,
        !q.dry_run && format_errors.is_empty(),
    )
    .await?;
    let mut errors: Vec<RowErrorView> = format_errors
        .into_iter()
        .map(|(line, column, e)| RowErrorView {
            line,
            column: column.to_string(),
            message: format_message(locale, e),
        })
        .chain(refusals.iter().map(|(line, column, r)| RowErrorView {
            line: *line,
            column: column.to_string(),
            message: refusal_message(locale, r),
        }))
        .collect();
    errors.sort_by_key(|e| e.line);
    if !q.dry_run && !errors.is_empty() {
        let mut fields = BTreeMap::new();
        for e in &errors {
            fields
                .entry(format!("{}.{}", e.line, e.column))
                .or_insert_with(|| {
                    format!(
                        "{}: {}",
                        locale
                            .t(Msg::RowLabel)
                            .replace("{line}", &e.line.to_string()),
                        e.message
                    )
                });
        }
        return Err(ApiError::Invalid { fields });
    }
    let applied = !q.dry_run;
    if applied {
        let mut products: Vec<i64> = outcomes.iter().map(|o| o.product_id).collect();
        products.dedup();
        let live = imports::live_offers(&state.db, supplier_id, &products).await?;
        super::offers::check_prices(&state, live);
    }
    let count = |f: &dyn Fn(&RowOutcome) -> bool| outcomes.iter().filter(|o| f(o)).count();
    Ok(Json(ImportReport {
        rows: rows.len() + errors.len(),
        created: count(&|o| o.action == "created"),
        updated: count(&|o| o.action == "updated"),
        held: count(&|o| o.status != "on_sale"),
        outcomes,
        errors,
        applied,
    }))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct ExportQuery {
    /// `csv` (default) or `xlsx`
    pub format: Option<String>,
}

/// The supplier's listings in the import's columns, as CSV (UTF-8 with BOM) or XLSX.
#[utoipa::path(get, path = "/api/v1/offers/export", tag = "suppliers", params(ExportQuery),
    responses(
        (status = 200, description = "The file", content_type = "text/csv", body = Vec<u8>),
        (status = 403, description = "Not a supplier", body = ErrorBody),
    ))]
async fn export_offers(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ExportQuery>,
) -> ApiResult<Response> {
    let supplier_id = viewer.supplier_id()?;
    let table = imports::export(&state.db, supplier_id).await?;
    crate::tabular::download(&table, q.format.as_deref(), "offers")
}
