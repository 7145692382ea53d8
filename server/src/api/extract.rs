//! The API's request extractors: axum's, with every rejection turned into the API's own
//! error (JSON, in the request's language, with a status the OpenAPI document lists).
//! `Json` also answers, so a handler's `Json<T>` in and out is this one type.

use crate::error::ApiError;
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
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Json(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
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
