//! The index schema: one document per standard product per city where it has live offers.

use crate::analysis::{GRAMS, SPELLINGS, WORDS};
use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
    FAST, INDEXED, STORED, STRING,
};

/// The category facet's field (named anew when its layout changed, so an index of the old
/// layout is found out of date and rebuilt) and the root segment every path hangs from.
pub const CATEGORY_FIELD: &str = "category_tree";
pub const CATEGORY_ROOT: &str = "c";

pub struct Fields {
    pub product_id: Field,
    pub city: Field,
    /// title, brand (zh and en), model — `grams`
    pub name: Field,
    /// category names along the path — `grams`
    pub category_text: Field,
    /// specs and barcode — `grams`
    pub extra: Field,
    /// title and category name as jieba words, for ranking
    pub words: Field,
    /// title, brand and category names in pinyin, whole and by initials
    pub spellings: Field,
    /// `/c/A/A02/A0201/A020101/A02010104` (under [`CATEGORY_ROOT`])
    pub category: Field,
    /// `/brand/联想`, `/size/small`, `/tag/energy_saving`, `/stock/in`, the leaf category
    /// `/leaf/A02010104` and each spec `/spec/幅面=A4` ([`crate::facets`])
    pub attrs: Field,
    pub min_price: Field,
    pub max_price: Field,
    pub offer_count: Field,
    pub min_days: Field,
    pub best_score: Field,
    pub best_offer: Field,
    pub ref_price: Field,
    // stored for display
    pub title: Field,
    pub brand: Field,
    pub model: Field,
    pub unit: Field,
    pub category_code: Field,
    pub category_name: Field,
    pub tags: Field,
    pub best_supplier: Field,
    /// the product's picture (a file name), when it has one
    pub image: Field,
    /// 同城限价 from a joint purchase, in fen (0: none)
    pub price_cap: Field,
    /// [`crate::Listing::digest`] of what the document was made from
    pub digest: Field,
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let number = NumericOptions::default()
        .set_indexed()
        .set_fast()
        .set_stored();
    let fields = Fields {
        product_id: b.add_u64_field("product_id", number.clone()),
        city: b.add_text_field("city", STRING | STORED),
        name: b.add_text_field("name", text(GRAMS)),
        category_text: b.add_text_field("category_text", text(GRAMS)),
        extra: b.add_text_field("extra", text(GRAMS)),
        words: b.add_text_field("words", text(WORDS)),
        spellings: b.add_text_field(
            "spellings",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(SPELLINGS)
                    .set_index_option(IndexRecordOption::WithFreqs),
            ),
        ),
        category: b.add_facet_field(CATEGORY_FIELD, FacetOptions::default()),
        attrs: b.add_facet_field("attrs", FacetOptions::default()),
        min_price: b.add_u64_field("min_price", number.clone()),
        max_price: b.add_u64_field("max_price", FAST | STORED),
        offer_count: b.add_u64_field("offer_count", FAST | STORED),
        min_days: b.add_u64_field("min_days", FAST | STORED | INDEXED),
        best_score: b.add_u64_field("best_score", FAST | STORED),
        best_offer: b.add_u64_field("best_offer", STORED),
        ref_price: b.add_u64_field("ref_price", STORED),
        title: b.add_text_field("title", STORED),
        brand: b.add_text_field("brand", STORED),
        model: b.add_text_field("model", STORED),
        unit: b.add_text_field("unit", STORED),
        category_code: b.add_text_field("category_code", STORED),
        category_name: b.add_text_field("category_name", STORED),
        tags: b.add_text_field("tags", STORED),
        best_supplier: b.add_text_field("best_supplier", STORED),
        image: b.add_text_field("image", STORED),
        price_cap: b.add_u64_field("price_cap", STORED),
        digest: b.add_u64_field("digest", STORED),
    };
    (b.build(), fields)
}
