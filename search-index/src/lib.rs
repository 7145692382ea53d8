//! The catalogue's full-text index (tantivy): Chinese-aware analysis, filters, facets and
//! sorting over one document per standard product per city.
//!
//! Architecture invariant: this crate knows nothing about HTTP, Leptos or sqlx. Callers hand
//! it [`Listing`]s and [`SearchRequest`]s and get [`SearchResults`]; errors are
//! [`SearchError`]. One long-lived [`CatalogueIndex`] per process: one reader, one writer
//! behind a mutex, a searcher per query.

pub mod analysis;
mod digest;
mod facets;
mod query;
mod schema;
pub mod spelling;
pub mod suggest;
mod synonyms;

use schema::Fields;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur};
use tantivy::schema::{Facet, Value};
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, TantivyDocument,
    Term,
};

pub use query::is_blank;

/// The writer's indexing memory (split between its threads): large enough that a full
/// rebuild of a million-offer catalogue flushes few segments.
const WRITER_MEMORY: usize = 512_000_000;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("cannot open the index directory: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("io error: {0}")]
    Io(#[from] std::io::Error),
    #[error("the index was opened read-only")]
    ReadOnly,
}

/// What the index knows of one standard product in one city: the product, and the
/// aggregates of its live offers there.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub product_id: u64,
    pub city: String,
    pub title: String,
    pub brand: String,
    pub brand_en: String,
    pub model: String,
    pub unit: String,
    /// `(name, value)`: `("幅面", "A4")`.
    pub specs: Vec<(String, String)>,
    pub barcode: Option<String>,
    /// Category codes from the root to the product's category.
    pub category_path: Vec<String>,
    pub category_name: String,
    /// Every name along the path (zh and en), for matching.
    pub category_names: String,
    pub reference_price: u64,
    pub tags: Vec<String>,
    pub min_price: u64,
    pub max_price: u64,
    pub offer_count: u64,
    pub min_delivery_days: u64,
    /// Highest supplier performance score among the offers (0–100; 0 when unknown).
    pub best_score: u64,
    pub best_offer_id: u64,
    pub best_supplier: String,
    pub supplier_sizes: Vec<String>,
    pub in_stock: bool,
    /// 同城限价: the price a joint purchase capped the product at in the city (0: none).
    pub price_cap: u64,
    /// The product's picture (a file name), when the operator gave it one.
    pub image: Option<String>,
}

/// The specs as one text (`幅面 A4 克重 70g`), for matching.
pub fn specs_text(specs: &[(String, String)]) -> String {
    specs
        .iter()
        .flat_map(|(k, v)| [k.as_str(), v.as_str()])
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Relevance,
    PriceAsc,
    PriceDesc,
    DeliveryDays,
    SupplierScore,
}

#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub text: String,
    pub city: String,
    /// Category codes from the root to the chosen category.
    pub category_path: Vec<String>,
    pub brands: Vec<String>,
    pub sizes: Vec<String>,
    pub tags: Vec<String>,
    /// `(name, value)`: several values of one name are alternatives, names all apply.
    pub specs: Vec<(String, String)>,
    pub price_min: Option<u64>,
    pub price_max: Option<u64>,
    pub in_stock: bool,
    pub sort: Sort,
    pub offset: usize,
    pub limit: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub product_id: u64,
    pub title: String,
    pub brand: String,
    pub model: String,
    pub unit: String,
    pub category_code: String,
    pub category_name: String,
    pub reference_price: u64,
    pub min_price: u64,
    pub max_price: u64,
    pub offer_count: u64,
    pub min_delivery_days: u64,
    pub best_offer_id: u64,
    pub best_supplier: String,
    pub tags: Vec<String>,
    /// 0: no city price cap.
    pub price_cap: u64,
    /// The product's picture (a file name).
    pub image: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    /// Children of the chosen category (or the top level), by code.
    pub categories: Vec<FacetCount>,
    /// The leaf categories of the matches, by code, most matches first.
    pub leaves: Vec<FacetCount>,
    /// The specs that tell the matches apart ([`facets::specs`]).
    pub specs: Vec<SpecFacet>,
    pub brands: Vec<FacetCount>,
    pub sizes: Vec<FacetCount>,
    pub tags: Vec<FacetCount>,
    pub in_stock: u64,
}

