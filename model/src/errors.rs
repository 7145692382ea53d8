//! The body of every error the API answers, as the handlers write it and the islands read
//! it.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The JSON body of every error response.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `forbidden`, `invalid`.
    pub code: String,
    /// Human-readable, in the language of `Accept-Language` (zh-CN by default).
    pub message: String,
    /// Per-field messages for `invalid` input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
}
