//! From what a buyer typed to a tantivy query. Nothing typed is ever parsed as query syntax:
//! text is normalised, cut into runs and words, and each becomes term or phrase queries.
//!
//! Every "unit" (a Latin run such as `m227fdw`, or a jieba word of a Chinese run) must
//! match, in the name, the category or the specs, as itself or as a synonym; long queries
//! may miss a quarter of their units. Chinese words match as phrases of bigrams, so a word
//! cut differently in a title still matches; Latin runs also match as phrases of their
//! parts (`227fdw` finds `M227fdw`), and letters alone as pinyin (`fyz` finds 复印纸).

use crate::analysis::{self, cjk_words, latin_parts, normalize, runs, Run};
use crate::schema::Fields;
use crate::synonyms::synonyms;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

/// Words that say nothing about the product.
const STOPWORDS: &[&str] = &["采购", "购买", "求购", "买", "需要", "的", "一批", "一个"];
/// Longer input is cut: nobody types more, and it bounds the query's size.
const MAX_CHARS: usize = 100;
const MAX_UNITS: usize = 12;

fn term(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn phrase(field: Field, parts: &[&str]) -> Box<dyn Query> {
    if parts.len() == 1 {
        return term(field, parts[0]);
    }
    let terms = parts
        .iter()
        .enumerate()
        .map(|(i, p)| (i, Term::from_field_text(field, p)))
        .collect();
    Box::new(PhraseQuery::new_with_offset(terms))
}

fn boost(q: Box<dyn Query>, by: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(q, by))
}

fn any(qs: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if qs.len() == 1 {
        return qs.into_iter().next().expect("one");
    }
    Box::new(BooleanQuery::new(
        qs.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

fn all(qs: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if qs.len() == 1 {
        return qs.into_iter().next().expect("one");
    }
    Box::new(BooleanQuery::new(
        qs.into_iter().map(|q| (Occur::Must, q)).collect(),
    ))
}

/// How one run (already normalised) matches in one `grams` field.
fn run_in(field: Field, run: &Run<'_>) -> Box<dyn Query> {
    match run {
        Run::Latin(s) => {
            let parts = latin_parts(s);
            if parts.len() <= 1 {
                term(field, s)
            } else {
                any(vec![boost(term(field, s), 2.0), phrase(field, &parts)])
            }
        }
        Run::Cjk(s) => {
            let chars: Vec<(usize, char)> = s.char_indices().collect();
            if chars.len() <= 2 {
                term(field, s)
            } else {
                let bigrams: Vec<&str> = (0..chars.len() - 1)
                    .map(|k| &s[chars[k].0..chars.get(k + 2).map(|x| x.0).unwrap_or(s.len())])
                    .collect();
                phrase(field, &bigrams)
            }
        }
    }
}

/// One alternative spelling of a unit: every one of its runs must match somewhere.
fn alternative(f: &Fields, text: &str) -> Box<dyn Query> {
    let runs = runs(text);
    let per_run: Vec<Box<dyn Query>> = runs
        .iter()
        .map(|r| {
            let mut places = vec![
                boost(run_in(f.name, r), 3.0),
                boost(run_in(f.category_text, r), 6.0),
                boost(run_in(f.extra, r), 0.5),
            ];
            match r {
                Run::Cjk(s) => places.push(boost(term(f.words, s), 1.0)),
                // Typed pinyin: 复印纸 as `fuyinzhi` or `fyz`.
                Run::Latin(s) if crate::spelling::could_be(s) => {
                    places.push(boost(term(f.spellings, s), 2.0))
                }
                Run::Latin(_) => {}
            }
            any(places)
        })
        .collect();
    all(per_run)
}

/// A unit and its synonyms.
fn unit(f: &Fields, text: &str) -> Box<dyn Query> {
    let mut alts = vec![alternative(f, text)];
    for other in synonyms().others(text) {
        alts.push(boost(alternative(f, other), 0.8));
    }
    any(alts)
}

/// The units of a query: whole chunks known as synonyms, else Latin runs and jieba words.
fn units(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in text.split_whitespace() {
        if synonyms().contains(chunk) {
            out.push(chunk.to_string());
            continue;
        }
        for run in runs(chunk) {
            match run {
                Run::Latin(s) => out.push(s.to_string()),
                Run::Cjk(s) => {
                    for w in cjk_words(s) {
                        if !STOPWORDS.contains(&w) {
                            out.push(w.to_string());
                        }
                    }
                }
            }
        }
    }
    out.truncate(MAX_UNITS);
    out
}

/// The text part of a search, or `None` when nothing searchable was typed (browse).
pub fn text_query(f: &Fields, input: &str) -> Option<Box<dyn Query>> {
    let clipped: String = input.chars().take(MAX_CHARS).collect();
    let normalised = normalize(&clipped);
    let units = units(&normalised);
    if units.is_empty() {
        return None;
    }
    let n = units.len();
    let required = if n <= 2 { n } else { n - (n / 4).max(1) };
    let clauses: Vec<(Occur, Box<dyn Query>)> =
        units.iter().map(|u| (Occur::Should, unit(f, u))).collect();
    Some(Box::new(BooleanQuery::with_minimum_required_clauses(
        clauses, required,
    )))
}

/// Whether the input holds anything searchable (for callers deciding browse vs search).
pub fn is_blank(input: &str) -> bool {
    units(&analysis::normalize(input)).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_drop_filler_and_keep_models() {
        let u = units(&normalize("采购 华为 交换机 24口"));
        assert!(!u.contains(&"采购".to_string()), "{u:?}");
        assert!(
            u.contains(&"24".to_string()) && u.contains(&"华为".to_string()),
            "{u:?}"
        );
        assert_eq!(
            units(&normalize("a4纸")),
            ["a4纸"],
            "a known synonym stays whole"
        );
        assert!(units(&normalize("  :*() \" AND "))
            .iter()
            .all(|u| u == "and"));
        assert!(is_blank("  ***  "));
    }
}
