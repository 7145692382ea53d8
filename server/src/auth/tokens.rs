//! Supplier API tokens: `Authorization: Bearer emt_…`, for an ERP to sync prices and stock.

use http::{HeaderMap, Method};

/// Every token starts with this, so a leaked one is recognisable.
pub const PREFIX: &str = "emt_";

pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|t| t.starts_with(PREFIX))
}

/// What a token may do: the supplier's listings, their import and export, their reviews.
pub fn allowed(method: &Method, path: &str) -> bool {
    let listing = path == "/api/v1/offers"
        || path.starts_with("/api/v1/offers/")
        || path == "/api/v1/offer-reviews"
        || (path.starts_with("/api/v1/suppliers/") && path.ends_with("/offers"));
    let read_catalogue = *method == Method::GET
        && (path.starts_with("/api/v1/search")
            || path.starts_with("/api/v1/products/")
            || path == "/api/v1/categories"
            || path == "/api/v1/cities");
    (listing && !path.starts_with("/api/v1/offer-reviews/")) || read_catalogue
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_reach_listings_only() {
        for (m, p) in [
            (Method::PATCH, "/api/v1/offers/7"),
            (Method::POST, "/api/v1/offers"),
            (Method::POST, "/api/v1/offers/import"),
            (Method::GET, "/api/v1/offers/export"),
            (Method::GET, "/api/v1/suppliers/3/offers"),
            (Method::GET, "/api/v1/offer-reviews"),
            (Method::GET, "/api/v1/products/9/offers"),
        ] {
            assert!(allowed(&m, p), "{m} {p}");
        }
        for (m, p) in [
            (Method::POST, "/api/v1/api-tokens"),
            (Method::POST, "/api/v1/offer-reviews/1/decision"),
            (Method::GET, "/api/v1/orders"),
            (Method::POST, "/api/v1/orders/1/actions"),
            (Method::GET, "/workbench"),
            (Method::POST, "/api/v1/qualifications"),
        ] {
            assert!(!allowed(&m, p), "{m} {p}");
        }
    }
}
