//! The catalogue's full-text index (tantivy).
//!
//! Architecture invariant: this crate knows nothing about HTTP, Leptos or sqlx. Callers hand
//! it [`ProductDoc`]s and get [`Hit`]s back; errors are [`SearchError`].

mod analysis;

use std::path::Path;
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value,
    STORED, STRING,
};
use tantivy::{doc, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub use analysis::{normalize, CatalogueTokenizer, TOKENIZER};

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("cannot open the index directory: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("io error: {0}")]
    Io(#[from] std::io::Error),
}

/// One standard product as the index sees it.
#[derive(Debug, Clone)]
pub struct ProductDoc {
    pub id: u64,
    pub title: String,
    pub brand: String,
    pub model: String,
    pub category_code: String,
    pub category_name: String,
    pub specs: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: u64,
    pub score: f32,
}

struct Fields {
    id: Field,
    title: Field,
    brand: Field,
    model: Field,
    category: Field,
    category_name: Field,
    specs: Field,
}

/// A long-lived handle: one reader, one writer behind a mutex, searchers per query.
pub struct CatalogueIndex {
    index: Index,
    reader: IndexReader,
    writer: std::sync::Mutex<IndexWriter>,
    fields: Fields,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let id = b.add_u64_field(
        "id",
        NumericOptions::default()
            .set_indexed()
            .set_stored()
            .set_fast(),
    );
    let title = b.add_text_field("title", text.clone());
    let brand = b.add_text_field("brand", text.clone());
    let model = b.add_text_field("model", text.clone());
    let category = b.add_text_field("category", STRING | STORED);
    let category_name = b.add_text_field("category_name", text.clone());
    let specs = b.add_text_field("specs", text);
    (
        b.build(),
        Fields {
            id,
            title,
            brand,
            model,
            category,
            category_name,
            specs,
        },
    )
}

impl CatalogueIndex {
    /// Opens the index in `dir`, creating it if absent.
    pub fn open(dir: &Path) -> Result<CatalogueIndex, SearchError> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = schema();
        let directory = tantivy::directory::MmapDirectory::open(dir)?;
        let index = Index::open_or_create(directory, schema)?;
        Self::from_index(index, fields)
    }

    /// An index in memory (tests).
    pub fn in_memory() -> Result<CatalogueIndex, SearchError> {
        let (schema, fields) = schema();
        Self::from_index(Index::create_in_ram(schema), fields)
    }

    fn from_index(index: Index, fields: Fields) -> Result<CatalogueIndex, SearchError> {
        index
            .tokenizers()
            .register(TOKENIZER, CatalogueTokenizer::analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let writer = index.writer(64_000_000)?;
        Ok(CatalogueIndex {
            index,
            reader,
            writer: std::sync::Mutex::new(writer),
            fields,
        })
    }

    /// Replaces every document with `docs` and commits.
    pub fn rebuild(&self, docs: impl IntoIterator<Item = ProductDoc>) -> Result<u64, SearchError> {
        let mut writer = self.writer.lock().expect("index writer lock");
        writer.delete_all_documents()?;
        let mut n = 0;
        for d in docs {
            writer.add_document(self.to_doc(&d))?;
            n += 1;
        }
        writer.commit()?;
        drop(writer);
        self.reader.reload()?;
        Ok(n)
    }

    /// Adds or replaces some products and commits.
    pub fn upsert(&self, docs: &[ProductDoc]) -> Result<(), SearchError> {
        let mut writer = self.writer.lock().expect("index writer lock");
        for d in docs {
            writer.delete_term(Term::from_field_u64(self.fields.id, d.id));
            writer.add_document(self.to_doc(d))?;
        }
        writer.commit()?;
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    fn to_doc(&self, d: &ProductDoc) -> TantivyDocument {
        let f = &self.fields;
        doc!(
            f.id => d.id,
            f.title => d.title.as_str(),
            f.brand => d.brand.as_str(),
            f.model => d.model.as_str(),
            f.category => d.category_code.as_str(),
            f.category_name => d.category_name.as_str(),
            f.specs => d.specs.as_str(),
        )
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Products matching `text`, best first. Any string is safe: it is analysed as words,
    /// never parsed as query syntax.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<Hit>, SearchError> {
        let f = &self.fields;
        let terms = analysis::tokens(text);
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let mut parser = QueryParser::for_index(
            &self.index,
            vec![f.title, f.brand, f.model, f.category_name, f.specs],
        );
        parser.set_field_boost(f.model, 3.0);
        parser.set_field_boost(f.brand, 2.0);
        parser.set_field_boost(f.title, 1.5);
        parser.set_conjunction_by_default();
        // Quote every token so nothing the user typed is query syntax.
        let q = terms
            .iter()
            .map(|t| format!("\"{t}\""))
            .collect::<Vec<_>>()
            .join(" ");
        let (query, _) = parser.parse_query_lenient(&q);
        let top = searcher.search(&query, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            if let Some(id) = doc.get_first(f.id).and_then(|v| v.as_u64()) {
                hits.push(Hit { id, score });
            }
        }
        Ok(hits)
    }
}
