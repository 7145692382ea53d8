//! The in-process page cache: rendered public pages, keyed by path and query (the locale is
//! in the path), stored with their brotli and gzip forms, weighed by size in bounded memory.
//!
//! Three pieces share it. The listener (`crate::listener`) writes hits itself on a
//! connection that has asked only for kept pages so far ([`Page::write_http1`]).
//! [`CacheFirst`] wraps the whole router and answers hits on the connections hyper serves,
//! before routing or any middleware runs (sessions, tracing, compression). [`fill`] wraps
//! the public page routes: on a miss one request renders while concurrent requests for the
//! same key wait for it (single flight), and the response is kept only if it says `public`.
//!
//! Invariant: a kept page never outlives a purge of any key it names. A render that
//! overlaps a purge may have read the old data, so it is served but not kept: each purge
//! bumps `epoch` before it looks up its victims, and a fill registers its keys before it
//! compares the epoch it started with.

use super::keys::SurrogateKeys;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

type Key = Arc<str>;
/// Surrogate key → the cached pages naming it (with the id of the page kept then).
type Index = HashMap<String, HashMap<Key, u64>>;

pub struct PageCache {
    entries: Option<moka::future::Cache<Key, Arc<Page>>>,
    index: Arc<Mutex<Index>>,
    epoch: AtomicU64,
    next_id: AtomicU64,
    pub hits: AtomicU64,
    pub misses: AtomicU64,
    pub purged: AtomicU64,
}

/// One rendered page in every encoding, each with its whole response head built once, so
/// a hit only copies it.
pub struct Page {
    id: u64,
    keys: Vec<String>,
    /// Per coding, in [`Coding::index`] order: the strong validator, the response head
    /// (type, caching, surrogate keys, encoding, validator) and the body.
    etags: [String; 3],
    heads: [HeaderMap; 3],
    bodies: [Bytes; 3],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    Brotli,
    Gzip,
    Identity,
}

impl Coding {
    /// The best coding the request accepts: brotli, then gzip, then none.
    pub fn negotiate(headers: &HeaderMap) -> Coding {
        Coding::accepted(
            headers
                .get(header::ACCEPT_ENCODING)
                .and_then(|v| v.to_str().ok()),
        )
    }

    /// The best coding an `Accept-Encoding` value (if any) accepts.
    pub fn accepted(accept: Option<&str>) -> Coding {
        let Some(accept) = accept else {
            return Coding::Identity;
        };
        let mut br = false;
        let mut gzip = false;
        for item in accept.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    == Some(0.0)
            });
            if refused {
                continue;
            }
            let is = |token: &str| name.eq_ignore_ascii_case(token);
            if is("br") {
                br = true;
            } else if is("gzip") || is("x-gzip") {
                gzip = true;
            } else if name == "*" {
                br = true;
                gzip = true;
            }
        }
        if br {
            Coding::Brotli
        } else if gzip {
            Coding::Gzip
        } else {
            Coding::Identity
        }
    }

    fn token(self) -> Option<&'static str> {
        match self {
            Coding::Brotli => Some("br"),
            Coding::Gzip => Some("gzip"),
            Coding::Identity => None,
        }
    }

    fn index(self) -> usize {
        match self {
            Coding::Brotli => 0,
            Coding::Gzip => 1,
            Coding::Identity => 2,
        }
    }
}

