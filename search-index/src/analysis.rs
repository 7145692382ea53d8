//! Text analysis for a Chinese product catalogue.
//!
//! Two analysers, because jieba's word segmentation is good for ranking but misses queries
//! that cut words differently, and its search mode breaks phrase queries:
//! - `grams`: for recall and phrases. Chinese text as overlapping bigrams plus unigrams at
//!   the same positions; Latin/digit runs kept whole (`m227fdw`, `1.5`) and also split into
//!   letter/digit parts at following positions (`m`, `227`, `fdw`), so partial model
//!   numbers match as phrases of parts.
//! - `words`: jieba words, for ranking.
//! - `spellings`: the pinyin of the Chinese words, whole and by initials
//!   ([`crate::spelling`]), so `fuyinzhi` and `fyz` find 复印纸.
//!
//! Both fold full-width to half-width and upper to lower case first.

use std::sync::OnceLock;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

pub const GRAMS: &str = "emall_grams";
pub const WORDS: &str = "emall_words";
pub const SPELLINGS: &str = "emall_spellings";

/// Full-width to half-width, ideographic space to space, lower case.
pub fn normalize(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// A maximal piece of one script in normalised text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Run<'a> {
    /// Letters and digits (a `.` between digits stays inside: `1.5`, `23.8`).
    Latin(&'a str),
    Cjk(&'a str),
}

/// Splits normalised text into Latin and CJK runs; everything else separates.
pub fn runs(text: &str) -> Vec<Run<'_>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |j: usize| chars.get(j).map(|x| x.0).unwrap_or(text.len());
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        if c.is_ascii_alphanumeric() {
            let mut j = i + 1;
            while j < chars.len() {
                let d = chars[j].1;
                let decimal_point = d == '.'
                    && chars[j - 1].1.is_ascii_digit()
                    && chars.get(j + 1).is_some_and(|n| n.1.is_ascii_digit());
                if d.is_ascii_alphanumeric() || decimal_point {
                    j += 1;
                } else {
                    break;
                }
            }
            out.push(Run::Latin(&text[chars[i].0..end_of(j)]));
            i = j;
        } else if is_cjk(c) {
            let mut j = i + 1;
            while j < chars.len() && is_cjk(chars[j].1) {
                j += 1;
            }
            out.push(Run::Cjk(&text[chars[i].0..end_of(j)]));
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// The letter/digit parts of a Latin run: `m227fdw` → `m`, `227`, `fdw`; `1.5` → `1`, `5`.
pub fn latin_parts(run: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let bytes = run.as_bytes();
    for i in 1..=bytes.len() {
        let boundary = i == bytes.len()
            || bytes[i] == b'.'
            || bytes[i - 1] == b'.'
            || bytes[i].is_ascii_digit() != bytes[i - 1].is_ascii_digit();
        if boundary {
            if bytes[start] != b'.' {
                parts.push(&run[start..i]);
            }
            start = i;
        }
    }
    parts
}

/// The `grams` tokens of a text (offsets refer to the normalised text).
fn grams(text: &str) -> Vec<Token> {
    let text = normalize(text);
    let mut out = Vec::new();
    let mut position = 0;
    let base = text.as_ptr() as usize;
    let push = |s: &str, position: usize, out: &mut Vec<Token>| {
        let from = s.as_ptr() as usize - base;
        out.push(Token {
            offset_from: from,
            offset_to: from + s.len(),
            position,
            text: s.to_string(),
            position_length: 1,
        });
    };
    for run in runs(&text) {
        match run {
            Run::Latin(s) => {
                let parts = latin_parts(s);
                push(s, position, &mut out);
                if parts.len() > 1 {
                    for (k, p) in parts.iter().enumerate() {
                        push(p, position + k, &mut out);
                    }
                }
                position += parts.len().max(1);
            }
            Run::Cjk(s) => {
                let chars: Vec<(usize, char)> = s.char_indices().collect();
                for k in 0..chars.len() {
                    let end1 = chars.get(k + 1).map(|x| x.0).unwrap_or(s.len());
                    push(&s[chars[k].0..end1], position + k, &mut out);
                    if k + 1 < chars.len() {
                        let end2 = chars.get(k + 2).map(|x| x.0).unwrap_or(s.len());
                        push(&s[chars[k].0..end2], position + k, &mut out);
                    }
                }
                position += chars.len();
            }
        }
    }
    out
}

pub fn jieba() -> &'static jieba_rs::Jieba {
    static JIEBA: OnceLock<jieba_rs::Jieba> = OnceLock::new();
    JIEBA.get_or_init(|| {
        let mut j = jieba_rs::Jieba::new();
        // Catalogue words jieba's general dictionary would cut apart.
        for w in [
            "硒鼓",
            "墨粉盒",
            "一体机",
            "复印纸",
            "碎纸机",
            "闪存盘",
            "移动硬盘",
            "固态硬盘",
            "交换机",
            "中性笔",
            "订书机",
            "洗洁精",
            "保险柜",
            "投影仪",
            "办公椅",
            "文件柜",
        ] {
            j.add_word(w, Some(20_000), None);
        }
        j
    })
}

/// Jieba words of a normalised CJK run.
pub fn cjk_words(run: &str) -> Vec<&str> {
    jieba()
        .cut(run, false)
        .into_iter()
        .map(|t| t.word)
        .filter(|w| w.chars().any(is_cjk))
        .collect()
}

/// The `words` tokens: jieba words of the CJK runs and the Latin runs whole.
fn words(text: &str) -> Vec<Token> {
    let text = normalize(text);
    let mut out = Vec::new();
    let base = text.as_ptr() as usize;
    for run in runs(&text) {
        let pieces = match run {
            Run::Latin(s) => vec![s],
            Run::Cjk(s) => cjk_words(s),
        };
        for w in pieces {
            let from = w.as_ptr() as usize - base;
            let position = out.len();
            out.push(Token {
                offset_from: from,
                offset_to: from + w.len(),
                position,
                text: w.to_string(),
                position_length: 1,
            });
        }
    }
    out
}

/// The `spellings` tokens: for each word of two characters or more its whole pinyin, and
/// from three characters its initials. Words as jieba's search mode cuts them, the longer
/// words and the shorter ones inside (激光打印机, 激光, 打印, 打印机), and a run of several
/// words as a whole. One position each: they are only ever matched as single terms.
fn spellings(text: &str) -> Vec<Token> {
    let text = normalize(text);
    let mut seen: Vec<String> = Vec::new();
    let mut add = |piece: &str| {
        let n = piece.chars().count();
        if n < 2 || n > 12 {
            return;
        }
        let whole = crate::spelling::full(piece);
        let initials = (n >= 3).then(|| crate::spelling::initials(piece)).flatten();
        for s in [whole, initials].into_iter().flatten() {
            if !seen.contains(&s) {
                seen.push(s);
            }
        }
    };
    for run in runs(&text) {
        if let Run::Cjk(s) = run {
            for w in jieba().cut_for_search(s, false) {
                add(w.word);
            }
            add(s);
        }
    }
    seen.into_iter()
        .enumerate()
        .map(|(position, text)| Token {
            offset_from: 0,
            offset_to: 0,
            position,
            text,
            position_length: 1,
        })
        .collect()
}

/// The same texts come again and again while indexing (a product in each city, a category's
/// names on every product in it), so each indexing thread keeps the last few thousand
/// analyses.
fn cached(kind: Kind, text: &str, analyse: impl FnOnce() -> Vec<Token>) -> Vec<Token> {
    use std::cell::RefCell;
    use std::collections::HashMap;
    const CAPACITY: usize = 4096;
    thread_local! {
        static CACHE: RefCell<HashMap<(u8, String), Vec<Token>>> = RefCell::new(HashMap::new());
    }
    if text.len() > 512 {
        return analyse();
    }
    let key = (kind as u8, text.to_string());
    if let Some(hit) = CACHE.with(|c| c.borrow().get(&key).cloned()) {
        return hit;
    }
    let tokens = analyse();
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CAPACITY {
            c.clear();
        }
        c.insert(key, tokens.clone());
    });
    tokens
}

