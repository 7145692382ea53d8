//! The API's request extractors: axum's, with every rejection turned into the API's own
//! error (JSON, in the request's language, with a status the OpenAPI document lists).
//! `Json` also answers, so a handler's `Json<T>` in and out is this one type.
//!
//! A JSON body is bounded before any handler sees it: no text in it may be longer than
//! [`MAX_TEXT_CHARS`] (a field may set a tighter limit of its own), so no request can store
//! an unbounded string anywhere.

use crate::error::{ApiError, Problem};
use axum::extract::rejection::{BytesRejection, JsonRejection};
use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A JSON body in, or a JSON answer out.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(ApiError::UnsupportedMediaType);
        }
        let Body(bytes) = Body::from_request(req, state).await?;
        let value: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| ApiError::BadBody(body_detail(&e)))?;
        if let Some(field) = overlong_text(&value, "") {
            return Err(ApiError::field(
                &field,
                Problem::TooLong {
                    max: MAX_TEXT_CHARS,
                },
            ));
        }
        // Read again as `T` from the bytes, so a wrong field is named with its path.
        axum::Json::<T>::from_bytes(&bytes)
            .map(|axum::Json(value)| Json(value))
            .map_err(json_rejection)
    }
}

/// `application/json` or any `…+json`, as axum's own `Json` accepts.
fn is_json(headers: &http::HeaderMap) -> bool {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .is_some_and(|v| {
            v == "application/json" || (v.starts_with("application/") && v.ends_with("+json"))
        })
}

/// The longest text any JSON field may carry.
pub const MAX_TEXT_CHARS: usize = 2_000;

/// The path of the first text in `value` longer than [`MAX_TEXT_CHARS`] (`reason`,
/// `tiers.2.note`), if any.
fn overlong_text(value: &serde_json::Value, path: &str) -> Option<String> {
    use serde_json::Value;
    let child = |key: &dyn std::fmt::Display| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        Value::String(s) if s.chars().count() > MAX_TEXT_CHARS => Some(if path.is_empty() {
            "body".to_string()
        } else {
            path.to_string()
        }),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| overlong_text(v, &child(&i))),
        Value::Object(fields) => fields.iter().find_map(|(k, v)| {
            if k.chars().count() > MAX_TEXT_CHARS {
                return Some(child(&"key"));
            }
            overlong_text(v, &child(k))
        }),
        _ => None,
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// A raw body (an uploaded file).
pub struct Body(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::body::Bytes::from_request(req, state)
            .await
            .map(Body)
            .map_err(bytes_rejection)
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    match rejection {
        // The JSON is well formed but not what the operation takes: a field missing or of
        // the wrong type. serde's words name the field and the place.
        JsonRejection::JsonDataError(e) => ApiError::BadBody(body_detail(&e)),
        JsonRejection::JsonSyntaxError(e) => ApiError::BadBody(body_detail(&e)),
        JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType,
        JsonRejection::BytesRejection(e) => bytes_rejection(e),
        _ => ApiError::BadBody(String::new()),
    }
}

fn bytes_rejection(rejection: BytesRejection) -> ApiError {
    let BytesRejection::FailedToBufferBody(e) = rejection else {
        return ApiError::BadBody(String::new());
    };
    if matches!(
        e,
        axum::extract::rejection::FailedToBufferBody::LengthLimitError(_)
    ) {
        return ApiError::TooLarge;
    }
    if crate::pacing::is_too_slow(&e) {
        return ApiError::SlowRequest;
    }
    ApiError::BadBody(String::new())
}

/// serde's account of what is wrong, without axum's preamble, kept short.
fn body_detail(e: &dyn std::error::Error) -> String {
    let mut deepest = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        deepest = s.to_string();
        source = s.source();
    }
    deepest.chars().take(200).collect()
}
