//! Surrogate keys: the names of what a cached page shows, so that a change to any of it
//! purges exactly the pages that show it. A write records the keys it touches in the
//! outbox ([`crate::outbox`]); the server's page cache and the edge purge by them.
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
