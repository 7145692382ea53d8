//! 资质: a supplier uploads its licences and certificates (PDF, JPEG or PNG up to 10 MB,
//! told by content); only the supplier, the operator and the regulator may download them,
//! always as attachments.

use super::extract::Body;
use super::extract::Json;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::files::FileType;
use crate::state::AppState;
use crate::views;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use emall_app::model::QualificationView;
use emall_app::model::{QualificationCheck, Verdict};
use emall_app::Msg;
use emall_domain::calendar::Date;
use emall_domain::qualification::{Qualification, QualificationInput};
use emall_store::qualifications::{self, NewFile};
use sha2::{Digest, Sha256};

pub const MAX_BYTES: usize = 10 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/qualifications",
            post(upload_qualification).layer(DefaultBodyLimit::max(MAX_BYTES + 1)),
        )
        .route("/qualifications/{id}/file", get(download_qualification))
        .route("/qualifications/{id}/check", post(check_qualification))
        .route(
            "/suppliers/{id}/qualifications",
            get(supplier_qualifications),
        )
}

fn dir(state: &AppState, supplier_id: i64) -> std::path::PathBuf {
    state
        .settings
        .data_dir
        .join("qualifications")
        .join(supplier_id.to_string())
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Uploaded {
    pub id: i64,
}

/// Uploads one qualification: its description in the query, the document (PDF, JPEG or
/// PNG, at most 10 MB) as the body. A new one of a kind replaces a lapsed one, and the
/// offers the lapse suspended return to sale.
#[utoipa::path(post, path = "/api/v1/qualifications", tag = "suppliers",
    params(QualificationInput),
    request_body(content = Vec<u8>, content_type = "application/pdf", description = "PDF, JPEG or PNG bytes"),
    responses(
        (status = 201, description = "Stored", body = Uploaded),
        (status = 403, description = "Not a supplier", body = ErrorBody),
        (status = 422, description = "A bad field, or not a PDF/JPEG/PNG, or too large", body = ErrorBody),
    ))]
async fn upload_qualification(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(input): Query<QualificationInput>,
    Body(body): Body,
) -> ApiResult<(StatusCode, Json<Uploaded>)> {
    let supplier_id = viewer.supplier_id()?;
    let today = Date::of(emall_store::clock::now());
    let q = Qualification::parse(&input, today).map_err(|(field, e)| ApiError::field(field, e))?;
    if body.len() > MAX_BYTES {
        return Err(ApiError::field("file", Msg::ErrFileSize));
    }
    let kind = FileType::sniff(&body)
        .filter(|t| *t != FileType::Webp)
        .ok_or_else(|| ApiError::field("file", Msg::ErrFileType))?;
    let sha = hex::encode(Sha256::digest(&body));
    let name = format!("{}-{}.{}", q.kind.as_str(), &sha[..16], kind.ext());
    crate::files::store(&dir(&state, supplier_id), &name, &body)
        .await
        .map_err(anyhow::Error::from)?;
    let file = NewFile {
        file_name: &name,
        content_type: kind.mime(),
        size_bytes: body.len() as i64,
        sha256: &sha,
    };
    let id = qualifications::add(&state.db, supplier_id, viewer.user_id, &q, &file).await?;
    Ok((StatusCode::CREATED, Json(Uploaded { id })))
}

/// A supplier's qualifications, newest first: the supplier itself and the bureau.
#[utoipa::path(get, path = "/api/v1/suppliers/{id}/qualifications", tag = "suppliers",
    params(("id" = i64, Path, description = "Supplier id")),
    responses(
        (status = 200, description = "Qualifications", body = [QualificationView]),
        (status = 403, description = "Another supplier's", body = ErrorBody),
    ))]
async fn supplier_qualifications(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(supplier_id): Path<i64>,
) -> ApiResult<Json<Vec<QualificationView>>> {
    viewer.check_supplier(supplier_id)?;
    Ok(Json(qualifications::list(&state.db, supplier_id).await?))
}

/// The document, as an attachment that is never rendered inline: the supplier itself, the
/// operator and the regulator.
#[utoipa::path(get, path = "/api/v1/qualifications/{id}/file", tag = "suppliers",
    params(("id" = i64, Path, description = "Qualification id")),
    responses(
        (status = 200, description = "The document", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, description = "No such qualification, or another supplier's", body = ErrorBody),
    ))]
async fn download_qualification(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let (supplier_id, name) = qualifications::file_of(&state.db, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    viewer.find_own(None, Some(supplier_id))?;
    let bytes = tokio::fs::read(dir(&state, supplier_id).join(&name))
        .await
        .map_err(|_| ApiError::NotFound)?;
    let kind = FileType::sniff(&bytes).ok_or(ApiError::NotFound)?;
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind.mime()));
    let disposition = format!("attachment; filename=\"qualification-{id}.{}\"", kind.ext());
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}

/// The operator checks one document: verified, or flagged with what is wrong (the supplier
/// is told, and uploads a replacement).
#[utoipa::path(post, path = "/api/v1/qualifications/{id}/check", tag = "suppliers",
    params(("id" = i64, Path, description = "Qualification id")),
    request_body = QualificationCheck,
    responses(
        (status = 204, description = "Recorded"),
        (status = 403, description = "Not the operator", body = ErrorBody),
        (status = 404, description = "No such qualification", body = ErrorBody),
        (status = 422, description = "A flag without a reason", body = ErrorBody),
    ))]
async fn check_qualification(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Json(body): Json<QualificationCheck>,
) -> ApiResult<StatusCode> {
    let verdict = Verdict::Qualification(body.decision);
    views::decisions::decide(&state, &viewer, id, verdict, &body.note).await?;
    Ok(StatusCode::NO_CONTENT)
}
