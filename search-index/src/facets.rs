//! What a document is filtered and counted by, besides its text: the category tree, and the
//! `attrs` facets of brand, supplier size, policy tag, stock, leaf category and specs.

use crate::schema::{self, Fields};
use crate::{last_segment, FacetCount, Listing, SearchRequest, SpecFacet};
use std::ops::Bound;
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::Term;

/// The `attrs` roots counted for every search.
pub const ROOTS: [&str; 6] = ["/brand", "/size", "/tag", "/stock", "/leaf", "/spec"];

/// A spec name shown as a filter has at least this many values among the matches…
const MIN_VALUES: usize = 2;
/// …and at most this many (more is a model number or a free text, not a choice).
const MAX_VALUES: usize = 12;
/// …and describes at least this share of the matches, in percent.
const MIN_SHARE: u64 = 30;
/// Spec names shown at most, the most widely described first.
const MAX_NAMES: usize = 6;

/// A category path as its facet, under a root segment of its own: tantivy's facet counts
/// at the facet root itself group the children wrongly (货物 counted 10 of 349), so no
/// count is ever asked at the root.
pub fn category(path: &[String]) -> Facet {
    Facet::from_path(std::iter::once(schema::CATEGORY_ROOT).chain(path.iter().map(String::as_str)))
}

/// A spec as one facet segment, `幅面=A4`: one segment, so that one count over `/spec`
/// gives every name's values. An `=` in a name is written full width.
fn spec_segment(name: &str, value: &str) -> String {
    format!("{}={}", name.trim().replace('=', "＝"), value.trim())
}

/// The `attrs` facets of a listing.
pub fn attrs(l: &Listing) -> Vec<Facet> {
    let mut out = vec![Facet::from_path(["brand", l.brand.as_str()])];
    out.extend(
        l.supplier_sizes
            .iter()
            .map(|s| Facet::from_path(["size", s.as_str()])),
    );
    out.extend(l.tags.iter().map(|t| Facet::from_path(["tag", t.as_str()])));
    if l.in_stock {
        out.push(Facet::from_path(["stock", "in"]));
    }
    if let Some(leaf) = l.category_path.last() {
        out.push(Facet::from_path(["leaf", leaf.as_str()]));
    }
    let mut specs: Vec<String> = l
        .specs
        .iter()
        .filter(|(name, value)| !name.trim().is_empty() && !value.trim().is_empty())
        .map(|(name, value)| spec_segment(name, value))
        .collect();
    specs.sort();
    specs.dedup();
    out.extend(specs.iter().map(|s| Facet::from_path(["spec", s.as_str()])));
    out
}

/// The filters of a request: the city, the category, the chosen facets and the price range.
pub fn filters(f: &Fields, r: &SearchRequest) -> Vec<(Occur, Box<dyn Query>)> {
    let term = |field, text: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::Basic,
        ))
    };
    let facet = |path: Vec<&str>| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_facet(f.attrs, &Facet::from_path(path)),
            IndexRecordOption::Basic,
        ))
    };
    let mut out: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, term(f.city, &r.city))];
    if !r.category_path.is_empty() {
        let facet = category(&r.category_path);
        out.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_facet(f.category, &facet),
                IndexRecordOption::Basic,
            )),
        ));
    }
    let one_of = |values: &[String], kind: &str| -> Option<Box<dyn Query>> {
        (!values.is_empty()).then(|| {
            Box::new(BooleanQuery::new(
                values
                    .iter()
                    .map(|v| (Occur::Should, facet(vec![kind, v.as_str()])))
                    .collect(),
            )) as Box<dyn Query>
        })
    };
    out.extend(one_of(&r.brands, "brand").map(|q| (Occur::Must, q)));
    out.extend(one_of(&r.sizes, "size").map(|q| (Occur::Must, q)));
    for t in &r.tags {
        out.push((Occur::Must, facet(vec!["tag", t.as_str()])));
    }
    for alternatives in spec_filters(&r.specs) {
        out.push((
            Occur::Must,
            Box::new(BooleanQuery::new(
                alternatives
                    .into_iter()
                    .map(|path| (Occur::Should, facet(vec!["spec", path.as_str()])))
                    .collect(),
            )),
        ));
    }
    if r.in_stock {
        out.push((Occur::Must, facet(vec!["stock", "in"])));
    }
    if r.price_min.is_some() || r.price_max.is_some() {
        let bound = |v: Option<u64>, inclusive: bool| match v {
            Some(v) if inclusive => Bound::Included(Term::from_field_u64(f.min_price, v)),
            Some(v) => Bound::Excluded(Term::from_field_u64(f.min_price, v)),
            None => Bound::Unbounded,
        };
        out.push((
            Occur::Must,
            Box::new(RangeQuery::new(
                bound(r.price_min, true),
                bound(r.price_max, true),
            )),
        ));
    }
    out
}

