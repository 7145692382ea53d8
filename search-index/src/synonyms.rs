//! The synonym list (`search-index/synonyms.txt`), compiled into the binary.

use crate::analysis::normalize;
use std::collections::HashMap;
use std::sync::OnceLock;

pub struct Synonyms {
    groups: Vec<Vec<String>>,
    index: HashMap<String, usize>,
}

impl Synonyms {
    pub fn parse(text: &str) -> Synonyms {
        let mut groups = Vec::new();
        let mut index = HashMap::new();
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let group: Vec<String> = line
                .split(',')
                .map(|w| normalize(w.trim()))
                .filter(|w| !w.is_empty())
                .collect();
            if group.len() < 2 {
                continue;
            }
            for w in &group {
                index.entry(w.clone()).or_insert(groups.len());
            }
            groups.push(group);
        }
        Synonyms { groups, index }
    }

    /// The other words that mean what `word` (normalised) means.
    pub fn others<'a>(&'a self, word: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.index
            .get(word)
            .map(|&g| self.groups[g].as_slice())
            .unwrap_or(&[])
            .iter()
            .map(String::as_str)
            .filter(move |w| *w != word)
    }

    pub fn contains(&self, word: &str) -> bool {
        self.index.contains_key(word)
    }
}

pub fn synonyms() -> &'static Synonyms {
    static SYNONYMS: OnceLock<Synonyms> = OnceLock::new();
    SYNONYMS.get_or_init(|| Synonyms::parse(include_str!("../synonyms.txt")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_symmetric_and_normalised() {
        let s = Synonyms::parse("# comment\n电脑,计算机\nU盘, 优盘 ,闪存盘\nlonely\n");
        assert_eq!(s.others("电脑").collect::<Vec<_>>(), ["计算机"]);
        assert_eq!(s.others("计算机").collect::<Vec<_>>(), ["电脑"]);
        assert_eq!(s.others("优盘").collect::<Vec<_>>(), ["u盘", "闪存盘"]);
        assert_eq!(s.others("lonely").count(), 0);
    }

    #[test]
    fn the_shipped_list_parses() {
        assert!(synonyms().contains("复印纸"));
        assert!(synonyms().others("a4纸").any(|w| w == "复印纸"));
    }
}