/// One spec name with the counts of its values among the matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecFacet {
    pub name: String,
    pub values: Vec<FacetCount>,
}

#[derive(Debug, Clone, Default)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    pub took_micros: u64,
}

pub struct CatalogueIndex {
    reader: IndexReader,
    /// `None` when opened read-only (beside a running server that holds the writer).
    writer: Mutex<Option<IndexWriter>>,
    fields: Fields,
    /// The words of the index for [`CatalogueIndex::correct`], with the searcher
    /// generation they were read from and when.
    vocabulary: Mutex<Option<(u64, Instant, Arc<suggest::Vocabulary>)>>,
}

/// The vocabulary is read again after a commit, but not more often than this: words change
/// with the catalogue, not with each price.
const VOCABULARY_AGE: std::time::Duration = std::time::Duration::from_secs(60);

impl CatalogueIndex {
    /// Opens the index in `dir`, creating it if absent. A directory holding an index of an
    /// older schema is emptied first (the caller then rebuilds from the database).
    pub fn open(dir: &Path) -> Result<CatalogueIndex, SearchError> {
        Self::open_in(dir, true)
    }

    /// Opens an existing index for reading only; it can be used while a server writes it.
    pub fn open_read_only(dir: &Path) -> Result<CatalogueIndex, SearchError> {
        let index = Self::open_in(dir, false)?;
        index.reader.reload()?;
        Ok(index)
    }

