//! The search service: the tantivy index kept in step with the database (the source of
//! truth). Writes record their changes in the outbox; the drainer of
//! [`crate::changes::ChangeFeed`] updates the index within a fraction of a second, after the
//! write commits.

use emall_search::{CatalogueIndex, SearchRequest, SearchResults, Slice};
use emall_store::db::Db;
use std::path::Path;
use std::sync::Arc;

pub struct SearchService {
    index: Arc<CatalogueIndex>,
    /// The index was on disk already, written by an earlier process (not built at start).
    inherited: bool,
}

impl SearchService {
    /// Opens the index in `dir`. An empty index over a database with live offers is rebuilt
    /// first (a fresh node, or a schema change).
    pub async fn start(db: Db, dir: &Path) -> anyhow::Result<Arc<SearchService>> {
        let dir = dir.to_path_buf();
        let index =
            Arc::new(tokio::task::spawn_blocking(move || CatalogueIndex::open(&dir)).await??);
        let mut service = SearchService {
            index,
            inherited: true,
        };
        if service.index.num_docs() == 0 {
            service.inherited = false;
            let n = service.rebuild(&db).await?;
            if n > 0 {
                tracing::info!(documents = n, "search index built");
            }
        }
        Ok(Arc::new(service))
    }

    /// Whether the index was written by an earlier process (see
    /// [`crate::changes::ChangeFeed::recover`]).
    pub fn inherited(&self) -> bool {
        self.inherited
    }

    /// The products whose documents differ from what the database says now.
    pub async fn stale_products(&self, db: &Db) -> anyhow::Result<Vec<i64>> {
        // The database first: a change applied between the two reads only makes its
        // product look stale, and re-reading it is harmless.
        let expected = expected(db).await?;
        let index = self.index.clone();
        let actual = tokio::task::spawn_blocking(move || index.slices()).await??;
        let mut products: Vec<i64> = compare(&expected, &actual)
            .iter()
            .map(|d| d.product_id as i64)
            .collect();
        products.dedup();
        Ok(products)
    }

    /// Re-reads `products` from the database into the index.
    pub async fn update(&self, db: &Db, products: &[i64]) -> anyhow::Result<()> {
        let listings = emall_store::listings::load(db, Some(products)).await?;
        let index = self.index.clone();
        let ids: Vec<u64> = products.iter().map(|&i| i as u64).collect();
        tokio::task::spawn_blocking(move || index.replace_products(&ids, &listings)).await??;
        Ok(())
    }

    /// Rebuilds the whole index from the database; returns the documents written.
    pub async fn rebuild(&self, db: &Db) -> anyhow::Result<u64> {
        let listings = emall_store::listings::load(db, None).await?;
        if listings.is_empty() && self.index.num_docs() == 0 {
            return Ok(0);
        }
        let index = self.index.clone();
        Ok(tokio::task::spawn_blocking(move || index.rebuild(listings)).await?? as u64)
    }

    pub async fn search(&self, request: SearchRequest) -> anyhow::Result<SearchResults> {
        let index = self.index.clone();
        Ok(tokio::task::spawn_blocking(move || index.search(&request)).await??)
    }

    /// What `text` meant when it mistypes catalogue words (see
    /// [`CatalogueIndex::correct`]).
    pub async fn correct(&self, text: &str) -> anyhow::Result<Option<String>> {
        let index = self.index.clone();
        let text = text.to_string();
        Ok(tokio::task::spawn_blocking(move || index.correct(&text)).await??)
    }
}