#[derive(Clone, Copy)]
enum Kind {
    Grams,
    Words,
    Spellings,
}

#[derive(Clone)]
pub struct CatalogueTokenizer(Kind);

impl CatalogueTokenizer {
    pub fn grams() -> TextAnalyzer {
        TextAnalyzer::builder(CatalogueTokenizer(Kind::Grams)).build()
    }

    pub fn words() -> TextAnalyzer {
        TextAnalyzer::builder(CatalogueTokenizer(Kind::Words)).build()
    }

    pub fn spellings() -> TextAnalyzer {
        TextAnalyzer::builder(CatalogueTokenizer(Kind::Spellings)).build()
    }
}

pub struct Stream {
    tokens: Vec<Token>,
    index: usize,
}

impl Tokenizer for CatalogueTokenizer {
    type TokenStream<'a> = Stream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Stream {
        let kind = self.0;
        let tokens = cached(kind, text, || match kind {
            Kind::Grams => grams(text),
            Kind::Words => words(text),
            Kind::Spellings => spellings(text),
        });
        Stream { tokens, index: 0 }
    }
}

impl TokenStream for Stream {
    fn advance(&mut self) -> bool {
        if self.index < self.tokens.len() {
            self.index += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.index - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(tokens: Vec<Token>) -> Vec<(String, usize)> {
        tokens.into_iter().map(|t| (t.text, t.position)).collect()
    }

    #[test]
    fn runs_split_scripts_and_keep_decimals() {
        let t = normalize("惠普 M227fdw 激光打印机 1.5匹 i5-12400 Ａ４");
        assert_eq!(
            runs(&t),
            vec![
                Run::Cjk("惠普"),
                Run::Latin("m227fdw"),
                Run::Cjk("激光打印机"),
                Run::Latin("1.5"),
                Run::Cjk("匹"),
                Run::Latin("i5"),
                Run::Latin("12400"),
                Run::Latin("a4"),
            ]
        );
    }

    #[test]
    fn latin_runs_split_into_parts() {
        assert_eq!(latin_parts("m227fdw"), ["m", "227", "fdw"]);
        assert_eq!(latin_parts("1.5"), ["1", "5"]);
        assert_eq!(latin_parts("cf230a"), ["cf", "230", "a"]);
        assert_eq!(latin_parts("hp"), ["hp"]);
    }

    #[test]
    fn grams_put_unigrams_beside_bigrams_and_parts_after_wholes() {
        assert_eq!(
            texts(grams("复印纸 M227")),
            [
                ("复", 0),
                ("复印", 0),
                ("印", 1),
                ("印纸", 1),
                ("纸", 2),
                ("m227", 3),
                ("m", 3),
                ("227", 4)
            ]
            .map(|(s, p)| (s.to_string(), p))
        );
    }

    #[test]
    fn spellings_are_whole_words_and_initials() {
        let s: Vec<String> = spellings("得力 复印纸 激光打印机 A4")
            .into_iter()
            .map(|t| t.text)
            .collect();
        for expected in [
            "deli",
            "fuyinzhi",
            "fyz",
            "dayinji",
            "dyj",
            "jiguangdayinji",
            "jgdyj",
        ] {
            assert!(s.contains(&expected.to_string()), "{expected} in {s:?}");
        }
        assert!(
            !s.contains(&"dl".to_string()),
            "no initials of two characters: {s:?}"
        );
        assert!(!s.iter().any(|t| t.contains('4')), "{s:?}");
    }

    #[test]
    fn words_use_jieba() {
        let w: Vec<String> = words("联想笔记本电脑 ThinkPad")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert!(w.contains(&"thinkpad".to_string()), "{w:?}");
        assert!(w.iter().any(|x| x.contains("笔记本")), "{w:?}");
    }
}