    fn open_in(dir: &Path, writable: bool) -> Result<CatalogueIndex, SearchError> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = schema::build();
        let directory = tantivy::directory::MmapDirectory::open(dir)?;
        let index = match Index::open_or_create(directory, schema.clone()) {
            Ok(index) => index,
            Err(tantivy::TantivyError::SchemaError(_)) if writable => {
                std::fs::remove_dir_all(dir)?;
                std::fs::create_dir_all(dir)?;
                Index::open_or_create(tantivy::directory::MmapDirectory::open(dir)?, schema)?
            }
            Err(e) => return Err(e.into()),
        };
        Self::from_index(index, fields, writable)
    }

    /// An index in memory (tests, benchmarks).
    pub fn in_memory() -> Result<CatalogueIndex, SearchError> {
        let (schema, fields) = schema::build();
        Self::from_index(Index::create_in_ram(schema), fields, true)
    }

    fn from_index(
        mut index: Index,
        fields: Fields,
        writable: bool,
    ) -> Result<CatalogueIndex, SearchError> {
        // Segments are searched in parallel, one thread per core.
        index.set_default_multithread_executor()?;
        index
            .tokenizers()
            .register(analysis::GRAMS, analysis::CatalogueTokenizer::grams());
        index
            .tokenizers()
            .register(analysis::WORDS, analysis::CatalogueTokenizer::words());
        index.tokenizers().register(
            analysis::SPELLINGS,
            analysis::CatalogueTokenizer::spellings(),
        );
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let writer = if writable {
            Some(index.writer(WRITER_MEMORY)?)
        } else {
            None
        };
        Ok(CatalogueIndex {
            reader,
            writer: Mutex::new(writer),
            fields,
            vocabulary: Mutex::new(None),
        })
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Replaces every document with `listings`, commits and makes them visible.
    pub fn rebuild(&self, listings: impl IntoIterator<Item = Listing>) -> Result<u64, SearchError> {
        let mut guard = self.writer.lock().expect("index writer lock");
        let writer = guard.as_mut().ok_or(SearchError::ReadOnly)?;
        writer.delete_all_documents()?;
        let mut n = 0;
        for l in listings {
            writer.add_document(self.document(&l))?;
            n += 1;
        }
        writer.commit()?;
        drop(guard);
        self.reader.reload()?;
        Ok(n)
    }

    /// Replaces all documents of `product_ids` with `listings` (their current state; a
    /// product with no live offer left simply has none) in one commit.
    pub fn replace_products(
        &self,
        product_ids: &[u64],
        listings: &[Listing],
    ) -> Result<(), SearchError> {
        let mut guard = self.writer.lock().expect("index writer lock");
        let writer = guard.as_mut().ok_or(SearchError::ReadOnly)?;
        for id in product_ids {
            writer.delete_term(Term::from_field_u64(self.fields.product_id, *id));
        }
        for l in listings {
            writer.add_document(self.document(l))?;
        }
        writer.commit()?;
        drop(guard);
        self.reader.reload()?;
        Ok(())
    }

    fn document(&self, l: &Listing) -> TantivyDocument {
        let f = &self.fields;
        let mut d = TantivyDocument::default();
        d.add_u64(f.product_id, l.product_id);
        d.add_text(f.city, &l.city);
        d.add_text(
            f.name,
            format!("{} {} {} {}", l.title, l.brand, l.brand_en, l.model),
        );
        d.add_text(f.category_text, &l.category_names);
        d.add_text(
            f.extra,
            format!(
                "{} {}",
                specs_text(&l.specs),
                l.barcode.as_deref().unwrap_or("")
            ),
        );
        d.add_text(f.words, format!("{} {}", l.title, l.category_name));
        d.add_text(
            f.spellings,
            format!("{} {} {}", l.title, l.brand, l.category_names),
        );
        d.add_facet(f.category, facets::category(&l.category_path));
        for facet in facets::attrs(l) {
            d.add_facet(f.attrs, facet);
        }
        d.add_u64(f.min_price, l.min_price);
        d.add_u64(f.max_price, l.max_price);
        d.add_u64(f.offer_count, l.offer_count);
        d.add_u64(f.min_days, l.min_delivery_days);
        d.add_u64(f.best_score, l.best_score);
        d.add_u64(f.best_offer, l.best_offer_id);
        d.add_u64(f.ref_price, l.reference_price);
        d.add_u64(f.price_cap, l.price_cap);
        d.add_text(f.title, &l.title);
        d.add_text(f.brand, &l.brand);
        d.add_text(f.model, &l.model);
        d.add_text(f.unit, &l.unit);
        d.add_text(
            f.category_code,
            l.category_path.last().map(String::as_str).unwrap_or(""),
        );
        d.add_text(f.category_name, &l.category_name);
        d.add_text(f.tags, l.tags.join(","));
        d.add_text(f.best_supplier, &l.best_supplier);
        if let Some(image) = &l.image {
            d.add_text(f.image, image);
        }
        d.add_u64(f.digest, l.digest());
        d
    }

    /// Runs a search. Any text is safe: it is analysed, never parsed as query syntax.
    pub fn search(&self, r: &SearchRequest) -> Result<SearchResults, SearchError> {
        let started = Instant::now();
        let f = &self.fields;
        let mut clauses = facets::filters(f, r);
        let text = query::text_query(f, &r.text);
        let has_text = text.is_some();
        match text {
            Some(q) => clauses.push((Occur::Must, q)),
            None => clauses.push((Occur::Must, Box::new(AllQuery))),
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();

        let mut categories = FacetCollector::for_field(schema::CATEGORY_FIELD);
        let category_root = facets::category(&r.category_path);
        categories.add_facet(category_root.clone());
        let mut attrs = FacetCollector::for_field("attrs");
        for root in facets::ROOTS {
            attrs.add_facet(root);
        }
        let limit = r.limit.clamp(1, 100);
        let page = TopDocs::with_limit(limit).and_offset(r.offset.min(10_000));
        let sort = if r.sort == Sort::Relevance && !has_text {
            Sort::PriceAsc
        } else {
            r.sort
        };
        let (addresses, (total, category_counts, attr_counts)): (Vec<DocAddress>, _) = match sort {
            Sort::Relevance => {
                let (top, rest) = searcher
                    .search(&query, &(page.order_by_score(), (Count, categories, attrs)))?;
                (top.into_iter().map(|(_, a)| a).collect(), rest)
            }
            Sort::PriceAsc | Sort::PriceDesc | Sort::DeliveryDays | Sort::SupplierScore => {
                let (field, order) = match sort {
                    Sort::PriceAsc => ("min_price", Order::Asc),
                    Sort::PriceDesc => ("min_price", Order::Desc),
                    Sort::DeliveryDays => ("min_days", Order::Asc),
                    _ => ("best_score", Order::Desc),
                };
                let by = page.order_by_fast_field::<u64>(field, order);
                let (top, rest) = searcher.search(&query, &(by, (Count, categories, attrs)))?;
                (top.into_iter().map(|(_, a)| a).collect(), rest)
            }
        };
        let hits = addresses
            .into_iter()
            .map(|a| self.hit(&searcher, a))
            .collect::<Result<Vec<_>, _>>()?;
        let counts = |root: &str, k: usize| -> Vec<FacetCount> {
            attr_counts
                .top_k(root, k)
                .into_iter()
                .map(|(facet, count)| FacetCount {
                    value: last_segment(facet),
                    count,
                })
                .collect()
        };
        let facets = Facets {
            categories: category_counts
                .get(category_root)
                .map(|(facet, count)| FacetCount {
                    value: last_segment(facet),
                    count,
                })
                .collect(),
            brands: counts("/brand", 30),
            sizes: counts("/size", 4),
            tags: counts("/tag", 10),
            leaves: counts("/leaf", 12),
            specs: facets::specs(attr_counts.get("/spec"), total as u64),
            in_stock: attr_counts.get("/stock").map(|(_, c)| c).sum(),
        };
        Ok(SearchResults {
            total,
            hits,
            facets,
            took_micros: started.elapsed().as_micros() as u64,
        })
    }

    /// What `text` most likely meant when it mistypes catalogue words
    /// ([`suggest::Vocabulary::correct`]), or `None`.
    pub fn correct(&self, text: &str) -> Result<Option<String>, SearchError> {
        let searcher = self.reader.searcher();
        let generation = searcher.generation().generation_id();
        let mut cached = self.vocabulary.lock().expect("vocabulary lock");
        let vocabulary = match &*cached {
            Some((g, at, v)) if *g == generation || at.elapsed() < VOCABULARY_AGE => v.clone(),
            _ => {
                let v = Arc::new(suggest::Vocabulary::of_index(&searcher, self.fields.words)?);
                *cached = Some((generation, Instant::now(), v.clone()));
                v
            }
        };
        drop(cached);
        Ok(vocabulary.correct(text))
    }

    fn hit(&self, searcher: &Searcher, address: DocAddress) -> Result<Hit, SearchError> {
        let f = &self.fields;
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        let number = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
        Ok(Hit {
            product_id: number(f.product_id),
            title: text(f.title),
            brand: text(f.brand),
            model: text(f.model),
            unit: text(f.unit),
            category_code: text(f.category_code),
            category_name: text(f.category_name),
            reference_price: number(f.ref_price),
            min_price: number(f.min_price),
            max_price: number(f.max_price),
            offer_count: number(f.offer_count),
            min_delivery_days: number(f.min_days),
            best_offer_id: number(f.best_offer),
            best_supplier: text(f.best_supplier),
            price_cap: number(f.price_cap),
            image: Some(text(f.image)).filter(|s| !s.is_empty()),
            tags: text(f.tags)
                .split(',')
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect(),
        })
    }

    /// What every document says of its product and city, for the consistency check.
    pub fn slices(&self) -> Result<Vec<Slice>, SearchError> {
        let searcher = self.reader.searcher();
        let f = &self.fields;
        let mut out = Vec::with_capacity(searcher.num_docs() as usize);
        for segment in searcher.segment_readers() {
            let store = segment.get_store_reader(64)?;
            for doc_id in segment.doc_ids_alive() {
                let doc: TantivyDocument = store.get(doc_id)?;
                let n = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
                let city = doc
                    .get_first(f.city)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string();
                out.push(Slice {
                    product_id: n(f.product_id),
                    city,
                    min_price: n(f.min_price),
                    digest: n(f.digest),
                });
            }
        }
        out.sort();
        Ok(out)
    }
}

/// One document in brief: its product and city, its lowest price, and the digest of
/// everything else it shows ([`Listing::digest`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Slice {
    pub product_id: u64,
    pub city: String,
    pub min_price: u64,
    pub digest: u64,
}

impl Listing {
    /// The document this listing makes, in brief.
    pub fn slice(&self) -> Slice {
        Slice {
            product_id: self.product_id,
            city: self.city.clone(),
            min_price: self.min_price,
            digest: self.digest(),
        }
    }
}

pub(crate) fn last_segment(facet: &Facet) -> String {
    facet
        .to_path()
        .last()
        .map(|s| s.to_string())
        .unwrap_or_default()
}
