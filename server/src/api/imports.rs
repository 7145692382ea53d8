//! 批量导入导出: a supplier's listings as CSV or XLSX, out and back in. The import is
//! previewed with every row's outcome and every error (by line and column, in the reader's
//! language), then applied all or nothing.

use super::extract::Body;
use super::extract::Json;
use crate::auth::Viewer;
use crate::error::{request_locale, ApiError, ApiResult, ErrorBody, Fields, Problem};
use crate::state::AppState;
use crate::tabular::{self, Limits};
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use emall_app::model::{ImportReport, RowErrorView};
use emall_app::Msg;
use emall_domain::registration::SupplierStatus;
use emall_store::imports::{self, RowOutcome};

const MAX_BYTES: usize = 5 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/offers/import",
            post(import_offers).layer(DefaultBodyLimit::max(MAX_BYTES)),
        )
        .route("/offers/export", get(export_offers))
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
        .is_some_and(|s| s.status == SupplierStatus::Admitted);
    if !admitted {
        return Err(ApiError::field("file", Msg::ErrImportNotAdmitted));
    }
    // Read outside any transaction, on a blocking thread, under the import's limits.
    let table = state
        .scarce
        .parsing
        .run(move || tabular::read(&body, Limits::IMPORT))
        .await?
        .map_err(|e| ApiError::field("file", e))?;
    let (rows, format_errors) = emall_domain::import::parse(&table);
    let (outcomes, refusals) = imports::run(
        &state.db,
        supplier_id,
        &rows,
        !q.dry_run && format_errors.is_empty(),
    )
    .await?;
    let mut problems: Vec<(usize, &str, Problem)> = format_errors
        .into_iter()
        .map(|(line, column, e)| (line, column, Problem::from(e)))
        .chain(
            refusals
                .into_iter()
                .map(|(line, column, r)| (line, column, Problem::from(r))),
        )
        .collect();
    problems.sort_by_key(|(line, ..)| *line);
    if !q.dry_run && !problems.is_empty() {
        let fields: Fields = problems
            .into_iter()
            .map(|(line, column, problem)| {
                let problem = Box::new(problem);
                (format!("{line}.{column}"), Problem::OnRow { line, problem })
            })
            .collect();
        return Err(ApiError::Invalid { fields });
    }
    let errors: Vec<RowErrorView> = problems
        .iter()
        .map(|(line, column, problem)| RowErrorView {
            line: *line,
            column: column.to_string(),
            message: problem.words(locale),
        })
        .collect();
    let applied = !q.dry_run;
    if applied {
        let mut products: Vec<i64> = outcomes.iter().map(|o| o.product_id).collect();
        products.dedup();
        let live = imports::live_offers(&state.db, supplier_id, &products).await?;
        crate::views::offers::check_prices(&state, live);
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
