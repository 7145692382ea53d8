//! 您要找的是不是: what a query that found nothing most likely meant. The brand it
//! misspells ("lenvo" → 联想 Lenovo), by edit distance over the catalogue's brand names in
//! Latin letters; or the catalogue words it mistypes with an input method, which picks a
//! character of the same sound (打音机, 钉书机 → 打印机, 订书机), by the words' pinyin.

use crate::analysis::is_cjk;
use crate::spelling;
use std::collections::{HashMap, HashSet};

/// The brand `query` misspells, if one is close enough: one edit for a name of up to four
/// letters, two for a longer one (a letter added, dropped, changed, or two swapped), never
/// the query itself. `brands`: `(name, name in Latin letters)`.
pub fn brand<'a>(query: &str, brands: &'a [(String, String)]) -> Option<&'a (String, String)> {
    let q = query.trim().to_lowercase();
    let latin = q
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
    if !latin || q.chars().filter(char::is_ascii_alphabetic).count() < 3 {
        return None;
    }
    brands
        .iter()
        .filter_map(|b| {
            let name = b.1.trim().to_lowercase();
            let allowed = if name.chars().count() <= 4 { 1 } else { 2 };
            let d = distance(&q, &name);
            (d > 0 && d <= allowed).then_some((d, b))
        })
        .min_by_key(|&(d, _)| d)
        .map(|(_, b)| b)
}

/// The catalogue's Chinese words (as the index cut its titles and category names), and
/// each spelling's most used word.
#[derive(Debug, Default)]
pub struct Vocabulary {
    words: HashSet<String>,
    /// pinyin → (word, documents using it)
    by_spelling: HashMap<String, (String, u64)>,
}

/// Words of this many characters are looked up.
const WORD_CHARS: std::ops::RangeInclusive<usize> = 2..=6;
/// Characters of a query looked at for near spellings (one letter off): beyond, a query is
/// not a mistyped word.
const NEAR_CHARS: usize = 12;

impl Vocabulary {
    /// From `(word, documents using it)`; anything but a Chinese word of two to six
    /// characters is left out.
    pub fn new(words: impl IntoIterator<Item = (String, u64)>) -> Vocabulary {
        let mut v = Vocabulary::default();
        for (word, uses) in words {
            if !WORD_CHARS.contains(&word.chars().count()) || !word.chars().all(is_cjk) {
                continue;
            }
            if let Some(spelt) = spelling::full(&word) {
                let best = v.by_spelling.entry(spelt).or_insert((String::new(), 0));
                if uses > best.1 {
                    *best = (word.clone(), uses);
                }
            }
            v.words.insert(word);
        }
        v
    }

    /// The words of the index's `field` (a text field cut into words) with the number of
    /// documents using each.
    pub(crate) fn of_index(
        searcher: &tantivy::Searcher,
        field: tantivy::schema::Field,
    ) -> tantivy::Result<Vocabulary> {
        let mut uses: HashMap<String, u64> = HashMap::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut terms = inverted.terms().stream()?;
            while terms.advance() {
                let Ok(word) = std::str::from_utf8(terms.key()) else {
                    continue;
                };
                if WORD_CHARS.contains(&word.chars().count()) && word.chars().all(is_cjk) {
                    *uses.entry(word.to_string()).or_default() += u64::from(terms.value().doc_freq);
                }
            }
        }
        Ok(Vocabulary::new(uses))
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// `query` with each mistyped catalogue word replaced by the word of its sound, or
    /// `None` when nothing in it is mistyped. Longest pieces first at each place: a known
    /// word stays, a piece spelt as a known word becomes it, and a piece of three or more
    /// characters one letter off a known word of its length becomes that word.
    pub fn correct(&self, query: &str) -> Option<String> {
        let chars: Vec<char> = query.chars().collect();
        let mut out = String::with_capacity(query.len());
        let mut changed = false;
        let mut i = 0;
        while i < chars.len() {
            let run = chars[i..].iter().take_while(|c| is_cjk(**c)).count();
            if run == 0 {
                out.push(chars[i]);
                i += 1;
                continue;
            }
            let near = run <= NEAR_CHARS;
            let mut j = i;
            while j < i + run {
                let longest = (i + run - j).min(*WORD_CHARS.end());
                let found = (*WORD_CHARS.start()..=longest).rev().find_map(|n| {
                    let piece: String = chars[j..j + n].iter().collect();
                    self.word_for(&piece, near).map(|w| (n, w))
                });
                match found {
                    Some((n, word)) => {
                        changed |= word != chars[j..j + n].iter().collect::<String>();
                        out.push_str(&word);
                        j += n;
                    }
                    None => {
                        out.push(chars[j]);
                        j += 1;
                    }
                }
            }
            i += run;
        }
        changed.then_some(out)
    }