/// `emall reindex`: rebuilds the index from the database, indexing while it reads.
pub async fn reindex(db: &Db, dir: &Path) -> anyhow::Result<String> {
    let started = std::time::Instant::now();
    // No total up front: counting the listings would cost as much as a tenth of the work.
    let progress = indicatif::ProgressBar::new_spinner();
    progress.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos} listings indexed ({per_sec})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    progress.enable_steady_tick(std::time::Duration::from_millis(200));
    let (sender, receiver) = std::sync::mpsc::sync_channel::<emall_search::Listing>(4096);
    let dir = dir.to_path_buf();
    let bar = progress.clone();
    let writer = tokio::task::spawn_blocking(move || {
        let index = CatalogueIndex::open(&dir)?;
        let n = index.rebuild(receiver.into_iter().inspect(|_| bar.inc(1)))?;
        anyhow::Ok(n)
    });
    let read = emall_store::listings::for_each(db, None, |l| {
        // A full channel waits for the writer (off the async scheduler); a closed one means
        // the writer failed, and its error is reported below.
        let _ = tokio::task::block_in_place(|| sender.send(l));
    })
    .await;
    drop(sender);
    let written = writer.await??;
    read?;
    progress.finish_and_clear();
    Ok(format!(
        "indexed {written} listings (standard product × city) in {:.1}s",
        started.elapsed().as_secs_f64()
    ))
}

/// `emall reindex --check`: compares every document of the index with the listing the
/// database makes now (its lowest price, and the digest of everything else it shows);
/// returns the differences. Reads only, so it may run beside the server.
pub async fn check(db: &Db, dir: &Path) -> anyhow::Result<Vec<String>> {
    let expected = expected(db).await?;
    let dir = dir.to_path_buf();
    let actual =
        tokio::task::spawn_blocking(move || CatalogueIndex::open_read_only(&dir)?.slices())
            .await??;
    Ok(compare(&expected, &actual)
        .iter()
        .map(ToString::to_string)
        .collect())
}

/// The documents the database makes now, in brief and in order (streamed: only the
/// briefs are kept).
async fn expected(db: &Db) -> sqlx::Result<Vec<Slice>> {
    let mut expected = Vec::new();
    emall_store::listings::for_each(db, None, |l| expected.push(l.slice())).await?;
    expected.sort();
    Ok(expected)
}

/// Where the index and the database disagree about a product in a city.
#[derive(Debug, PartialEq)]
pub struct Difference {
    pub product_id: u64,
    pub city: String,
    pub kind: DifferenceKind,
}

#[derive(Debug, PartialEq)]
pub enum DifferenceKind {
    /// On sale in the city, and no document.
    Missing,
    /// A document, and nothing on sale in the city.
    NotOnSale,
    LowestPrice {
        index: u64,
        database: u64,
    },
    /// The same lowest price, something else differs (stock, offers, supplier, text).
    Details,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "product {} in {}: ", self.product_id, self.city)?;
        match self.kind {
            DifferenceKind::Missing => write!(f, "missing from the index"),
            DifferenceKind::NotOnSale => write!(f, "in the index but not on sale"),
            DifferenceKind::LowestPrice { index, database } => {
                write!(f, "index says {index} fen, database {database} fen")
            }
            DifferenceKind::Details => write!(
                f,
                "the index shows other offers, stock, suppliers or text than the database"
            ),
        }
    }
}

