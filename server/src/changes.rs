//! The change feed: a write records what it changed (products, surrogate keys) in the
//! outbox, in its own transaction (`store::outbox`), and everything that shows it follows,
//! in this order, from the drainer every node runs:
//!
//! 1. the search index is updated for the changed products;
//! 2. this node's page cache drops the pages naming any affected key (after the index, so a
//!    search page rendered after the purge sees the new index);
//! 3. the purge goes out: a log line, on PostgreSQL a `NOTIFY` (sent as the rows leave the
//!    outbox) that every other node turns into steps 1 and 2 for itself, and, when a CDN
//!    purge webhook is set, a row of the CDN stage that the drainer sends with retries.
//!
//! A recorded change rings the drainer, which gathers for 25 ms and applies what it finds
//! as one batch; it also looks once a second, and its first pass takes whatever an earlier
//! process committed and never applied, so a crash between a commit and its purge loses
//! nothing. The request that made a change waits for steps 1 and 2 on its node (so its
//! author's next page shows it: the `settle_changes` layer), not for step 3. A product
//! change affects its own pages, the listings of every city where it is offered and the
//! storefronts of every supplier offering it; those keys are resolved here, once, by the
//! node that drains the change. A supplier's own change (status, score, credit) names
//! `supplier-{id}`, which every page showing the supplier carries.

use crate::cache::{keys, PageCache};
use crate::search::SearchService;
use crate::settings::{PurgeFormat, Settings};
use emall_store::clock;
use emall_store::db::{Backend, Db};
pub use emall_store::outbox::Change;
use emall_store::outbox::{self, Stage};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{watch, Notify};

/// How long announcements are gathered into one batch.
const BATCH_WINDOW: Duration = Duration::from_millis(25);
/// The PostgreSQL channel the nodes share.
pub use emall_store::outbox::CHANNEL;
/// PostgreSQL refuses payloads from 8000 bytes.
const MAX_PAYLOAD: usize = 7000;

/// What goes to the other nodes: the products to re-index and the resolved keys.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Notice {
    node: String,
    #[serde(default)]
    products: Vec<i64>,
    #[serde(default)]
    keys: Vec<String>,
}

/// Splits a batch into notices that each fit one `NOTIFY`.
fn notices(node: &str, products: &[i64], keys: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = Notice {
        node: node.to_string(),
        products: Vec::new(),
        keys: Vec::new(),
    };
    let mut size = 64 + node.len();
    let mut flush = |current: &mut Notice, size: &mut usize| {
        if !current.products.is_empty() || !current.keys.is_empty() {
            out.push(serde_json::to_string(&*current).expect("a notice serializes"));
        }
        current.products.clear();
        current.keys.clear();
        *size = 64 + node.len();
    };
    for p in products {
        if size + 21 > MAX_PAYLOAD {
            flush(&mut current, &mut size);
        }
        current.products.push(*p);
        size += 21;
    }
    for k in keys {
        if size + k.len() + 3 > MAX_PAYLOAD {
            flush(&mut current, &mut size);
        }
        current.keys.push(k.clone());
        size += k.len() + 3;
    }
    flush(&mut current, &mut size);
    out
}

/// This node's end of the change feed: the drainer of the outbox, the CDN sender, and the
/// listener to the other nodes.
pub struct ChangeFeed {
    /// This node's name in notices (random per process).
    pub node: String,
    drainer: Arc<Drainer>,
    /// The drainer's task and the CDN sender's.
    running: Mutex<Vec<tokio::task::JoinHandle<()>>>,
}

/// What the drainer needs, shared with its task.
struct Drainer {
    db: Db,
    node: String,
    search: Arc<SearchService>,
    cache: Arc<PageCache>,
    webhook: Option<Webhook>,
    /// Rings when a request waits for the next pass.
    poke: Notify,
    /// Rings when rows wait for the CDN.
    cdn_bell: Notify,
    /// Tickets handed to waiting requests, and the last ticket a finished pass covered.
    asked: AtomicU64,
    covered: watch::Sender<u64>,
}

