//! The one error type that crosses the HTTP boundary, and its JSON form:
//! `{"error": {"code", "message", "fields"?}}` with the matching 4xx/5xx status.
//!
//! Messages are in the request's language: the `locale_scope` middleware puts the
//! `Accept-Language` choice in a task-local that `into_response` reads.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use emall_app::{Locale, Msg};
use serde::Serialize;
use std::collections::BTreeMap;

tokio::task_local! {
    pub static REQUEST_LOCALE: Locale;
}

pub fn request_locale() -> Locale {
    REQUEST_LOCALE.try_with(|l| *l).unwrap_or_default()
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("not signed in")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("CSRF check failed")]
    Csrf,
    #[error("wrong username or password")]
    BadCredentials,
    #[error("too many attempts")]
    Throttled { retry_after_secs: u64 },
    /// Input that parsed but broke a rule; `fields` maps a field name to its message.
    #[error("invalid input")]
    Invalid { fields: BTreeMap<String, String> },
    #[error("conflict")]
    Conflict,
    /// The thing is not in a state that allows this (a closed pool), said precisely.
    #[error("conflict: {0:?}")]
    StateConflict(Msg),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            match db.kind() {
                sqlx::error::ErrorKind::UniqueViolation => return ApiError::Conflict,
                sqlx::error::ErrorKind::CheckViolation
                | sqlx::error::ErrorKind::ForeignKeyViolation
                | sqlx::error::ErrorKind::NotNullViolation => {
                    return ApiError::Invalid {
                        fields: BTreeMap::new(),
                    }
                }
                _ => {}
            }
        }
        ApiError::Internal(e.into())
    }
}

impl ApiError {
    /// One invalid field with a message in the request's language.
    pub fn field(name: &str, message: impl Into<String>) -> ApiError {
        ApiError::Invalid {
            fields: BTreeMap::from([(name.to_string(), message.into())]),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized | ApiError::BadCredentials => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden | ApiError::Csrf => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Conflict | ApiError::StateConflict(_) => StatusCode::CONFLICT,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthorized => "unauthorized",
            ApiError::Forbidden => "forbidden",
            ApiError::NotFound => "not_found",
            ApiError::Csrf => "csrf",
            ApiError::BadCredentials => "bad_credentials",
            ApiError::Throttled { .. } => "throttled",
            ApiError::Invalid { .. } => "invalid",
            ApiError::Conflict | ApiError::StateConflict(_) => "conflict",
            ApiError::Internal(_) => "internal",
        }
    }

    pub fn message(&self) -> Msg {
        match self {
            ApiError::Unauthorized => Msg::ErrUnauthorized,
            ApiError::Forbidden => Msg::ErrForbidden,
            ApiError::NotFound => Msg::ErrNotFound,
            ApiError::Csrf => Msg::ErrCsrf,
            ApiError::BadCredentials => Msg::LoginFailed,
            ApiError::Throttled { .. } => Msg::LoginThrottled,
            ApiError::Invalid { .. } => Msg::ErrInvalid,
            ApiError::Conflict => Msg::ErrConflict,
            ApiError::StateConflict(m) => *m,
            ApiError::Internal(_) => Msg::ErrInternal,
        }
    }
}

/// The JSON body of every error response.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `forbidden`, `invalid`.
    pub code: String,
    /// Human-readable, in the language of `Accept-Language` (zh-CN by default).
    pub message: String,
    /// Per-field messages for `invalid` input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(e) = &self {
            // Logged in full here; the client only learns that something failed.
            tracing::error!(error = ?e, "internal error");
        }
        let locale = request_locale();
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code().to_string(),
                message: locale.t(self.message()).to_string(),
                fields: match &self {
                    ApiError::Invalid { fields } if !fields.is_empty() => Some(fields.clone()),
                    _ => None,
                },
            },
        };
        let mut response = (self.status(), axum::Json(body)).into_response();
        if let ApiError::Throttled { retry_after_secs } = self {
            if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                response.headers_mut().insert(http::header::RETRY_AFTER, v);
            }
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
