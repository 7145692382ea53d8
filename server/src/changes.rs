//! The change feed: after a write commits, its handler announces what changed (products,
//! surrogate keys), and everything that shows it follows, in this order:
//!
//! 1. the search index is updated for the changed products;
//! 2. this node's page cache drops the pages naming any affected key (after the index, so a
//!    search page rendered after the purge sees the new index);
//! 3. the purge goes out: a log line, the CDN webhook, and on PostgreSQL a `NOTIFY` that
//!    every other node turns into steps 1 and 2 for itself.
//!
//! Announcements are gathered for 25 ms and applied as one batch; the request that made a
//! change waits for steps 1 and 2 on its node (so its author's next page shows it), not for
//! step 3. A product change affects its own pages, the listings of every city where it is
//! offered and the storefronts of every supplier offering it; those keys are resolved here,
//! once, by the node that made the change. A supplier's own change (status, score, credit)
//! names `supplier-{id}`, which every page showing the supplier carries.

use crate::cache::{keys, PageCache};
use crate::db::{Backend, Db};
use crate::search::SearchService;
use crate::settings::Settings;
use crate::store::pools::Closed;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// How long announcements are gathered into one batch.
const BATCH_WINDOW: Duration = Duration::from_millis(25);
/// The PostgreSQL channel the nodes share.
pub const CHANNEL: &str = "emall_changes";
/// PostgreSQL refuses payloads from 8000 bytes.
const MAX_PAYLOAD: usize = 7000;

/// What one write changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Change {
    /// Products whose offers, details or city price caps changed.
    pub products: BTreeSet<i64>,
    /// Further surrogate keys (a supplier's page, a pool, the disclosure page).
    pub keys: BTreeSet<String>,
}

impl Change {
    pub fn products(ids: impl IntoIterator<Item = i64>) -> Change {
        Change::default().with_products(ids)
    }

    pub fn with_products(mut self, ids: impl IntoIterator<Item = i64>) -> Change {
        self.products.extend(ids);
        self
    }

    pub fn key(mut self, key: impl Into<String>) -> Change {
        self.keys.insert(key.into());
        self
    }

    /// A supplier's status or credit record changed: its page, the disclosure page, and
    /// every product it offers.
    pub fn supplier(id: i64, products: impl IntoIterator<Item = i64>) -> Change {
        Change::default()
            .with_products(products)
            .key(keys::supplier(id))
            .key(keys::DISCLOSURE)
    }

    /// A pool's commitments, bids or state changed.
    pub fn pool(id: i64) -> Change {
        Change::default().key(keys::pool(id)).key(keys::POOLS)
    }

    /// A pool closed: its pages and its result on the disclosure page; an award also caps
    /// the product's price in the city.
    pub fn pool_closed(id: i64, closed: &Closed) -> Change {
        let change = Change::pool(id).key(keys::DISCLOSURE);
        match closed {
            Closed::Awarded { product_id, .. } => change.with_products([*product_id]),
            _ => change,
        }
    }

    /// What the disclosure page lists changed (contracts, procurement intentions).
    pub fn disclosure() -> Change {
        Change::default().key(keys::DISCLOSURE)
    }

    fn merge(&mut self, other: Change) {
        self.products.extend(other.products);
        self.keys.extend(other.keys);
    }

    fn is_empty(&self) -> bool {
        self.products.is_empty() && self.keys.is_empty()
    }
}

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

/// A change, and who waits for it to be applied on this node.
type Queued = (Change, Option<oneshot::Sender<()>>);

pub struct ChangeFeed {
    queue: mpsc::UnboundedSender<Queued>,
    /// This node's name in notices (random per process).
    pub node: String,
}

impl ChangeFeed {
    /// Starts the feed; on PostgreSQL it is listening to the other nodes when this returns.
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
        if db.backend() == Backend::Postgres {
            let mut listener =
                sqlx::postgres::PgListener::connect(&settings.database_url()).await?;
            listener.listen(CHANNEL).await?;
            tokio::spawn(listen(
                listener,
                node.clone(),
                db.clone(),
                search.clone(),
                cache.clone(),
            ));
        }
        let (queue, receiver) = mpsc::unbounded_channel();
        let webhook = Webhook::new(settings);
        tokio::spawn(run(receiver, node.clone(), db, search, cache, webhook));
        Ok(Arc::new(ChangeFeed { queue, node }))
    }

    /// Announces a committed change; returns at once (timers, background work).
    pub fn send(&self, change: Change) {
        if !change.is_empty() {
            let _ = self.queue.send((change, None));
        }
    }

    /// Announces a committed change and returns once this node's search index and pages
    /// show it, so that the person who made it sees it on their next page (the CDN and the
    /// other nodes follow within a second).
    pub async fn publish(&self, change: Change) {
        if change.is_empty() {
            return;
        }
        let (done, applied) = oneshot::channel();
        if self.queue.send((change, Some(done))).is_ok() {
            let _ = tokio::time::timeout(Duration::from_secs(2), applied).await;
        }
    }

    /// Products whose offers, details or price caps changed (see [`ChangeFeed::publish`]).
    pub async fn products(&self, ids: impl IntoIterator<Item = i64>) {
        self.publish(Change::products(ids)).await;
    }

    /// Announces again what an earlier process committed and never announced. A node
    /// killed between a commit and its batch (SIGKILL, out of memory, power) takes the
    /// announcement with it: the index it leaves on disk misses the change, and nothing
    /// would ever name it again. So a node that opens an index it did not build compares
    /// it with the database once, in the background, and announces every product that
    /// differs: re-read into the index, purged here, at the CDN and on the other nodes.
    pub fn recover(self: &Arc<Self>, db: Db, search: Arc<SearchService>) {
        if !search.inherited() {
            return;
        }
        let feed = self.clone();
        tokio::spawn(async move {
            match search.stale_products(&db).await {
                Ok(stale) if stale.is_empty() => {}
                Ok(stale) => {
                    tracing::warn!(
                        products = stale.len(),
                        "the search index missed changes committed before this process started: announcing them again"
                    );
                    feed.send(Change::products(stale));
                }
                Err(e) => {
                    tracing::error!(error = ?e, "cannot compare the search index with the database")
                }
            }
        });
    }
}

