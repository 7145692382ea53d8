//! Product images: uploaded by the mall operator, checked by content (not by name), stored
//! under the data directory with a content-hashed name, served as immutable files.

use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;
use axum::body::Bytes;
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

/// The image type by its first bytes; anything else is refused.
pub fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("png", "image/png"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("jpg", "image/jpeg"))
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(("webp", "image/webp"))
    } else {
        None
    }
}

/// Sets a standard product's image (PNG, JPEG or WebP, at most 2 MB). Operators only.
#[utoipa::path(put, path = "/api/v1/products/{id}/image", tag = "catalogue",
    params(("id" = i64, Path, description = "Standard product id")),
    request_body(content = Vec<u8>, content_type = "image/png", description = "PNG, JPEG or WebP bytes"),
    responses(
        (status = 204, description = "Stored"),
        (status = 403, description = "Not the operator", body = ErrorBody),
        (status = 404, description = "No such product", body = ErrorBody),
        (status = 422, description = "Not an image, or too large", body = ErrorBody),
    ))]
async fn upload(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    body: Bytes,
) -> ApiResult<StatusCode> {
    viewer.require(&[Role::Operator])?;
    let locale = crate::error::request_locale();
    if body.len() > MAX_BYTES {
        return Err(ApiError::field("image", locale.t(Msg::ErrImageSize)));
    }
    let (ext, _) =
        sniff(&body).ok_or_else(|| ApiError::field("image", locale.t(Msg::ErrImageType)))?;
    if crate::store::catalogue::product_detail(&state.db, id)
        .await?
        .is_none()
    {
        return Err(ApiError::NotFound);
    }
    let hash = hex::encode(&Sha256::digest(&body)[..6]);
    let name = format!("{id}-{hash}.{ext}");
    let dir = state.settings.data_dir.join("images/products");
    let (tmp, path) = (dir.join(format!(".{name}.tmp")), dir.join(&name));
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(anyhow::Error::from)?;
    // Written whole, then renamed: a reader never sees half a file.
    tokio::fs::write(&tmp, &body)
        .await
        .map_err(anyhow::Error::from)?;
    tokio::fs::rename(&tmp, &path)
        .await
        .map_err(anyhow::Error::from)?;
    sqlx::query("UPDATE products SET image = $1 WHERE id = $2")
        .bind(&name)
        .bind(id)
        .execute(state.db.pool())
        .await?;
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
    let Some((_, mime)) = sniff(&bytes) else {
        return ApiError::NotFound.into_response();
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
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
    fn sniffs_by_content() {
        assert_eq!(
            super::sniff(b"\x89PNG\r\n\x1a\n....").map(|s| s.0),
            Some("png")
        );
        assert_eq!(
            super::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]).map(|s| s.0),
            Some("jpg")
        );
        assert_eq!(
            super::sniff(b"RIFF\0\0\0\0WEBPVP8 ").map(|s| s.0),
            Some("webp")
        );
        assert_eq!(super::sniff(b"<svg onload=alert(1)>"), None);
        assert_eq!(super::sniff(b"GIF89a"), None);
    }
}
