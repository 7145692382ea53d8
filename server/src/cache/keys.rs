//! Surrogate keys: the names of what a cached page shows, so that a change to any of it
//! purges exactly the pages that show it.
//!
//! | key | on | purged when |
//! |---|---|---|
//! | `product-{id}` | comparison page, search results showing it | an offer of it, its details or its city price cap change |
//! | `offer-{id}` | comparison page | (named for CDNs; purged through its product) |
//! | `supplier-{id}` | its storefront and performance page, comparison pages listing its offers | its status, score or credit record change |
//! | `performance-{id}` | its performance page | an order step or complaint of its orders |
//! | `storefront-{id}` | its storefront (the list of its offers) | any product it offers changes |
//! | `category-{code}` | pages within the category | (named for CDNs; purged through products) |
//! | `listings-{city}` | storefront home and search in that city | any product sold in the city changes |
//! | `pool-{id}`, `pools` | a pool's page, the pool lists | a commitment, bid, open or close |
//! | `disclosure` | the disclosure page | credit entries, intentions, contracts, pool results |

use axum::http::{HeaderMap, HeaderValue};
use std::collections::BTreeSet;

pub fn product(id: i64) -> String {
    format!("product-{id}")
}
pub fn offer(id: i64) -> String {
    format!("offer-{id}")
}
pub fn supplier(id: i64) -> String {
    format!("supplier-{id}")
}
pub fn performance(supplier: i64) -> String {
    format!("performance-{supplier}")
}
pub fn storefront(supplier: i64) -> String {
    format!("storefront-{supplier}")
}
pub fn category(code: &str) -> String {
    format!("category-{code}")
}
pub fn listings(city: &str) -> String {
    format!("listings-{city}")
}
pub fn pool(id: i64) -> String {
    format!("pool-{id}")
}
pub const POOLS: &str = "pools";
pub const DISCLOSURE: &str = "disclosure";

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