impl ChangeFeed {
    /// Starts the feed; on PostgreSQL it is listening to the other nodes when this returns.
    /// The drainer's first pass applies whatever an earlier process left in the outbox.
    pub async fn start(
        db: Db,
        settings: &Settings,
        search: Arc<SearchService>,
        cache: Arc<PageCache>,
    ) -> anyhow::Result<Arc<ChangeFeed>> {
        let node = {
            use rand::Rng;
            format!("{:016x}", rand::thread_rng().gen::<u64>())
        };
        let webhook = Webhook::new(settings);
        let drainer = Arc::new(Drainer {
            db,
            node: node.clone(),
            search,
            cache,
            webhook,
            poke: Notify::new(),
            cdn_bell: Notify::new(),
            asked: AtomicU64::new(0),
            covered: watch::channel(0).0,
        });
        if drainer.db.backend() == Backend::Postgres {
            let mut listener =
                sqlx::postgres::PgListener::connect(&settings.database_url()).await?;
            listener.listen(CHANNEL).await?;
            tokio::spawn(listen(listener, drainer.clone()));
        }
        let feed = Arc::new(ChangeFeed {
            node,
            drainer,
            running: Mutex::new(Vec::new()),
        });
        feed.start_draining();
        Ok(feed)
    }

    /// Starts this node's drainer (and CDN sender) unless they run.
    pub fn start_draining(&self) {
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        if running.iter().all(|task| task.is_finished()) {
            running.clear();
            running.push(tokio::spawn(self.drainer.clone().run()));
            if self.drainer.webhook.is_some() {
                running.push(tokio::spawn(self.drainer.clone().run_cdn()));
            }
        }
    }

    /// Stops this node's drainer where it is, as a crash would: what it had not finished
    /// stays in the outbox for the next drainer (here after [`ChangeFeed::start_draining`],
    /// or on another node once its lease runs out).
    pub fn stop_draining(&self) {
        for task in self
            .running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .drain(..)
        {
            task.abort();
        }
    }

    /// Returns once this node has applied every change committed before the call: the
    /// search index and the pages here show it (the CDN and the other nodes follow within a
    /// second). A request that recorded a change waits for this before it answers, so the
    /// person who made it sees it on their next page.
    pub async fn settle(&self) {
        let ticket = self.drainer.asked.fetch_add(1, AtomicOrdering::AcqRel) + 1;
        let mut covered = self.drainer.covered.subscribe();
        self.drainer.poke.notify_one();
        let _ = tokio::time::timeout(SETTLE_LIMIT, covered.wait_for(|c| *c >= ticket)).await;
    }

    /// Announces again what the outbox could not know: changes written while this node was
    /// away from the others (its index missed their notices) or written around the
    /// application (a database restored, a row edited by hand). A node that opens an index
    /// it did not build compares it with the database once, in the background, and
    /// re-reads every product that differs into the index and purges its pages here.
    pub fn recover(self: &Arc<Self>, db: Db, search: Arc<SearchService>) {
        if !search.inherited() {
            return;
        }
        let drainer = self.drainer.clone();
        tokio::spawn(async move {
            match search.stale_products(&db).await {
                Ok(stale) if stale.is_empty() => {}
                Ok(stale) => {
                    tracing::warn!(
                        products = stale.len(),
                        "the search index missed changes committed before this process started: announcing them again"
                    );
                    let change = Change::products(stale);
                    match emall_store::write_tx!(db, tx => outbox::record(tx, &change)) {
                        Ok(()) => drainer.poke.notify_one(),
                        Err(e) => tracing::error!(error = ?e, "cannot record the missed changes"),
                    }
                }
                Err(e) => {
                    tracing::error!(error = ?e, "cannot compare the search index with the database")
                }
            }
        });
    }
}

/// The layer that makes a write's author see it: a request that recorded a change (a
/// form or an API write) answers once this node applies it ([`ChangeFeed::settle`]). Reads
/// record nothing and pass straight through.
pub async fn settle_changes(
    axum::extract::State(feed): axum::extract::State<Arc<ChangeFeed>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if request.method().is_safe() {
        return next.run(request).await;
    }
    let before = outbox::recorded();
    let response = next.run(request).await;
    if outbox::recorded() != before {
        feed.settle().await;
    }
    response
}

/// How long a request waits for its change to be applied on its node.
const SETTLE_LIMIT: Duration = Duration::from_secs(2);
/// How often a drainer looks at the outbox when nothing rang.
const SWEEP: Duration = Duration::from_secs(1);
/// Rows one drainer pass claims at a time.
const DRAIN_BATCH: i64 = 256;
/// How long a claim holds rows from the other drainers.
const APPLY_LEASE_SECS: i64 = 10;
const CDN_LEASE_SECS: i64 = 30;
/// Tries of one CDN purge before it is given up.
const CDN_ATTEMPTS: i64 = 5;