async fn run(
    mut receiver: mpsc::UnboundedReceiver<Queued>,
    node: String,
    db: Db,
    search: Arc<SearchService>,
    cache: Arc<PageCache>,
    webhook: Option<Webhook>,
) {
    while let Some((first, waiter)) = receiver.recv().await {
        let mut change = first;
        let mut waiters: Vec<oneshot::Sender<()>> = waiter.into_iter().collect();
        let deadline = tokio::time::Instant::now() + BATCH_WINDOW;
        while let Ok(Some((more, waiter))) =
            tokio::time::timeout_at(deadline, receiver.recv()).await
        {
            change.merge(more);
            waiters.extend(waiter);
        }
        let products: Vec<i64> = change.products.iter().copied().collect();
        let mut keys = change.keys;
        match crate::store::listings::sellers(&db, &products).await {
            Ok((cities, suppliers)) => {
                keys.extend(cities.iter().map(|c| keys::listings(c)));
                keys.extend(suppliers.into_iter().map(keys::storefront));
            }
            Err(e) => {
                // Without the cities, every listing page may be stale: drop them all.
                tracing::error!(error = ?e, "cannot resolve the listings of changed products");
                cache.purge_all();
            }
        }
        keys.extend(products.iter().map(|&p| keys::product(p)));
        let keys: Vec<String> = keys.into_iter().collect();
        let dropped = apply(&db, &search, &cache, &products, &keys).await;
        for waiter in waiters {
            let _ = waiter.send(());
        }
        tracing::info!(
            target: "emall::purge",
            keys = %keys.join(" "),
            pages = dropped,
            "purge"
        );
        if let Some(webhook) = &webhook {
            webhook.send(keys.clone());
        }
        if db.backend() == Backend::Postgres {
            for payload in notices(&node, &products, &keys) {
                if let Err(e) = sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(CHANNEL)
                    .bind(&payload)
                    .execute(db.pool())
                    .await
                {
                    // The other nodes' pages expire within `PUBLIC_TTL_SECS` regardless.
                    tracing::error!(error = ?e, "cannot notify the other nodes");
                }
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

async fn listen(
    mut listener: sqlx::postgres::PgListener,
    node: String,
    db: Db,
    search: Arc<SearchService>,
    cache: Arc<PageCache>,
) {
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) => {
                match serde_json::from_str::<Notice>(notification.payload()) {
                    Ok(notice) if notice.node == node => {}
                    Ok(notice) => {
                        let dropped =
                            apply(&db, &search, &cache, &notice.products, &notice.keys).await;
                        tracing::debug!(from = %notice.node, pages = dropped, "purge from another node");
                    }
                    Err(e) => tracing::warn!(error = %e, "unreadable change notice"),
                }
            }
            // The connection dropped and notices may have been lost: start over from the
            // database (the listener reconnects on the next call).
            Ok(None) => {
                tracing::warn!("change notices interrupted: rebuilding this node's search index and dropping its pages");
                if let Err(e) = search.rebuild(&db).await {
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

/// The CDN purge webhook: `POST {"tags": [...]}`, three tries.
struct Webhook {
    client: reqwest::Client,
    url: String,
    token: String,
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
        })
    }

    fn send(&self, tags: Vec<String>) {
        let client = self.client.clone();
        let url = self.url.clone();
        let token = self.token.clone();
        tokio::spawn(async move {
            let body = serde_json::json!({ "tags": tags });
            for attempt in 1..=3u32 {
                let mut request = client.post(&url).json(&body);
                if !token.is_empty() {
                    request = request.bearer_auth(&token);
                }
                match request.send().await {
                    Ok(r) if r.status().is_success() => return,
                    Ok(r) => tracing::warn!(status = %r.status(), attempt, "CDN purge refused"),
                    Err(e) => tracing::warn!(error = %e, attempt, "CDN purge failed"),
                }
                tokio::time::sleep(Duration::from_millis(500 * u64::from(attempt))).await;
            }
            tracing::error!(tags = %body, "CDN purge gave up: the CDN serves these pages until they expire");
        });
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

    #[test]
    fn changes_merge_and_name_their_keys() {
        let mut c = Change::products([3, 1]);
        c.merge(Change::supplier(9, [1, 2]));
        c.merge(Change::pool(4));
        assert_eq!(c.products.into_iter().collect::<Vec<_>>(), vec![1, 2, 3]);
        assert_eq!(
            c.keys.into_iter().collect::<Vec<_>>(),
            vec!["disclosure", "pool-4", "pools", "supplier-9"]
        );
        assert!(Change::default().is_empty());
    }
}
