//! The syntax of a year's file: a small subset of TOML (`key = value` lines, integers,
//! strings, lists that may span lines, `#` comments), read into entries with their lines.
//! What the entries mean is `year.rs`'s business.

use super::year::{YearFileError, YearFileProblem};

/// A list item: a date or a range, with its line.
#[derive(Debug)]
pub(super) struct Item {
    pub line: usize,
    pub text: String,
}

#[derive(Debug)]
pub(super) enum Value {
    /// A number or an unquoted date.
    Bare(String),
    Quoted(String),
    List(Vec<Item>),
}

#[derive(Debug)]
pub(super) struct Entry {
    pub line: usize,
    pub key: String,
    pub value: Value,
}

pub(super) struct Entries {
    pub entries: Vec<Entry>,
    pub errors: Vec<YearFileError>,
}

#[derive(Debug, PartialEq)]
enum Token {
    Bare(String),
    Quoted(String),
    Equals,
    Open,
    Close,
    Comma,
    EndOfLine,
    /// A character the format has no use for, or a string left open at the end of a line.
    Invalid,
}

/// Splits the text into tokens with their lines; comments are dropped.
fn tokens(text: &str) -> Vec<(usize, Token)> {
    let mut out = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let n = index + 1;
        let mut chars = line.char_indices().peekable();
        while let Some((start, c)) = chars.next() {
            let token = match c {
                '#' => break,
                c if c.is_whitespace() => continue,
                '=' => Token::Equals,
                '[' => Token::Open,
                ']' => Token::Close,
                ',' => Token::Comma,
                '"' | '\'' => {
                    let mut s = String::new();
                    let mut closed = false;
                    while let Some((_, ch)) = chars.next() {
                        match ch {
                            _ if ch == c => {
                                closed = true;
                                break;
                            }
                            // Basic strings escape `"` and `\`; literal strings escape nothing.
                            '\\' if c == '"' => match chars.next() {
                                Some((_, e @ ('"' | '\\'))) => s.push(e),
                                _ => break,
                            },
                            _ => s.push(ch),
                        }
                    }
                    if closed {
                        Token::Quoted(s)
                    } else {
                        Token::Invalid
                    }
                }
                c if is_bare(c) => {
                    let mut end = start + c.len_utf8();
                    while let Some(&(i, ch)) = chars.peek() {
                        if !is_bare(ch) {
                            break;
                        }
                        end = i + ch.len_utf8();
                        chars.next();
                    }
                    Token::Bare(line[start..end].to_string())
                }
                _ => Token::Invalid,
            };
            out.push((n, token));
        }
        out.push((n, Token::EndOfLine));
    }
    out
}

fn is_bare(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '+' | ':')
}

/// `key = value` entries; a list may span lines. A faulty entry is reported and skipped.
pub(super) fn read_entries(text: &str) -> Entries {
    let tokens = tokens(text);
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let start = i;
        let (line, token) = &tokens[i];
        let line = *line;
        match (token, tokens.get(i + 1).map(|t| &t.1)) {
            (Token::EndOfLine, _) => {
                i += 1;
                continue;
            }
            (Token::Bare(key), Some(Token::Equals)) => {
                i += 2;
                if let Some((value, next)) = value(&tokens, i, &mut errors) {
                    i = next;
                    if matches!(tokens.get(i), Some((_, Token::EndOfLine)) | None) {
                        entries.push(Entry {
                            line,
                            key: key.clone(),
                            value,
                        });
                        continue;
                    }
                } else {
                    i = skip_entry(&tokens, start);
                    continue;
                }
            }
            _ => {}
        }
        errors.push(YearFileError {
            line: tokens.get(i).map_or(line, |t| t.0),
            problem: YearFileProblem::Syntax,
        });
        i = skip_entry(&tokens, start);
    }
    Entries { entries, errors }
}

/// The value starting at token `i` and the index after it; `None` after reporting a fault.
fn value(
    tokens: &[(usize, Token)],
    mut i: usize,
    errors: &mut Vec<YearFileError>,
) -> Option<(Value, usize)> {
    let syntax = |line| YearFileError {
        line,
        problem: YearFileProblem::Syntax,
    };
    let (line, token) = tokens.get(i)?;
    match token {
        Token::Bare(s) => return Some((Value::Bare(s.clone()), i + 1)),
        Token::Quoted(s) => return Some((Value::Quoted(s.clone()), i + 1)),
        Token::Open => {}
        _ => {
            errors.push(syntax(*line));
            return None;
        }
    }
    let open_line = *line;
    let mut items = Vec::new();
    i += 1;
    loop {
        while matches!(tokens.get(i), Some((_, Token::EndOfLine))) {
            i += 1;
        }
        let Some((line, token)) = tokens.get(i) else {
            // The list is never closed.
            errors.push(syntax(open_line));
            return None;
        };
        match token {
            Token::Close => return Some((Value::List(items), i + 1)),
            // The next entry: the list was never closed.
            Token::Bare(_) if matches!(tokens.get(i + 1), Some((_, Token::Equals))) => {
                errors.push(syntax(open_line));
                return None;
            }
            Token::Bare(s) | Token::Quoted(s) => items.push(Item {
                line: *line,
                text: s.clone(),
            }),
            _ => {
                errors.push(syntax(*line));
                return None;
            }
        }
        i += 1;
        while matches!(tokens.get(i), Some((_, Token::EndOfLine))) {
            i += 1;
        }
        match tokens.get(i) {
            Some((_, Token::Comma)) => i += 1,
            Some((_, Token::Close)) => {}
            Some((line, _)) => {
                errors.push(syntax(*line));
                return None;
            }
            None => {
                errors.push(syntax(open_line));
                return None;
            }
        }
    }
}

/// The index of the next entry after a faulty one: past the end of its line, or past the
/// closing bracket of a list it opened.
fn skip_entry(tokens: &[(usize, Token)], mut i: usize) -> usize {
    let mut depth = 0usize;
    while let Some((_, token)) = tokens.get(i) {
        i += 1;
        match token {
            Token::Open => depth += 1,
            Token::Close => depth = depth.saturating_sub(1),
            Token::EndOfLine if depth == 0 => break,
            // A new entry on a line of its own ends an unclosed list.
            Token::EndOfLine
                if matches!(
                    (tokens.get(i), tokens.get(i + 1)),
                    (Some((_, Token::Bare(_))), Some((_, Token::Equals)))
                ) =>
            {
                break
            }
            _ => {}
        }
    }
    i
}
