//! Text analysis for Chinese product catalogues: full-width folded to half-width, case
//! folded, Latin/digit runs kept whole (model numbers such as `M227fdw`), and Chinese text
//! as overlapping character bigrams (plus single characters for one-character words).

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

pub const TOKENIZER: &str = "catalogue";

/// Full-width to half-width, lower case.
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

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// The terms of a text, as the index stores them (offsets in bytes of the normalised text).
fn analyse(text: &str) -> Vec<Token> {
    let text = normalize(text);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut position = 0;
    let mut push = |from: usize, to: usize, out: &mut Vec<Token>| {
        out.push(Token {
            offset_from: from,
            offset_to: to,
            position,
            text: text[from..to].to_string(),
            position_length: 1,
        });
        position += 1;
    };
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_ascii_alphanumeric() {
            let mut j = i;
            while j < chars.len() && (chars[j].1.is_ascii_alphanumeric()) {
                j += 1;
            }
            let end = chars.get(j).map(|x| x.0).unwrap_or(text.len());
            push(start, end, &mut out);
            i = j;
        } else if is_cjk(c) {
            let mut j = i;
            while j < chars.len() && is_cjk(chars[j].1) {
                j += 1;
            }
            if j - i == 1 {
                let end = chars.get(j).map(|x| x.0).unwrap_or(text.len());
                push(start, end, &mut out);
            } else {
                for k in i..j - 1 {
                    let end = chars.get(k + 2).map(|x| x.0).unwrap_or(text.len());
                    push(chars[k].0, end, &mut out);
                }
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// The terms of a query string.
pub fn tokens(text: &str) -> Vec<String> {
    analyse(text).into_iter().map(|t| t.text).collect()
}

#[derive(Clone, Default)]
pub struct CatalogueTokenizer;

impl CatalogueTokenizer {
    pub fn analyzer() -> TextAnalyzer {
        TextAnalyzer::builder(CatalogueTokenizer).build()
    }
}

pub struct Stream {
    tokens: Vec<Token>,
    index: usize,
}

impl Tokenizer for CatalogueTokenizer {
    type TokenStream<'a> = Stream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Stream {
        Stream {
            tokens: analyse(text),
            index: 0,
        }
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

    #[test]
    fn splits_models_and_chinese() {
        assert_eq!(
            tokens("惠普 M227fdw 激光打印机"),
            ["惠普", "m227fdw", "激光", "光打", "打印", "印机"]
        );
        assert_eq!(tokens("Ａ４复印纸"), ["a4", "复印", "印纸"]);
        assert_eq!(tokens("i5-12400"), ["i5", "12400"]);
        assert_eq!(tokens("纸"), ["纸"]);
        assert!(tokens("  :*()\"").is_empty());
    }
}