impl Page {
    /// Keeps a public 200 response in `codings`; anything else comes back untouched.
    async fn from_response(
        id: u64,
        response: Response,
        codings: &[Coding],
    ) -> Result<Page, Response> {
        let public = response
            .headers()
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("public"));
        if response.status() != StatusCode::OK
            || !public
            || response.headers().contains_key(header::CONTENT_ENCODING)
        {
            return Err(response);
        }
        let (parts, body) = response.into_parts();
        let identity = match axum::body::to_bytes(body, 32 << 20).await {
            Ok(b) => b,
            Err(e) => {
                tracing::error!(error = %e, "page body could not be read");
                return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
            }
        };
        let mut headers = parts.headers;
        headers.remove(header::CONTENT_LENGTH);
        crate::startup::security_headers(&mut headers);
        let keys = SurrogateKeys::read(&headers)
            .iter()
            .map(str::to_string)
            .collect();
        let (gzip, br) = compress(&identity, codings);
        use sha2::Digest;
        // Hex of the first 16 bytes of the body's SHA-256. Each encoding is its own
        // representation, so each has its own strong validator.
        let hash = hex::encode(&sha2::Sha256::digest(&identity)[..16]);
        let etags = ALL.map(|coding| match coding.token() {
            Some(t) => format!("\"{hash}-{t}\""),
            None => format!("\"{hash}\""),
        });
        let heads = ALL.map(|coding| {
            let mut head = headers.clone();
            if let Some(t) = coding.token() {
                head.insert(header::CONTENT_ENCODING, HeaderValue::from_static(t));
            }
            if let Ok(v) = HeaderValue::from_str(&etags[coding.index()]) {
                head.insert(header::ETAG, v);
            }
            head.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
            // Most answers are hits: the head says so already, and a miss overwrites it.
            head.insert(X_CACHE, HeaderValue::from_static("HIT"));
            head
        });
        Ok(Page {
            id,
            keys,
            etags,
            heads,
            bodies: [br, gzip, identity],
        })
    }

    fn weight(&self) -> u32 {
        let keys: usize = self.keys.iter().map(|k| k.len() + 32).sum();
        let heads: usize = self.heads[0]
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len() + 16)
            .sum();
        let bodies: usize = self.bodies.iter().map(Bytes::len).sum();
        u32::try_from(bodies + 3 * heads + keys + 256).unwrap_or(u32::MAX)
    }

    /// The strong validator of one encoding of the page.
    pub fn etag(&self, coding: Coding) -> &str {
        &self.etags[coding.index()]
    }

    /// The response to `request`: the page in the best accepted encoding, or a 304 when
    /// the client already holds that representation.
    pub fn respond(&self, request: &HeaderMap, cache_status: &'static str) -> Response {
        let coding = Coding::negotiate(request);
        let head = &self.heads[coding.index()];
        let if_none_match = request
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok());
        let mut response = if self.is_held(coding, if_none_match) {
            let mut r = StatusCode::NOT_MODIFIED.into_response();
            *r.headers_mut() = head.clone();
            for name in NOT_IN_304 {
                r.headers_mut().remove(name);
            }
            r
        } else {
            let mut r = Response::new(Body::from(self.bodies[coding.index()].clone()));
            *r.headers_mut() = head.clone();
            r
        };
        if cache_status != "HIT" {
            response
                .headers_mut()
                .insert(X_CACHE, HeaderValue::from_static(cache_status));
        }
        response
    }

    /// Whether a client sending `if_none_match` already holds the page in `coding`.
    pub fn is_held(&self, coding: Coding, if_none_match: Option<&str>) -> bool {
        let etag = self.etag(coding);
        if_none_match.is_some_and(|v| {
            v.split(',').any(|t| {
                let t = t.trim();
                t == "*" || t.trim_start_matches("W/") == etag
            })
        })
    }

    /// A hit as HTTP/1.1 bytes, appended to `out`: what hyper writes for [`Page::respond`]'s
    /// response, `date` and `content-length` included (no body for `HEAD`; a 304 when
    /// `if_none_match` names the representation).
    pub fn write_http1(
        &self,
        out: &mut Vec<u8>,
        coding: Coding,
        if_none_match: Option<&str>,
        head_only: bool,
        date: &[u8],
    ) {
        let held = self.is_held(coding, if_none_match);
        out.extend_from_slice(if held {
            b"HTTP/1.1 304 Not Modified\r\n"
        } else {
            b"HTTP/1.1 200 OK\r\n"
        });
        for (name, value) in &self.heads[coding.index()] {
            if held && NOT_IN_304.contains(name) {
                continue;
            }
            out.extend_from_slice(name.as_str().as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        let body = &self.bodies[coding.index()];
        if !held {
            let _ = write!(out, "content-length: {}\r\n", body.len());
        }
        out.extend_from_slice(b"date: ");
        out.extend_from_slice(date);
        out.extend_from_slice(b"\r\n\r\n");
        if !held && !head_only {
            out.extend_from_slice(body);
        }
    }
}

/// Headers a 304 leaves out: it describes no body.
const NOT_IN_304: [header::HeaderName; 2] = [header::CONTENT_TYPE, header::CONTENT_ENCODING];

/// Whether a page came from the cache (`HIT`), was rendered for this request (`MISS`), or
/// the cache is off (`BYPASS`).
const X_CACHE: header::HeaderName = header::HeaderName::from_static("x-cache");

/// Every coding a kept page is stored in, in [`Coding::index`] order.
const ALL: [Coding; 3] = [Coding::Brotli, Coding::Gzip, Coding::Identity];

/// gzip (level 6) and brotli (quality 6) of `body`, each only if in `codings`: a miss pays a
/// millisecond or two so that every hit serves the smallest bytes without compressing again.
fn compress(body: &[u8], codings: &[Coding]) -> (Bytes, Bytes) {
    let gzip = if codings.contains(&Coding::Gzip) {
        let mut gz = flate2::write::GzEncoder::new(
            Vec::with_capacity(body.len() / 4),
            flate2::Compression::new(6),
        );
        gz.write_all(body)
            .and_then(|_| gz.finish())
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let mut br = Vec::new();
    if codings.contains(&Coding::Brotli) {
        br.reserve(body.len() / 5);
        let mut w = brotli::CompressorWriter::new(&mut br, 4096, 6, 22);
        let _ = w.write_all(body);
    }
    (Bytes::from(gzip), Bytes::from(br))
}

impl PageCache {
    /// A cache of at most `max_bytes` (0 turns it off: pages still get their ETag).
    pub fn new(max_bytes: u64, ttl: Duration) -> PageCache {
        let index: Arc<Mutex<Index>> = Arc::default();
        let entries = (max_bytes > 0).then(|| {
            let index = index.clone();
            moka::future::Cache::builder()
                .max_capacity(max_bytes)
                .weigher(|_k: &Key, p: &Arc<Page>| p.weight())
                .time_to_live(ttl)
                .eviction_listener(move |key: Arc<Key>, page: Arc<Page>, _cause| {
                    let mut index = index.lock().unwrap_or_else(|e| e.into_inner());
                    for k in &page.keys {
                        if let Some(pages) = index.get_mut(k) {
                            if pages.get(&*key) == Some(&page.id) {
                                pages.remove(&*key);
                            }
                            if pages.is_empty() {
                                index.remove(k);
                            }
                        }
                    }
                })
                .build()
        });
        PageCache {
            entries,
            index,
            epoch: AtomicU64::new(0),
            next_id: AtomicU64::new(1),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            purged: AtomicU64::new(0),
        }
    }

    /// Pages kept and their weight in bytes.
    pub fn size(&self) -> (u64, u64) {
        self.entries
            .as_ref()
            .map(|e| (e.entry_count(), e.weighted_size()))
            .unwrap_or_default()
    }

    /// The cache's counters in the Prometheus text format.
    pub fn metrics(&self) -> String {
        let (pages, bytes) = self.size();
        let n = |c: &AtomicU64| c.load(Ordering::Relaxed);
        format!(
            "# HELP emall_page_cache_requests_total Public page requests by cache outcome.\n\
             # TYPE emall_page_cache_requests_total counter\n\
             emall_page_cache_requests_total{{outcome=\"hit\"}} {}\n\
             emall_page_cache_requests_total{{outcome=\"miss\"}} {}\n\
             # HELP emall_page_cache_purged_total Pages dropped by purges.\n\
             # TYPE emall_page_cache_purged_total counter\n\
             emall_page_cache_purged_total {}\n\
             # HELP emall_page_cache_pages Pages kept.\n\
             # TYPE emall_page_cache_pages gauge\n\
             emall_page_cache_pages {pages}\n\
             # HELP emall_page_cache_bytes Bytes kept (all encodings).\n\
             # TYPE emall_page_cache_bytes gauge\n\
             emall_page_cache_bytes {bytes}\n",
            n(&self.hits),
            n(&self.misses),
            n(&self.purged),
        )
    }

    pub async fn get(&self, key: &str) -> Option<Arc<Page>> {
        self.entries.as_ref()?.get(key).await
    }

    /// The kept page answering `request`, if any (counted as a hit).
    async fn lookup(&self, request: &http::request::Parts) -> Option<Arc<Page>> {
        if request.method != Method::GET && request.method != Method::HEAD {
            return None;
        }
        self.hit(path_and_query(&request.uri)).await
    }

    /// The kept page for a request target (path and query), if any (counted as a hit).
    pub async fn hit(&self, target: &str) -> Option<Arc<Page>> {
        let page = self.get(target).await?;
        self.hits.fetch_add(1, Ordering::Relaxed);
        Some(page)
    }

    /// Drops every page naming any of `keys`; returns how many pages went.
    pub async fn purge(&self, keys: &[String]) -> usize {
        self.epoch.fetch_add(1, Ordering::SeqCst);
        let victims: Vec<Key> = {
            let mut index = self.index.lock().unwrap_or_else(|e| e.into_inner());
            let mut v: Vec<Key> = keys
                .iter()
                .filter_map(|k| index.remove(k))
                .flat_map(|pages| pages.into_keys())
                .collect();
            v.sort();
            v.dedup();
            v
        };
        if let Some(entries) = &self.entries {
            for key in &victims {
                entries.invalidate(key).await;
            }
        }
        self.purged
            .fetch_add(victims.len() as u64, Ordering::Relaxed);
        victims.len()
    }

    /// Drops every page (after this node may have missed purges).
    pub fn purge_all(&self) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
        if let Some(entries) = &self.entries {
            entries.invalidate_all();
        }
        self.index.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    fn register(&self, key: &Key, page: &Page) {
        let mut index = self.index.lock().unwrap_or_else(|e| e.into_inner());
        for k in &page.keys {
            index
                .entry(k.clone())
                .or_default()
                .insert(key.clone(), page.id);
        }
    }
}

fn path_and_query(uri: &http::Uri) -> &str {
    uri.path_and_query().map(|p| p.as_str()).unwrap_or("/")
}

/// The whole application behind its page cache: a kept page is answered before routing
/// and before any middleware runs, so a hit costs a lookup and a copy of a prepared head.
///
/// One serves each connection; a request that goes on to the application carries the
/// connection's peer address as `ConnectInfo` (added only then: a hit needs none).
#[derive(Clone)]
pub struct CacheFirst<S> {
    cache: Arc<PageCache>,
    inner: S,
    peer: Option<SocketAddr>,
}

impl<S> CacheFirst<S> {
    pub fn new(cache: Arc<PageCache>, inner: S) -> CacheFirst<S> {
        CacheFirst {
            cache,
            inner,
            peer: None,
        }
    }

    pub fn cache(&self) -> &PageCache {
        &self.cache
    }

    /// The same service for a connection from `peer`.
    pub fn for_peer(&self, peer: SocketAddr) -> CacheFirst<S>
    where
        S: Clone,
    {
        CacheFirst {
            cache: self.cache.clone(),
            inner: self.inner.clone(),
            peer: Some(peer),
        }
    }
}

impl<S> tower::Service<Request> for CacheFirst<S>
where
    S: tower::Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let cache = self.cache.clone();
        // The service that was polled ready goes with this request; a clone stays.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let peer = self.peer;
        Box::pin(async move {
            // Looked up by the head alone: the body is not `Sync`.
            let (mut head, body) = request.into_parts();
            if let Some(page) = cache.lookup(&head).await {
                return Ok(page.respond(&head.headers, "HIT"));
            }
            if let Some(peer) = peer {
                head.extensions.insert(axum::extract::ConnectInfo(peer));
            }
            inner.call(Request::from_parts(head, body)).await
        })
    }
}

