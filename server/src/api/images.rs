//! Product images: uploaded by the mall operator, checked by content (not by name), stored
//! under the data directory with a content-hashed name, served as immutable files.

use super::extract::Body;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorBody, Problem};
use crate::files::FileType;
use crate::state::AppState;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::Router;
use emall_app::Msg;
use emall_domain::Role;
use sha2::{Digest, Sha256};

const MAX_BYTES: usize = 2 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/products/{id}/image",
            put(upload).layer(DefaultBodyLimit::max(MAX_BYTES + 1)),
        )
        .route("/images/products/{file}", get(serve))
}

/// The image types a product may show; anything else is refused.
fn image_type(bytes: &[u8]) -> Option<FileType> {
    FileType::sniff(bytes).filter(|t| *t != FileType::Pdf)
}

/// Sets a standard product's image (PNG, JPEG or WebP, at most 2 MB). Operators only.
#[utoipa::path(put, path = "/api/v1/products/{id}/image", tag = "catalogue",
    params(("id" = i64, Path, description = "Standard product id")),
    request_body(content = Vec<u8>, content_type = "image/png", description = "PNG, JPEG or WebP bytes"),
    responses(
        (status = 204, description = "Stored"),
        (status = 403, description = "Not the operator", body = ErrorBody),
        (status = 404, description = "No such product", body = ErrorBody),
        (status = 422, description = "Not an image, more than 2 MB, or a side of more than 6,000 pixels", body = ErrorBody),
    ))]
async fn upload(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Body(body): Body,
) -> ApiResult<StatusCode> {
    viewer.require(&[Role::Operator])?;
    if body.len() > MAX_BYTES {
        return Err(ApiError::field("image", Msg::ErrImageSize));
    }
    let kind = image_type(&body).ok_or_else(|| ApiError::field("image", Msg::ErrImageType))?;
    // Its header must say how large it is, and no side may pass the bound.
    let (width, height) = kind
        .dimensions(&body)
        .ok_or_else(|| ApiError::field("image", Msg::ErrImageType))?;
    if width == 0 || height == 0 || width.max(height) > crate::files::MAX_IMAGE_SIDE {
        return Err(ApiError::field(
            "image",
            Problem::ImageSide {
                max: crate::files::MAX_IMAGE_SIDE,
            },
        ));
    }
    if emall_store::catalogue::product_detail(&state.db, id)
        .await?
        .is_none()
    {
        return Err(ApiError::NotFound);
    }
    let hash = hex::encode(&Sha256::digest(&body)[..6]);
    let name = format!("{id}-{hash}.{}", kind.ext());
    let dir = state.settings.data_dir.join("images/products");
    crate::files::store(&dir, &name, &body)
        .await
        .map_err(anyhow::Error::from)?;
    if !emall_store::catalogue::set_image(&state.db, id, &name).await? {
        return Err(ApiError::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}

async fn serve(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let safe = !file.is_empty()
        && file
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        && !file.starts_with('.');
    if !safe {
        return ApiError::NotFound.into_response();
    }
    let Ok(bytes) =
        tokio::fs::read(state.settings.data_dir.join("images/products").join(&file)).await
    else {
        return ApiError::NotFound.into_response();
    };
    let Some(kind) = image_type(&bytes) else {
        return ApiError::NotFound.into_response();
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind.mime()));
    // The name carries the content hash: it never changes.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("inline"),
    );
    response
}

#[cfg(test)]
mod tests {
    #[test]
    fn products_show_images_only() {
        assert!(super::image_type(b"\x89PNG\r\n\x1a\n....").is_some());
        assert_eq!(super::image_type(b"%PDF-1.7"), None);
    }
}
