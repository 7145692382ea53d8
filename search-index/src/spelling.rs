//! Chinese words in Latin letters (汉语拼音), as buyers type them without an input method:
//! the whole spelling (`fuyinzhi` for 复印纸) and the initials (`fyz`). Tones are dropped
//! and ü is typed v, as on every keyboard (`lv` for 绿).

use pinyin::ToPinyin;

/// The plain spelling of every character of `word` (`复印纸` → `fuyinzhi`), or `None` when a
/// character has none (not a Chinese character).
pub fn full(word: &str) -> Option<String> {
    let mut out = String::with_capacity(word.len() * 2);
    for p in word.to_pinyin() {
        out.extend(p?.plain().chars().map(typed));
    }
    (!out.is_empty()).then_some(out)
}

/// The first letter of every character's spelling (`复印纸` → `fyz`).
pub fn initials(word: &str) -> Option<String> {
    let mut out = String::with_capacity(word.chars().count());
    for p in word.to_pinyin() {
        out.extend(p?.first_letter().chars().map(typed));
    }
    (!out.is_empty()).then_some(out)
}

/// ü as typed on a keyboard.
fn typed(c: char) -> char {
    if c == 'ü' {
        'v'
    } else {
        c
    }
}

/// Whether a Latin run could be typed pinyin: letters only, at least three of them (two
/// letters are too many words' initials to mean one).
pub fn could_be(run: &str) -> bool {
    run.len() >= 3 && run.bytes().all(|b| b.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_spell_whole_and_by_initials() {
        assert_eq!(full("复印纸").as_deref(), Some("fuyinzhi"));
        assert_eq!(initials("复印纸").as_deref(), Some("fyz"));
        assert_eq!(full("打印机").as_deref(), Some("dayinji"));
        assert_eq!(full("绿色").as_deref(), Some("lvse"), "ü is typed v");
        assert_eq!(full("a4"), None);
        assert_eq!(initials(""), None);
    }

    #[test]
    fn only_letter_runs_of_three_could_be_pinyin() {
        assert!(could_be("fyz"));
        assert!(could_be("dayinji"));
        assert!(!could_be("hp"));
        assert!(!could_be("a4"));
        assert!(!could_be("m227fdw"));
    }
}
