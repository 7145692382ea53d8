//! The one error type that crosses the HTTP boundary, and its JSON form:
//! `{"error": {"code", "message", "fields"?}}` with the matching 4xx/5xx status.
//!
//! Messages are in the request's language: the `locale_scope` middleware puts the
//! `Accept-Language` choice in a task-local that `into_response` reads. Field faults travel
//! as [`Problem`]s and are put into words there, once.

mod problem;
pub use problem::{Fields, Problem};

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use emall_app::{Locale, Msg};

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
    /// Input that parsed but broke a rule; `fields` says what is wrong with each field.
    #[error("invalid input")]
    Invalid { fields: Fields },
    #[error("conflict")]
    Conflict,
    /// The thing is not in a state that allows this (a closed pool), said precisely.
    #[error("conflict: {0:?}")]
    StateConflict(Msg),
    /// Scarce work (password hashing, reading uploads) is at capacity: try again shortly.
    #[error("busy")]
    Busy,
    /// The handler ran out of time.
    #[error("timed out")]
    TimedOut,
    /// The request body arrived too slowly.
    #[error("request body too slow")]
    SlowRequest,
    /// The body is not what the operation takes: not JSON, a field missing or of the wrong
    /// type (the parser's own words, which name the field).
    #[error("bad request body: {0}")]
    BadBody(String),
    /// A path or query parameter that does not parse.
    #[error("bad request")]
    BadRequest,
    #[error("body too large")]
    TooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("method not allowed")]
    MethodNotAllowed,
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
                        fields: Fields::new(),
                    }
                }
                _ => {}
            }
        }
        ApiError::Internal(e.into())
    }
}

impl ApiError {
    /// One invalid field and what is wrong with it.
    pub fn field(name: &str, problem: impl Into<Problem>) -> ApiError {
        ApiError::Invalid {
            fields: [(name, problem)].into_iter().collect(),
        }
    }

    /// The faults of a request's fields, if there are any.
    pub fn check(fields: Fields) -> Result<(), ApiError> {
        if fields.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Invalid { fields })
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
            ApiError::Busy | ApiError::TimedOut => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::SlowRequest => StatusCode::REQUEST_TIMEOUT,
            ApiError::BadBody(_) | ApiError::BadRequest => StatusCode::BAD_REQUEST,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
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
            ApiError::Busy => "busy",
            ApiError::TimedOut => "timed_out",
            ApiError::SlowRequest => "request_timeout",
            ApiError::BadBody(_) | ApiError::BadRequest => "bad_request",
            ApiError::TooLarge => "too_large",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::MethodNotAllowed => "method_not_allowed",
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
            ApiError::Busy => Msg::ErrBusy,
            ApiError::TimedOut => Msg::ErrTimedOut,
            ApiError::SlowRequest => Msg::ErrSlowRequest,
            ApiError::BadBody(_) => Msg::ErrBadBody,
            ApiError::BadRequest => Msg::ErrBadRequest,
            ApiError::TooLarge => Msg::ErrTooLarge,
            ApiError::UnsupportedMediaType => Msg::ErrMediaType,
            ApiError::MethodNotAllowed => Msg::ErrMethod,
            ApiError::Internal(_) => Msg::ErrInternal,
        }
    }
}