/// Both lists sorted by product and city.
fn compare(expected: &[Slice], actual: &[Slice]) -> Vec<Difference> {
    let mut out = Vec::new();
    let difference = |s: &Slice, kind| Difference {
        product_id: s.product_id,
        city: s.city.clone(),
        kind,
    };
    let (mut i, mut j) = (0, 0);
    loop {
        match (expected.get(i), actual.get(j)) {
            (Some(e), Some(a)) if (e.product_id, &e.city) == (a.product_id, &a.city) => {
                if e.min_price != a.min_price {
                    out.push(difference(
                        e,
                        DifferenceKind::LowestPrice {
                            index: a.min_price,
                            database: e.min_price,
                        },
                    ));
                } else if e.digest != a.digest {
                    out.push(difference(e, DifferenceKind::Details));
                }
                i += 1;
                j += 1;
            }
            (Some(e), Some(a)) if (e.product_id, &e.city) < (a.product_id, &a.city) => {
                out.push(difference(e, DifferenceKind::Missing));
                i += 1;
            }
            (Some(e), None) => {
                out.push(difference(e, DifferenceKind::Missing));
                i += 1;
            }
            (_, Some(a)) => {
                out.push(difference(a, DifferenceKind::NotOnSale));
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

/// Results per page of the search page and API.
pub const PAGE_SIZE: u32 = 20;

/// Reads `/search?…` parameters (repeated `brand`, `size`, `tag` allowed). Never fails:
/// unknown parameters are ignored, bad numbers fall back to defaults.
pub fn parse_query(raw: &str, default_city: &str) -> emall_app::model::SearchQuery {
    let mut q = emall_app::model::SearchQuery {
        city: default_city.to_string(),
        page: 1,
        ..Default::default()
    };
    for (k, v) in form_urlencoded::parse(raw.as_bytes()) {
        let v = v.trim().to_string();
        match k.as_ref() {
            "q" => q.q = v.chars().take(200).collect(),
            "city" if !v.is_empty() => q.city = v,
            "category" if !v.is_empty() => q.category = Some(v),
            "brand" if !v.is_empty() && q.brands.len() < 20 => q.brands.push(v),
            "size" if matches!(v.as_str(), "large" | "medium" | "small" | "micro") => {
                q.sizes.push(v)
            }
            "tag" if !v.is_empty() && q.tags.len() < 10 => q.tags.push(v),
            // `spec=克重:70g`: a value without a name is ignored.
            "spec" if q.specs.len() < 20 => q.specs.extend(emall_app::model::parse_spec(&v)),
            "min" => q.min = v,
            "max" => q.max = v,
            "stock" => q.in_stock = v == "1" || v == "true",
            "sort" => q.sort = v,
            "page" => q.page = v.parse().unwrap_or(1).clamp(1, 500),
            _ => {}
        }
    }
    q
}

/// Why a price bound was not usable.
#[derive(Debug, PartialEq, Eq)]
pub struct BadPrice;

/// The index request for a parsed query; price bounds are yuan amounts.
pub fn to_request(
    q: &emall_app::model::SearchQuery,
    categories: &emall_store::catalogue::Categories,
) -> Result<SearchRequest, BadPrice> {
    use emall_domain::Fen;
    let price = |s: &str| -> Result<Option<u64>, BadPrice> {
        if s.is_empty() {
            return Ok(None);
        }
        Fen::parse_yuan(s)
            .map(|f| Some(f.get().max(0) as u64))
            .map_err(|_| BadPrice)
    };
    let sort = match q.sort.as_str() {
        "price_asc" => emall_search::Sort::PriceAsc,
        "price_desc" => emall_search::Sort::PriceDesc,
        "delivery" => emall_search::Sort::DeliveryDays,
        "score" => emall_search::Sort::SupplierScore,
        _ => emall_search::Sort::Relevance,
    };
    let category_path = match &q.category {
        Some(code) => match categories.get(code) {
            Some(c) => c.path.clone(),
            // An unknown category matches nothing rather than everything.
            None => vec![code.clone()],
        },
        None => Vec::new(),
    };
    Ok(SearchRequest {
        text: q.q.clone(),
        city: q.city.clone(),
        category_path,
        brands: q.brands.clone(),
        sizes: q.sizes.clone(),
        tags: q.tags.clone(),
        specs: q.specs.clone(),
        price_min: price(&q.min)?,
        price_max: price(&q.max)?,
        in_stock: q.in_stock,
        sort,
        offset: ((q.page.max(1) - 1) * PAGE_SIZE) as usize,
        limit: PAGE_SIZE as usize,
    })
}

/// Index results as the API and page show them, with facet labels in the locale.
pub fn to_response(
    r: SearchResults,
    categories: &emall_store::catalogue::Categories,
    locale: emall_app::Locale,
) -> emall_app::model::SearchResponse {
    use emall_app::model::{FacetValue, SearchFacets, SearchHit, SearchResponse, SpecFacet};
    use emall_domain::Fen;
    let facet = |v: emall_search::FacetCount, label: String| FacetValue {
        label,
        value: v.value,
        count: v.count as i64,
    };
    let size_label = |s: &str| locale.t(emall_app::format::supplier_size(s)).to_string();
    let tag_label = |s: &str| {
        emall_app::format::policy_tag(s)
            .map(|m| locale.t(m).to_string())
            .unwrap_or_else(|| s.to_string())
    };
    let category_label = |c: emall_search::FacetCount| {
        let label = categories
            .get(&c.value)
            .map(|i| i.name(locale).to_string())
            .unwrap_or_else(|| c.value.clone());
        facet(c, label)
    };
    let as_shown = |v: emall_search::FacetCount| {
        let label = v.value.clone();
        facet(v, label)
    };
    SearchResponse {
        total: r.total as i64,
        took_micros: r.took_micros as i64,
        hits: r
            .hits
            .into_iter()
            .map(|h| SearchHit {
                product_id: h.product_id as i64,
                category_name: categories
                    .get(&h.category_code)
                    .map(|c| c.name(locale).to_string())
                    .unwrap_or(h.category_name),
                title: h.title,
                brand: h.brand,
                model: h.model,
                unit: h.unit,
                category_code: h.category_code,
                reference_price: Fen(h.reference_price as i64),
                lowest_price: Fen(h.min_price as i64),
                highest_price: Fen(h.max_price as i64),
                offer_count: h.offer_count as i64,
                min_delivery_days: h.min_delivery_days as i64,
                best_offer_id: h.best_offer_id as i64,
                best_supplier: h.best_supplier,
                price_cap: (h.price_cap > 0).then_some(Fen(h.price_cap as i64)),
                image: h.image.map(|file| format!("/images/products/{file}")),
                tags: h.tags,
            })
            .collect(),
        facets: SearchFacets {
            categories: r
                .facets
                .categories
                .into_iter()
                .map(category_label)
                .collect(),
            leaves: r.facets.leaves.into_iter().map(category_label).collect(),
            specs: r
                .facets
                .specs
                .into_iter()
                .map(|s| SpecFacet {
                    name: s.name,
                    values: s.values.into_iter().map(as_shown).collect(),
                })
                .collect(),
            brands: r.facets.brands.into_iter().map(as_shown).collect(),
            sizes: r
                .facets
                .sizes
                .into_iter()
                .map(|s| {
                    let l = size_label(&s.value);
                    facet(s, l)
                })
                .collect(),
            tags: r
                .facets
                .tags
                .into_iter()
                .map(|t| {
                    let l = tag_label(&t.value);
                    facet(t, l)
                })
                .collect(),
            in_stock: r.facets.in_stock as i64,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_repeated_and_bad_parameters() {
        let q = parse_query("q=A4%20%E7%BA%B8&brand=%E5%BE%97%E5%8A%9B&brand=%E6%99%A8%E5%85%89&size=small&size=huge&page=x&stock=1", "310100");
        assert_eq!(q.q, "A4 纸");
        assert_eq!(q.brands, ["得力", "晨光"]);
        assert_eq!(q.sizes, ["small"], "unknown sizes are dropped");
        assert_eq!(q.page, 1);
        assert!(q.in_stock);
        assert_eq!(q.city, "310100");
        let cats = emall_store::catalogue::Categories::default();
        assert!(to_request(
            &emall_app::model::SearchQuery {
                min: "abc".into(),
                ..q.clone()
            },
            &cats
        )
        .is_err());
        let r = to_request(
            &emall_app::model::SearchQuery {
                min: "12.5".into(),
                page: 3,
                ..q
            },
            &cats,
        )
        .unwrap();
        assert_eq!(r.price_min, Some(1250));
        assert_eq!(r.offset, 40);
    }

    #[test]
    fn compare_names_each_kind_of_difference() {
        let slice = |product_id, city: &str, min_price, digest| Slice {
            product_id,
            city: city.into(),
            min_price,
            digest,
        };
        let database = [
            slice(1, "310100", 500, 11),
            slice(2, "310100", 700, 22),
            slice(3, "310100", 900, 33),
            slice(4, "320500", 100, 44),
        ];
        let index = [
            slice(1, "310100", 500, 11),
            slice(2, "310100", 701, 22),
            slice(3, "310100", 900, 34),
            slice(5, "310100", 100, 55),
        ];
        let kinds: Vec<(u64, DifferenceKind)> = compare(&database, &index)
            .into_iter()
            .map(|d| (d.product_id, d.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                (
                    2,
                    DifferenceKind::LowestPrice {
                        index: 701,
                        database: 700
                    }
                ),
                (3, DifferenceKind::Details),
                (4, DifferenceKind::Missing),
                (5, DifferenceKind::NotOnSale),
            ]
        );
        assert!(compare(&database, &database).is_empty());
    }
}