impl Drainer {
    async fn run(self: Arc<Self>) {
        // The first pass at once: what an earlier process committed and never applied.
        let mut rang = false;
        loop {
            if rang {
                // Recorded by a transaction that is about to commit: let it, and the ones
                // beside it, join this pass.
                tokio::time::sleep(BATCH_WINDOW).await;
            }
            let seen = outbox::recorded();
            let ticket = self.asked.load(AtomicOrdering::Acquire);
            if let Err(e) = self.drain().await {
                tracing::warn!(error = ?e, "cannot drain the change outbox; retrying");
            }
            self.covered.send_if_modified(|c| {
                let moved = ticket > *c;
                *c = (*c).max(ticket);
                moved
            });
            rang = tokio::select! {
                _ = self.poke.notified() => false,
                _ = outbox::recorded_since(seen) => true,
                _ = tokio::time::sleep(SWEEP) => false,
            };
        }
    }

    /// Applies every row of the apply stage: the index, this node's pages, the other nodes.
    async fn drain(&self) -> anyhow::Result<()> {
        let db = &self.db;
        // One read tells an idle sweep there is nothing to do; then batches until empty.
        if !outbox::waiting(db, Stage::Apply, clock::now()).await? {
            return Ok(());
        }
        loop {
            let now = clock::now();
            let claimed =
                outbox::claim(db, Stage::Apply, DRAIN_BATCH, now, now + APPLY_LEASE_SECS).await?;
            if claimed.rows == 0 {
                return Ok(());
            }
            let mut products: BTreeSet<i64> = claimed.products.iter().copied().collect();
            for &supplier in &claimed.suppliers {
                products.extend(emall_store::suppliers::live_products(db, supplier).await?);
            }
            let products: Vec<i64> = products.into_iter().collect();
            let mut keys: BTreeSet<String> = claimed.keys.iter().cloned().collect();
            match emall_store::listings::sellers(db, &products).await {
                Ok((cities, suppliers)) => {
                    keys.extend(cities.iter().map(|c| keys::listings(c)));
                    keys.extend(suppliers.into_iter().map(keys::storefront));
                }
                Err(e) => {
                    // Without the cities, every listing page may be stale: drop them all.
                    tracing::error!(error = ?e, "cannot resolve the listings of changed products");
                    self.cache.purge_all();
                }
            }
            keys.extend(products.iter().map(|&p| keys::product(p)));
            let keys: Vec<String> = keys.into_iter().collect();
            let dropped = apply(db, &self.search, &self.cache, &products, &keys).await;
            tracing::info!(
                target: "emall::purge",
                keys = %keys.join(" "),
                pages = dropped,
                "purge"
            );
            let notices = match db.backend() {
                Backend::Postgres => notices(&self.node, &products, &keys),
                Backend::Sqlite => Vec::new(),
            };
            let cdn = self.webhook.as_ref().map(|_| keys.as_slice());
            outbox::applied(db, &claimed, cdn, &notices, clock::now()).await?;
            if cdn.is_some() {
                self.cdn_bell.notify_one();
            }
        }
    }

    /// The CDN sender: its own task, so a CDN that is slow or down never holds up this
    /// node's own pages.
    async fn run_cdn(self: Arc<Self>) {
        let Some(webhook) = &self.webhook else {
            return;
        };
        loop {
            if let Err(e) = self.send_to_cdn(webhook).await {
                tracing::warn!(error = ?e, "cannot send the CDN its purges; retrying");
            }
            let _ = tokio::time::timeout(SWEEP, self.cdn_bell.notified()).await;
        }
    }

    /// Tells the CDN the keys waiting for it, a batch at a time.
    async fn send_to_cdn(&self, webhook: &Webhook) -> anyhow::Result<()> {
        let db = &self.db;
        if !outbox::waiting(db, Stage::Cdn, clock::now()).await? {
            return Ok(());
        }
        loop {
            let now = clock::now();
            let claimed =
                outbox::claim(db, Stage::Cdn, DRAIN_BATCH, now, now + CDN_LEASE_SECS).await?;
            if claimed.rows == 0 {
                return Ok(());
            }
            if webhook.send(&claimed.keys).await {
                outbox::sent(db, &claimed).await?;
            } else {
                let retry_at = clock::now() + (1 << claimed.attempts.clamp(0, 6));
                let given_up = outbox::unsent(db, &claimed, retry_at, CDN_ATTEMPTS).await?;
                if given_up > 0 {
                    tracing::error!(
                        keys = %claimed.keys.join(" "),
                        "CDN purge gave up: the CDN serves these pages until they expire"
                    );
                }
                // The CDN is down: the next try waits for its time, not for this loop.
                return Ok(());
            }
        }
    }
}