/// The chosen specs as filters: one list of alternative `/spec` segments per name.
pub fn spec_filters(chosen: &[(String, String)]) -> Vec<Vec<String>> {
    let mut by_name: Vec<(String, Vec<String>)> = Vec::new();
    for (name, value) in chosen {
        let segment = spec_segment(name, value);
        match by_name.iter_mut().find(|(n, _)| n == name.trim()) {
            Some((_, values)) => values.push(segment),
            None => by_name.push((name.trim().to_string(), vec![segment])),
        }
    }
    by_name.into_iter().map(|(_, values)| values).collect()
}

/// The spec names that tell `total` matches apart, from the counts under `/spec`: a name
/// with two to twelve values that describes at least 30 % of the matches; at most six
/// names, the most widely described first, each with its values by count (ties by value).
pub fn specs<'a>(counts: impl Iterator<Item = (&'a Facet, u64)>, total: u64) -> Vec<SpecFacet> {
    let mut names: Vec<SpecFacet> = Vec::new();
    for (facet, count) in counts {
        let segment = last_segment(facet);
        let Some((name, value)) = segment.split_once('=') else {
            continue;
        };
        let value = FacetCount {
            value: value.to_string(),
            count,
        };
        match names.iter_mut().find(|s| s.name == name) {
            Some(s) => s.values.push(value),
            None => names.push(SpecFacet {
                name: name.to_string(),
                values: vec![value],
            }),
        }
    }
    let described = |s: &SpecFacet| s.values.iter().map(|v| v.count).sum::<u64>();
    names.retain(|s| {
        (MIN_VALUES..=MAX_VALUES).contains(&s.values.len())
            && described(s) * 100 >= total * MIN_SHARE
    });
    names.sort_by(|a, b| described(b).cmp(&described(a)).then(a.name.cmp(&b.name)));
    names.truncate(MAX_NAMES);
    for s in &mut names {
        s.values
            .sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(pairs: &[(&str, u64)]) -> Vec<(Facet, u64)> {
        pairs
            .iter()
            .map(|(s, n)| (Facet::from_path(["spec", s]), *n))
            .collect()
    }

    #[test]
    fn names_with_a_few_values_that_describe_many_matches_are_shown() {
        let counts = counted(&[
            ("克重=70g", 6),
            ("克重=80g", 3),
            ("幅面=A4", 9),
            ("产地=中国", 1),
            ("产地=日本", 1),
            ("规格=500张", 10),
        ]);
        let shown = specs(counts.iter().map(|(f, n)| (f, *n)), 10);
        let names: Vec<&str> = shown.iter().map(|s| s.name.as_str()).collect();
        // 幅面 and 规格 have one value (no choice), 产地 describes 2 of 10.
        assert_eq!(names, ["克重"]);
        assert_eq!(shown[0].values[0].value, "70g");
        assert_eq!(shown[0].values[0].count, 6);
    }

    #[test]
    fn alternatives_group_by_name() {
        let chosen = [
            ("克重".to_string(), "70g".to_string()),
            ("幅面".to_string(), "A4".to_string()),
            ("克重".to_string(), "80g".to_string()),
        ];
        assert_eq!(
            spec_filters(&chosen),
            [vec!["克重=70g", "克重=80g"], vec!["幅面=A4"]]
        );
    }

    #[test]
    fn a_listing_has_its_leaf_and_each_spec_once() {
        let l = Listing {
            brand: "得力".into(),
            category_path: vec!["A".into(), "A05".into(), "A0501".into()],
            specs: vec![
                ("幅面".into(), "A4".into()),
                ("幅面".into(), "A4".into()),
                ("a=b".into(), "c".into()),
                ("空".into(), " ".into()),
            ],
            ..Listing::default()
        };
        let paths: Vec<String> = attrs(&l).iter().map(|f| f.to_path().join("/")).collect();
        assert_eq!(
            paths,
            ["brand/得力", "leaf/A0501", "spec/a＝b=c", "spec/幅面=A4"]
        );
    }
}
