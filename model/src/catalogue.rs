//! The catalogue as the public pages show it: products, categories, search and its facets,
//! the price comparison of one product, and a supplier's storefront.

use super::*;

/// A standard product as found in the whole catalogue, sold anywhere or not yet at all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductPick {
    pub id: i64,
    pub title: String,
    pub brand: String,
    pub model: String,
    pub unit: String,
    pub category_code: String,
    pub reference_price: Fen,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryNode {
    pub code: String,
    pub name: String,
    pub product_count: i64,
    pub children: Vec<CategoryNode>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductCard {
    pub id: i64,
    pub title: String,
    pub brand: String,
    pub model: String,
    pub category_name: String,
    pub unit: String,
    pub reference_price: Fen,
    /// Lowest live price in the page's city, if any supplier there sells it.
    pub lowest_price: Option<Fen>,
    pub offer_count: i64,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MallStats {
    pub products: i64,
    pub suppliers: i64,
    pub units: i64,
    pub live_offers: i64,
}

/// The public storefront home of one city.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StorefrontPage {
    pub city: CityOption,
    pub stats: MallStats,
    pub categories: Vec<CategoryNode>,
    pub featured: Vec<ProductCard>,
}

/// The search form's state, as it is in the URL (`/search?q=…&city=…&brand=…`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchQuery {
    pub q: String,
    pub city: String,
    pub category: Option<String>,
    pub brands: Vec<String>,
    pub sizes: Vec<String>,
    pub tags: Vec<String>,
    /// Chosen spec values, `(name, value)`; in the URL `spec=克重:70g`.
    pub specs: Vec<(String, String)>,
    /// Yuan, as typed (`12.50`).
    pub min: String,
    pub max: String,
    pub in_stock: bool,
    /// `relevance`, `price_asc`, `price_desc`, `delivery`, `score`
    pub sort: String,
    /// 1-based
    pub page: u32,
}

/// A chosen spec as its `spec` URL value: `克重:70g`.
pub fn spec_param(name: &str, value: &str) -> String {
    format!("{name}:{value}")
}

/// A `spec` URL value as `(name, value)`, trimmed; `None` without both.
pub fn parse_spec(param: &str) -> Option<(String, String)> {
    let (name, value) = param.split_once(':')?;
    let (name, value) = (name.trim(), value.trim());
    (!name.is_empty() && !value.is_empty()).then(|| (name.to_string(), value.to_string()))
}

