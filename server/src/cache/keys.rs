//! Surrogate keys on the wire: the `Surrogate-Key` and `Cache-Tag` headers a cached page
//! carries. The names themselves, and the table of what each one names, are
//! [`emall_store::keys`]: a write records them in the outbox.

use axum::http::{HeaderMap, HeaderValue};
use std::collections::BTreeSet;

pub use emall_store::keys::*;

/// `Surrogate-Key` (space separated, Fastly and most CDNs) and `Cache-Tag` (comma
/// separated, Cloudflare).
pub const SURROGATE_KEY: &str = "surrogate-key";
pub const CACHE_TAG: &str = "cache-tag";

/// The keys of one page.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SurrogateKeys(BTreeSet<String>);

impl SurrogateKeys {
    pub fn add(&mut self, key: impl Into<String>) -> &mut Self {
        self.0.insert(key.into());
        self
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    /// Writes both headers (nothing when there are no keys).
    pub fn write(&self, headers: &mut HeaderMap) {
        if self.0.is_empty() {
            return;
        }
        let spaced = self.0.iter().cloned().collect::<Vec<_>>().join(" ");
        let commas = spaced.replace(' ', ",");
        // Keys are built from ids and codes: always valid header text.
        if let (Ok(s), Ok(c)) = (
            HeaderValue::from_str(&spaced),
            HeaderValue::from_str(&commas),
        ) {
            headers.insert(SURROGATE_KEY, s);
            headers.insert(CACHE_TAG, c);
        }
    }

    /// The keys a response names in `Surrogate-Key`.
    pub fn read(headers: &HeaderMap) -> SurrogateKeys {
        SurrogateKeys(
            headers
                .get(SURROGATE_KEY)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.split_ascii_whitespace().map(str::to_string).collect())
                .unwrap_or_default(),
        )
    }
}

/// A public page's view model names what it shows.
pub trait Tagged {
    fn surrogate_keys(&self, keys: &mut SurrogateKeys);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_the_headers() {
        let mut keys = SurrogateKeys::default();
        keys.add(product(7))
            .add(listings("310100"))
            .add(product(7))
            .add(category("A02"));
        let mut headers = HeaderMap::new();
        keys.write(&mut headers);
        assert_eq!(
            headers[SURROGATE_KEY],
            "category-A02 listings-310100 product-7"
        );
        assert_eq!(headers[CACHE_TAG], "category-A02,listings-310100,product-7");
        assert_eq!(SurrogateKeys::read(&headers), keys);
        let mut empty = HeaderMap::new();
        SurrogateKeys::default().write(&mut empty);
        assert!(empty.is_empty());
    }
}