pub use emall_app::model::{ErrorBody, ErrorDetail};

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(e) = &self {
            // Logged in full here; the client only learns that something failed.
            tracing::error!(error = ?e, "internal error");
        }
        let locale = request_locale();
        let message = match &self {
            ApiError::BadBody(detail) if !detail.is_empty() => {
                let base = locale.t(self.message()).trim_end_matches(['。', '.']);
                match locale {
                    Locale::ZhCn => format!("{base}（{detail}）。"),
                    Locale::En => format!("{base} ({detail})."),
                }
            }
            _ => locale.t(self.message()).to_string(),
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code().to_string(),
                message,
                fields: match &self {
                    ApiError::Invalid { fields } if !fields.is_empty() => {
                        Some(fields.words(locale))
                    }
                    _ => None,
                },
            },
        };
        let mut response = (self.status(), axum::Json(body)).into_response();
        let retry_after_secs = match self {
            ApiError::Throttled { retry_after_secs } => Some(retry_after_secs),
            ApiError::Busy => Some(1),
            _ => None,
        };
        if let Some(secs) = retry_after_secs {
            response
                .headers_mut()
                .insert(http::header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// The error a bare status stands for, for answers made outside any handler (the
    /// router's 405, a layer's 413).
    pub fn from_status(status: StatusCode) -> ApiError {
        match status {
            StatusCode::UNAUTHORIZED => ApiError::Unauthorized,
            StatusCode::FORBIDDEN => ApiError::Forbidden,
            StatusCode::NOT_FOUND => ApiError::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed,
            StatusCode::REQUEST_TIMEOUT => ApiError::SlowRequest,
            StatusCode::CONFLICT => ApiError::Conflict,
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType,
            StatusCode::UNPROCESSABLE_ENTITY => ApiError::Invalid {
                fields: Fields::new(),
            },
            StatusCode::TOO_MANY_REQUESTS => ApiError::Throttled {
                retry_after_secs: 1,
            },
            StatusCode::SERVICE_UNAVAILABLE => ApiError::Busy,
            s if s.is_client_error() => ApiError::BadRequest,
            _ => ApiError::Internal(anyhow::anyhow!("{status} answered without a body")),
        }
    }
}

/// Middleware around the API: an error answered by anything but a handler's `ApiError` (the
/// router's 405, a panic's 500, a layer's rejection) is given the API's JSON error body, so
/// no client of the API ever has to read an error as plain text or HTML.
pub async fn json_errors(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (parts, _) = response.into_parts();
    let mut replaced = ApiError::from_status(status).into_response();
    *replaced.status_mut() = status;
    for name in [http::header::ALLOW, http::header::RETRY_AFTER] {
        if let Some(v) = parts.headers.get(&name) {
            replaced.headers_mut().insert(name, v.clone());
        }
    }
    replaced
}

impl From<emall_store::dashboard::ScopeError> for ApiError {
    fn from(e: emall_store::dashboard::ScopeError) -> Self {
        ApiError::field(e.field(), e)
    }
}

/// A credit entry the request cannot act on.
impl From<emall_store::credit::Refusal> for ApiError {
    fn from(r: emall_store::credit::Refusal) -> Self {
        use emall_store::credit::Refusal;
        match r {
            Refusal::NotFound => ApiError::NotFound,
            Refusal::NotYours => ApiError::Forbidden,
            Refusal::WrongState => ApiError::StateConflict(Msg::ErrCreditState),
        }
    }
}

/// A registration or application the request cannot take: a clash or an unknown region
/// as the field's error, a state that does not allow it as a conflict.
impl From<emall_store::onboarding::Refusal> for ApiError {
    fn from(r: emall_store::onboarding::Refusal) -> Self {
        use emall_store::onboarding::Refusal;
        match r {
            Refusal::Taken(field) => {
                let msg = match field {
                    "uscc" => Msg::ErrUsccTaken,
                    "company_name" => Msg::ErrNameTaken,
                    _ => Msg::ErrUsernameTaken,
                };
                ApiError::field(field, msg)
            }
            Refusal::UnknownRegion(field) => {
                let msg = if field == "district" {
                    Msg::ErrDistrict
                } else {
                    Msg::ErrCity
                };
                ApiError::field(field, msg)
            }
            Refusal::WrongState => ApiError::Conflict,
        }
    }
}

/// A pool step the request cannot take, as the field at fault or a conflict.
impl From<emall_store::pools::Refusal> for ApiError {
    fn from(r: emall_store::pools::Refusal) -> Self {
        use emall_domain::pool::BidError;
        use emall_store::pools::Refusal;
        let (field, msg) = match r {
            Refusal::NoSuchPool => return ApiError::NotFound,
            Refusal::NotOpen => return ApiError::StateConflict(Msg::ErrPoolNotOpen),
            Refusal::WrongCity => ("city", Msg::ErrPoolCity),
            Refusal::NoOffer => ("tiers", Msg::ErrPoolNoOffer),
            Refusal::BadTiers(BidError::AboveCeiling) => ("tiers", Msg::ErrAboveCeiling),
            Refusal::BadTiers(_) => ("tiers", Msg::ErrPoolTiers),
            Refusal::NoSuchBudgetLine => ("budget_line_id", Msg::ErrBudgetLine),
            Refusal::InsufficientBudget { available, needed } => {
                return ApiError::field(
                    "budget_line_id",
                    Problem::ShortBudget { available, needed },
                )
            }
            Refusal::BadQuantity => ("quantity", Msg::ErrQuantity),
            Refusal::AmountTooLarge => ("quantity", Msg::ErrMoneyMax),
            Refusal::NoCommitment => return ApiError::NotFound,
        };
        ApiError::field(field, msg)
    }
}
