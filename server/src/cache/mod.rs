//! Edge caching of the public storefront.
//!
//! Public pages are rendered deterministically (no per-visitor nonce, nothing personal: the
//! account menu is an island), so one rendering serves every visitor. Each public response
//! names what it shows in `Surrogate-Key` (and `Cache-Tag`); [`pages::PageCache`] keeps the
//! rendered bytes, already compressed, and [`crate::changes`] purges them by key when the
//! data behind them changes, on this node, on every other node and at the CDN.

pub mod keys;
pub mod pages;

pub use keys::{SurrogateKeys, Tagged};
pub use pages::PageCache;

/// `Cache-Control` of every public page. Browsers revalidate each time (they cannot be
/// purged; the ETag makes it a 304), shared caches keep it until a purge or five minutes.
pub const PUBLIC_CACHE_CONTROL: &str =
    "public, max-age=0, s-maxage=300, stale-while-revalidate=60, stale-if-error=86400";

/// How long this node keeps a page without a purge: the net under facts that change
/// without one (mall statistics, hourly supplier scores).
pub const PUBLIC_TTL_SECS: u64 = 300;