/// Around the public page routes: renders a miss once for all who ask at the same time, and
/// keeps it if the page is public.
pub async fn fill(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET {
        return next.run(request).await;
    }
    let key: Key = Arc::from(path_and_query(request.uri()));
    let asked = request.headers().clone();
    let id = cache.next_id.fetch_add(1, Ordering::Relaxed);
    let Some(entries) = &cache.entries else {
        // No cache: still answer with a validator, compressed in the one coding asked for.
        let coding = Coding::negotiate(&asked);
        return match Page::from_response(id, next.run(request).await, &[coding]).await {
            Ok(page) => page.respond(&asked, "BYPASS"),
            Err(response) => response,
        };
    };
    let started = cache.epoch.load(Ordering::SeqCst);
    let mut pending = Some((request, next));
    let mut uncacheable: Option<Response> = None;
    let result = entries
        .try_get_with(key.clone(), async {
            let (request, next) = pending.take().expect("runs once");
            match Page::from_response(id, next.run(request).await, &ALL).await {
                Ok(page) => Ok(Arc::new(page)),
                Err(response) => {
                    uncacheable = Some(response);
                    Err(())
                }
            }
        })
        .await;
    match result {
        Ok(page) if pending.is_none() => {
            cache.misses.fetch_add(1, Ordering::Relaxed);
            cache.register(&key, &page);
            if cache.epoch.load(Ordering::SeqCst) != started {
                // A purge overlapped this render: serve it once, keep nothing.
                entries.invalidate(&key).await;
            }
            page.respond(&asked, "MISS")
        }
        // Another request rendered it while this one waited.
        Ok(page) => {
            cache.hits.fetch_add(1, Ordering::Relaxed);
            page.respond(&asked, "HIT")
        }
        Err(_) => match (uncacheable, pending) {
            (Some(response), _) => response,
            (None, Some((request, next))) => next.run(request).await,
            (None, None) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn encodings_are_negotiated_by_preference_and_q_values() {
        assert_eq!(
            Coding::negotiate(&accept("gzip, deflate, br")),
            Coding::Brotli
        );
        assert_eq!(Coding::negotiate(&accept("gzip")), Coding::Gzip);
        assert_eq!(
            Coding::negotiate(&accept("br;q=0, gzip;q=0.5")),
            Coding::Gzip
        );
        assert_eq!(Coding::negotiate(&accept("identity")), Coding::Identity);
        assert_eq!(Coding::negotiate(&accept("*")), Coding::Brotli);
        assert_eq!(Coding::negotiate(&HeaderMap::new()), Coding::Identity);
    }

    fn public_page(body: &str, keys: &str) -> Response {
        let mut r = Response::new(Body::from(body.to_string()));
        let h = r.headers_mut();
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(super::super::PUBLIC_CACHE_CONTROL),
        );
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        h.insert(
            super::super::keys::SURROGATE_KEY,
            HeaderValue::from_str(keys).unwrap(),
        );
        r
    }

    #[tokio::test]
    async fn a_page_keeps_every_encoding_and_answers_its_own_etag_with_304() {
        let body = "<!DOCTYPE html><p>价格 ¥1,234.00</p>".repeat(50);
        let Ok(page) = Page::from_response(1, public_page(&body, "product-1"), &ALL).await else {
            panic!("public pages are kept");
        };
        let mut gz = flate2::read::GzDecoder::new(&page.bodies[Coding::Gzip.index()][..]);
        let mut out = String::new();
        std::io::Read::read_to_string(&mut gz, &mut out).unwrap();
        assert_eq!(out, body);
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &page.bodies[Coding::Brotli.index()][..], &mut out).unwrap();
        assert_eq!(out, body.as_bytes());

        let r = page.respond(&accept("br"), "HIT");
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()[header::CONTENT_ENCODING], "br");
        let etag = r.headers()[header::ETAG].to_str().unwrap().to_string();
        assert!(etag.ends_with("-br\""), "{etag}");

        let mut again = accept("br");
        again.insert(header::IF_NONE_MATCH, HeaderValue::from_str(&etag).unwrap());
        assert_eq!(
            page.respond(&again, "HIT").status(),
            StatusCode::NOT_MODIFIED
        );
        // The brotli tag does not validate the gzip representation.
        let mut other = accept("gzip");
        other.insert(header::IF_NONE_MATCH, HeaderValue::from_str(&etag).unwrap());
        assert_eq!(page.respond(&other, "HIT").status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn private_and_failed_responses_are_not_kept() {
        let mut private = public_page("x", "product-1");
        private.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        assert!(Page::from_response(1, private, &ALL).await.is_err());
        let mut missing = public_page("x", "product-1");
        *missing.status_mut() = StatusCode::NOT_FOUND;
        assert!(Page::from_response(1, missing, &ALL).await.is_err());
    }

    #[tokio::test]
    async fn a_purge_drops_the_pages_naming_a_key_and_only_those() {
        let cache = PageCache::new(1 << 20, Duration::from_secs(60));
        let entries = cache.entries.as_ref().unwrap();
        for (path, keys) in [
            ("/product/1", "product-1"),
            ("/product/2", "product-2"),
            ("/search?q=a", "product-1 product-2"),
        ] {
            let key: Key = Arc::from(path);
            let page = Arc::new(
                Page::from_response(
                    cache.next_id.fetch_add(1, Ordering::Relaxed),
                    public_page(path, keys),
                    &ALL,
                )
                .await
                .unwrap_or_else(|_| panic!("kept")),
            );
            entries.insert(key.clone(), page.clone()).await;
            cache.register(&key, &page);
        }
        assert_eq!(cache.purge(&["product-1".into()]).await, 2);
        assert!(cache.get("/product/1").await.is_none());
        assert!(cache.get("/search?q=a").await.is_none());
        assert!(cache.get("/product/2").await.is_some());
        assert_eq!(cache.purge(&["product-1".into()]).await, 0);
        cache.purge_all();
        assert!(cache.get("/product/2").await.is_none());
    }
}