/// Steps 1 and 2 on this node; returns the number of pages dropped.
async fn apply(
    db: &Db,
    search: &SearchService,
    cache: &PageCache,
    products: &[i64],
    keys: &[String],
) -> usize {
    if !products.is_empty() {
        if let Err(e) = search.update(db, products).await {
            // The next change or a reindex repairs it; the database stays the truth.
            tracing::error!(error = ?e, products = products.len(), "search index update failed");
        }
    }
    cache.purge(keys).await
}

/// Applies the other nodes' notices here. When an edge is set, each node also tells it once
/// its own pages are dropped: the edge refills a purged page from any node, and only after
/// the last node's purge can none of them hand it the old one.
async fn listen(mut listener: sqlx::postgres::PgListener, drainer: Arc<Drainer>) {
    let Drainer {
        db,
        node,
        search,
        cache,
        ..
    } = &*drainer;
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) => {
                match serde_json::from_str::<Notice>(notification.payload()) {
                    Ok(notice) if &notice.node == node => {}
                    Ok(notice) => {
                        let dropped =
                            apply(db, search, cache, &notice.products, &notice.keys).await;
                        tracing::debug!(from = %notice.node, pages = dropped, "purge from another node");
                        if drainer.webhook.is_some() {
                            match outbox::for_the_edge(db, &notice.keys, clock::now()).await {
                                Ok(()) => drainer.cdn_bell.notify_one(),
                                Err(e) => {
                                    tracing::warn!(error = ?e, "cannot queue the edge's purge")
                                }
                            }
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "unreadable change notice"),
                }
            }
            // The connection dropped and notices may have been lost: start over from the
            // database (the listener reconnects on the next call).
            Ok(None) => {
                tracing::warn!("change notices interrupted: rebuilding this node's search index and dropping its pages");
                if let Err(e) = search.rebuild(db).await {
                    tracing::error!(error = ?e, "search index rebuild failed");
                }
                cache.purge_all();
            }
            Err(e) => {
                tracing::error!(error = ?e, "change listener failed; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// The CDN purge webhook, in the edge's own format ([`PurgeFormat`]).
struct Webhook {
    client: reqwest::Client,
    url: String,
    token: String,
    format: PurgeFormat,
}

impl Webhook {
    fn new(settings: &Settings) -> Option<Webhook> {
        let url = settings.cache.purge_webhook.trim();
        (!url.is_empty()).then(|| Webhook {
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .unwrap_or_default(),
            url: url.to_string(),
            token: settings.cache.purge_token.clone(),
            format: settings.cache.purge_format,
        })
    }

    /// One try: whether the CDN took the keys.
    async fn send(&self, tags: &[String]) -> bool {
        let mut request = match self.format {
            PurgeFormat::Json => self
                .client
                .post(&self.url)
                .json(&serde_json::json!({ "tags": tags })),
            PurgeFormat::Xkey => self
                .client
                .request(
                    reqwest::Method::from_bytes(b"PURGE").expect("a method name"),
                    &self.url,
                )
                .header("xkey-purge", tags.join(" ")),
        };
        if !self.token.is_empty() {
            request = request.bearer_auth(&self.token);
        }
        match request.send().await {
            Ok(r) if r.status().is_success() => true,
            Ok(r) => {
                tracing::warn!(status = %r.status(), "CDN purge refused");
                false
            }
            Err(e) => {
                tracing::warn!(error = %e, "CDN purge failed");
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_batches_split_into_notices_that_postgres_accepts() {
        let products: Vec<i64> = (1_000_000..1_002_000).collect();
        let keys: Vec<String> = products.iter().map(|&p| keys::product(p)).collect();
        let out = notices("node-a", &products, &keys);
        assert!(out.len() > 1);
        let mut seen_products = Vec::new();
        let mut seen_keys = Vec::new();
        for payload in &out {
            assert!(payload.len() < 8000, "{}", payload.len());
            let n: Notice = serde_json::from_str(payload).unwrap();
            assert_eq!(n.node, "node-a");
            seen_products.extend(n.products);
            seen_keys.extend(n.keys);
        }
        assert_eq!(seen_products, products);
        assert_eq!(seen_keys, keys);
        assert!(notices("node-a", &[], &[]).is_empty());
    }
}