impl SearchQuery {
    /// The query string of this state (stable order, percent-encoded, defaults left out).
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        pairs.push(("city", self.city.clone()));
        if let Some(c) = &self.category {
            pairs.push(("category", c.clone()));
        }
        pairs.extend(self.brands.iter().map(|b| ("brand", b.clone())));
        pairs.extend(self.sizes.iter().map(|s| ("size", s.clone())));
        pairs.extend(self.tags.iter().map(|t| ("tag", t.clone())));
        pairs.extend(self.specs.iter().map(|(n, v)| ("spec", spec_param(n, v))));
        if !self.min.is_empty() {
            pairs.push(("min", self.min.clone()));
        }
        if !self.max.is_empty() {
            pairs.push(("max", self.max.clone()));
        }
        if self.in_stock {
            pairs.push(("stock", "1".into()));
        }
        if !self.sort.is_empty() && self.sort != "relevance" {
            pairs.push(("sort", self.sort.clone()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", crate::format::urlencode(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// This state with one change, as a locale-free `/search?…` path (page reset to 1).
    pub fn with(&self, change: impl FnOnce(&mut SearchQuery)) -> String {
        let mut next = self.clone();
        next.page = 1;
        change(&mut next);
        format!("/search?{}", next.to_query_string())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchHit {
    pub product_id: i64,
    pub title: String,
    pub brand: String,
    pub model: String,
    pub unit: String,
    pub category_code: String,
    pub category_name: String,
    pub reference_price: Fen,
    /// Lowest live price in the city.
    pub lowest_price: Fen,
    pub highest_price: Fen,
    pub offer_count: i64,
    pub min_delivery_days: i64,
    pub best_offer_id: i64,
    pub best_supplier: String,
    pub tags: Vec<String>,
    /// 同城限价 set by a joint purchase, when one holds.
    pub price_cap: Option<Fen>,
    /// `/images/products/…`, when the product has a picture.
    pub image: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetValue {
    pub value: String,
    pub label: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchFacets {
    /// Children of the chosen category (or the top level).
    pub categories: Vec<FacetValue>,
    /// The leaf categories of the matches, most matches first.
    pub leaves: Vec<FacetValue>,
    /// The specs that tell the matches apart, each with its values.
    pub specs: Vec<SpecFacet>,
    pub brands: Vec<FacetValue>,
    pub sizes: Vec<FacetValue>,
    pub tags: Vec<FacetValue>,
    pub in_stock: i64,
}

/// One spec (幅面, 克重 …) and the counts of its values among the matches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpecFacet {
    pub name: String,
    pub values: Vec<FacetValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResponse {
    pub total: i64,
    /// Server-side query time in microseconds.
    pub took_micros: i64,
    pub hits: Vec<SearchHit>,
    pub facets: SearchFacets,
}

/// The search and category browsing page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchPage {
    pub query: SearchQuery,
    pub city: CityOption,
    /// The chosen category's path as (code, name).
    pub breadcrumb: Vec<(String, String)>,
    pub results: SearchResponse,
    pub page_size: u32,
    /// Why the price filter was ignored, if it was.
    pub error: Option<String>,
    /// Nothing found: what the query most likely meant.
    pub did_you_mean: Option<DidYouMean>,
}

/// 您要找的是不是: a query that finds what a query that found nothing meant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DidYouMean {
    /// The query to search.
    pub query: String,
    /// As shown (a brand with its Latin name: 联想 Lenovo).
    pub shown: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductDetail {
    pub id: i64,
    pub title: String,
    pub brand: String,
    pub model: String,
    pub category_code: String,
    pub category_name: String,
    pub unit: String,
    pub specs: Vec<(String, String)>,
    pub barcode: Option<String>,
    pub reference_price: Fen,
    pub reference_source: String,
    /// `YYYY-MM-DD`
    pub reference_date: String,
    pub tags: Vec<String>,
    /// `/images/products/…`, when the product has an image.
    pub image: Option<String>,
}

/// An offer as the comparison page's buy box weighs it: its price at a quantity and
/// whether its stock fills it (the stock its page shows: the floor of its level).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuyOption {
    pub offer_id: i64,
    pub price: Fen,
    pub tiers: Vec<emall_domain::Tier>,
    pub stock: i64,
}

impl BuyOption {
    /// The offers of a comparison that may be bought at all (not above a city cap).
    pub fn of(offers: &[CityOffer]) -> Vec<BuyOption> {
        offers
            .iter()
            .filter(|o| !o.above_cap)
            .map(|o| BuyOption {
                offer_id: o.offer_id,
                price: o.price,
                tiers: o.tiers.clone(),
                // What the page shows and is announced on change, not the exact count.
                stock: emall_domain::stock::StockLevel::of(o.stock).floor(),
            })
            .collect()
    }

    /// The unit price for `quantity`, volume tiers applied.
    pub fn unit_price(&self, quantity: i64) -> Fen {
        emall_domain::PriceSchedule::new(self.price, self.tiers.clone())
            .map(|s| s.unit_price(quantity))
            .unwrap_or(self.price)
    }

    /// 一键购买最低价: the offer whose stock fills `quantity` at the lowest unit price for
    /// it (the earlier offer on a tie, as the page lists them), if any can.
    pub fn cheapest_for(options: &[BuyOption], quantity: i64) -> Option<&BuyOption> {
        options
            .iter()
            .filter(|o| o.stock >= quantity)
            .min_by_key(|o| o.unit_price(quantity))
    }
}

/// One supplier's live offer in a city, as the comparison page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CityOffer {
    pub offer_id: i64,
    pub supplier_id: i64,
    pub supplier_name: String,
    pub supplier_size: String,
    /// Performance score 0–100, when the supplier has a record.
    pub supplier_score: Option<i64>,
    pub price: Fen,
    pub stock: i64,
    pub delivery_days: i64,
    /// Price against the reference price, in basis points (−1234 = 12.34 % below).
    pub vs_reference_bp: i64,
    /// Volume tiers: lower unit prices from a minimum quantity on.
    pub tiers: Vec<emall_domain::Tier>,
    /// Above the city price cap a joint purchase set: not for sale at this price.
    #[serde(default)]
    pub above_cap: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PricePoint {
    /// `YYYY-MM-DD`
    pub date: String,
    pub lowest: Fen,
}

/// 全网比价: one standard product, every live offer in the city.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductPage {
    pub product: ProductDetail,
    pub city: CityOption,
    pub offers: Vec<CityOffer>,
    /// 同城限价 from a joint purchase, when one holds.
    pub price_cap: Option<PriceCapView>,
    pub history: Vec<PricePoint>,
    pub breadcrumb: Vec<(String, String)>,
}

/// A supplier's public storefront in a city.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupplierPage {
    pub id: i64,
    pub name: String,
    pub size: String,
    pub status: emall_domain::registration::SupplierStatus,
    pub score: Option<i64>,
    pub home_city: String,
    pub cities: Vec<String>,
    /// `YYYY-MM-DD`
    pub admitted_on: Option<String>,
    pub city: CityOption,
    pub offers: Vec<SupplierOffer>,
    pub offer_total: i64,
    /// 1-based, of `pages` (50 offers a page).
    pub page: i64,
    pub pages: i64,
    /// 信用记录: the entries still on the public record.
    pub credit: Vec<CreditEntryView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupplierOffer {
    pub product_id: i64,
    pub title: String,
    pub unit: String,
    pub price: Fen,
    pub reference_price: Fen,
    pub stock: i64,
    pub delivery_days: i64,
}

#[cfg(test)]
mod buy_tests {
    use super::BuyOption;
    use emall_domain::{Fen, Tier};

    fn option(offer_id: i64, price: i64, stock: i64, tiers: &[(i64, i64)]) -> BuyOption {
        BuyOption {
            offer_id,
            price: Fen(price),
            tiers: tiers
                .iter()
                .map(|&(min_quantity, p)| Tier {
                    min_quantity,
                    price: Fen(p),
                })
                .collect(),
            stock,
        }
    }

    #[test]
    fn the_lowest_is_the_cheapest_offer_that_can_fill_the_quantity() {
        let offers = [
            option(1, 1000, 0, &[]),
            option(2, 1100, 50, &[(20, 900)]),
            option(3, 1050, 500, &[]),
        ];
        let pick = |q| BuyOption::cheapest_for(&offers, q).map(|o| o.offer_id);
        // the cheapest has nothing in stock
        assert_eq!(pick(1), Some(3));
        // from 20 units the second's tier is cheaper
        assert_eq!(pick(20), Some(2));
        // only the third holds 100
        assert_eq!(pick(100), Some(3));
        assert_eq!(pick(501), None);
    }
}