    /// The known word `piece` is or was meant to be.
    fn word_for(&self, piece: &str, near: bool) -> Option<String> {
        if self.words.contains(piece) {
            return Some(piece.to_string());
        }
        let spelt = spelling::full(piece)?;
        if let Some((word, _)) = self.by_spelling.get(&spelt) {
            return Some(word.clone());
        }
        let n = piece.chars().count();
        if !near || n < 3 {
            return None;
        }
        self.by_spelling
            .iter()
            .filter(|(s, (w, _))| {
                w.chars().count() == n
                    && s.as_bytes().first() == spelt.as_bytes().first()
                    && s.len().abs_diff(spelt.len()) <= 1
                    && distance(s, &spelt) == 1
            })
            .max_by(|a, b| a.1 .1.cmp(&b.1 .1).then(b.1 .0.cmp(&a.1 .0)))
            .map(|(_, (w, _))| w.clone())
    }
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbours, each one edit.
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for j in 0..=b.len() {
        rows[0][j] = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brands() -> Vec<(String, String)> {
        [
            ("联想", "Lenovo"),
            ("得力", "Deli"),
            ("惠普", "HP"),
            ("华为", "Huawei"),
            ("佳能", "Canon"),
        ]
        .into_iter()
        .map(|(zh, en)| (zh.to_string(), en.to_string()))
        .collect()
    }

    #[test]
    fn misspelt_brands_are_found() {
        let b = brands();
        assert_eq!(brand("lenvo", &b).map(|x| x.0.as_str()), Some("联想"));
        assert_eq!(brand("Lenvoo", &b).map(|x| x.0.as_str()), Some("联想"));
        assert_eq!(
            brand("huawie", &b).map(|x| x.0.as_str()),
            Some("华为"),
            "a swap"
        );
        assert_eq!(brand("delli", &b).map(|x| x.0.as_str()), Some("得力"));
    }

    #[test]
    fn nothing_close_or_not_latin_suggests_nothing() {
        let b = brands();
        assert_eq!(brand("lenovo", &b), None, "the name itself");
        assert_eq!(brand("zzqxj", &b), None);
        assert_eq!(brand("hq", &b), None, "too short to guess");
        assert_eq!(brand("联相", &b), None);
        assert_eq!(brand("canonical", &b), None, "too far");
    }

    fn vocabulary() -> Vocabulary {
        Vocabulary::new(
            [
                ("打印机", 20),
                ("复印纸", 30),
                ("订书机", 5),
                ("硒鼓", 12),
                ("西谷", 1),
                ("激光", 9),
                ("a4", 40),
                ("纸", 50),
            ]
            .map(|(w, n)| (w.to_string(), n)),
        )
    }

    #[test]
    fn mistyped_words_become_the_words_of_their_sound() {
        let v = vocabulary();
        assert_eq!(v.len(), 6, "Chinese words of two to six characters");
        assert_eq!(v.correct("钉书机").as_deref(), Some("订书机"));
        assert_eq!(
            v.correct("西鼓 CF230A").as_deref(),
            Some("硒鼓 CF230A"),
            "the word more documents use, the rest kept"
        );
        assert_eq!(
            v.correct("激光打音机").as_deref(),
            Some("激光打印机"),
            "same sound"
        );
        assert_eq!(
            v.correct("A4 复印只").as_deref(),
            Some("A4 复印纸"),
            "same sound, another tone"
        );
        assert_eq!(
            v.correct("打应机").as_deref(),
            Some("打印机"),
            "one letter off (ying for yin)"
        );
    }

    #[test]
    fn right_or_unknown_queries_are_not_corrected() {
        let v = vocabulary();
        assert_eq!(v.correct("激光打印机"), None);
        assert_eq!(v.correct("lenovo"), None);
        assert_eq!(v.correct("保险柜"), None);
        assert_eq!(v.correct(""), None);
    }

    #[test]
    fn distance_counts_each_edit_once() {
        assert_eq!(distance("lenvo", "lenovo"), 1);
        assert_eq!(distance("huawie", "huawei"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
